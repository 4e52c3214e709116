"""A nesting limit, so that later phases (recursive visitors) never meet a tree too deep
for Python's recursion limit. The parser itself is iterative and copes with any depth;
the check turns a pathological statement into one clean E001 and an ``ErrorStmt``.

Walking every tree would cost time on every parse, so the walk runs only when some
logical line is long enough (or some block deep enough) to possibly exceed the limit:
an expression is never deeper than its line has tokens.
"""

from __future__ import annotations

from typing import Final

import attrs
from lark import Token

from stoffel.compiler.ast import nodes as n
from stoffel.compiler.diagnostics import Diagnostic, syntax_error

MAX_DEPTH: Final[int] = 200


def may_be_too_deep(tokens: list[Token], block_depth: int) -> bool:
    if block_depth * 4 > MAX_DEPTH:
        return True
    previous = -1
    for i, token in enumerate(tokens):
        if token.type == "_NEWLINE":
            if i - previous > MAX_DEPTH:
                return True
            previous = i
    return len(tokens) - previous > MAX_DEPTH


def enforce_depth(body: tuple[n.Stmt, ...], diagnostics: list[Diagnostic]) -> tuple[n.Stmt, ...]:
    """Replace each top-level statement nested deeper than ``MAX_DEPTH`` by an ErrorStmt."""
    out: list[n.Stmt] = []
    for stmt in body:
        deepest = _deepest(stmt)
        if deepest is None:
            out.append(stmt)
            continue
        diagnostics.append(
            syntax_error(
                f"Nesting is too deep (more than {MAX_DEPTH} levels)",
                deepest.span,
                "Split the expression into intermediate variables, or move nested blocks "
                "into functions",
            )
        )
        out.append(n.ErrorStmt(span=stmt.span))
    return tuple(out)


def _deepest(root: n.Node) -> n.Node | None:
    """The first node found deeper than the limit, walking iteratively."""
    stack: list[tuple[n.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return node
        for field in attrs.fields(type(node)):
            value = getattr(node, field.name)
            if isinstance(value, n.Node):
                stack.append((value, depth + 1))
            elif isinstance(value, tuple):
                stack.extend((v, depth + 1) for v in value if isinstance(v, n.Node))
    return None
