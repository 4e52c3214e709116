"""Control-flow graph: successors, predecessors, reachability, reverse postorder."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stoffel.compiler.ssa.analysis.cache import Analysis, AnalysisCache

if TYPE_CHECKING:
    from stoffel.compiler.ssa.ir import Block, Function


class CFG(Analysis):
    def __init__(self, fn: Function, cache: AnalysisCache) -> None:
        super().__init__(fn, cache)
        self.blocks: dict[str, Block] = fn.block_map()
        self.succs: dict[str, list[str]] = {}
        self.preds: dict[str, list[str]] = {b.label: [] for b in fn.blocks}
        for b in fn.blocks:
            # Targets naming missing blocks are the verifier's business; skip them here.
            self.succs[b.label] = [s for s in b.successors() if s in self.blocks]
            for s in self.succs[b.label]:
                self.preds[s].append(b.label)
        self.postorder: list[str] = []
        if fn.blocks:
            self._dfs(fn.entry.label)
        self.rpo: list[str] = self.postorder[::-1]
        self.reachable: frozenset[str] = frozenset(self.postorder)
        index = {lab: i for i, lab in enumerate(self.rpo)}
        # An edge to a block not later in RPO closes a loop (a back edge, for reducible CFGs).
        self.back_edges: frozenset[tuple[str, str]] = frozenset(
            (a, b) for a in self.rpo for b in self.succs[a] if index[b] <= index[a]
        )

    def _dfs(self, start: str) -> None:
        # Iterative, so long chains of blocks cannot hit Python's recursion limit.
        seen = {start}
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            label, i = stack.pop()
            succs = self.succs[label]
            if i < len(succs):
                stack.append((label, i + 1))
                nxt = succs[i]
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, 0))
            else:
                self.postorder.append(label)
