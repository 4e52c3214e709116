"""The pass interface: ``run(fn) -> bool`` ("changed"), ordering constraints as ClassVars.

Passes get their analyses from ``fn.analyses`` (an AnalysisCache) and invalidate what they
break. Shared rewriting helpers live here so that every pass rewrites uses the same way.
"""

from __future__ import annotations

from typing import ClassVar

from stoffel.compiler.ssa.analysis import CFG, DefUse, Dominators, Liveness
from stoffel.compiler.ssa.ir import Function, Instr, Operand, Var


class Pass:
    """Base class. Ordering constraints are checked by ``validate_pass_order``:

    * ``required_predecessors``: each must appear earlier in the pipeline;
    * ``must_follow``: if present in the pipeline, each must appear earlier;
    * ``must_be_last``: nothing may follow this pass (it fixes the final order).
    """

    name: ClassVar[str] = "pass"
    required_predecessors: ClassVar[tuple[type[Pass], ...]] = ()
    must_follow: ClassVar[tuple[type[Pass], ...]] = ()
    must_be_last: ClassVar[bool] = False

    def run(self, fn: Function) -> bool:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def invalidate_instrs(fn: Function) -> None:
    """After rewriting instructions but not the CFG."""
    fn.analyses.invalidate(DefUse)
    fn.analyses.invalidate(Liveness)


def invalidate_cfg(fn: Function) -> None:
    fn.analyses.invalidate(CFG)
    fn.analyses.invalidate(Dominators)
    invalidate_instrs(fn)


def replace_uses(fn: Function, old: Var, new: Operand) -> None:
    """Replace every use of ``old`` by ``new`` in the whole function."""
    for inst in fn.analyses.request(DefUse).users(old):
        inst.replace_operand(old, new)


def remove_instrs(fn: Function, dead: set[Instr]) -> None:
    if not dead:
        return
    for b in fn.blocks:
        b.phis = [i for i in b.phis if i not in dead]
        b.instrs = [i for i in b.instrs if i not in dead]
    invalidate_instrs(fn)
