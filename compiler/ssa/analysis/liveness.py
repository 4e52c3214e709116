"""Live variables per block (backward data flow). A phi operand is live out of the
predecessor it comes from, not live into the phi's block."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stoffel.compiler.ssa.analysis.cache import Analysis, AnalysisCache
from stoffel.compiler.ssa.analysis.cfg import CFG
from stoffel.compiler.ssa.ir import Var

if TYPE_CHECKING:
    from stoffel.compiler.ssa.ir import Function


class Liveness(Analysis):
    depends_on = (CFG,)

    def __init__(self, fn: Function, cache: AnalysisCache) -> None:
        super().__init__(fn, cache)
        cfg = cache.request(CFG)
        gen: dict[str, set[Var]] = {}
        kill: dict[str, set[Var]] = {}
        phi_uses: dict[str, set[Var]] = {b.label: set() for b in fn.blocks}
        for b in fn.blocks:
            g: set[Var] = set()
            k: set[Var] = {p.result for p in b.phis if p.result is not None}
            for phi in b.phis:
                for v, pred in zip(phi.operands, phi.labels, strict=False):
                    if pred in phi_uses and isinstance(v, Var):
                        phi_uses[pred].add(v)
            for inst in b.instrs:
                g |= {v for v in inst.var_operands() if v not in k}
                if inst.result is not None:
                    k.add(inst.result)
            gen[b.label], kill[b.label] = g, k
        self.live_in: dict[str, set[Var]] = {b.label: set() for b in fn.blocks}
        self.live_out: dict[str, set[Var]] = {b.label: set() for b in fn.blocks}
        changed = True
        while changed:
            changed = False
            for label in cfg.postorder:
                out = set(phi_uses[label])
                for s in cfg.succs[label]:
                    out |= self.live_in[s]
                new_in = gen[label] | (out - kill[label])
                if out != self.live_out[label] or new_in != self.live_in[label]:
                    self.live_out[label], self.live_in[label] = out, new_in
                    changed = True
