"""Unary and binary operators, clear and secret.

Secret operations become the IR's secret opcodes at every -O level (DESIGN §2 item 4):
comparisons become ``slt``/``seq``… (protocol ops), ``*`` of two secrets ``smul`` (``sfmul``
for fixed point), of a secret and a clear value ``smulc``. ``and``/``or``/``xor`` never
short-circuit (language.md §8.5), so both operands are always evaluated.
"""

from __future__ import annotations

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.lower.context import LowerBase
from stoffel.compiler.lower.types import const_of, ir_type
from stoffel.compiler.ssa import ir
from stoffel.compiler.types import types as T

CLEAR_OPS = {"+": "add", "-": "sub", "*": "mul", "/": "div", "%": "rem", "mod": "mod"}
CLEAR_OPS |= {"shl": "shl", "shr": "shr", "and": "and", "or": "or", "xor": "xor"}
COMPARE = {"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
SECRET_COMPARE = {k: "s" + v for k, v in COMPARE.items()}
SECRET_LOGIC = {"and": "sand", "or": "sor", "xor": "sxor"}


class OperatorLowering(LowerBase):
    def lower_expr(self, e: ast.Expr) -> ir.Operand:  # provided by ExpressionLowering
        raise NotImplementedError

    def builtin(
        self, name: str, args: list[ir.Operand], ty: ir.Type | None, effects: bool = False
    ) -> ir.Var | None:
        raise NotImplementedError

    # ------------------------------------------------------------------ unary
    def lower_unary(self, e: ast.UnaryOp) -> ir.Operand:
        value = self.lower_expr(e.operand)
        result = ir_type(self.type_of(e))
        if e.op == "-":
            literal = isinstance(value, ir.Const) and type(value.value) in (int, float)
            if literal and value.type.kind[0] != "u":
                want = result if not result.secret and result.kind != "any" else value.type
                negated = const_of(-value.value, value.type)  # type: ignore[operator]
                return self.coerce_clear(negated, want)
            if value.type.secret:
                return self.b.value("sneg", [value], value.type)
            return self.b.value("neg", [value], value.type)
        if value.type.secret:
            return self.b.value("snot", [value], value.type)
        if isinstance(value, ir.Const) and isinstance(value.value, bool):
            return ir.Const(not value.value, ir.CLEAR_BOOL)
        return self.b.value("not", [value], value.type)

    def coerce_clear(self, value: ir.Operand, want: ir.Type) -> ir.Operand:
        converted = self.convert(value, want.as_clear() if want.secret else want)
        return self.b.value("share", [converted], want) if want.secret else converted

    # ------------------------------------------------------------------ binary
    def lower_binop(self, e: ast.BinOp) -> ir.Operand:
        if e.op == "in":
            container = self.lower_expr(e.right)
            item = self.lower_expr(e.left)
            return self.builtin("contains", [container, item], ir.CLEAR_BOOL)  # type: ignore[return-value]
        left_t, right_t = self.type_of(e.left), self.type_of(e.right)
        a = self.lower_expr(e.left)
        b = self.lower_expr(e.right)
        if a.type.secret or b.type.secret:
            return self.secret_op(e.op, a, b, ir_type(self.type_of(e)), e)
        if isinstance(left_t, T.ListT) or isinstance(right_t, T.ListT):
            listy = self.list_binop(e.op, a, b)
            if listy is not None:
                return listy
        if e.op in COMPARE:
            if {a.type.kind, b.type.kind} & {"list"} and e.op in ("==", "!="):
                eq = self.builtin("array_equals", [a, b], ir.CLEAR_BOOL)
                assert eq is not None
                return eq if e.op == "==" else self.b.value("not", [eq], ir.CLEAR_BOOL)
            return self.b.value(COMPARE[e.op], [a, b], ir.CLEAR_BOOL)
        result = ir_type(self.type_of(e))
        if result.kind == "any":
            result = a.type if a.type.kind != "any" else b.type
        op = CLEAR_OPS[e.op]
        if op not in ("shl", "shr"):
            a, b = self.convert(a, result), self.convert(b, result)
        return self.b.value(op, [a, b], result)

    def list_binop(self, op: str, a: ir.Operand, b: ir.Operand) -> ir.Operand | None:
        lst = ir.Type("list")
        if op == "+":
            return self.builtin("array_concat", [a, b], lst)
        if op == "*":
            xs, n = (a, b) if a.type.kind == "list" else (b, a)
            return self.builtin("array_repeat", [xs, n], lst)
        if op in ("==", "!="):
            eq = self.builtin("array_equals", [a, b], ir.CLEAR_BOOL)
            assert eq is not None
            return eq if op == "==" else self.b.value("not", [eq], ir.CLEAR_BOOL)
        return None

    def secret_op(
        self, op: str, a: ir.Operand, b: ir.Operand, result: ir.Type, node: ast.Node
    ) -> ir.Operand:
        """``a op b`` with a secret operand; ``result`` is the checker's type for it."""
        if op in SECRET_COMPARE:
            return self.b.value(SECRET_COMPARE[op], [a, b], ir.SECRET_BOOL)
        if not result.secret:
            result = (a.type if a.type.secret else b.type).as_secret()
        if result.kind == "fix64":
            a, b = (self._fixed_operand(x) for x in (a, b))
        if op in SECRET_LOGIC:
            return self.b.value(SECRET_LOGIC[op], [a, b], ir.SECRET_BOOL)
        if op == "+":
            return self.b.value("sadd", [a, b], result)
        if op == "-":
            return self.b.value("ssub", [a, b], result)
        if op == "*":
            if a.type.secret and b.type.secret:
                return self.b.value("sfmul" if result.kind == "fix64" else "smul", [a, b], result)
            return self.b.value("smulc", [a, b], result)
        if op == "/":
            return self.b.value("sdivc", [a, b], result)
        raise self.fail(f"operator '{op}' is not supported on secret values", node)

    def _fixed_operand(self, x: ir.Operand) -> ir.Operand:
        # A clear factor of a fixed-point secret is a float (the VM scales it by 2^16).
        if not x.type.secret and x.type.is_int:
            return self.convert(x, ir.Type("f64"))
        return x
