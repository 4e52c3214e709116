"""Compiler positions ↔ LSP positions.

The compiler counts 1-based lines and columns in Unicode characters (end exclusive);
LSP counts 0-based lines and, by default, UTF-16 code units. Characters outside the
Basic Multilingual Plane are one compiler column but two LSP units.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types as lsp

from stoffel.compiler.source import Span


def _units(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def to_position(lines: Sequence[str], line: int, column: int) -> lsp.Position:
    """The LSP position of 1-based (``line``, ``column``) in a file split into ``lines``."""
    index = max(0, line - 1)
    if index >= len(lines):
        last = len(lines) - 1
        return lsp.Position(line=max(0, last), character=_units(lines[last]) if lines else 0)
    return lsp.Position(line=index, character=_units(lines[index][: max(0, column - 1)]))


def to_range(lines: Sequence[str], span: Span) -> lsp.Range:
    return lsp.Range(
        start=to_position(lines, span.line, span.column),
        end=to_position(lines, span.end_line, span.end_column),
    )


def from_position(lines: Sequence[str], position: lsp.Position) -> tuple[int, int]:
    """1-based (line, column) in characters of an LSP position (clamped to the line)."""
    if position.line >= len(lines):
        return position.line + 1, 1
    text = lines[position.line]
    units = 0
    for index, ch in enumerate(text):
        if units >= position.character:
            return position.line + 1, index + 1
        units += 2 if ord(ch) > 0xFFFF else 1
    return position.line + 1, len(text) + 1


def offset_of(lines: Sequence[str], line: int, column: int) -> int:
    """Character offset of 1-based (line, column) in the joined text."""
    return sum(len(text) + 1 for text in lines[: line - 1]) + column - 1
