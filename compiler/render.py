"""Rendering diagnostics for people (Rust-style text) and for tools (JSON, DESIGN.md §6)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from stoffel.compiler.diagnostics import Diagnostic, Severity
from stoffel.compiler.source import SourceFile, Span

SourceLookup = Callable[[str], SourceFile | None]

_COLOURS = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.NOTE: "\x1b[1;36m",
}
_BLUE = "\x1b[1;34m"
_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"
_CONTEXT_LINES = 1  # lines shown above the offending one


class _Paint:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, style: str) -> str:
        return f"{style}{text}{_RESET}" if self.enabled else text


def render_diagnostic(diag: Diagnostic, lookup: SourceLookup, *, colour: bool = False) -> str:
    """One diagnostic: header, ``-->`` location, snippet with caret, notes, ``help:``."""
    paint = _Paint(colour)
    severity = diag.severity.value
    lines = [
        paint(f"{severity}[{diag.code.value}]", _COLOURS[diag.severity])
        + paint(f": {diag.message}", _BOLD)
    ]
    if diag.span is not None:
        lines.extend(_snippet(diag.span, lookup, paint, _COLOURS[diag.severity]))
    for note in diag.notes:
        where = f" (at {note.span})" if note.span is not None else ""
        lines.append(paint("  = note: ", _BLUE) + note.message + where)
    if diag.hint:
        lines.append(paint("help", _BOLD) + f": {diag.hint}")
    return "\n".join(lines)


def _snippet(span: Span, lookup: SourceLookup, paint: _Paint, caret_style: str) -> list[str]:
    source = lookup(span.file)
    first = max(1, span.line - _CONTEXT_LINES)
    width = len(str(span.line))
    gutter = " " * width
    out = [paint(f"{gutter} --> ", _BLUE) + f"{span.file}:{span.line}:{span.column}"]
    if source is None or span.line > source.line_count:
        return out
    out.append(paint(f"{gutter} |", _BLUE))
    for number in range(first, span.line + 1):
        text = source.line_text(number).expandtabs(1)
        out.append(paint(f"{number:>{width}} |", _BLUE) + (f" {text}" if text else ""))
    line_text = source.line_text(span.line)
    end = span.end_column if span.end_line == span.line else len(line_text) + 1
    carets = "^" * max(1, end - span.column)
    out.append(paint(f"{gutter} |", _BLUE) + " " * span.column + paint(carets, caret_style))
    out.append(paint(f"{gutter} |", _BLUE))
    return out


def render_all(
    diagnostics: Sequence[Diagnostic], lookup: SourceLookup, *, colour: bool = False
) -> str:
    """Every diagnostic, blank-line separated, then upstream's abort summary on errors."""
    blocks = [render_diagnostic(d, lookup, colour=colour) for d in diagnostics]
    errors = sum(1 for d in diagnostics if d.is_error)
    if errors:
        noun = "previous error" if errors == 1 else f"{errors} previous errors"
        blocks.append(
            _Paint(colour)("error", _COLOURS[Severity.ERROR]) + f": aborting due to {noun}"
        )
    return "\n\n".join(blocks)


def _location(span: Span | None) -> dict[str, Any]:
    if span is None:
        return {"file": None, "line": None, "column": None}
    return {"file": span.file, "line": span.line, "column": span.column}


def diagnostic_to_json(diag: Diagnostic) -> dict[str, Any]:
    """The JSON object of DESIGN.md §6 (1-based lines/columns, end exclusive)."""
    span = diag.span
    return {
        "severity": diag.severity.value,
        "code": diag.code.value,
        "message": diag.message,
        **_location(span),
        "end_line": span.end_line if span else None,
        "end_column": span.end_column if span else None,
        "hint": diag.hint,
        "notes": [{"message": n.message, **_location(n.span)} for n in diag.notes],
    }


def diagnostics_to_json(diagnostics: Iterable[Diagnostic]) -> dict[str, Any]:
    return {"diagnostics": [diagnostic_to_json(d) for d in diagnostics]}
