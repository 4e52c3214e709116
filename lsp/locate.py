"""Finding things in the AST by position (works on error-recovered trees too)."""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.source import Span


def contains(span: Span, line: int, column: int) -> bool:
    return (span.line, span.column) <= (line, column) <= (span.end_line, span.end_column)


def children(node: ast.Node) -> Iterator[ast.Node]:
    for field in attrs.fields(type(node)):
        value = getattr(node, field.name)
        if isinstance(value, ast.Node):
            yield value
        elif isinstance(value, tuple):
            yield from (v for v in value if isinstance(v, ast.Node))


def walk(node: ast.Node) -> Iterator[ast.Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(children(current))))


def path_at(module: ast.Module, line: int, column: int) -> list[ast.Node]:
    """The nodes covering a position, outermost first (the module excluded)."""
    found: list[ast.Node] = []
    candidates: list[ast.Node] = list(module.body)
    while candidates:
        hit = next((c for c in candidates if contains(c.span, line, column)), None)
        if hit is None:
            break
        found.append(hit)
        candidates = list(children(hit))
    return found


def expression_at(module: ast.Module, line: int, column: int) -> ast.Expr | None:
    return next(
        (n for n in reversed(path_at(module, line, column)) if isinstance(n, ast.Expr)), None
    )


def enclosing_function(module: ast.Module, line: int, column: int) -> ast.FunctionDef | None:
    path = path_at(module, line, column)
    return next((n for n in reversed(path) if isinstance(n, ast.FunctionDef)), None)


def statement_lines(stmt: ast.Stmt) -> tuple[int, int]:
    return stmt.span.line, stmt.span.end_line
