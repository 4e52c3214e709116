"""Reparse only what changed: a file is parsed as top-level chunks, cached by content.

Parsing a 2,000-line file takes a few hundred milliseconds, far over an editor's
budget, yet a keystroke changes one top-level definition. The text is cut before each
line that starts a top-level statement (column 0, outside brackets, not a comment and
not ``elif``/``else``), and each chunk is parsed alone by the real parser
(``parse_module``; no second grammar). To keep every span exact the chunk is parsed
with the text before it blanked out (newlines kept, other characters turned into
spaces): blank lines never affect indentation, so the parser sees the chunk at its
true lines and columns.

A chunk's result is cached by (path, text, first line). A chunk after an edit on the
same line set is therefore reused although its character *offsets* are off by the
edit's length; the language server works from lines and columns only. A chunk whose
text is known but which moved to other lines (lines inserted above it) is copied with
shifted spans (``shift``) instead of being parsed again.
"""

from __future__ import annotations

import bisect
import re
from collections import OrderedDict
from typing import Final

import attrs

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.diagnostics import Diagnostic
from stoffel.compiler.source import SourceFile
from stoffel.compiler.syntax import parse_module
from stoffel.lsp.shift import shift_diagnostic, shift_node

_SCAN: Final[re.Pattern[str]] = re.compile(
    r'"(?:[^"\\\n]|\\.)*"?|\'(?:[^\'\\\n]|\\.)*\'?|#[^\n]*|[][(){}]|\n'
)
_CONTINUATION: Final[re.Pattern[str]] = re.compile(r"(?:elif|else)\b")
_CACHE_SIZE: Final[int] = 4_096
_Parsed = tuple[tuple[ast.Stmt, ...], tuple[Diagnostic, ...]]


@attrs.frozen
class _Piece:
    start: int  # character offset of the chunk
    text: str
    line: int  # 1-based line of its first character


_BLANK: Final[re.Pattern[str]] = re.compile(r"[^\n]")


def chunk_starts(text: str) -> list[int]:
    """Offsets where top-level chunks start (the first is always 0)."""
    starts = [0]
    depth = 0
    for match in _SCAN.finditer(text):
        token = match.group()
        if token in "([{":
            depth += 1
        elif token in ")]}":
            depth = max(0, depth - 1)
        elif token == "\n" and depth == 0:
            begin = match.end()
            head = text[begin : begin + 1]
            if head and head not in " \t\r\n#" and not _CONTINUATION.match(text, begin):
                starts.append(begin)
    return starts


class ChunkParser:
    """Parses files chunk by chunk, reusing unchanged chunks across versions."""

    def __init__(self) -> None:
        self._cache: OrderedDict[tuple[str, str, int], _Parsed] = OrderedDict()
        # The last place each chunk text was parsed at: (line, offset, result).
        self._moved: dict[tuple[str, str], tuple[int, int, _Parsed]] = {}

    def parse(self, source: SourceFile) -> tuple[ast.Module, list[Diagnostic]]:
        text = source.text
        starts = chunk_starts(text)
        pieces: list[_Piece] = []
        line = 1
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else len(text)
            pieces.append(_Piece(start, text[start:end], line))
            line += pieces[-1].text.count("\n")
        parsed: list[_Parsed | None] = []
        for piece in pieces:
            key = (source.path, piece.text, piece.line)
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
            else:
                hit = self._shifted(source.path, piece)
            parsed.append(hit)
        # Consecutive changed chunks are parsed together: one parse, one blanked prefix
        # (lines inserted near the top change every chunk below them).
        index = 0
        while index < len(pieces):
            if parsed[index] is not None:
                index += 1
                continue
            stop = index
            while stop < len(pieces) and parsed[stop] is None:
                stop += 1
            parsed[index:stop] = self._run(source, pieces[index:stop])
            index = stop
        body: list[ast.Stmt] = []
        diagnostics: list[Diagnostic] = []
        for statements, problems in parsed:  # type: ignore[misc]
            body.extend(statements)
            diagnostics.extend(problems)
        module = ast.Module(span=source.span(0, len(text)), path=source.path, body=tuple(body))
        return module, diagnostics

    def _shifted(self, path: str, piece: _Piece) -> _Parsed | None:
        """The chunk parsed at other lines before, moved to ``piece``'s position."""
        known = self._moved.get((path, piece.text))
        if known is None:
            return None
        line, start, (statements, problems) = known
        lines, chars = piece.line - line, piece.start - start
        value = (
            tuple(shift_node(s, lines, chars) for s in statements),
            tuple(shift_diagnostic(d, lines, chars) for d in problems),
        )
        self._remember(path, piece, value)
        return value

    def _remember(self, path: str, piece: _Piece, value: _Parsed) -> None:
        self._cache[(path, piece.text, piece.line)] = value
        self._moved[(path, piece.text)] = (piece.line, piece.start, value)
        while len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        if len(self._moved) > _CACHE_SIZE:
            self._moved.clear()

    def _run(self, source: SourceFile, run: list[_Piece]) -> list[_Parsed]:
        """Parse adjacent chunks at once and file the results under each chunk."""
        first = run[0].start
        padded = _BLANK.sub(" ", source.text[:first]) + "".join(p.text for p in run)
        result = parse_module(SourceFile(source.path, padded))
        offsets = [p.start for p in run]
        statements: list[list[ast.Stmt]] = [[] for _ in run]
        problems: list[list[Diagnostic]] = [[] for _ in run]
        for stmt in result.module.body:
            statements[max(0, bisect.bisect_right(offsets, stmt.span.start) - 1)].append(stmt)
        for diagnostic in result.diagnostics:
            at = diagnostic.span.start if diagnostic.span is not None else first
            problems[max(0, bisect.bisect_right(offsets, at) - 1)].append(diagnostic)
        values: list[_Parsed] = []
        for index, piece in enumerate(run):
            value = (tuple(statements[index]), tuple(problems[index]))
            self._remember(source.path, piece, value)
            values.append(value)
        return values
