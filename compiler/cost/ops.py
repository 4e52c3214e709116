"""Which scheduler group an IR instruction lands in, following the emitter and the VM.

The emitter (``codegen/select.py``) turns ``smul``/``sfmul``/``smulc`` into ``MUL``,
``sdivc`` into ``DIV``, ``sand``/``sor``/``sxor`` into the bitwise opcodes, comparisons and
``select`` into ``Share.*`` builtins; ``open`` is a move into a clear register. The VM
(``vm/secrets.py``) then decides per operand types whether the operation is local or joins a
group: this module restates those decisions. ``None`` means local (no communication).
"""

from __future__ import annotations

from stoffel.compiler.cost.table import FIXED_FRAC_BITS, Key
from stoffel.compiler.ssa.ir import Instr, Type

_COMPARE_KIND = {"slt": "lt", "sgt": "lt", "sle": "le", "sge": "le", "seq": "eq", "sne": "eq"}
#: ``Share.*`` builtins the lowering emits, by the IR opcode they behave like.
SHARE_BUILTINS = {
    "Share.mul": "smul",
    "Share.lt": "slt",
    "Share.le": "sle",
    "Share.gt": "sgt",
    "Share.ge": "sge",
    "Share.eq": "seq",
    "Share.ne": "sne",
    "Share.select": "select",
    "Share.open": "open",
    "Share.open_fixed": "open",
    "Share.open_field": "open",
    "Share.send_to_client": "output",
    "MpcOutput.send_to_client": "output",
    "Share.random": "srandom",
}
#: ``Share.*`` builtins that are local share algebra (no communication).
LOCAL_BUILTINS = frozenset(
    {
        "Share.from_clear",
        "Share.from_clear_int",
        "Share.from_clear_uint",
        "Share.from_clear_fixed",
        "Share.add",
        "Share.sub",
        "Share.add_scalar",
        "Share.sub_scalar",
        "Share.mul_scalar",
        "Share.neg",
        "Share.retag",
    }
)


def share_bits(t: Type) -> int:
    """Bit width of the VM share type a value of IR type ``t`` has."""
    if t.kind == "bool":
        return 1
    if t.kind in ("fix64", "f64", "share", "any"):
        return 64
    if t.kind[:1] in ("i", "u") and t.kind[1:].isdigit():
        return int(t.kind[1:])
    return 64


def _fixed(t: Type) -> bool:
    return t.kind in ("fix64", "f64")


def group_key(opcode: str, types: list[Type]) -> Key | None:
    """The group key of an instruction with operand types ``types``; None when local."""
    if opcode in _COMPARE_KIND:
        bits = min(max(share_bits(t) for t in types), 64)
        return (_COMPARE_KIND[opcode], bits)
    if opcode in ("smul", "sfmul", "smulc"):
        a, b = types
        if a.secret and b.secret:
            return ("fixmul", FIXED_FRAC_BITS) if _fixed(a) and _fixed(b) else ("mul",)
        s, c = (a, b) if a.secret else (b, a)
        # A clear float factor on a fixed-point share needs a truncation round.
        return ("trunc", FIXED_FRAC_BITS) if c.kind == "f64" and s.kind == "fix64" else None
    if opcode == "sdivc":
        a, b = types
        if a.kind == "fix64":
            return ("trunc", FIXED_FRAC_BITS)
        return None if b.kind == "f64" else ("divc", share_bits(a))
    if opcode in ("sand", "sor", "sxor"):
        return ("mul",) if all(t.secret for t in types) else None
    if opcode == "select":
        return ("select",)
    if opcode == "open":
        return ("open",) if types and types[0].secret else None
    if opcode == "input":
        return ("input",)
    if opcode == "output":
        return ("output",)
    return None


def instr_key(inst: Instr) -> Key | None:
    return group_key(inst.opcode, [o.type for o in inst.operands])
