"""Copy propagation: uses of ``%b = copy %a`` become uses of ``%a``, and a phi whose
incoming values are all one value (or the phi itself, around a loop) becomes that value.

Only same-type copies are propagated: a copy that changes the type (a ``share`` handle
viewed as ``secret.i64``) carries information the emitter needs.
"""

from __future__ import annotations

from stoffel.compiler.passes.base import Pass, remove_instrs, replace_uses
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


class CopyProp(Pass):
    name = "copy_prop"

    def run(self, fn: Function) -> bool:
        changed = False
        while True:
            # One at a time: replacing uses may turn another phi into a trivial one.
            for inst in fn.instrs():
                src = _source(inst)
                if src is not None and inst.result is not None:
                    replace_uses(fn, inst.result, src)
                    remove_instrs(fn, {inst})
                    changed = True
                    break
            else:
                return changed
