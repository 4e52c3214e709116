"""Copy propagation: uses of ``%b = copy %a`` become uses of ``%a``, and a phi whose
incoming values are all one value (or the phi itself, around a loop) becomes that value.

Only same-type copies are propagated: a copy that changes the type (a ``share`` handle
viewed as ``secret.i64``) carries information the emitter needs.
"""

from __future__ import annotations

from stoffel.compiler.passes.base import Pass, remove_instrs
from stoffel.compiler.ssa.ir import Function, Instr, Operand


def _source(inst: Instr) -> Operand | None:
    res = inst.result
    if res is None:
        return None
    if inst.opcode == "copy" and inst.operands[0].type == res.type:
        return inst.operands[0]
    if inst.opcode == "phi":
        others = {o for o in inst.operands if o != res}
        if len(others) == 1:
            (only,) = others
            if only.type == res.type:
                return only
    return None


def _resolve(source: dict[Operand, Operand], op: Operand) -> Operand:
    seen: set[Operand] = set()
    while op in source and op not in seen:  # `seen` guards against a cycle of phis
        seen.add(op)
        op = source[op]
    return op


class CopyProp(Pass):
    name = "copy_prop"

    def run(self, fn: Function) -> bool:
        changed = False
        while True:
            # All copies of a sweep at once; a phi made trivial by this sweep's rewrites
            # is caught by the next one.
            source: dict[Operand, Operand] = {}
            dead: set[Instr] = set()
            for inst in fn.instrs():
                src = _source(inst)
                if src is not None and inst.result is not None:
                    source[inst.result] = src
                    dead.add(inst)
            if not dead:
                return changed
            for inst in fn.instrs():
                if inst not in dead:
                    inst.operands = [_resolve(source, o) for o in inst.operands]
            remove_instrs(fn, dead)
            changed = True
