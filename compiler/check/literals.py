"""Untyped literals adapt to their context (spec §3.2): widths, float/fix, bool 0/1."""

from __future__ import annotations

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.context import CheckerBase
from stoffel.compiler.check.typeexpr import int_range_text
from stoffel.compiler.source import Span
from stoffel.compiler.types.types import (
    BOOL,
    FLOAT,
    INT64,
    NIL,
    STRING,
    SUFFIX_TYPES,
    Bool,
    Fix,
    Float,
    Int,
    Type,
    clear,
)


def untyped_int(node: ast.Expr) -> int | None:
    """The value of an unsuffixed integer literal, or of ``-`` applied to one."""
    if isinstance(node, ast.IntLit) and node.suffix is None:
        return node.value
    if isinstance(node, ast.UnaryOp) and node.op == "-":
        inner = untyped_int(node.operand)
        return None if inner is None else -inner
    return None


def is_untyped_literal(node: ast.Expr) -> bool:
    if untyped_int(node) is not None or isinstance(node, ast.FloatLit):
        return True
    return (
        isinstance(node, ast.UnaryOp) and node.op == "-" and isinstance(node.operand, ast.FloatLit)
    )


class LiteralChecks(CheckerBase):
    def check_int_range(self, value: int, target: Int, span: Span) -> None:
        if not target.min <= value <= target.max:
            self.type_error(
                f"Integer literal {value} does not fit in '{target}' "
                f"(allowed range {int_range_text(target)})",
                span,
            )

    def adapt_int(self, value: int, expected: Type | None, span: Span) -> Type:
        target = clear(expected) if expected is not None else None
        if isinstance(target, Int):
            self.check_int_range(value, target, span)
            return target
        if isinstance(target, Bool):
            if value not in (0, 1):
                self.type_error(
                    f"Integer literal {value} cannot initialize 'bool' (allowed values are 0 or 1)",
                    span,
                )
            return BOOL
        if isinstance(target, Float | Fix):
            return target
        self.check_int_range(value, INT64, span)
        return INT64

    def visit_IntLit(self, node: ast.IntLit, expected: Type | None) -> Type:
        if node.suffix is not None:
            target = SUFFIX_TYPES.get(node.suffix, INT64)
            self.check_int_range(node.value, target, node.span)
            return target
        return self.adapt_int(node.value, expected, node.span)

    def visit_FloatLit(self, node: ast.FloatLit, expected: Type | None) -> Type:
        # A float literal adapts to a fixed-point context (spec §1.2).
        target = clear(expected) if expected is not None else None
        return target if isinstance(target, Fix) else FLOAT

    def visit_StrLit(self, node: ast.StrLit, expected: Type | None) -> Type:
        return STRING

    def visit_BoolLit(self, node: ast.BoolLit, expected: Type | None) -> Type:
        return BOOL

    def visit_NoneLit(self, node: ast.NoneLit, expected: Type | None) -> Type:
        return NIL

    def visit_FString(self, node: ast.FString, expected: Type | None) -> Type:
        for part in node.parts:
            self.expr(part)
        return STRING
