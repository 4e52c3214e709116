"""Shared helpers: check a source text and list its diagnostics as plain tuples."""

from __future__ import annotations

from stoffel.compiler.check.facts import CheckedProgram
from stoffel.compiler.driver import Compilation


def compile_text(source: str, path: str = "/virtual/test.stfl") -> Compilation:
    return Compilation(path, text=source)


def diagnose(source: str) -> list[tuple[str, int, int, str]]:
    """(code, line, column, message) of every diagnostic, in order."""
    return [
        (d.code.value, d.span.line if d.span else 0, d.span.column if d.span else 0, d.message)
        for d in compile_text(source).diagnostics
    ]


def checked(source: str) -> CheckedProgram:
    compilation = compile_text(source)
    assert [d.message for d in compilation.diagnostics] == []
    return compilation.checked
