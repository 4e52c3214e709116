"""Common-subexpression elimination by value numbering over the dominator tree (GVN-lite).

An instruction whose opcode, operands and result type equal those of one in a dominating
position is replaced by it. Candidates are pure computations only, secret ones included
(merging two equal ``smul`` saves a multiplication and a round). Excluded: anything with
effects or pins (opens, randomness, client I/O), memory reads (a store may intervene), and
calls and builtins (a builtin such as ``list()`` allocates a fresh object each time).
Phis are merged within their block when they agree on every incoming edge.
"""

from __future__ import annotations

from typing import Any

from stoffel.compiler.passes.base import Pass, invalidate_instrs, remove_instrs, replace_uses
from stoffel.compiler.ssa.analysis import Dominators
from stoffel.compiler.ssa.ir import (
    COMMUTATIVE,
    LOADS,
    PINNED,
    TERMINATORS,
    Function,
    Instr,
    Operand,
    Var,
)

EXCLUDED = TERMINATORS | LOADS | PINNED | {"call", "builtin", "input", "output"}


def _key(inst: Instr, label: str) -> tuple[Any, ...] | None:
    if inst.opcode in EXCLUDED or inst.has_side_effects or inst.result is None:
        return None
    if inst.opcode == "phi":
        # Two phis of one block with the same value per predecessor are the same value.
        incoming = sorted(zip(inst.labels, map(repr, inst.operands), strict=True))
        return ("phi", label, tuple(incoming), inst.result.type)
    ops: list[Operand] = list(inst.operands)
    if inst.opcode in COMMUTATIVE:
        ops.sort(key=repr)  # a canonical order; repr of frozen values is deterministic
    return (inst.opcode, tuple(ops), inst.result.type)


class CSE(Pass):
    name = "cse"

    def run(self, fn: Function) -> bool:
        dom = fn.analyses.request(Dominators)
        blocks = fn.block_map()
        dead: set[Instr] = set()
        replace: dict[Var, Operand] = {}

        def resolve(op: Operand) -> Operand:
            while isinstance(op, Var) and op in replace:
                op = replace[op]
            return op

        # Walk the dominator tree; each block sees the expressions of its dominators. The
        # explicit stack keeps deep trees away from Python's recursion limit.
        stack: list[tuple[str, dict[tuple[Any, ...], Var]]] = []
        if dom.cfg.rpo:
            stack.append((dom.cfg.rpo[0], {}))
        while stack:
            label, table = stack.pop()
            scope = dict(table)
            for inst in blocks[label].all_instrs():
                inst.operands = [resolve(o) for o in inst.operands]
                key = _key(inst, label)
                if key is None:
                    continue
                assert inst.result is not None
                if key in scope:
                    replace[inst.result] = scope[key]
                    dead.add(inst)
                else:
                    scope[key] = inst.result
            stack.extend((child, scope) for child in reversed(dom.children[label]))
        if not dead:
            return False
        invalidate_instrs(fn)  # operands were rewritten in place above
        for old, new in replace.items():
            replace_uses(fn, old, resolve(new))
        remove_instrs(fn, dead)
        return True
