"""Generic AST traversal (nodes are attrs classes; fields in declaration order)."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from stoffel.compiler.ast import nodes as ast


def node_fields(node: ast.Node) -> list[object]:
    return [getattr(node, f.name) for f in attrs.fields(type(node))]


def children(node: ast.Node) -> list[ast.Node]:
    out: list[ast.Node] = []
    for value in node_fields(node):
        if isinstance(value, ast.Node):
            out.append(value)
        elif isinstance(value, tuple):
            out.extend(v for v in value if isinstance(v, ast.Node))
    return out


def walk(roots: Iterable[ast.Node | None], *, skip_defs: bool = False) -> list[ast.Node]:
    """Every node under ``roots`` (pre-order); ``skip_defs`` stops at nested ``def``s."""
    out: list[ast.Node] = []
    stack = [r for r in roots if r is not None][::-1]
    while stack:
        node = stack.pop()
        out.append(node)
        if skip_defs and isinstance(node, ast.FunctionDef):
            continue
        stack.extend(reversed(children(node)))
    return out
