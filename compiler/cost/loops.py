"""Control-flow facts the abstract interpreter needs: loop headers and post-dominators."""

from __future__ import annotations

import attrs

from stoffel.compiler.ssa.analysis import CFG
from stoffel.compiler.ssa.ir import Function


@attrs.frozen
class FlowInfo:
    back_edges: frozenset[tuple[str, str]]
    loop_body: dict[str, frozenset[str]]  # header → blocks of its natural loop
    ipdom: dict[str, str | None]  # immediate post-dominator (None: only the exit)


def _natural_loop(cfg: CFG, tail: str, header: str) -> set[str]:
    body = {header, tail}
    stack = [tail]
    while stack:
        b = stack.pop()
        if b == header:
            continue
        for p in cfg.preds[b]:
            if p not in body:
                body.add(p)
                stack.append(p)
    return body


def _ipdoms(cfg: CFG, labels: list[str]) -> dict[str, str | None]:
    exit_ = "<exit>"
    succs = {b: (cfg.succs[b] or [exit_]) for b in labels}
    every = set(labels) | {exit_}
    pdom: dict[str, set[str]] = {b: set(every) for b in labels}
    pdom[exit_] = {exit_}
    changed = True
    while changed:  # iterate to the fixpoint; functions are small
        changed = False
        for b in reversed(labels):
            sets = [pdom[s] for s in succs[b] if s in pdom]
            new = {b} | (set.intersection(*sets) if sets else set())
            if new != pdom[b]:
                pdom[b], changed = new, True
    out: dict[str, str | None] = {}
    for b in labels:
        strict = pdom[b] - {b}
        # The immediate one is the strict post-dominator that all the others post-dominate.
        best = next((c for c in strict if all(c == d or d in pdom[c] for d in strict)), None)
        out[b] = None if best in (None, exit_) else best
    return out


def flow_info(fn: Function) -> FlowInfo:
    cfg = fn.analyses.request(CFG)
    bodies: dict[str, set[str]] = {}
    for tail, header in cfg.back_edges:
        bodies.setdefault(header, set()).update(_natural_loop(cfg, tail, header))
    labels = [b for b in cfg.rpo]
    return FlowInfo(
        cfg.back_edges,
        {h: frozenset(b) for h, b in bodies.items()},
        _ipdoms(cfg, labels),
    )
