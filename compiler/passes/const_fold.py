"""Constant folding and propagation for clear operations.

Folding reuses the reference interpreter's arithmetic (ssa/interp.py), so a folded value
is exactly what the VM computes. Anything that would fail at run time (integer overflow,
division by zero, a shift out of range, a narrowing cast that does not fit) is left in
place: the program must still raise that error when it runs, at every -O level.
"""

from __future__ import annotations

from stoffel.compiler.passes.base import Pass, remove_instrs, replace_uses
from stoffel.compiler.ssa.interp import InterpError, clear_binary, clear_unary
from stoffel.compiler.ssa.ir import (
    CLEAR_ARITH,
    CLEAR_BITWISE,
    CLEAR_COMPARE,
    Const,
    Function,
    Instr,
    Operand,
    Var,
)

FOLDABLE = CLEAR_ARITH | CLEAR_BITWISE | CLEAR_COMPARE | {"cast", "copy", "phi"}


def _fold(inst: Instr) -> Operand | None:
    """The value ``inst`` always produces, if it is known at compile time."""
    res = inst.result
    if res is None or inst.opcode not in FOLDABLE or res.type.secret:
        return None
    if inst.opcode == "phi":
        # Equal constants on every incoming edge: the phi is that constant.
        first = inst.operands[0] if inst.operands else None
        if isinstance(first, Const) and all(o == first for o in inst.operands):
            return first
        return None
    if not all(isinstance(o, Const) for o in inst.operands):
        return _identity(inst)
    vals = [o.value for o in inst.operands if isinstance(o, Const)]
    src = inst.operands[0].type
    try:
        if inst.opcode == "copy":
            value = vals[0]
        elif len(vals) == 1:
            value = clear_unary(inst.opcode, vals[0], src, res.type)
        else:
            value = clear_binary(inst.opcode, vals[0], vals[1], src)
        return Const(value, res.type)
    except (InterpError, ValueError, TypeError, OverflowError):
        return None  # leave it for the VM to raise at run time


SAME_OPERANDS: dict[str, bool | int | None] = {
    "eq": True, "le": True, "ge": True, "ne": False, "lt": False, "gt": False,
    "sub": 0, "xor": 0, "and": None, "or": None,  # None: the operand itself
}  # fmt: skip


def _identity(inst: Instr) -> Operand | None:
    """Algebra that is exact and never traps on clear integers and bools: ``x + 0``,
    ``x - 0``, ``x * 1``, ``x - x``, ``x == x``… Not for floats (``-0.0 + 0.0`` is
    ``0.0``, and NaN is not equal to itself)."""
    res = inst.result
    if res is None or len(inst.operands) != 2:
        return None
    a, b = inst.operands
    if not (a.type.is_int or a.type.kind == "bool"):
        return None
    if a == b and inst.opcode in SAME_OPERANDS:
        value = SAME_OPERANDS[inst.opcode]
        if value is None:
            return a
        return Const(bool(value) if res.type.kind == "bool" else value, res.type)
    if inst.opcode not in ("add", "sub", "mul"):
        return None
    unit = 1 if inst.opcode == "mul" else 0
    if isinstance(b, Const) and b.value == unit:
        return a
    if inst.opcode != "sub" and isinstance(a, Const) and a.value == unit:
        return b
    return None


class ConstFold(Pass):
    name = "const_fold"

    def run(self, fn: Function) -> bool:
        changed = False
        while True:
            folded: set[Instr] = set()
            for inst in list(fn.instrs()):
                value = _fold(inst)
                if value is not None and isinstance(inst.result, Var):
                    replace_uses(fn, inst.result, value)
                    folded.add(inst)
            if not folded:
                return changed
            remove_instrs(fn, folded)
            changed = True
