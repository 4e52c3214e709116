"""Clear arithmetic and comparison: the slow paths behind the generated code's fast int64 case.

Upstream semantics (spec/bytecode.md §1.2): integers are same-width only and *checked*
(overflow and division by zero are errors, texts as upstream: ``Integer overflow in ADD
operation``); Float mixes with int64 in ADD/SUB/MUL/DIV/MOD; String + String concatenates.
Secret operands never reach this module (the generated code routes them to ``secrets``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from stoffel.vm.errors import VMError
from stoffel.vm.format import type_name
from stoffel.vm.values import I64, I64_MAX, I64_MIN, ArrayRef, IntKind, IntV, ObjectRef, unwrap

#: Longest string ``+`` may build; doubling a string in a loop must not exhaust memory.
MAX_STRING_LEN = 16 * 1024 * 1024


def fault(message: str, pc: int) -> VMError:
    err = VMError(message)
    err.fault_pc = pc  # type: ignore[attr-defined]
    return err


def _int_parts(v: Any) -> tuple[int, IntKind] | None:
    t = type(v)
    if t is int:
        return v, I64
    if t is IntV:
        return v.value, v.kind
    return None


def _checked(value: int, kind: IntKind, op: str, pc: int) -> Any:
    if kind is I64:
        if I64_MIN <= value <= I64_MAX:
            return value
    elif kind.lo <= value <= kind.hi:
        return IntV(value, kind)
    raise fault(f"Integer overflow in {op} operation", pc)


def _trunc_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _int_op(op: str, a: int, b: int, pc: int) -> int:
    if op == "ADD":
        return a + b
    if op == "SUB":
        return a - b
    if op == "MUL":
        return a * b
    if b == 0:
        raise fault("Division by zero" if op == "DIV" else "Modulo by zero", pc)
    q = _trunc_div(a, b)
    return q if op == "DIV" else a - q * b


def _float_op(op: str, a: float, b: float, pc: int) -> float:
    try:
        if op == "ADD":
            return a + b
        if op == "SUB":
            return a - b
        if op == "MUL":
            return a * b
        if op == "DIV":
            if b == 0.0:
                if a == 0.0 or math.isnan(a):
                    return math.nan
                return math.copysign(math.inf, a) * math.copysign(1.0, b)
            return a / b
        if b == 0.0 or math.isinf(a):
            return math.nan
        return math.fmod(a, b)
    except OverflowError:
        return math.inf


def arith(op: str, a: Any, b: Any, pc: int) -> Any:
    """ADD/SUB/MUL/DIV/MOD on clear values of any type."""
    a, b = unwrap(a), unwrap(b)
    pa, pb = _int_parts(a), _int_parts(b)
    if pa is not None and pb is not None and type(a) is not bool and type(b) is not bool:
        if pa[1] is not pb[1]:
            raise fault(f"Type mismatch in {op} operation: {pa[1].name} and {pb[1].name}", pc)
        return _checked(_int_op(op, pa[0], pb[0], pc), pa[1], op, pc)
    ta, tb = type(a), type(b)
    if (ta is float or ta is int) and (tb is float or tb is int) and (ta is float or tb is float):
        return _float_op(op, float(a), float(b), pc)
    if op == "ADD" and ta is str and tb is str:
        if len(a) + len(b) > MAX_STRING_LEN:
            raise fault("String too long in ADD operation", pc)
        return a + b
    raise fault(
        f"Unsupported operand types for {op} operation: {type_name(a)} and {type_name(b)}", pc
    )


def bitwise(op: str, a: Any, b: Any, pc: int) -> Any:
    """AND/OR/XOR (bools: logical; same-width ints: bitwise), SHL/SHR (checked shift)."""
    a, b = unwrap(a), unwrap(b)
    if type(a) is bool and type(b) is bool and op in ("AND", "OR", "XOR"):
        return {"AND": a and b, "OR": a or b, "XOR": a != b}[op]
    pa, pb = _int_parts(a), _int_parts(b)
    if pa is None or pb is None or type(a) is bool or type(b) is bool:
        raise fault(
            f"Unsupported operand types for {op} operation: {type_name(a)} and {type_name(b)}",
            pc,
        )
    (x, kind), (y, ykind) = pa, pb
    if op in ("SHL", "SHR"):
        if y < 0 or y >= kind.bits:
            raise fault(f"Integer overflow in {op} operation", pc)
        return _wrap((x << y) if op == "SHL" else (x >> y), kind)
    if kind is not ykind:
        raise fault(f"Type mismatch in {op} operation: {kind.name} and {ykind.name}", pc)
    r = x & y if op == "AND" else x | y if op == "OR" else x ^ y
    return _wrap(r, kind)


def _wrap(v: int, kind: IntKind) -> Any:
    v &= (1 << kind.bits) - 1
    if kind.signed and v >= 1 << (kind.bits - 1):
        v -= 1 << kind.bits
    return v if kind is I64 else IntV(v, kind)


def not_op(a: Any, pc: int) -> Any:
    a = unwrap(a)
    if type(a) is bool:
        return not a
    p = _int_parts(a)
    if p is None:
        raise fault(f"Unsupported operand type for NOT operation: {type_name(a)}", pc)
    return _wrap(~p[0], p[1])


def _numeric(v: Any) -> int | float | None:
    t = type(v)
    if t is int or t is float:
        return v
    if t is IntV:
        return v.value
    return None


def compare(a: Any, b: Any, pc: int) -> int:
    """CMP: -1 Less, 0 Equal, 1 Greater. Numbers compare across widths and with floats."""
    a, b = unwrap(a), unwrap(b)
    ta, tb = type(a), type(b)
    if ta is bool or tb is bool:
        if ta is bool and tb is bool:
            return (a > b) - (a < b)
    elif ta is str or tb is str:
        if ta is str and tb is str:
            return (a > b) - (a < b)
    else:
        na, nb = _numeric(a), _numeric(b)
        if na is not None and nb is not None:
            if na != na or nb != nb:  # NaN is unordered: neither Less nor Equal
                return 1
            return (na > nb) - (na < nb)
    if a is None or b is None:
        return 0 if a is b else 1
    if ta in (ArrayRef, ObjectRef) and ta is tb:
        return 0 if a is b else 1
    if type_name(a) == "share" or type_name(b) == "share":
        raise fault(
            "CMP on shares is not supported: secret comparisons must use Share.lt/eq builtins",
            pc,
        )
    raise fault(f"Cannot compare {type_name(a)} and {type_name(b)}", pc)


ARITH: dict[str, Callable[[Any, Any, int], Any]] = {
    op: (lambda a, b, pc, _op=op: arith(_op, a, b, pc))
    for op in ("ADD", "SUB", "MUL", "DIV", "MOD")
}
BITWISE: dict[str, Callable[[Any, Any, int], Any]] = {
    op: (lambda a, b, pc, _op=op: bitwise(_op, a, b, pc))
    for op in ("AND", "OR", "XOR", "SHL", "SHR")
}
