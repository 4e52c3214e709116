"""The AST builder: lark LALR callbacks that construct ``stoffel.compiler.ast`` nodes.

One instance per parse (it holds the file name and the diagnostics list); its methods
are named after the grammar's rules and aliases in ``stoffel.lark``.
"""

from __future__ import annotations

from typing import Any

from stoffel.compiler.ast import nodes as n
from stoffel.compiler.source import Span
from stoffel.compiler.syntax.build_base import flatten
from stoffel.compiler.syntax.build_decl import DeclRules
from stoffel.compiler.syntax.build_expr import ExprRules
from stoffel.compiler.syntax.build_stmt import StmtRules


class AstBuilder(ExprRules, StmtRules, DeclRules):
    def module(self, c: list[Any]) -> tuple[n.Stmt, ...]:
        return tuple(flatten(c))


def module_span(path: str, text: str, line_count: int, last_line: str) -> Span:
    return Span(
        file=path,
        start=0,
        end=len(text),
        line=1,
        column=1,
        end_line=line_count,
        end_column=len(last_line) + 1,
    )
