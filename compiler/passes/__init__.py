"""Optimisation passes over the SSA IR, one per module, and the pass manager (DESIGN §2 item 5)."""

from stoffel.compiler.passes.base import Pass
from stoffel.compiler.passes.const_fold import ConstFold
from stoffel.compiler.passes.copy_prop import CopyProp
from stoffel.compiler.passes.cse import CSE
from stoffel.compiler.passes.dce import DCE
from stoffel.compiler.passes.inline import Inline
from stoffel.compiler.passes.manager import PassManager, PassOrderError, validate_pass_order
from stoffel.compiler.passes.pipelines import PIPELINES, optimize
from stoffel.compiler.passes.round_schedule import RoundSchedule
from stoffel.compiler.passes.simplify_cfg import SimplifyCFG

__all__ = [
    "CSE",
    "DCE",
    "PIPELINES",
    "ConstFold",
    "CopyProp",
    "Inline",
    "Pass",
    "PassManager",
    "PassOrderError",
    "RoundSchedule",
    "SimplifyCFG",
    "optimize",
    "validate_pass_order",
]
