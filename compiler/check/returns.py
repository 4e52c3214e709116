"""Return-path analysis (spec §2.3): conservative, as upstream."""

from __future__ import annotations

from stoffel.compiler.ast import nodes as ast


def block_returns(body: tuple[ast.Stmt, ...] | None) -> bool:
    """A block returns if any of its statements always returns."""
    return any(stmt_returns(stmt) for stmt in body or ())


def stmt_returns(stmt: ast.Stmt) -> bool:
    if isinstance(stmt, ast.Return):
        return True
    if isinstance(stmt, ast.If):
        return (
            stmt.else_body is not None
            and all(block_returns(b.body) for b in stmt.branches)
            and block_returns(stmt.else_body)
        )
    if isinstance(stmt, ast.While):
        # Loops never count, except `while True:` that no `break` escapes.
        return (
            isinstance(stmt.condition, ast.BoolLit)
            and stmt.condition.value
            and not _breaks(stmt.body)
        )
    if isinstance(stmt, ast.Match):
        return any(c.pattern is None for c in stmt.cases) and all(
            block_returns(c.body) for c in stmt.cases
        )
    return False


def _breaks(body: tuple[ast.Stmt, ...]) -> bool:
    """Does a ``break`` in ``body`` leave the enclosing loop (not an inner one)?"""
    for stmt in body:
        if isinstance(stmt, ast.Break):
            return True
        if isinstance(stmt, ast.If):
            if any(_breaks(b.body) for b in stmt.branches) or _breaks(stmt.else_body or ()):
                return True
        elif isinstance(stmt, ast.Match) and any(_breaks(c.body) for c in stmt.cases):
            return True
    return False
