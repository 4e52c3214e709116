"""Inlining of small, non-recursive functions of the same module (-O3 only).

The call's block is split at the call: the part before jumps into a renamed copy of the
callee's blocks, every ``ret`` jumps to the continuation, and a phi there collects the
return value. Order of effects is unchanged: the callee's body runs exactly where the call
was. Calls to functions that call themselves (directly) are left alone.
"""

from __future__ import annotations

from stoffel.compiler.passes.base import Pass, invalidate_cfg, replace_uses
from stoffel.compiler.ssa.ir import Block, Const, Function, Instr, Operand, Type, Var

MAX_INLINE_SIZE = 30  # instructions, phis included


def _inlinable(callee: Function, caller: Function) -> bool:
    if callee is caller or sum(1 for _ in callee.instrs()) > MAX_INLINE_SIZE:
        return False
    if any(callee.entry.label in b.successors() for b in callee.blocks):
        return False  # a loop back to the entry would need phis for the caller's edge
    return not any(i.opcode == "call" and i.callee == callee.name for i in callee.instrs())


class Inline(Pass):
    name = "inline"

    def run(self, fn: Function) -> bool:
        if fn.module is None:
            return False
        for b in fn.blocks:
            for idx, inst in enumerate(b.instrs):
                if inst.opcode != "call":
                    continue
                callee = fn.module.function(inst.callee or "")
                if callee is not None and _inlinable(callee, fn):
                    self._inline(fn, b, idx, callee)
                    invalidate_cfg(fn)
                    return True
        return False

    @staticmethod
    def _inline(fn: Function, block: Block, idx: int, callee: Function) -> None:
        call = block.instrs[idx]
        n = 1
        while any(b.label.startswith(f"{callee.name}.{n}.") for b in fn.blocks):
            n += 1
        prefix = f"{callee.name}.{n}."
        cont = Block(fn.fresh_label(f"{block.label}.cont"), instrs=block.instrs[idx + 1 :])
        # Successor phis named `block` as their predecessor; the edge now leaves `cont`.
        for succ in block.successors():
            for phi in fn.block(succ).phis:
                phi.labels = [cont.label if lab == block.label else lab for lab in phi.labels]
        rename: dict[Operand, Operand] = dict(zip(callee.params, call.operands, strict=True))
        for inner in callee.instrs():
            if inner.result is not None:
                rename[inner.result] = fn.fresh_var(inner.result.type)
        labels = {b.label: f"{prefix}{b.label}" for b in callee.blocks}
        copies: list[Block] = []
        returns: list[tuple[Operand | None, str]] = []
        for cb in callee.blocks:
            nb = Block(labels[cb.label])
            for inner in cb.all_instrs():
                new = Instr(
                    inner.opcode,
                    [rename.get(o, o) for o in inner.operands],
                    rename.get(inner.result) if inner.result is not None else None,  # type: ignore[arg-type]
                    [labels.get(lab, lab) for lab in inner.labels],
                    inner.callee,
                    inner.effects,
                    None,
                    inner.line if inner.line is not None else call.line,
                )
                if new.opcode == "ret":
                    returns.append((new.operands[0] if new.operands else None, nb.label))
                    new = Instr("br", labels=[cont.label], line=new.line)
                (nb.phis if new.opcode == "phi" else nb.instrs).append(new)
            copies.append(nb)
        block.instrs = [*block.instrs[:idx], Instr("br", labels=[copies[0].label], line=call.line)]
        pos = fn.blocks.index(block) + 1
        fn.blocks[pos:pos] = [*copies, cont]
        invalidate_cfg(fn)
        if call.result is not None:
            result: Var = call.result
            # `ret` without a value returns None, which the VM represents as nil.
            nil = Const(None, Type("nil"))
            filled = [(v if v is not None else nil, lab) for v, lab in returns]
            if len(filled) == 1:
                replace_uses(fn, result, filled[0][0])
            else:
                phi = Instr("phi", [v for v, _ in filled], result, [lab for _, lab in filled])
                cont.phis.append(phi)
