"""The function as the emitter sees it: blocks in reverse postorder, phis turned into
copies at the end of predecessors, and critical edges (a branching block into a block with
phis) split into small edge blocks that hold those copies."""

from __future__ import annotations

import attrs

from stoffel.compiler.ssa import ir


@attrs.define(eq=False)
class CBlock:
    label: str
    phis: list[ir.Instr]
    body: list[ir.Instr]
    term: ir.Instr | None  # None: an edge block, which jumps to succs[0]
    succs: list[str]
    moves: list[tuple[ir.Var, ir.Operand]] = attrs.Factory(list)
    # Where a terminator label really goes (an edge block may sit in between).
    redirect: dict[str, str] = attrs.Factory(dict)


def reverse_postorder(fn: ir.Function) -> list[ir.Block]:
    blocks = fn.block_map()
    seen: set[str] = set()
    order: list[ir.Block] = []
    # Iterative DFS; successors in terminator order so the fall-through is the first target.
    stack: list[tuple[ir.Block, int]] = [(fn.entry, 0)]
    seen.add(fn.entry.label)
    while stack:
        block, i = stack.pop()
        succs = block.successors()
        if i < len(succs):
            stack.append((block, i + 1))
            nxt = succs[i]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((blocks[nxt], 0))
        else:
            order.append(block)
    order.reverse()
    return order


def layout(fn: ir.Function) -> list[CBlock]:
    order = reverse_postorder(fn)
    blocks = fn.block_map()
    out: list[CBlock] = []
    for b in order:
        term = b.terminator
        succs = b.successors()
        cb = CBlock(b.label, list(b.phis), list(b.body), term, list(succs))
        edges: list[CBlock] = []
        for s in succs:
            target = blocks[s]
            if not target.phis:
                continue
            copies = [(phi.result, phi.operands[phi.labels.index(b.label)]) for phi in target.phis]
            if len(succs) > 1:
                edge = CBlock(f"{b.label}__{s}", [], [], None, [s], copies)  # type: ignore[arg-type]
                cb.redirect[s] = edge.label
                edges.append(edge)
            else:
                cb.moves.extend(copies)  # type: ignore[arg-type]
        cb.succs = [cb.redirect.get(s, s) for s in succs]
        out.append(cb)
        out.extend(edges)
    return out
