"""The formatter's entry point.

``format_source`` refuses (returns the diagnostics, no text) when the file has syntax
errors: recovery placeholders have no text to print, and guessing would change the
program. Otherwise it prints the tree back canonically and, as a safety net, re-parses
its own output and compares the span-free AST dumps; a mismatch is a formatter bug,
reported as E901 rather than silently rewriting what the program means.
"""

from __future__ import annotations

import attrs

from stoffel.compiler.ast.printer import dump
from stoffel.compiler.diagnostics import CompilerPanic, Diagnostic
from stoffel.compiler.fmt.exprs import FormatError
from stoffel.compiler.fmt.layout import Layout
from stoffel.compiler.source import SourceFile
from stoffel.compiler.syntax import parse_module


@attrs.frozen(kw_only=True)
class FormatResult:
    text: str | None  # the formatted text; None when the file could not be formatted
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def ok(self) -> bool:
        return self.text is not None

    def changed(self, original: str) -> bool:
        return self.text is not None and self.text != original


def format_source(text: str, path: str = "<input>") -> FormatResult:
    source = SourceFile(path, text.replace("\r\n", "\n"))
    parsed = parse_module(source)
    errors = tuple(d for d in parsed.diagnostics if d.is_error)
    if errors:
        return FormatResult(text=None, diagnostics=errors)
    try:
        layout = Layout(source.text)
        layout.module(parsed.module)
        formatted = layout.text()
    except (FormatError, RecursionError) as exc:
        return _panic(f"formatter failed: {exc}", source)
    again = parse_module(SourceFile(path, formatted))
    if again.has_errors or dump(again.module) != dump(parsed.module):
        return _panic("formatting would change the program; the file was left as is", source)
    return FormatResult(text=formatted)


def _panic(message: str, source: SourceFile) -> FormatResult:
    diagnostic = CompilerPanic(message, source.span(0, 0)).to_diagnostic()
    return FormatResult(text=None, diagnostics=(diagnostic,))
