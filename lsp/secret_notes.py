"""'declared secret here' notes for implicit-reveal errors.

The checker reports ``Cannot implicitly reveal 'secret T' as 'T'`` at the expression
but says nothing about where the secrecy came from; the editor shows, as related
information, the declaration of every secret variable read in that expression.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import attrs

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.facts import CheckedProgram
from stoffel.compiler.diagnostics import Diagnostic, Note
from stoffel.compiler.types.types import is_secret
from stoffel.lsp import locate

REVEAL_PREFIX: Final[str] = "Cannot implicitly reveal"


def add_secret_notes(
    diagnostics: Sequence[Diagnostic], checked: CheckedProgram, modules: Sequence[ast.Module]
) -> list[Diagnostic]:
    by_file = {m.path: m for m in modules}
    out: list[Diagnostic] = []
    for diagnostic in diagnostics:
        span = diagnostic.span
        module = by_file.get(span.file) if span is not None else None
        if not diagnostic.message.startswith(REVEAL_PREFIX) or span is None or module is None:
            out.append(diagnostic)
            continue
        expr = locate.expression_at(module, span.line, span.column)
        notes = list(diagnostic.notes)
        seen: set[int] = set()
        for node in locate.walk(expr) if expr is not None else ():
            symbol = checked.index.node_symbols.get(node) if isinstance(node, ast.Name) else None
            if symbol is None or symbol.span is None or id(symbol) in seen:
                continue
            if is_secret(symbol.type):
                seen.add(id(symbol))
                notes.append(
                    Note(message=f"'{symbol.name}' declared secret here", span=symbol.span)
                )
        out.append(attrs.evolve(diagnostic, notes=tuple(notes)))
    return out
