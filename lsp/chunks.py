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
edit's length; the language server works from lines and columns only (documented).
"""

from __future__ import annotations

import bisect
import re
from collections import OrderedDict
from typing import Final

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.diagnostics import Diagnostic
from stoffel.compiler.source import SourceFile
from stoffel.compiler.syntax import parse_module

_SCAN: Final[re.Pattern[str]] = re.compile(
    r'"(?:[^"\\\n]|\\.)*"?|\'(?:[^\'\\\n]|\\.)*\'?|#[^\n]*|[][(){}]|\n'
)
_CONTINUATION: Final[re.Pattern[str]] = re.compile(r"(?:elif|else)\b")
_CACHE_SIZE: Final[int] = 20_000
# With more misses than this (a file seen for the first time, lines inserted near the
# top), one whole-file parse is cheaper than blanking a long prefix per chunk.
_WHOLE_FILE_MISSES: Final[int] = 4
_Parsed = tuple[tuple[ast.Stmt, ...], tuple[Diagnostic, ...]]
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

    def parse(self, source: SourceFile) -> tuple[ast.Module, list[Diagnostic]]:
        text = source.text
        starts = chunk_starts(text)
        pieces: list[tuple[int, str, int]] = []  # (offset, text, first line) per chunk
        line = 1
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else len(text)
            pieces.append((start, text[start:end], line))
            line += pieces[-1][1].count("\n")
        misses = sum((source.path, chunk, first) not in self._cache for _, chunk, first in pieces)
        if misses > _WHOLE_FILE_MISSES:
            return self._whole(source, pieces)
        body: list[ast.Stmt] = []
        diagnostics: list[Diagnostic] = []
        for start, chunk, first in pieces:
            statements, problems = self._chunk(source.path, text, start, chunk, first)
            body.extend(statements)
            diagnostics.extend(problems)
        module = ast.Module(span=source.span(0, len(text)), path=source.path, body=tuple(body))
        return module, diagnostics

    def _whole(
        self, source: SourceFile, pieces: list[tuple[int, str, int]]
    ) -> tuple[ast.Module, list[Diagnostic]]:
        """Parse the whole file once and file its statements under their chunks."""
        result = parse_module(source)
        offsets = [start for start, _, _ in pieces]
        statements: list[list[ast.Stmt]] = [[] for _ in pieces]
        problems: list[list[Diagnostic]] = [[] for _ in pieces]
        for stmt in result.module.body:
            statements[bisect.bisect_right(offsets, stmt.span.start) - 1].append(stmt)
        for diagnostic in result.diagnostics:
            at = diagnostic.span.start if diagnostic.span is not None else 0
            problems[max(0, bisect.bisect_right(offsets, at) - 1)].append(diagnostic)
        for index, (_, chunk, first) in enumerate(pieces):
            self._store(
                (source.path, chunk, first), (tuple(statements[index]), tuple(problems[index]))
            )
        return result.module, list(result.diagnostics)

    def _store(self, key: tuple[str, str, int], value: _Parsed) -> None:
        self._cache[key] = value
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)

    def _chunk(self, path: str, text: str, start: int, chunk: str, line: int) -> _Parsed:
        key = (path, chunk, line)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        padded = _BLANK.sub(" ", text[:start]) + chunk
        result = parse_module(SourceFile(path, padded))
        value = (result.module.body, result.diagnostics)
        self._store(key, value)
        return value
