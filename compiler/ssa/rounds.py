"""Static estimate of a function's online communication rounds, for the cost model.

Each protocol operation has a round cost (mirroring the table in runtime/backend.py; the
compiler may not import the runtime, DESIGN §1). A value's *depth* is the rounds on the
longest dependency chain that produces it, counting the flushes the VM makes when it needs
a clear value (see ``estimate_rounds``); operations of one batch run together, so the
estimate is the deepest value, not the sum. Loops are counted once (back edges are
ignored): this is a per-iteration estimate, not a bound over a run.
"""

from __future__ import annotations

import math

import attrs

from stoffel.compiler.ssa.analysis import CFG
from stoffel.compiler.ssa.ir import Const, Function, Instr, Operand

COMPARE_BITS = 65  # comparisons work on a − b with 64-bit operands (DESIGN §4)
FRAC_BITS = 16


def _log2(k: int) -> int:
    return max(1, math.ceil(math.log2(max(k, 2))))


def _truncate_rounds(m: int) -> int:
    return 2 + _log2(m)


LT_ROUNDS = 2 + _log2(COMPARE_BITS)
EQ_ROUNDS = 1 + _log2(COMPARE_BITS)
ROUND_COST: dict[str, int] = {
    "open": 1,
    "smul": 1,
    "select": 1,
    "sand": 1,
    "sor": 1,
    "sxor": 1,
    "slt": LT_ROUNDS,
    "sle": LT_ROUNDS,
    "sgt": LT_ROUNDS,
    "sge": LT_ROUNDS,
    "seq": EQ_ROUNDS,
    "sne": EQ_ROUNDS,
    "sfmul": 1 + _truncate_rounds(FRAC_BITS),
    "input": 1,
    "output": 1,
}


def instr_rounds(inst: Instr) -> int:
    """Rounds one instruction costs on its own (0 for local and clear work)."""
    if inst.opcode == "strunc":
        amount = inst.operands[1]
        bits = amount.value if isinstance(amount, Const) and isinstance(amount.value, int) else 64
        return _truncate_rounds(max(bits, 1))
    if inst.opcode == "sdivc":
        # fixed point: reciprocal multiply + truncation; integers: truncation + sign fix-up
        fixed = inst.operands[0].type.kind == "fix64"
        return 1 + _truncate_rounds(FRAC_BITS if fixed else COMPARE_BITS)
    if inst.opcode in ("sand", "sor", "sxor") and not all(o.type.secret for o in inst.operands):
        return 0  # with a clear operand these are local
    return ROUND_COST.get(inst.opcode, 0)


@attrs.frozen
class RoundEstimate:
    rounds: int  # the estimate: rounds on the longest chain, flushes included
    protocol_ops: int  # instructions that communicate
    batches: int  # distinct batch ids set by round scheduling (0 if not scheduled)


def estimate_rounds(fn: Function) -> RoundEstimate:
    """Follow the VM's lazy model (DESIGN §4): protocol ops stay pending and share rounds
    until a clear result of one is read (by a print, clear arithmetic, a branch…) or a
    client output happens; that *flush* completes everything pending, and later ops start
    after it. ``floor`` is the round count at the last flush, ``deepest`` the deepest
    pending or completed op; the function's estimate is ``deepest`` at the end."""
    cfg = fn.analyses.request(CFG)
    blocks = fn.block_map()
    depth: dict[Operand, int] = {}
    state_out: dict[str, tuple[int, int]] = {}
    total = protocol_ops = 0
    batches: set[int] = set()
    for label in cfg.rpo:
        preds = [p for p in cfg.preds[label] if (p, label) not in cfg.back_edges]
        floor = max((state_out[p][0] for p in preds if p in state_out), default=0)
        deepest = max((state_out[p][1] for p in preds if p in state_out), default=0)
        for inst in blocks[label].all_instrs():
            cost = instr_rounds(inst)
            protocol_ops += cost > 0
            if inst.batch is not None:
                batches.add(inst.batch)
            reads_pending = any(
                not o.type.secret and depth.get(o, 0) > floor
                for o in inst.operands
                if inst.opcode != "phi"
            )
            if reads_pending or inst.opcode == "output":
                floor = deepest
            here = max([floor, *(depth.get(o, 0) for o in inst.operands)]) + cost
            deepest = max(deepest, here)
            if inst.result is not None:
                depth[inst.result] = here
        state_out[label] = (floor, deepest)
        total = max(total, deepest)
    return RoundEstimate(total, protocol_ops, len(batches))
