"""Def-use chains: the defining instruction and the using instructions of every variable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stoffel.compiler.ssa.analysis.cache import Analysis, AnalysisCache

if TYPE_CHECKING:
    from stoffel.compiler.ssa.ir import Block, Function, Instr, Operand, Var


class DefUse(Analysis):
    def __init__(self, fn: Function, cache: AnalysisCache) -> None:
        super().__init__(fn, cache)
        self.defs: dict[Var, Instr] = {}
        self.def_block: dict[Var, Block] = {}
        self.uses: dict[Var, list[Instr]] = {}
        self.block_of: dict[Instr, Block] = {}
        for b in fn.blocks:
            for inst in b.all_instrs():
                self.block_of[inst] = b
                if inst.result is not None:
                    self.defs[inst.result] = inst
                    self.def_block[inst.result] = b
                for v in inst.var_operands():
                    users = self.uses.setdefault(v, [])
                    if not users or users[-1] is not inst:
                        users.append(inst)

    def users(self, v: Var) -> list[Instr]:
        return self.uses.get(v, [])

    def replace_all_uses(self, old: Var, new: Operand) -> bool:
        """Rewrite every use of ``old``; the caller invalidates DefUse afterwards."""
        changed = False
        for inst in self.users(old):
            changed |= inst.replace_operand(old, new)
        return changed
