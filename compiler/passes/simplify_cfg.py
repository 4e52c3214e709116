"""CFG simplification: fold constant branches, drop unreachable blocks, forward empty
blocks, merge a block into its only predecessor. Phis are kept in step with every edge
that changes (an edge removed drops its phi incoming; an edge renamed renames it)."""

from __future__ import annotations

from stoffel.compiler.passes.base import Pass, invalidate_cfg, replace_uses
from stoffel.compiler.ssa.analysis import CFG
from stoffel.compiler.ssa.ir import Block, Const, Function


def _drop_incoming(block: Block, pred: str) -> None:
    for phi in block.phis:
        keep = [(o, lab) for o, lab in zip(phi.operands, phi.labels, strict=True) if lab != pred]
        phi.operands = [o for o, _ in keep]
        phi.labels = [lab for _, lab in keep]


def _rename_incoming(block: Block, old: str, new: str) -> None:
    for phi in block.phis:
        phi.labels = [new if lab == old else lab for lab in phi.labels]


class SimplifyCFG(Pass):
    name = "simplify_cfg"

    def run(self, fn: Function) -> bool:
        # After any change start again from the first step: merging is preferred to
        # forwarding, so blocks keep their source-derived labels where possible.
        changed = False
        steps = (self._fold_branches, self._remove_unreachable, self._merge, self._forward)
        while any(step(fn) for step in steps):
            invalidate_cfg(fn)
            changed = True
        return changed

    @staticmethod
    def _fold_branches(fn: Function) -> bool:
        blocks = fn.block_map()
        changed = False
        for b in fn.blocks:
            term = b.terminator
            if term is None or term.opcode != "cbr":
                continue
            cond = term.operands[0]
            if isinstance(cond, Const):
                keep, drop = term.labels if cond.value else term.labels[::-1]
            elif term.labels[0] == term.labels[1]:
                keep, drop = term.labels
            else:
                continue
            if drop != keep:
                _drop_incoming(blocks[drop], b.label)
            term.opcode, term.operands, term.labels = "br", [], [keep]
            changed = True
        return changed

    @staticmethod
    def _remove_unreachable(fn: Function) -> bool:
        cfg = fn.analyses.request(CFG)
        dead = [b for b in fn.blocks if b.label not in cfg.reachable]
        if not dead:
            return False
        blocks = fn.block_map()
        for b in dead:
            for s in cfg.succs[b.label]:
                _drop_incoming(blocks[s], b.label)
        fn.blocks = [b for b in fn.blocks if b.label in cfg.reachable]
        return True

    @staticmethod
    def _forward(fn: Function) -> bool:
        """Send the predecessors of a block that only jumps on straight to its target."""
        cfg = fn.analyses.request(CFG)
        blocks = fn.block_map()
        for e in fn.blocks[1:]:
            term = e.terminator
            if e.phis or len(e.instrs) != 1 or term is None or term.opcode != "br":
                continue
            target = blocks[term.labels[0]]
            if target is e:
                continue
            movable = [p for p in cfg.preds[e.label] if p not in cfg.preds[target.label]]
            if not movable:
                continue
            for p in movable:
                pterm = blocks[p].terminator
                assert pterm is not None
                pterm.labels = [target.label if lab == e.label else lab for lab in pterm.labels]
            # The value that came through e now comes straight from each moved pred. Keep
            # it at e's position in the phi, so the printed order stays stable.
            all_moved = len(movable) == len(cfg.preds[e.label])
            for phi in target.phis:
                k = phi.labels.index(e.label)
                value = phi.operands[k]
                end = k + 1 if all_moved else k
                phi.operands[k:end] = [value] * len(movable)
                phi.labels[k:end] = movable
            return True
        return False

    @staticmethod
    def _merge(fn: Function) -> bool:
        cfg = fn.analyses.request(CFG)
        blocks = fn.block_map()
        for b in fn.blocks[1:]:
            preds = cfg.preds[b.label]
            if len(preds) != 1 or preds[0] == b.label:
                continue
            a = blocks[preds[0]]
            if cfg.succs[a.label] != [b.label]:
                continue
            for phi in b.phis:
                assert phi.result is not None
                replace_uses(fn, phi.result, phi.operands[0])
            a.instrs = a.instrs[:-1] + b.instrs
            for s in cfg.succs[b.label]:
                _rename_incoming(blocks[s], b.label, a.label)
            fn.blocks.remove(b)
            return True
        return False
