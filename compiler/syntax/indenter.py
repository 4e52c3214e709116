"""The indentation post-lexer (spec/language.md §1.1): ``_LINESTART`` → INDENT/DEDENT.

Exactly two spaces per level; tabs in leading whitespace are errors. Each error is
reported once and then recovered from so that the parser sees a consistent block
structure and does not report the same problem again.
"""

from __future__ import annotations

from collections.abc import Iterator

from lark import Token
from lark.lark import PostLex

from stoffel.compiler.diagnostics import Diagnostic, syntax_error
from stoffel.compiler.source import SourceFile
from stoffel.compiler.syntax.tokens import end_position

_INDENT_HINT = "Indent each block by exactly 2 spaces more than the line that opens it"


class Indenter(PostLex):
    """Turns the scanner's per-line markers into INDENT/DEDENT tokens."""

    always_accept = ()

    def __init__(self, source: SourceFile, diagnostics: list[Diagnostic]) -> None:
        self.source = source
        self.diagnostics = diagnostics
        # INDENT tokens whose problem was already reported (the parser stays quiet on them).
        self.reported: set[int] = set()
        self.max_depth = 0

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        levels = [0]
        previous = ""
        for token in stream:
            if token.type != "_LINESTART":
                if token.type != "_NEWLINE":
                    previous = token.type
                yield token
                continue
            width = self._width(token, levels, previous)
            top = levels[-1]
            if width > top:
                indent = Token(
                    "_INDENT",
                    "",
                    token.start_pos,
                    token.line,
                    token.column,
                    token.line,
                    token.column,
                    token.start_pos,
                )
                if width != top + 2:
                    self._error(
                        token,
                        "Invalid indentation. Expected an indent of exactly 2 spaces, "
                        f"found {width - top}",
                        _INDENT_HINT,
                    )
                    self.reported.add(token.start_pos)
                levels.append(width)
                self.max_depth = max(self.max_depth, len(levels))
                yield indent
            elif width < top:
                while levels[-1] > width:
                    levels.pop()
                    yield self._dedent(token)
                if levels[-1] != width:
                    self._error(
                        token,
                        f"Inconsistent dedentation. Expected indent level {levels[-1]}, "
                        f"got {width}",
                        "Dedent to the level of an enclosing block",
                    )
        for _ in levels[1:]:
            yield self._dedent(None)

    def _width(self, token: Token, levels: list[int], previous: str) -> int:
        """The line's indent width; a tab is reported and the line kept where it belongs."""
        leading = token.value
        if "\t" not in leading:
            return len(leading)
        tab = token.start_pos - len(leading) + leading.index("\t")
        self.diagnostics.append(
            syntax_error(
                "Tabs are not allowed for indentation",
                self.source.span(tab, tab + 1),
                "Indent with spaces (2 per level)",
            )
        )
        self.reported.add(token.start_pos)
        # Guess the intended level: one deeper after a block header, else unchanged.
        return levels[-1] + 2 if previous == "_COLON" else levels[-1]

    def _dedent(self, at: Token | None) -> Token:
        if at is None:
            end = len(self.source.text)
            line, col = end_position(self.source.text)
            return Token("_DEDENT", "", end, line, col, line, col, end)
        return Token(
            "_DEDENT", "", at.start_pos, at.line, at.column, at.line, at.column, at.start_pos
        )

    def _error(self, token: Token, message: str, hint: str) -> None:
        line_start = token.start_pos - len(token.value)
        self.diagnostics.append(
            syntax_error(message, self.source.span(line_start, token.start_pos), hint)
        )
