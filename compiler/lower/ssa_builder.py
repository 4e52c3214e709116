"""SSA construction while lowering (Braun et al. 2013, "Simple and Efficient Construction of
Static Single Assignment Form"): variables are read and written per block, phis are created
on demand, and a block's phis are completed when the block is sealed (all predecessors
known). Trivial phis are removed at the end, so the builder never needs a dominator tree.
"""

from __future__ import annotations

from collections.abc import Hashable

from stoffel.compiler.lower.types import zero_const
from stoffel.compiler.source import Span
from stoffel.compiler.ssa import ir


class SSABuilder:
    def __init__(self, fn: ir.Function, spans: dict[ir.Instr, Span]) -> None:
        self.fn = fn
        self.spans = spans
        self.span: Span | None = None  # the statement/expression being lowered
        self.preds: dict[str, list[str]] = {}
        self.defs: dict[str, dict[Hashable, ir.Operand]] = {}
        self.sealed: set[str] = set()
        self.incomplete: dict[str, dict[Hashable, ir.Instr]] = {}
        self.var_types: dict[Hashable, ir.Type] = {}
        self.current: ir.Block | None = None
        self._counter = 0

    # ------------------------------------------------------------------ blocks
    def new_block(self, base: str) -> ir.Block:
        label = f"{base}{len(self.fn.blocks)}"
        block = ir.Block(label)
        self.fn.blocks.append(block)
        self.preds[label] = []
        self.defs[label] = {}
        return block

    def start(self, block: ir.Block) -> None:
        self.current = block

    @property
    def reachable(self) -> bool:
        return self.current is not None

    def ensure_block(self) -> ir.Block:
        """Code after a return/break still needs a (dead) block to land in."""
        if self.current is None:
            block = self.new_block("dead")
            self.seal(block)
            self.current = block
        return self.current

    def fresh(self, ty: ir.Type) -> ir.Var:
        self._counter += 1
        return ir.Var(f"v{self._counter}", ty)

    # ------------------------------------------------------------------ instructions
    def emit(
        self,
        opcode: str,
        operands: list[ir.Operand],
        ty: ir.Type | None = None,
        *,
        callee: str | None = None,
        effects: bool = False,
    ) -> ir.Var | None:
        block = self.ensure_block()
        result = self.fresh(ty) if ty is not None else None
        inst = ir.Instr(opcode, list(operands), result, callee=callee, effects=effects)
        if self.span is not None:
            inst.line = self.span.line
            self.spans[inst] = self.span
        block.instrs.append(inst)
        return result

    def value(self, opcode: str, operands: list[ir.Operand], ty: ir.Type, **kw: object) -> ir.Var:
        result = self.emit(opcode, operands, ty, **kw)  # type: ignore[arg-type]
        assert result is not None
        return result

    def _terminate(self, inst: ir.Instr) -> None:
        block = self.ensure_block()
        if self.span is not None:
            inst.line = self.span.line
            self.spans[inst] = self.span
        block.instrs.append(inst)
        for label in inst.labels:
            self.preds[label].append(block.label)
        self.current = None

    def br(self, target: ir.Block) -> None:
        self._terminate(ir.Instr("br", labels=[target.label]))

    def cbr(self, cond: ir.Operand, then: ir.Block, other: ir.Block) -> None:
        self._terminate(ir.Instr("cbr", [cond], labels=[then.label, other.label]))

    def ret(self, value: ir.Operand | None) -> None:
        self._terminate(ir.Instr("ret", [] if value is None else [value]))

    # ------------------------------------------------------------------ variables
    def declare(self, key: Hashable, ty: ir.Type) -> None:
        self.var_types[key] = ty

    def write(self, key: Hashable, value: ir.Operand) -> None:
        block = self.ensure_block()
        self.defs[block.label][key] = value

    def read(self, key: Hashable) -> ir.Operand:
        block = self.ensure_block()
        return self._read(key, block.label)

    def _read(self, key: Hashable, label: str) -> ir.Operand:
        found = self.defs[label].get(key)
        if found is not None:
            return found
        ty = self.var_types.get(key, ir.Type("any"))
        preds = self.preds[label]
        if label not in self.sealed:
            phi = self._phi(label, ty)
            self.incomplete.setdefault(label, {})[key] = phi
            value: ir.Operand = phi.result  # type: ignore[assignment]
        elif not preds:
            value = zero_const(ty)  # read before any write: the type's zero
        elif len(preds) == 1:
            value = self._read(key, preds[0])
        else:
            phi = self._phi(label, ty)
            self.defs[label][key] = phi.result  # type: ignore[assignment]
            self._fill(phi, key, label)
            value = phi.result  # type: ignore[assignment]
        self.defs[label][key] = value
        return value

    def _phi(self, label: str, ty: ir.Type) -> ir.Instr:
        phi = ir.Instr("phi", [], self.fresh(ty))
        self.fn.block(label).phis.append(phi)
        return phi

    def _fill(self, phi: ir.Instr, key: Hashable, label: str) -> None:
        for pred in self.preds[label]:
            phi.operands.append(self._read(key, pred))
            phi.labels.append(pred)

    def seal(self, block: ir.Block) -> None:
        label = block.label
        if label in self.sealed:
            return
        self.sealed.add(label)
        for key, phi in self.incomplete.pop(label, {}).items():
            self._fill(phi, key, label)

    # ------------------------------------------------------------------ finishing
    def finish(self) -> None:
        """Drop blocks nothing reaches, then phis whose operands are all one value."""
        reachable = {self.fn.blocks[0].label}
        work = [self.fn.blocks[0]]
        blocks = self.fn.block_map()
        while work:
            b = work.pop()
            for s in b.successors():
                if s not in reachable:
                    reachable.add(s)
                    work.append(blocks[s])
        self.fn.blocks = [b for b in self.fn.blocks if b.label in reachable]
        for b in self.fn.blocks:
            for phi in b.phis:
                keep = [i for i, lab in enumerate(phi.labels) if lab in reachable]
                phi.operands = [phi.operands[i] for i in keep]
                phi.labels = [phi.labels[i] for i in keep]
        _remove_trivial_phis(self.fn)


def _remove_trivial_phis(fn: ir.Function) -> None:
    changed = True
    while changed:
        changed = False
        replace: dict[ir.Operand, ir.Operand] = {}
        for b in fn.blocks:
            for phi in list(b.phis):
                others = {o for o in phi.operands if o != phi.result}
                if len(others) == 1:
                    (only,) = others
                    if isinstance(only, ir.Const) and only.type != phi.result.type:  # type: ignore[union-attr]
                        continue
                    replace[phi.result] = only  # type: ignore[index]
                    b.phis.remove(phi)
                    changed = True
        if replace:
            for inst in fn.instrs():
                inst.operands = [_resolve(o, replace) for o in inst.operands]


def _resolve(op: ir.Operand, replace: dict[ir.Operand, ir.Operand]) -> ir.Operand:
    while op in replace:
        op = replace[op]
    return op
