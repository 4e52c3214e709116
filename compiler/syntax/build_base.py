"""Shared pieces of the AST builder: spans from children, intermediate values, errors.

The builder runs as lark's LALR callbacks (no parse tree is built), so positions come
from the children themselves: tokens carry theirs, nodes carry spans. Spans are made
directly from those numbers rather than through ``SourceFile.span`` (no bisect per node).
"""

from __future__ import annotations

from typing import Any

import attrs
from lark import Token

from stoffel.compiler.ast import nodes as n
from stoffel.compiler.diagnostics import Diagnostic, syntax_error
from stoffel.compiler.source import Span


@attrs.define(slots=True)
class Piece:
    """A non-node grammar result (a block, a dotted name, an argument list) with a span."""

    span: Span | None
    value: Any = None
    kind: str = ""
    anchor: Token | None = None


def _start(x: Any) -> tuple[int, int, int]:
    if isinstance(x, Token):
        return x.start_pos, x.line, x.column
    if isinstance(x, (list, tuple)):
        return _start(x[0])
    s = x.span
    return s.start, s.line, s.column


def _end(x: Any) -> tuple[int, int, int]:
    if isinstance(x, Token):
        return x.end_pos, x.end_line, x.end_column
    if isinstance(x, (list, tuple)):
        return _end(x[-1])
    s = x.span
    return s.end, s.end_line, s.end_column


def flatten(children: list[Any]) -> list[Any]:
    """Statements from a run of children; error recovery may hand back lists of them."""
    out: list[Any] = []
    for child in children:
        if isinstance(child, list):
            out.extend(child)
        elif child is not None and not isinstance(child, Token):
            out.append(child)
    return out


class BuilderBase:
    """Per-parse state of the callbacks: the file name and the diagnostics sink."""

    def __init__(self, path: str, diagnostics: list[Diagnostic]) -> None:
        self.path = path
        self.diagnostics = diagnostics

    def span(self, first: Any, last: Any | None = None) -> Span:
        """The span from the start of ``first`` to the end of ``last`` (default: itself)."""
        start, line, column = _start(first)
        end, end_line, end_column = _end(first if last is None else last)
        return Span(
            file=self.path,
            start=start,
            end=end,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
        )

    # Fast paths for the hottest callbacks (names, literals, operators): no type dispatch.

    def token_span(self, t: Token) -> Span:
        return Span(
            file=self.path,
            start=t.start_pos,
            end=t.end_pos,
            line=t.line,
            column=t.column,
            end_line=t.end_line,
            end_column=t.end_column,
        )

    def nodes_span(self, a: n.Node, b: n.Node) -> Span:
        sa, sb = a.span, b.span
        return Span(
            file=self.path,
            start=sa.start,
            end=sb.end,
            line=sa.line,
            column=sa.column,
            end_line=sb.end_line,
            end_column=sb.end_column,
        )

    def node_token_span(self, a: n.Node, t: Token) -> Span:
        sa = a.span
        return Span(
            file=self.path,
            start=sa.start,
            end=t.end_pos,
            line=sa.line,
            column=sa.column,
            end_line=t.end_line,
            end_column=t.end_column,
        )

    def span_of(self, children: list[Any]) -> Span:
        # isinstance, not `!= []`: comparing a lark Token to a list goes through str.__eq__.
        present = [
            c for c in children if c is not None and not (isinstance(c, (list, tuple)) and not c)
        ]
        return self.span(present[0], present[-1])

    def error(self, message: str, at: Any, hint: str | None = None) -> None:
        span = at if isinstance(at, Span) else self.span(at)
        self.diagnostics.append(syntax_error(message, span, hint))

    def _item_block(self, c: list[Any]) -> Piece:
        """``: NEWLINE [INDENT item+ DEDENT]`` bodies of match/object/enum/builtin object."""
        items = flatten(c)
        last = items[-1] if items else c[0]
        return Piece(self.span(c[0], last), tuple(items), anchor=c[0])
