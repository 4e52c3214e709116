"""Analyses over one function, computed on request and cached (Vyper's IRAnalysesCache)."""

from stoffel.compiler.ssa.analysis.cache import Analysis, AnalysisCache
from stoffel.compiler.ssa.analysis.cfg import CFG
from stoffel.compiler.ssa.analysis.dfg import DefUse
from stoffel.compiler.ssa.analysis.dominators import Dominators
from stoffel.compiler.ssa.analysis.liveness import Liveness

__all__ = ["CFG", "Analysis", "AnalysisCache", "DefUse", "Dominators", "Liveness"]
