"""Checker types → IR types, and the zero value a variable holds before any assignment."""

from __future__ import annotations

from stoffel.compiler.ssa import ir
from stoffel.compiler.types import types as T

#: User object types and dicts are both VM objects; ``any`` covers generics and handles.
_HANDLE_ANY = ir.Type("any")


def ir_type(t: T.Type) -> ir.Type:
    """The IR type of a checker type (DESIGN §4: clear fix64 is a float at run time)."""
    if isinstance(t, T.Secret):
        inner = t.inner
        if isinstance(inner, T.Int):
            return ir.Type(_int_kind(inner), secret=True)
        if isinstance(inner, T.Bool):
            return ir.SECRET_BOOL
        if isinstance(inner, T.Fix | T.Float):
            return ir.Type("fix64", secret=True)
        return ir.Type("share", secret=True)
    if t == T.SHARE:
        return ir.Type("share", secret=True)
    if isinstance(t, T.Int):
        return ir.Type(_int_kind(t))
    if isinstance(t, T.Float | T.Fix):
        return ir.Type("f64")
    if isinstance(t, T.Bool):
        return ir.CLEAR_BOOL
    if isinstance(t, T.String):
        return ir.Type("string")
    if isinstance(t, T.ListT):
        return ir.Type("list")
    if isinstance(t, T.DictT):
        return ir.Type("dict")
    if isinstance(t, T.Nil | T.Void):
        return ir.CLEAR_NIL
    if isinstance(t, T.Obj):
        return ir.Type("any") if t.name in T.HANDLE_NAMES else ir.Type("obj")
    return _HANDLE_ANY


def _int_kind(t: T.Int) -> str:
    bits = t.bits if t.bits in (8, 16, 32, 64) else 64
    return f"{'i' if t.signed else 'u'}{bits}"


def const_of(value: object, ty: ir.Type) -> ir.Const:
    """A clear constant of ``ty``'s clear kind (secret types get the clear value to share)."""
    clear = ty.as_clear() if ty.secret else ty
    kind = clear.kind
    if clear.is_int:
        v = int(value)  # type: ignore[call-overload]
        lo, hi = ir.int_bounds(clear.kind)
        if not lo <= v <= hi:  # e.g. the 128 of `-128i8`; the negation narrows it back
            clear = ir.CLEAR_I64 if v < (1 << 63) else ir.Type("u64")
        return ir.Const(v, clear)
    if kind == "f64":
        return ir.Const(float(value), clear)  # type: ignore[arg-type]
    if kind == "bool":
        return ir.Const(bool(value), clear)
    if kind == "string":
        return ir.Const(str(value), clear)
    return ir.Const(None, ir.CLEAR_NIL)


def zero_const(ty: ir.Type) -> ir.Const:
    """The clear zero of a scalar type; None for handles."""
    clear = ty.as_clear() if ty.secret else ty
    if clear.is_int:
        return ir.Const(0, clear)
    if clear.kind == "f64":
        return ir.Const(0.0, clear)
    if clear.kind == "bool":
        return ir.Const(False, clear)
    if clear.kind == "string":
        return ir.Const("", clear)
    return ir.Const(None, ir.CLEAR_NIL)
