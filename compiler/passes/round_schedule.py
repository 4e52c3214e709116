"""Round scheduling: group independent secret protocol operations of a block into batches
and hoist them, so the block needs as few communication rounds as its dependencies allow.

Each protocol op (open, smul, comparisons…) gets a *level*: the number of protocol ops on
the longest dependency chain before it. Ops of one level never depend on each other, so
they form one batch. The block is then rebuilt level by level: first whatever the level's
batch still needs (in the original order), then the batch itself, contiguously; what no
batch needs keeps its original order at the end. The batch id is recorded on each op
(``!batch=N``), unique per function.

Dependencies are data dependencies plus an ordering chain through everything observable:
effects (print, stores, effectful calls, client I/O), memory reads and clear operations
that may fail at run time keep their relative order. Protocol ops are pure (an open only
reads an immutable SSA value), so they may move above a print — which is the point:
``open; print; open; print`` becomes ``open; open; print; print``, one round instead of two.
"""

from __future__ import annotations

from stoffel.compiler.passes.base import Pass, invalidate_instrs
from stoffel.compiler.ssa.ir import LOADS, SECRET_PROTOCOL, Block, Function, Instr


def _ordered(inst: Instr) -> bool:
    """On the ordering chain: must keep its place relative to the other chain members.
    Randomness is ordered too, so each draw takes the same preprocessed value at every -O
    level (and the reference interpreter's seeded draws stay comparable)."""
    return (
        inst.has_side_effects or inst.opcode in LOADS or inst.may_trap or inst.opcode == "srandom"
    )


def schedule_block(block: Block, first_batch: int) -> tuple[list[Instr], dict[Instr, int]]:
    body = block.body
    defined = {i.result: i for i in body if i.result is not None}
    deps: dict[Instr, list[Instr]] = {}
    last_ordered: Instr | None = None
    for inst in body:
        ds = [defined[v] for v in inst.var_operands() if v in defined and defined[v] is not inst]
        if _ordered(inst):
            if last_ordered is not None:
                ds.append(last_ordered)
            last_ordered = inst
        deps[inst] = ds
    level: dict[Instr, int] = {}  # protocol ops strictly before, on the longest chain
    for inst in body:
        level[inst] = max((level[d] + (d.opcode in SECRET_PROTOCOL) for d in deps[inst]), default=0)
    batches: dict[int, list[Instr]] = {}
    for inst in body:
        if inst.opcode in SECRET_PROTOCOL:
            batches.setdefault(level[inst], []).append(inst)
    position = {inst: i for i, inst in enumerate(body)}
    emitted: set[Instr] = set()
    order: list[Instr] = []
    batch_of: dict[Instr, int] = {}

    def emit_with_ancestors(roots: list[Instr]) -> None:
        needed: set[Instr] = set()
        stack = [d for r in roots for d in deps[r]]
        while stack:
            d = stack.pop()
            if d not in emitted and d not in needed:
                needed.add(d)
                stack.extend(deps[d])
        for inst in sorted(needed, key=position.__getitem__):
            order.append(inst)
            emitted.add(inst)

    for n, lvl in enumerate(sorted(batches)):
        ops = batches[lvl]
        emit_with_ancestors(ops)
        for op in ops:
            order.append(op)
            emitted.add(op)
            batch_of[op] = first_batch + n
    order.extend(i for i in body if i not in emitted)
    return order, batch_of


class RoundSchedule(Pass):
    name = "round_schedule"
    must_be_last = True

    def run(self, fn: Function) -> bool:
        changed = False
        next_batch = 0
        for block in fn.blocks:
            order, batch_of = schedule_block(block, next_batch)
            next_batch += len(set(batch_of.values()))
            term = [block.terminator] if block.terminator is not None else []
            new_instrs = order + term
            if any(a is not b for a, b in zip(new_instrs, block.instrs, strict=True)):
                block.instrs = new_instrs
                changed = True
            for inst in order:
                want = batch_of.get(inst)
                if inst.batch != want:
                    inst.batch = want
                    changed = True
        if changed:
            invalidate_instrs(fn)
        return changed
