"""Register allocation by linear scan over live-interval hulls (Poletto & Sarkar).

Clear values get r1..r10 and spill slots beyond (LDS/STS); secret values get registers of
the secret bank (r16+, unbounded, never spilled: a spill would copy the share anyway).
r0 is the return register (clobbered by every CALL) and r11..r15 are scratch for the
emitter (constant operands, reloaded spills, multi-instruction sequences).
"""

from __future__ import annotations

import attrs

from stoffel.compiler.codegen.layout import CBlock
from stoffel.compiler.ssa import ir

CLEAR_POOL = tuple(range(1, 11))
SCRATCH = (11, 12, 13, 14, 15)
SECRET_START = 16


@attrs.define
class Slot:
    """A spill slot (LDS/STS operand)."""

    index: int


Loc = int | Slot


@attrs.define
class Allocation:
    locs: dict[ir.Var, Loc]
    secret_scratch: int  # one secret register reserved for parallel-move cycles
    n_slots: int


def _positions(blocks: list[CBlock]) -> tuple[dict[str, tuple[int, int]], dict[ir.Instr, int]]:
    spans: dict[str, tuple[int, int]] = {}
    at: dict[ir.Instr, int] = {}
    p = 2
    for b in blocks:
        start = p
        p += 1
        for inst in b.body:
            at[inst] = p
            p += 2
        spans[b.label] = (start, p)
        p += 2
    return spans, at


def _liveness(blocks: list[CBlock]) -> dict[str, tuple[set[ir.Var], set[ir.Var]]]:
    gen: dict[str, set[ir.Var]] = {}
    kill: dict[str, set[ir.Var]] = {}
    for b in blocks:
        g: set[ir.Var] = set()
        k: set[ir.Var] = {p.result for p in b.phis if p.result is not None}
        for inst in b.body:
            g |= {v for v in inst.var_operands() if v not in k}
            if inst.result is not None:
                k.add(inst.result)
        g |= {s for _, s in b.moves if isinstance(s, ir.Var) and s not in k}
        if b.term is not None:
            g |= {v for v in b.term.var_operands() if v not in k}
        k |= {d for d, _ in b.moves}
        gen[b.label], kill[b.label] = g, k
    live_in: dict[str, set[ir.Var]] = {b.label: set() for b in blocks}
    live_out: dict[str, set[ir.Var]] = {b.label: set() for b in blocks}
    changed = True
    while changed:
        changed = False
        for b in reversed(blocks):
            out: set[ir.Var] = set()
            for s in b.succs:
                out |= live_in.get(s, set())
            new_in = gen[b.label] | (out - kill[b.label])
            if out != live_out[b.label] or new_in != live_in[b.label]:
                live_out[b.label], live_in[b.label] = out, new_in
                changed = True
    return {label: (live_in[label], live_out[label]) for label in live_in}


def intervals(fn: ir.Function, blocks: list[CBlock]) -> dict[ir.Var, list[int]]:
    spans, at = _positions(blocks)
    live = _liveness(blocks)
    iv: dict[ir.Var, list[int]] = {}

    def touch(v: ir.Var, p: int) -> None:
        cur = iv.get(v)
        if cur is None:
            iv[v] = [p, p]
        else:
            cur[0] = min(cur[0], p)
            cur[1] = max(cur[1], p)

    for p in fn.params:
        touch(p, 0)
    for b in blocks:
        start, end = spans[b.label]
        for phi in b.phis:
            if phi.result is not None:
                touch(phi.result, start)
        for inst in b.body:
            for v in inst.var_operands():
                touch(v, at[inst])
            if inst.result is not None:
                touch(inst.result, at[inst] + 1)
        for d, s in b.moves:
            touch(d, end)
            if isinstance(s, ir.Var):
                touch(s, end)
        if b.term is not None:
            for v in b.term.var_operands():
                touch(v, end)
        live_in, live_out = live[b.label]
        for v in live_in:
            touch(v, start)
        for v in live_out:
            touch(v, end + 1)
    return iv


def allocate(fn: ir.Function, blocks: list[CBlock]) -> Allocation:
    iv = intervals(fn, blocks)
    secret_scratch = max(SECRET_START, len(fn.params))
    order = sorted(iv, key=lambda v: (iv[v][0], iv[v][1], v.name))
    locs: dict[ir.Var, Loc] = {}
    free_clear = list(CLEAR_POOL)
    free_secret: list[int] = []
    next_secret = secret_scratch + 1
    active: list[ir.Var] = []  # sorted by interval end
    n_slots = 0
    for v in order:
        start, end = iv[v]
        for old in list(active):
            if iv[old][1] >= start:
                break
            active.remove(old)
            loc = locs[old]
            if isinstance(loc, int):
                (free_secret if loc >= SECRET_START else free_clear).append(loc)
        if v.type.secret:
            if free_secret:
                free_secret.sort()
                reg = free_secret.pop(0)
            else:
                reg, next_secret = next_secret, next_secret + 1
            locs[v] = reg
        elif free_clear:
            free_clear.sort()
            locs[v] = free_clear.pop(0)
        else:
            # Spill whichever clear interval ends last (it blocks a register the longest).
            victims = [a for a in active if isinstance(locs[a], int) and locs[a] < SECRET_START]
            victim = victims[-1] if victims else None
            if victim is not None and iv[victim][1] > end:
                locs[v] = locs[victim]
                locs[victim] = Slot(n_slots)
                active.remove(victim)
            else:
                locs[v] = Slot(n_slots)
                n_slots += 1
                continue
            n_slots += 1
        active.append(v)
        active.sort(key=lambda a: iv[a][1])
    return Allocation(locs, secret_scratch, n_slots)
