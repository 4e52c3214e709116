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
    """Mark and sweep, so that dead cycles (a loop variable feeding only itself) go too."""

    name = "dce"

    def run(self, fn: Function) -> bool:
        du = fn.analyses.request(DefUse)
        live: set[Instr] = set()
        work = [i for i in fn.instrs() if not i.removable]
        while work:
            inst = work.pop()
            if inst in live:
                continue
            live.add(inst)
            work.extend(du.defs[v] for v in inst.var_operands() if v in du.defs)
        dead = {i for i in fn.instrs() if i not in live}
        remove_instrs(fn, dead)
        return bool(dead)
