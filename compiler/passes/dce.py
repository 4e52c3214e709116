"""Dead-code elimination: drop instructions whose results nobody uses.

Never removed: side effects (stores, effectful calls, client I/O), opens (a reveal can fail
at run time, and it is what the program asked for), randomness, terminators, and clear
integer operations that may trap (removing one would hide a run-time error the program
raises at -O0).
"""

from __future__ import annotations

from stoffel.compiler.passes.base import Pass, remove_instrs
from stoffel.compiler.ssa.analysis import DefUse
from stoffel.compiler.ssa.ir import Function, Instr


class DCE(Pass):
    name = "dce"

    def run(self, fn: Function) -> bool:
        du = fn.analyses.request(DefUse)
        uses = {v: len(users) for v, users in du.uses.items()}
        dead: set[Instr] = set()
        work = [i for i in fn.instrs() if i.removable]
        while work:
            inst = work.pop()
            if inst in dead or not inst.removable:
                continue
            res = inst.result
            # A phi used only by itself (a dead loop variable) is dead too.
            self_uses = sum(1 for o in inst.operands if o == res) if res is not None else 0
            if res is not None and uses.get(res, 0) - (1 if self_uses else 0) > 0:
                continue
            dead.add(inst)
            for v in set(inst.var_operands()):
                if v == res:
                    continue
                uses[v] -= 1
                if v in du.defs and du.defs[v] not in dead:
                    work.append(du.defs[v])
        remove_instrs(fn, dead)
        return bool(dead)
