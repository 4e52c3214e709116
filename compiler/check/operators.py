"""Binary and unary operators (spec §3.2–3.3): arithmetic, comparisons, logic, shifts, `in`."""

from __future__ import annotations

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.context import CheckerBase
from stoffel.compiler.check.literals import LiteralChecks, is_untyped_literal, untyped_int
from stoffel.compiler.types.compat import join
from stoffel.compiler.types.types import (
    BOOL,
    INT64,
    SHARE,
    STRING,
    UNKNOWN,
    Bool,
    DictT,
    Fix,
    Float,
    Int,
    ListT,
    Nil,
    Obj,
    Secret,
    Type,
    clear,
    contains_secret,
    is_numeric,
    is_secret,
    is_unknown,
    secret_of,
)

ARITHMETIC = frozenset({"+", "-", "*", "/", "%", "mod"})
COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})
LOGIC = frozenset({"and", "or", "xor"})
SHIFTS = frozenset({"shl", "shr"})


def _literal_target(other: Type, op: str = "+") -> Type | None:
    """What an untyped literal operand adapts to, given the other operand's type."""
    base = clear(other)
    if isinstance(base, Int | Float | Fix):
        return base
    # 0 and 1 are bits only in secret-bool arithmetic (`1 - bit`, spec §3.3).
    if isinstance(base, Bool) and op in ARITHMETIC and is_secret(other):
        return base
    return None


def numeric_join(a: Type, b: Type) -> Type | None:
    if a == b:
        return a
    if isinstance(a, Fix) and isinstance(b, Float):
        return a
    if isinstance(a, Float) and isinstance(b, Fix):
        return b
    if a == INT64 and isinstance(b, Float | Fix):
        return b
    if b == INT64 and isinstance(a, Float | Fix):
        return a
    return None


class OperatorChecks(LiteralChecks, CheckerBase):
    def operands(self, node: ast.BinOp, expected: Type | None) -> tuple[Type, Type]:
        passed = expected if node.op in ARITHMETIC else None
        left_lit, right_lit = is_untyped_literal(node.left), is_untyped_literal(node.right)
        if left_lit and not right_lit:
            right = self.expr(node.right, passed)
            return self.expr(node.left, self._target(node.op, right, passed)), right
        if right_lit and not left_lit:
            left = self.expr(node.left, passed)
            if node.op == "in":
                return left, self.expr(node.right)
            return left, self.expr(node.right, self._target(node.op, left, passed))
        left = self.expr(node.left, passed)
        if node.op == "in" and left_lit:
            right = self.expr(node.right)
            elem = right.elem if isinstance(right, ListT) else None
            elem = right.key if isinstance(right, DictT) else elem
            if elem is not None:
                left = self.expr(node.left, elem)
            return left, right
        return left, self.expr(node.right, passed)

    def _target(self, op: str, other: Type, expected: Type | None) -> Type | None:
        if op in SHIFTS:
            return _literal_target(other) if isinstance(clear(other), Int) else None
        if op == "in":
            if isinstance(other, ListT):
                return other.elem
            return other.key if isinstance(other, DictT) else None
        target = _literal_target(other, op)
        if target is None and other == SHARE:
            return None
        return target if target is not None else expected

    def visit_BinOp(self, node: ast.BinOp, expected: Type | None) -> Type:
        left, right = self.operands(node, expected)
        if node.op in ARITHMETIC:
            return self.arithmetic(node, left, right)
        if node.op in COMPARISONS:
            return self.comparison(node, left, right)
        if node.op in LOGIC:
            return self.logic(node, left, right)
        if node.op in SHIFTS:
            return self.shift(node, left, right)
        if node.op == "in":
            return self.membership(node, left, right)
        return UNKNOWN

    def arithmetic(self, node: ast.BinOp, left: Type, right: Type) -> Type:
        op = node.op
        if is_unknown(left) or is_unknown(right) or Obj("Object") in (left, right):
            return UNKNOWN
        if op == "+" and left == STRING and right == STRING:
            return STRING
        if isinstance(left, ListT) or isinstance(right, ListT):
            return self.list_arithmetic(node, left, right)
        secret = is_secret(left) or is_secret(right)
        if SHARE in (left, right):
            other = right if left == SHARE else left
            if other == SHARE or is_numeric(other) or isinstance(clear(other), Bool):
                return SHARE
        lc, rc = clear(left), clear(right)
        if isinstance(lc, Bool) and isinstance(rc, Bool) and secret and op in ("+", "-", "*"):
            return Secret(BOOL)  # gates over secret bits (spec §3.3)
        if not (is_numeric(left) and is_numeric(right)):
            self.type_error(
                f"Operands to '{op}' must be numeric, found '{left}' and '{right}'", node.span
            )
            return UNKNOWN
        result = numeric_join(lc, rc)
        if result is None:
            self.type_error(
                f"Arithmetic '{op}' requires matching numeric types, found '{left}' and '{right}'",
                node.span,
                hint="give both operands the same width, e.g. 10i32",
            )
            return UNKNOWN
        return secret_of(result) if secret else result

    def list_arithmetic(self, node: ast.BinOp, left: Type, right: Type) -> Type:
        if node.op == "+" and isinstance(left, ListT) and isinstance(right, ListT):
            elem = join(left.elem, right.elem)
            if elem is None:
                self.type_error(
                    "Cannot concatenate lists with incompatible element types", node.span
                )
                return left
            return ListT(elem)
        if node.op == "*":
            lst, count = (left, right) if isinstance(left, ListT) else (right, left)
            if isinstance(clear(count), Int) or is_unknown(count):
                return lst
        self.type_error(
            f"Operands to '{node.op}' must be numeric, found '{left}' and '{right}'", node.span
        )
        return UNKNOWN

    def comparison(self, node: ast.BinOp, left: Type, right: Type) -> Type:
        secret = is_secret(left) or is_secret(right)
        result = Secret(BOOL) if secret else BOOL
        if is_unknown(left) or is_unknown(right) or Obj("Object") in (left, right):
            return result
        lc, rc = clear(left), clear(right)
        share_ok = SHARE in (left, right) and all(
            t == SHARE or is_numeric(t) or isinstance(clear(t), Bool) for t in (left, right)
        )
        if share_ok or (is_numeric(left) and is_numeric(right)):
            return result
        if (lc == rc and isinstance(lc, Bool)) or (lc == STRING and rc == STRING):
            return result
        if node.op in ("==", "!="):
            if isinstance(left, ListT) and isinstance(right, ListT):
                if contains_secret(left) or contains_secret(right):
                    # array_equals compares elements in the clear: on shares it would
                    # reveal (or, on real shares, get wrong) whether secrets are equal.
                    self.type_error(
                        f"Cannot compare lists of secret values with '{node.op}'",
                        node.span,
                        hint="compare the elements one by one (each gives a secret bool) "
                        "and combine the results",
                    )
                elif join(left.elem, right.elem) is None:
                    self.type_error(
                        "Cannot compare lists with incompatible element types", node.span
                    )
                return BOOL
            if isinstance(lc, Nil) or isinstance(rc, Nil) or (lc == rc):
                return BOOL
        self.type_error(
            f"Operands to '{node.op}' must be numeric (ints or float), or matching "
            f"bool/string values, found '{left}' and '{right}'",
            node.span,
            hint="cast or adjust the operand types",
        )
        return result

    def logic(self, node: ast.BinOp, left: Type, right: Type) -> Type:
        op = node.op
        secret = is_secret(left) or is_secret(right)
        if is_unknown(left) or is_unknown(right):
            return Secret(BOOL) if secret else UNKNOWN
        lc, rc = clear(left), clear(right)
        if SHARE in (left, right):
            return SHARE
        if isinstance(lc, Bool) and isinstance(rc, Bool):
            return Secret(BOOL) if secret else BOOL
        if isinstance(lc, Int) and isinstance(rc, Int):
            if secret:
                self.type_error(
                    f"Bitwise '{op}' is not supported on secret integers (only secret bool)",
                    node.span,
                )
            elif lc != rc:
                self.type_error(
                    f"Bitwise '{op}' requires matching integer types, found '{left}' and '{right}'",
                    node.span,
                )
            return left
        self.type_error(
            f"Operands to '{op}' must both be bool (or matching integers for bitwise use), "
            f"found '{left}' and '{right}'",
            node.span,
        )
        return UNKNOWN

    def shift(self, node: ast.BinOp, left: Type, right: Type) -> Type:
        op = node.op
        if is_secret(left) or is_secret(right):
            self.type_error(f"'{op}' is not supported on secret values", node.span)
            return left
        if is_unknown(left) or is_unknown(right):
            return left
        if not (isinstance(left, Int) and isinstance(right, Int)):
            self.type_error(
                f"Operands to '{op}' must be integers, found '{left}' and '{right}'", node.span
            )
            return UNKNOWN
        if left != right:
            self.type_error(
                f"'{op}' requires matching integer types, found '{left}' and '{right}'",
                node.span,
            )
        return left

    def membership(self, node: ast.BinOp, left: Type, right: Type) -> Type:
        if not (isinstance(right, ListT | DictT) or right == STRING or is_unknown(right)):
            self.type_error(
                f"Right side of 'in' must be a list, dict, or string, found '{right}'",
                node.right.span,
            )
        elif is_secret(left) or (isinstance(right, ListT) and is_secret(right.elem)):
            self.type_error("'in' is not supported on secret values", node.span)
        return BOOL

    def visit_UnaryOp(self, node: ast.UnaryOp, expected: Type | None) -> Type:
        if node.op == "-":
            value = untyped_int(node)
            if value is not None:
                found = self.adapt_int(value, expected, node.span)
                self._record_literal(node.operand, found, -value)
                return found
            operand = self.expr(node.operand, expected)
            base = clear(operand)
            if is_unknown(operand) or operand == SHARE or isinstance(base, Float | Fix):
                return operand
            if isinstance(base, Int):
                if not base.signed:
                    self.type_error(
                        f"Unary '-' requires a signed numeric operand, found '{operand}'",
                        node.span,
                    )
                return operand
            self.type_error(f"Unary '-' requires a numeric operand, found '{operand}'", node.span)
            return UNKNOWN
        operand = self.expr(node.operand)
        base = clear(operand)
        if is_unknown(operand) or operand == SHARE or isinstance(base, Bool):
            return operand
        if isinstance(base, Int):
            if is_secret(operand):
                self.type_error(
                    "Bitwise 'not' is not supported on secret integers (only secret bool)",
                    node.span,
                )
            return operand
        self.type_error(
            f"Unary 'not' requires a bool or integer operand, found '{operand}'", node.span
        )
        return UNKNOWN

    def _record_literal(self, node: ast.Expr, found: Type, value: int) -> None:
        # The inner literal of ``-5`` has the negated literal's type; record it without
        # re-checking the positive value's range (``-128i8``-style bounds are asymmetric).
        while isinstance(node, ast.UnaryOp):
            self.result.types[node] = found
            node = node.operand
        self.result.types[node] = found
