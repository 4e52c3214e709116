"""Lay out a parsed module: statements one per line, comments kept, blank lines tidied.

Comment placement (the AST has no comments, so they are matched to statements by line):

* an own-line comment goes before the next statement, at that statement's depth; at the
  end of a block it stays in the block if it is indented at least as deep as the block,
  otherwise it moves out to the enclosing one;
* a comment at the end of a statement's (or header's) last line trails it;
* a comment inside a multi-line statement (a list spread over lines) is moved to its
  own line just above the statement, because the statement is printed on one line.

Blank lines: at most one is kept where the source had any; none right after a block
header; exactly one around each top-level definition (with its attached comments).
Statements wider than ``wrap.MAX_WIDTH`` are broken inside their outermost brackets.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence

from stoffel.compiler.ast import nodes as n
from stoffel.compiler.fmt import headers
from stoffel.compiler.fmt.comments import Comment, code_lines, scan_comments
from stoffel.compiler.fmt.wrap import MAX_WIDTH, wrap

_DEFINITIONS = (n.FunctionDef, n.ObjectDef, n.EnumDef, n.BuiltinObject)
_INDENT = "  "


class Layout:
    def __init__(self, text: str) -> None:
        comments = scan_comments(text)
        self.pending: deque[Comment] = deque(comments)
        self.code = code_lines(text, comments)
        lines = text.split("\n")
        self.blank_before = [0]  # blank_before[k]: blank source lines among lines 1..k
        for content in lines:
            self.blank_before.append(self.blank_before[-1] + (not content.strip()))
        self.out: list[str] = []
        self.last_line = 0  # the last source line emitted so far
        self.block_start = True  # no blank line right after a header or at the top
        self.force_blank = False  # the next item at top level must be set apart

    # ------------------------------------------------------------------ output

    def text(self) -> str:
        while self.out and not self.out[-1]:
            self.out.pop()
        return "\n".join(self.out) + "\n" if self.out else ""

    def _emit(self, depth: int, content: str, first: int, last: int) -> None:
        if not self.block_start and (self.force_blank or self._blank_between(first)):
            self.out.append("")
        # A wrapped statement spans lines; each is indented like the statement.
        self.out.extend(_INDENT * depth + part for part in content.split("\n"))
        self.block_start = False
        self.force_blank = False
        self.last_line = max(self.last_line, last)

    def _blank_between(self, line: int) -> bool:
        low = min(self.last_line, line - 1)
        return line - 1 > low and self.blank_before[line - 1] - self.blank_before[low] > 0

    def _comment(self, comment: Comment, depth: int) -> None:
        self._emit(depth, comment.text, comment.line, comment.line)

    def _flush(self, depth: int, before: float, min_column: int = 0) -> None:
        """Emit pending comments above line ``before`` that are indented enough."""
        while self.pending and self.pending[0].line < before:
            if self.pending[0].column - 1 < min_column:
                return
            self._comment(self.pending.popleft(), depth)

    def _line(self, depth: int, content: str, first: int, last: int) -> None:
        """Emit one formatted line covering source lines ``first..last``."""
        self._flush(depth, first)
        hoisted: list[Comment] = []
        trailing: Comment | None = None
        while self.pending and self.pending[0].line <= last:
            comment = self.pending.popleft()
            if comment.line == last and not comment.own_line:
                trailing = comment
            else:
                hoisted.append(comment)
        for comment in hoisted:
            self._comment(comment, depth)
        suffix = f"  {trailing.text}" if trailing is not None else ""
        self._emit(depth, content + suffix, first, last)

    # ------------------------------------------------------------------ blocks

    def module(self, module: n.Module) -> None:
        self.block(module.body, 0, math.inf)
        self._flush(0, math.inf)

    def block(self, items: Sequence[n.Node], depth: int, stop: float) -> None:
        self.block_start = True
        for i, item in enumerate(items):
            following = items[i + 1].span.line if i + 1 < len(items) else stop
            if depth == 0 and isinstance(item, _DEFINITIONS):
                self._set_apart(item.span.line)
            self.item(item, depth, following)
            if depth == 0 and isinstance(item, _DEFINITIONS):
                self.force_blank = True
        self._flush(depth, stop, depth * len(_INDENT))

    def _set_apart(self, line: int) -> None:
        """A blank line before a definition and the comments directly above it."""
        attached = 0
        expected = line - 1
        for comment in reversed([c for c in self.pending if c.line < line]):
            if comment.line != expected:
                break
            attached += 1
            expected -= 1
        loose = [c for c in self.pending if c.line < line][: -attached or None]
        for comment in loose:
            self.pending.popleft()
            self._comment(comment, 0)
        self.force_blank = True

    def item(self, node: n.Node, depth: int, following: float) -> None:
        match node:
            case n.If():
                self._if(node, depth, following)
            case n.While(body=body) | n.For(body=body):
                self._compound(node, headers.header(node), body, depth, following)
            case n.FunctionDef(body=None):
                last = max(headers.header_end_line(node), node.span.end_line)
                self._line(depth, headers.function(node), node.span.line, last)
            case n.FunctionDef(body=body):
                self._compound(node, headers.function(node), body, depth, following)
            case n.Match(cases=children) | n.BuiltinObject(methods=children):
                self._compound(node, headers.header(node), children, depth, following)
            case n.ObjectDef(fields=children) | n.EnumDef(members=children):
                self._compound(node, headers.header(node), children, depth, following)
            case n.Case(body=body):
                self._compound(node, headers.header(node), body, depth, following)
            case n.FieldDecl() | n.EnumMember():
                self._line(depth, headers.header(node), node.span.line, node.span.end_line)
            case _:
                assert isinstance(node, n.Stmt)
                text = headers.simple(node)
                width = len(_INDENT) * depth + len(text)
                if width > MAX_WIDTH:
                    broken = wrap(node, width)
                    text = "\n".join(broken) if broken is not None else text
                self._line(depth, text, node.span.line, node.span.end_line)

    def _compound(
        self,
        node: n.Node,
        header: str,
        body: Sequence[n.Node],
        depth: int,
        following: float,
    ) -> None:
        self._line(depth, header, node.span.line, headers.header_end_line(node))
        self.block(body, depth + 1, following)

    def _if(self, node: n.If, depth: int, following: float) -> None:
        branches = node.branches
        for i, branch in enumerate(branches):
            keyword = "if" if i == 0 else "elif"
            if i > 0:
                self._flush(depth, branch.span.line)
            text = f"{keyword} {headers.expr(branch.condition)}:"
            self._line(depth, text, branch.span.line, headers.header_end_line(branch))
            if i + 1 < len(branches):
                stop: float = branches[i + 1].span.line
            elif node.else_body is not None:
                stop = self._next_code_line(branch.body[-1].span.end_line)
            else:
                stop = following
            self.block(branch.body, depth + 1, stop)
        if node.else_body is not None:
            line = self._next_code_line(branches[-1].body[-1].span.end_line)
            self._flush(depth, line)
            self._line(depth, "else:", line, line)
            self.block(node.else_body, depth + 1, following)

    def _next_code_line(self, after: int) -> int:
        line = after + 1
        while line not in self.code and line < len(self.blank_before):
            line += 1
        return line
