"""Value flows into typed slots (initialisers, assignments, arguments, returns).

One rule (``types.compat.mismatch``), worded per context as spec §3.2–3.3 gives it.
"""

from __future__ import annotations

from stoffel.compiler.check.context import CheckerBase
from stoffel.compiler.source import Span
from stoffel.compiler.types.compat import Mismatch, mismatch
from stoffel.compiler.types.types import Type


class FlowChecks(CheckerBase):
    def check_flow(self, found: Type, target: Type, span: Span, integer_message: str) -> bool:
        """Report when ``found`` may not flow into ``target``; True when it may."""
        kind = mismatch(found, target)
        if kind is None:
            return True
        if kind is Mismatch.REVEAL:
            self.type_error(
                f"Cannot implicitly reveal '{found}' as '{target}'",
                span,
                hint="call .reveal() to reveal the value explicitly",
            )
        elif kind is Mismatch.INTEGER:
            self.type_error(integer_message, span)
        else:
            self.type_error(f"Type mismatch. Expected '{target}', found '{found}'", span)
        return False

    def check_init(self, name: str, found: Type, target: Type, span: Span) -> bool:
        return self.check_flow(
            found,
            target,
            span,
            f"Cannot initialize variable '{name}' of type '{target}' with value of type '{found}'",
        )

    def check_assign(self, name: str | None, found: Type, target: Type, span: Span) -> bool:
        message = (
            f"Cannot assign value of type '{found}' to variable '{name}' of type '{target}'"
            if name is not None
            else f"Cannot implicitly convert from '{found}' to '{target}'"
        )
        return self.check_flow(found, target, span, message)
