"""Dominator tree by Cooper, Harvey and Kennedy's iterative algorithm, plus frontiers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stoffel.compiler.ssa.analysis.cache import Analysis, AnalysisCache
from stoffel.compiler.ssa.analysis.cfg import CFG

if TYPE_CHECKING:
    from stoffel.compiler.ssa.ir import Function


class Dominators(Analysis):
    """Only reachable blocks take part; unreachable ones have no idom and dominate nothing."""

    depends_on = (CFG,)

    def __init__(self, fn: Function, cache: AnalysisCache) -> None:
        super().__init__(fn, cache)
        cfg = cache.request(CFG)
        self.cfg = cfg
        order = {lab: i for i, lab in enumerate(cfg.rpo)}
        idom: dict[str, str] = {}
        if cfg.rpo:
            entry = cfg.rpo[0]
            idom[entry] = entry
            changed = True
            while changed:
                changed = False
                for b in cfg.rpo[1:]:
                    done = [p for p in cfg.preds[b] if p in idom]
                    new = done[0]
                    for p in done[1:]:
                        new = self._intersect(p, new, idom, order)
                    if idom.get(b) != new:
                        idom[b] = new
                        changed = True
        self.idom: dict[str, str | None] = {b: (None if idom[b] == b else idom[b]) for b in idom}
        self.children: dict[str, list[str]] = {b: [] for b in cfg.rpo}
        for b in cfg.rpo:
            parent = self.idom[b]
            if parent is not None:
                self.children[parent].append(b)
        self.frontier: dict[str, set[str]] = {b: set() for b in cfg.rpo}
        for b in cfg.rpo:
            preds = [p for p in cfg.preds[b] if p in idom]
            if len(preds) < 2:
                continue
            for p in preds:
                runner: str | None = p
                while runner is not None and runner != self.idom[b]:
                    self.frontier[runner].add(b)
                    runner = self.idom[runner]

    @staticmethod
    def _intersect(a: str, b: str, idom: dict[str, str], order: dict[str, int]) -> str:
        while a != b:
            while order[a] > order[b]:
                a = idom[a]
            while order[b] > order[a]:
                b = idom[b]
        return a

    def dominates(self, a: str, b: str) -> bool:
        """``a`` dominates ``b`` (reflexive). False when either is unreachable."""
        if a not in self.idom or b not in self.idom:
            return False
        node: str | None = b
        while node is not None:
            if node == a:
                return True
            node = self.idom[node]
        return False

    def preorder(self) -> list[str]:
        out: list[str] = []
        stack = [self.cfg.rpo[0]] if self.cfg.rpo else []
        while stack:
            b = stack.pop()
            out.append(b)
            stack.extend(reversed(self.children[b]))
        return out
