"""The -O0..-O3 pipelines as plain lists (Vyper's optimization_levels), and ``optimize``.

-O0 runs nothing: the IR is what the builder emitted (protocol ops included, DESIGN §2
item 4), and the VM's lazy flushing still shares rounds where the order already allows.
-O1 adds the cheap clean-ups and round scheduling (reordering reveals starts at -O1,
DESIGN §4); -O2 adds CSE; -O3 adds inlining of small functions first.
"""

from __future__ import annotations

from stoffel.compiler.passes.base import Pass
from stoffel.compiler.passes.const_fold import ConstFold
from stoffel.compiler.passes.copy_prop import CopyProp
from stoffel.compiler.passes.cse import CSE
from stoffel.compiler.passes.dce import DCE
from stoffel.compiler.passes.inline import Inline
from stoffel.compiler.passes.manager import PassManager
from stoffel.compiler.passes.round_schedule import RoundSchedule
from stoffel.compiler.passes.simplify_cfg import SimplifyCFG
from stoffel.compiler.ssa.ir import Module

O0: list[type[Pass]] = []
O1: list[type[Pass]] = [ConstFold, CopyProp, SimplifyCFG, DCE, RoundSchedule]
O2: list[type[Pass]] = [SimplifyCFG, ConstFold, CopyProp, CSE, SimplifyCFG, DCE, RoundSchedule]
O3: list[type[Pass]] = [Inline, *O2]

PIPELINES: dict[int, list[type[Pass]]] = {0: O0, 1: O1, 2: O2, 3: O3}


def optimize(module: Module, level: int, *, verify_each: bool = False) -> PassManager:
    """Optimise ``module`` in place at ``-O{level}``; returns the manager (for its stats)."""
    if level not in PIPELINES:
        raise ValueError(f"no optimisation level -O{level} (0..3)")
    manager = PassManager(PIPELINES[level], verify_each=verify_each)
    manager.run(module)
    return manager
