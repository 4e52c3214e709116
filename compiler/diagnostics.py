"""Diagnostics: the one type every phase reports problems with (DESIGN.md §2).

User mistakes become ``Diagnostic`` values collected in a ``DiagnosticSink``; a phase
that cannot go on raises ``StoffelError``. A bug in the compiler itself is a
``CompilerPanic``, shown to users as E901 "internal compiler error" — never as the
answer to bad input.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager

import attrs

from stoffel.compiler.source import Span


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


class Code(enum.StrEnum):
    SYNTAX = "E001"
    TYPE = "E101"
    SEMANTIC = "E201"
    INTERNAL = "E901"


@attrs.frozen(kw_only=True)
class Note:
    message: str
    span: Span | None = None


@attrs.frozen(kw_only=True)
class Diagnostic:
    code: Code
    message: str
    span: Span | None
    severity: Severity = Severity.ERROR
    hint: str | None = None
    notes: tuple[Note, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def syntax_error(message: str, span: Span | None, hint: str | None = None) -> Diagnostic:
    return Diagnostic(code=Code.SYNTAX, message=message, span=span, hint=hint)


def type_error(
    message: str, span: Span | None, hint: str | None = None, notes: tuple[Note, ...] = ()
) -> Diagnostic:
    return Diagnostic(code=Code.TYPE, message=message, span=span, hint=hint, notes=notes)


def semantic_error(
    message: str, span: Span | None, hint: str | None = None, notes: tuple[Note, ...] = ()
) -> Diagnostic:
    return Diagnostic(code=Code.SEMANTIC, message=message, span=span, hint=hint, notes=notes)


class StoffelError(Exception):
    """A user error that stops the current phase."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class CompilerPanic(Exception):
    """A bug in the compiler. Carries the span being processed when it happened."""

    def __init__(self, message: str, span: Span | None = None) -> None:
        super().__init__(message)
        self.span = span

    def to_diagnostic(self) -> Diagnostic:
        return Diagnostic(
            code=Code.INTERNAL,
            message=f"internal compiler error: {self}",
            span=self.span,
            hint="this is a bug in the Stoffel compiler; please report it with this program",
        )


@attrs.define
class DiagnosticSink:
    """Collects diagnostics across phases; deduplicates exact repeats."""

    diagnostics: list[Diagnostic] = attrs.field(factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        if diagnostic not in self.diagnostics:
            self.diagnostics.append(diagnostic)

    def extend(self, diagnostics: list[Diagnostic]) -> None:
        for diagnostic in diagnostics:
            self.add(diagnostic)

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    def raise_if_errors(self) -> None:
        for diagnostic in self.diagnostics:
            if diagnostic.is_error:
                raise StoffelError(diagnostic)


@contextmanager
def tag_span(span: Span | None) -> Iterator[None]:
    """Turn a stray Python exception into a ``CompilerPanic`` located at ``span``."""
    try:
        yield
    except (StoffelError, CompilerPanic):
        raise
    except RecursionError as exc:
        raise StoffelError(
            semantic_error(
                "Program nesting is too deep to compile",
                span,
                hint="split deeply nested expressions or blocks into smaller pieces",
            )
        ) from exc
    except Exception as exc:
        raise CompilerPanic(f"{type(exc).__name__}: {exc}", span) from exc
