"""Source files and spans.

A ``Span`` is a frozen value holding both character offsets and 1-based line/column
positions (columns count Unicode characters, end exclusive), so every consumer — the
renderer, the JSON output, the LSP — reads positions without going back to the text.
"""

from __future__ import annotations

import bisect
from functools import cached_property
from pathlib import Path

import attrs


@attrs.frozen(kw_only=True)
class Span:
    file: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int

    def __attrs_post_init__(self) -> None:
        if self.end < self.start or (self.end_line, self.end_column) < (self.line, self.column):
            raise ValueError(f"span ends before it starts: {self!r}")

    def cover(self, other: Span) -> Span:
        """The smallest span holding both ``self`` and ``other`` (same file)."""
        first = self if self.start <= other.start else other
        last = self if self.end >= other.end else other
        return attrs.evolve(first, end=last.end, end_line=last.end_line, end_column=last.end_column)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@attrs.frozen
class SourceFile:
    """The text of one file plus a line index for offset → (line, column) lookups."""

    path: str
    text: str

    @classmethod
    def read(cls, path: str | Path) -> SourceFile:
        data = Path(path).read_bytes()
        return cls(str(path), data.decode("utf-8", errors="replace").replace("\r\n", "\n"))

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        starts.extend(i + 1 for i, ch in enumerate(self.text) if ch == "\n")
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; offsets past the end clamp."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(max(start, end))
        return Span(
            file=self.path,
            start=start,
            end=max(start, end),
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
        )

    def line_text(self, line: int) -> str:
        """The text of a 1-based line without its newline ('' when out of range)."""
        if not 1 <= line <= len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start : end if end >= 0 else len(self.text)]

    @property
    def line_count(self) -> int:
        return len(self._line_starts)
