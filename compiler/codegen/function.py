"""One IR function → one STFL function: instruction selection over the allocated locations.

Calling convention (bytecode.md §1.3): arguments are PUSHARGed and arrive in r0..r(n-1);
the result comes back in r0. Clear comparisons have no opcode of their own: a compare that
only feeds the block's branch becomes CMP + JMPxx, any other is materialised with jumps
that load true/false.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from stoffel.compiler.codegen.constants import ConstantPool, vm_value
from stoffel.compiler.codegen.layout import CBlock, layout
from stoffel.compiler.codegen.moves import sequentialize
from stoffel.compiler.codegen.regalloc import SECRET_START, Loc, Slot, allocate
from stoffel.compiler.codegen.select import COMPARE_JUMPS, NEGATED_JUMPS, SelectMixin
from stoffel.compiler.source import Span
from stoffel.compiler.ssa import ir
from stoffel.vm.isa import OPERANDS, Instruction, Opcode, Operand
from stoffel.vm.isa import Function as VMFunction

R_A, R_B, R_C, R_T, R_X = 11, 12, 13, 14, 15  # scratch registers (regalloc.SCRATCH)
FUSABLE = frozenset(COMPARE_JUMPS)
#: Single instructions whose destination register may be changed after the fact.
_RETARGETABLE = frozenset(
    {Opcode.ADD, Opcode.SUB, Opcode.MUL, Opcode.DIV, Opcode.MOD, Opcode.AND, Opcode.OR}
    | {Opcode.XOR, Opcode.NOT, Opcode.SHL, Opcode.SHR, Opcode.MOV, Opcode.LDI}
)


class FunctionEmitter(SelectMixin):
    def __init__(
        self, fn: ir.Function, pool: ConstantPool, spans: dict[ir.Instr, Span], params: list[str]
    ) -> None:
        self.fn = fn
        self.pool = pool
        self.spans = spans
        self.param_names = params
        self.code: list[Instruction] = []
        self.labels: dict[str, int] = {}
        self.block_labels: dict[str, str] = {}
        self.source: dict[int, Span] = {}
        self._n_labels = 0
        self.blocks = layout(fn)
        self.alloc = allocate(fn, self.blocks)
        self.uses = Counter(v for inst in fn.instrs() for v in inst.var_operands())
        self.max_reg = max(0, len(fn.params) - 1)

    # ------------------------------------------------------------------ helpers
    def label(self, base: str = "L") -> str:
        self._n_labels += 1
        return f"{base}{self._n_labels}"

    def place(self, name: str) -> None:
        self.labels[name] = len(self.code)

    def op(self, opcode: Opcode, *args: Any) -> None:
        for kind, a in zip(OPERANDS[opcode], args, strict=True):
            if kind is Operand.REG:
                self.max_reg = max(self.max_reg, a)
        self.code.append(Instruction(opcode, tuple(args)))

    def loc(self, v: ir.Var) -> Loc:
        found = self.alloc.locs.get(v)
        if found is None:
            # Defined but never used: park it in a scratch register of its bank.
            return self.alloc.secret_scratch if v.type.secret else R_X
        return found

    def src(self, operand: ir.Operand, scratch: int) -> int:
        """A register holding ``operand`` (constants and spills are loaded into ``scratch``)."""
        if isinstance(operand, ir.Const):
            self.op(Opcode.LDI, scratch, self.pool.index(vm_value(operand)))
            return scratch
        loc = self.loc(operand)
        if isinstance(loc, Slot):
            self.op(Opcode.LDS, scratch, loc.index)
            return scratch
        return loc

    def dst(self, v: ir.Var | None) -> int:
        """Register to compute a result into; ``store`` writes it back if it is spilled."""
        if v is None:
            return R_T
        loc = self.loc(v)
        return R_T if isinstance(loc, Slot) else loc

    def store(self, v: ir.Var | None, reg: int) -> None:
        if v is None:
            return
        loc = self.loc(v)
        if isinstance(loc, Slot):
            self.op(Opcode.STS, loc.index, reg)
        elif loc != reg:
            self.op(Opcode.MOV, loc, reg)

    def move(self, d: Loc, s: Loc) -> None:
        if isinstance(d, Slot) and isinstance(s, Slot):
            self.op(Opcode.LDS, R_T, s.index)
            self.op(Opcode.STS, d.index, R_T)
        elif isinstance(d, Slot):
            self.op(Opcode.STS, d.index, s)
        elif isinstance(s, Slot):
            self.op(Opcode.LDS, d, s.index)
        else:
            self.op(Opcode.MOV, d, s)

    def load(self, d: Loc, c: ir.Const) -> None:
        k = self.pool.index(vm_value(c))
        if isinstance(d, Slot):
            self.op(Opcode.LDI, R_T, k)
            self.op(Opcode.STS, d.index, R_T)
        else:
            self.op(Opcode.LDI, d, k)

    def parallel(self, moves: list[tuple[Loc, ir.Operand]]) -> None:
        resolved: list[tuple[Loc, Loc | ir.Const]] = [
            (d, s if isinstance(s, ir.Const) else self.loc(s)) for d, s in moves
        ]
        sequentialize(resolved, self.move, self.load, R_X, self.alloc.secret_scratch)

    # ------------------------------------------------------------------ function
    def emit(self) -> VMFunction:
        for b in self.blocks:
            self.block_labels[b.label] = self.label("B")
        # Incoming arguments sit in r0..r(n-1); move them where the allocator put them.
        entry_moves: list[tuple[Loc, ir.Operand]] = []
        for i, p in enumerate(self.fn.params):
            if p in self.alloc.locs:
                incoming = ir.Var(f"__in{i}", p.type)
                self.alloc.locs[incoming] = i
                entry_moves.append((self.alloc.locs[p], incoming))
        self.parallel(entry_moves)
        for i, b in enumerate(self.blocks):
            nxt = self.blocks[i + 1].label if i + 1 < len(self.blocks) else None
            self.place(self.block_labels[b.label])
            self.emit_block(b, nxt)
        used = self.max_reg
        if self.code and self.code[-1].op not in (Opcode.RET, Opcode.JMP):
            self.op(Opcode.LDI, R_T, self.pool.index(None))
            self.op(Opcode.RET, R_T)
        size = max(used, self.max_reg) + 1
        if self.source and 0 not in self.source:
            # The parameter moves at pc 0 belong to the function's first line.
            self.source[0] = self.source[min(self.source)]
        return VMFunction(
            self.fn.name,
            max(size, len(self.fn.params), 1),
            list(self.param_names),
            self.code,
            dict(sorted(self.labels.items(), key=lambda kv: (kv[1], kv[0]))),
        )

    def emit_block(self, b: CBlock, nxt: str | None) -> None:
        fused = self._fusable(b)
        for inst in b.body:
            if inst is fused:
                continue
            self.mark(inst)
            self.select(inst)
        if b.moves:
            self.parallel(self._coalesce(b, [(self.loc(d), s) for d, s in b.moves]))
        term = b.term
        if term is None:
            if b.succs[0] != nxt:
                self.op(Opcode.JMP, self.block_labels[b.succs[0]])
            return
        self.mark(term)
        target = {lab: b.redirect.get(lab, lab) for lab in term.labels}
        if term.opcode == "ret":
            reg = self.src(term.operands[0], R_A) if term.operands else None
            if reg is None:
                self.op(Opcode.LDI, R_A, self.pool.index(None))
                reg = R_A
            self.op(Opcode.RET, reg)
        elif term.opcode == "br":
            dest = target[term.labels[0]]
            if dest != nxt:
                self.op(Opcode.JMP, self.block_labels[dest])
        else:
            then, other = target[term.labels[0]], target[term.labels[1]]
            self.branch(term.operands[0], fused, then, other, nxt)

    def _coalesce(
        self, b: CBlock, moves: list[tuple[Loc, ir.Operand]]
    ) -> list[tuple[Loc, ir.Operand]]:
        """``x' = x + 1`` then the phi copy ``x = x'``: compute into x's register directly
        when x' has no other use, nothing else reads x's register in the copy, and the
        defining instruction is the last one emitted and no jump target."""
        if not b.body or b.body[-1].result is None or not self.code:
            return moves
        value = b.body[-1].result
        last = self.code[-1]
        if (
            self.uses[value] != 1
            or last.op not in _RETARGETABLE
            or last.args[0] != self.loc(value)
            or any(index >= len(self.code) - 1 for index in self.labels.values())
        ):
            return moves
        for i, (d, src) in enumerate(moves):
            if src != value or not isinstance(d, int):
                continue
            if (d >= SECRET_START) != (last.args[0] >= SECRET_START):
                return moves  # a bank change is a share/reveal, not a plain copy
            if any(self._reads(other, d) for j, (_, other) in enumerate(moves) if j != i):
                return moves
            self.code[-1] = Instruction(last.op, (d, *last.args[1:]))
            return moves[:i] + moves[i + 1 :]
        return moves

    def _reads(self, src: ir.Operand, reg: int) -> bool:
        return isinstance(src, ir.Var) and self.loc(src) == reg

    def _fusable(self, b: CBlock) -> ir.Instr | None:
        if b.term is None or b.term.opcode != "cbr" or not b.body or b.moves:
            return None
        last = b.body[-1]
        cond = b.term.operands[0]
        ok = last.opcode in FUSABLE and last.result == cond and self.uses[cond] == 1
        return last if ok else None

    def branch(
        self, cond: ir.Operand, fused: ir.Instr | None, then: str, other: str, nxt: str | None
    ) -> None:
        t_label, f_label = self.block_labels[then], self.block_labels[other]
        # When "then" is laid out next (loop bodies are), jump on the complement to "other"
        # and fall through: CMP's flag is always one of -1/0/1, so the complement is exact.
        invert = then == nxt and other != nxt
        if fused is not None:
            self.mark(fused)
            a = self.src(fused.operands[0], R_A)
            b = self.src(fused.operands[1], R_B)
            self.op(Opcode.CMP, a, b)
            if invert:
                for jump in NEGATED_JUMPS[fused.opcode]:
                    self.op(jump, f_label)
                return
            for jump in COMPARE_JUMPS[fused.opcode]:
                self.op(jump, t_label)
        else:
            c = self.src(cond, R_A)
            self.op(Opcode.LDI, R_B, self.pool.index(True))
            self.op(Opcode.CMP, c, R_B)
            if invert:
                self.op(Opcode.JMPNEQ, f_label)
                return
            self.op(Opcode.JMPEQ, t_label)
        if other != nxt:
            self.op(Opcode.JMP, f_label)

    def mark(self, inst: ir.Instr) -> None:
        span = self.spans.get(inst)
        if span is not None:
            self.source.setdefault(len(self.code), span)
