"""The function as the emitter sees it: blocks in reverse postorder, phis turned into
copies at the end of predecessors, and critical edges (a branching block into a block with
phis) split into small edge blocks that hold those copies.

Layout keeps loops contiguous: at a loop header the DFS explores the *last* successor (the
exit) first, so the first one (the body) is placed right after the header and the exit after
the whole body. The VM turns a contiguous loop into a Python ``while`` of its own
(no block dispatch per iteration). Edge blocks sit just before the block they copy into,
so they fall through to it.
"""

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


def _loop_headers(fn: ir.Function) -> set[str]:
    """Targets of DFS back edges (an edge into a block still on the DFS stack)."""
    blocks = fn.block_map()
    headers: set[str] = set()
    state: dict[str, int] = {fn.entry.label: 1}  # 1 on the stack, 2 finished
    stack: list[tuple[ir.Block, int]] = [(fn.entry, 0)]
    while stack:
        block, i = stack.pop()
        succs = block.successors()
        if i < len(succs):
            stack.append((block, i + 1))
            nxt = succs[i]
            seen = state.get(nxt)
            if seen is None:
                state[nxt] = 1
                stack.append((blocks[nxt], 0))
            elif seen == 1:
                headers.add(nxt)
        else:
            state[block.label] = 2
    return headers


def reverse_postorder(fn: ir.Function) -> list[ir.Block]:
    blocks = fn.block_map()
    headers = _loop_headers(fn)
    seen: set[str] = set()
    order: list[ir.Block] = []
    # Iterative DFS; successors in terminator order, except at loop headers, where the last
    # (the exit) is explored first so the body directly follows the header.
    stack: list[tuple[ir.Block, int]] = [(fn.entry, 0)]
    seen.add(fn.entry.label)
    while stack:
        block, i = stack.pop()
        succs = block.successors()
        if block.label in headers:
            succs = succs[::-1]
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
    main: list[CBlock] = []
    before: dict[str, list[CBlock]] = {}  # edge blocks, by the block they lead into
    for b in order:
        term = b.terminator
        succs = b.successors()
        cb = CBlock(b.label, list(b.phis), list(b.body), term, list(succs))
        for s in succs:
            target = blocks[s]
            if not target.phis:
                continue
            copies = [(phi.result, phi.operands[phi.labels.index(b.label)]) for phi in target.phis]
            if len(succs) > 1:
                edge = CBlock(f"{b.label}__{s}", [], [], None, [s], copies)  # type: ignore[arg-type]
                cb.redirect[s] = edge.label
                before.setdefault(s, []).append(edge)
            else:
                cb.moves.extend(copies)  # type: ignore[arg-type]
        cb.succs = [cb.redirect.get(s, s) for s in succs]
        main.append(cb)
    out: list[CBlock] = []
    for cb in main:
        out.extend(before.get(cb.label, ()))
        out.append(cb)
    return out
