"""Expressions: literals, names, f-strings, fields, indexing and slices.

Every expression lowers to one IR operand; the checker's ``types`` table decides the IR
type (an untyped literal already carries the width, float or secrecy its context gave it).
"""

from __future__ import annotations

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.lower.operators import OperatorLowering
from stoffel.compiler.lower.types import const_of, ir_type
from stoffel.compiler.resolve.symbols import SymbolKind
from stoffel.compiler.ssa import ir
from stoffel.compiler.types import types as T

_NIL = ir.Const(None, ir.CLEAR_NIL)
STRING = ir.Type("string")
ANY = ir.Type("any")


class ExpressionLowering(OperatorLowering):
    def lower_expr(self, e: ast.Expr) -> ir.Operand:
        saved = self.b.span
        self.b.span = e.span
        try:
            return self._dispatch(e)
        finally:
            self.b.span = saved

    def _dispatch(self, e: ast.Expr) -> ir.Operand:
        match e:
            case ast.IntLit() | ast.FloatLit() | ast.BoolLit() | ast.StrLit() | ast.NoneLit():
                return self.literal(e)
            case ast.Name():
                return self.lower_name(e)
            case ast.BinOp():
                return self.lower_binop(e)
            case ast.UnaryOp():
                return self.lower_unary(e)
            case ast.Call():
                return self.lower_call(e)
            case ast.Attribute():
                return self.lower_attribute(e)
            case ast.Index():
                target = self.lower_expr(e.value)
                index = self.lower_expr(e.index)
                return self.b.value("getindex", [target, index], ir_type(self.type_of(e)))
            case ast.Slice():
                return self.lower_slice(e)
            case ast.FString():
                return self.lower_fstring(e)
            case ast.ListLit():
                return self.lower_list(e)
            case ast.DictLit():
                return self.lower_dict(e)
            case ast.ListComp():
                return self.lower_comprehension(e)
            case ast.Range():
                # A range outside `for` is its list of values (end exclusive).
                bounds = [self.convert(self.lower_expr(x), ir.CLEAR_I64) for x in (e.start, e.stop)]
                out = self.builtin("range", bounds, ir.Type("list"))
                assert out is not None
                return out
        raise self.fail(f"cannot lower {type(e).__name__} here", e)

    # ------------------------------------------------------------------ literals
    def literal(self, e: ast.Expr) -> ir.Operand:
        t = self.type_of(e)
        ty = ir_type(t)
        match e:
            case ast.NoneLit():
                return _NIL
            case ast.StrLit():
                return ir.Const(e.value, STRING)
            case ast.BoolLit():
                value: object = e.value
            case ast.IntLit():
                value = e.value
                if e.suffix is not None and isinstance(T.clear(t), T.Unknown):
                    ty = ir_type(T.SUFFIX_TYPES[e.suffix])
            case ast.FloatLit():
                value = e.value
            case _:
                raise self.fail("not a literal", e)
        if ty.kind in ("any", "nil", "share"):
            # No usable type from the checker (a generic argument…): the literal's own.
            ty = {bool: ir.CLEAR_BOOL, float: ir.Type("f64")}.get(type(value), ir.CLEAR_I64)
        const = const_of(value, ty)
        if ty.secret:
            return self.b.value("share", [const], ty)
        return const

    def default_literal(self, e: ast.Expr, want: T.Type) -> ir.Operand:
        """A default argument: a literal from the declaration, typed by the parameter."""
        if e in self.checked.types:
            return self.lower_expr(e)
        if isinstance(e, ast.UnaryOp) and e.op == "-":
            inner = self.default_literal(e.operand, want)
            if isinstance(inner, ir.Const) and isinstance(inner.value, int | float):
                return ir.Const(-inner.value, inner.type)
            return self.b.value("neg", [inner], inner.type)
        ty = ir_type(T.clear(want))
        match e:
            case ast.IntLit() | ast.FloatLit() | ast.BoolLit():
                kind = ty if ty.is_numeric or ty.kind == "bool" else ir.CLEAR_I64
                return const_of(e.value, kind)
            case ast.StrLit():
                return ir.Const(e.value, STRING)
        return _NIL

    # ------------------------------------------------------------------ names
    def lower_name(self, e: ast.Name) -> ir.Operand:
        sym = self.symbol(e)
        if sym is None:
            alias = self.aliases.get(e.id)
            if alias is not None:
                return self.b.read(alias)
            raise self.fail(f"unresolved name '{e.id}'", e)
        if sym.kind in (SymbolKind.VARIABLE, SymbolKind.PARAMETER):
            return self.read_var(sym)
        if sym.kind is SymbolKind.ENUM_MEMBER and sym.value is not None:
            return ir.Const(sym.value, ir.CLEAR_I64)
        if sym.kind is SymbolKind.FUNCTION:
            return ir.Const(self.pc.names.get(sym, sym.name), STRING)
        # A builtin or a type used as a value (the checker lets it through as unknown):
        # its name, which is what create_closure and friends take.
        return ir.Const(sym.vm_symbol or sym.qualified_name, STRING)

    def lower_attribute(self, e: ast.Attribute) -> ir.Operand:
        if e in self.checked.enum_values:
            return ir.Const(self.checked.enum_values[e], ir.CLEAR_I64)
        sym = self.symbol(e)
        if sym is not None and sym.kind is SymbolKind.ENUM_MEMBER and sym.value is not None:
            return ir.Const(sym.value, ir.CLEAR_I64)
        if sym is not None and sym.kind is SymbolKind.VARIABLE:
            return self.read_var(sym)
        obj = self.lower_expr(e.value)
        return self.read_field(obj, e.attr, self.type_of(e))

    def lower_condition(self, e: ast.Expr) -> ir.Operand:
        """A branch condition. One of unknown type (a field of a dynamic object, the reveal
        of a raw Share) arrives as ``any``; it becomes a bool here and the VM checks at run
        time that it really is one."""
        cond = self.lower_expr(e)
        if cond.type == ir.Type("any"):
            return self.b.value("copy", [cond], ir.CLEAR_BOOL)
        return cond

    def field_receiver(self, obj: ir.Operand) -> ir.Operand:
        """``obj`` as a receiver of getfield/setfield.

        The checker lets field reads on lists, strings and None through as unknown (upstream
        does, e.g. ``xs.len``); they fail at run time in the VM. Passing the receiver as
        ``any`` keeps the IR well typed without changing that behaviour.
        """
        if obj.type.secret or obj.type.kind in ("obj", "dict", "any"):
            return obj
        return self.b.value("copy", [obj], ir.Type("any"))

    def read_field(self, obj: ir.Operand, name: str, t: T.Type) -> ir.Operand:
        obj = self.field_receiver(obj)
        key = ir.Const(name, STRING)
        if isinstance(t, T.ListT):
            # Object list fields spring into existence on first use (language.md §8.15).
            made = self.builtin("get_or_create_array_field", [obj, key], ir.Type("list"))
            assert made is not None
            return made
        return self.b.value("getfield", [obj, key], ir_type(t))

    # ------------------------------------------------------------------ strings
    def lower_fstring(self, e: ast.FString) -> ir.Operand:
        acc: ir.Operand | None = None
        for part in e.parts:
            piece = self.lower_expr(part)
            if piece.type.kind != "string":
                text = self.builtin("to_string", [piece], STRING)
                assert text is not None
                piece = text
            acc = piece if acc is None else self.b.value("add", [acc, piece], STRING)
        return acc if acc is not None else ir.Const("", STRING)

    def lower_slice(self, e: ast.Slice) -> ir.Operand:
        target = self.lower_expr(e.value)
        parts = [self.lower_expr(p) if p is not None else _NIL for p in (e.start, e.stop)]
        step = self.lower_expr(e.step) if e.step is not None else ir.Const(1, ir.CLEAR_I64)
        out = self.builtin("slice", [target, *parts, step], ir_type(self.type_of(e)))
        assert out is not None
        return out

    # Provided by other mixins.
    def lower_call(self, e: ast.Call) -> ir.Operand:
        raise NotImplementedError

    def lower_list(self, e: ast.ListLit) -> ir.Operand:
        raise NotImplementedError

    def lower_dict(self, e: ast.DictLit) -> ir.Operand:
        raise NotImplementedError

    def lower_comprehension(self, e: ast.ListComp) -> ir.Operand:
        raise NotImplementedError
