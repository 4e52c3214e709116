"""The StoffelLang scanner (spec/language.md §1.2): characters → lark tokens.

lark's own lexer cannot express the spec's rules (longest *known* operator, targeted
errors for single quotes, bad escapes, oversized literals, f-strings), so this is a
hand-written scanner driven by one master regex. It handles implicit line joining
inside brackets and emits, per non-blank logical line, a ``_LINESTART`` marker (the
leading whitespace) that the indentation post-lexer (``indenter.py``) turns into
INDENT/DEDENT, plus a ``_NEWLINE`` at the line's end. Blank and comment-only lines
produce nothing, so they never affect indentation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from lark import Token
from lark.lexer import Lexer

from stoffel.compiler.diagnostics import Diagnostic, syntax_error
from stoffel.compiler.source import SourceFile
from stoffel.compiler.syntax import literals
from stoffel.compiler.syntax.contextual import resolve_contextual
from stoffel.compiler.syntax.indenter import Indenter
from stoffel.compiler.syntax.tokens import KEYWORDS, OPERATORS

_OPS = "|".join(re.escape(op) for op in sorted(OPERATORS, key=len, reverse=True) if op != "{.")
_MASTER: Final[re.Pattern[str]] = re.compile(
    r"(?P<WS>[ \t\f\r]+)"
    r"|(?P<COMMENT>\#[^\n]*)"
    r"|(?P<NL>\n)"
    r'|(?P<FSTRING>[fF]"(?:[^"\\\n]|\\.)*"?)'
    r"|(?P<NAME>[^\W\d]\w*)"
    r"|(?P<BASEINT>0[xXbBoO][0-9A-Za-z_]*)"
    r"|(?P<FLOAT>(?:\d[\d_]*)?\.\d[\d_]*(?:[eE][+-]?\d[\d_]*)?|\d[\d_]*[eE][+-]?\d[\d_]*)"
    r"|(?P<INT>\d[\d_]*(?:[iu]\d+)?)"
    r'|(?P<STRING>"(?:[^"\\\n]|\\.)*"?)'
    r"|(?P<SQUOTE>'(?:[^'\\\n]|\\.)*'?)"
    r"|(?P<PRAGMA_OPEN>\{\.(?=[^\W\d]))"
    rf"|(?P<OP>{_OPS})"
    r"|(?P<BAD>.)",
    re.DOTALL,
)
_LEADING: Final[re.Pattern[str]] = re.compile(r"[ \t\f]*")
# A line starting with one of these cannot continue an expression: when one appears at
# or left of the indentation of an unclosed bracket's line, the bracket was never closed
# (recovery for editors; the spec joins to EOF, which would hide the rest of the file).
_STATEMENT_LINE: Final[re.Pattern[str]] = re.compile(
    r"([ ]*)(?:def|var|while|return|object|enum|import|elif|else)\b"
)
_MAX_ERRORS: Final[int] = 50


def scan(source: SourceFile, diagnostics: list[Diagnostic]) -> Iterator[Token]:
    """Yield the raw token stream of ``source``; lexical errors go to ``diagnostics``."""
    return _Scanner(source, diagnostics).run()


class _Scanner:
    def __init__(self, source: SourceFile, diagnostics: list[Diagnostic]) -> None:
        self.source = source
        self.text = source.text
        self.diagnostics = diagnostics
        self.errors = 0
        self.line = 1
        self.line_start = 0
        self.last: Token | None = None
        self.open_line = False

    def error(self, start: int, length: int, message: str, hint: str | None = None) -> None:
        self.errors += 1
        self.diagnostics.append(
            syntax_error(message, self.source.span(start, start + length), hint)
        )
        if self.errors >= _MAX_ERRORS:
            raise _TooManyErrors(start + length)

    def run(self) -> Iterator[Token]:
        try:
            yield from self._run()
        except _TooManyErrors as stop:
            self.diagnostics.append(
                syntax_error(
                    "Too many lexical errors; the rest of the file was not read",
                    self.source.span(stop.offset, stop.offset),
                )
            )
        if self.last is not None and self.open_line:
            # The last line had no '\n': close it so that every statement ends in NEWLINE.
            last = self.last
            yield Token(
                "_NEWLINE",
                "",
                last.end_pos,
                last.end_line,
                last.end_column,
                last.end_line,
                last.end_column,
                last.end_pos,
            )

    def _run(self) -> Iterator[Token]:
        text, n = self.text, len(self.text)
        match = _MASTER.match
        pos = 1 if text.startswith("\ufeff") else 0  # a byte-order mark is not code
        depth = 0
        at_line_start = True
        line_indent = 0
        last: Token | None = None
        pending: Token | None = None
        while pos < n:
            if at_line_start:
                ws_end = _LEADING.match(text, pos).end()
                ch = text[ws_end] if ws_end < n else "\n"
                if ch in "\n#\r":
                    newline = text.find("\n", ws_end)
                    if newline < 0:
                        break
                    pos = newline + 1
                    self.line += 1
                    self.line_start = pos
                    continue
                col = ws_end - self.line_start + 1
                pending = Token(
                    "_LINESTART", text[pos:ws_end], ws_end, self.line, col, self.line, col, ws_end
                )
                line_indent = ws_end - pos
                pos = ws_end
                at_line_start = False
            m = match(text, pos)
            kind = m.lastgroup
            end = m.end()
            if kind == "WS" or kind == "COMMENT":
                pos = end
                continue
            if kind == "NL":
                self.line += 1
                self.line_start = end
                if depth:
                    close = _STATEMENT_LINE.match(text, end)
                    if close is None or len(close.group(1)) > line_indent:
                        pos = end
                        continue
                    depth = 0
                if self.open_line:
                    self.open_line = False
                    yield Token(
                        "_NEWLINE",
                        "\n",
                        last.end_pos,
                        last.end_line,
                        last.end_column,
                        last.end_line,
                        last.end_column,
                        last.end_pos,
                    )
                pos = end
                at_line_start = True
                pending = None
                continue
            value = m.group()
            col = pos - self.line_start + 1
            if kind == "NAME":
                kind = KEYWORDS.get(value, "NAME")
            elif kind == "OP":
                kind = OPERATORS[value]
                if kind in ("LPAR", "LSQB", "LBRACE"):
                    depth += 1
                elif kind in ("RPAR", "RSQB", "RBRACE") and depth:
                    depth -= 1
            elif kind == "INT" or kind == "BASEINT":
                kind = "INT"
                problem = literals.parse_int(value)[2]
                if problem is not None:
                    self.report(pos, problem)
            elif kind == "STRING":
                for problem in literals.decode_string(value)[1]:
                    self.report(pos, problem)
            elif kind == "FSTRING":
                for problem in literals.decode_string(value[1:])[1]:
                    self.report(pos + 1, problem)
                for problem in literals.split_fstring(value)[1]:
                    self.report(pos, problem)
            elif kind == "SQUOTE":
                kind = "STRING"
                self.error(
                    pos,
                    len(value),
                    "Single-quoted strings are not supported",
                    'Use double quotes: "..."',
                )
            elif kind == "BAD":
                shown = value if value.isprintable() else repr(value)[1:-1]
                self.error(pos, 1, f"Unexpected character: {shown}")
                pos = end
                continue
            last = Token(kind, value, pos, self.line, col, self.line, col + len(value), end)
            if pending is not None:
                yield pending
                pending = None
            self.last = last
            self.open_line = True
            yield last
            pos = end

    def report(self, token_start: int, problem: literals.Problem) -> None:
        self.error(token_start + problem.offset, problem.length, problem.message, problem.hint)


class _TooManyErrors(Exception):
    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


class StoffelLexer(Lexer):
    """The scanner as a lark ``Lexer``, so that ``LARK.parse(text)`` / ``LARK.lex(text)``
    work for debugging (plain lark trees, no recovery, diagnostics dropped).
    ``parse_module`` feeds the same tokens to the LALR state itself, with recovery."""

    def __init__(self, lexer_conf: object) -> None:
        self.lexer_conf = lexer_conf

    def lex(self, data: str) -> Iterator[Token]:  # type: ignore[override]  # lark interface 0
        source = SourceFile("<lark>", data)
        ignored: list[Diagnostic] = []
        tokens = list(Indenter(source, ignored).process(scan(source, ignored)))
        yield from resolve_contextual(tokens, source, ignored)
