"""Translate each verified function into Python source once, at load time.

Why: a dispatch loop over instruction objects costs several Python operations per VM
instruction before any work happens. Here every register is a Python local (``r3``), basic
blocks become ``if b == k:`` sections of one ``while True`` loop (fall-through is free), the
int64 fast path of ADD/SUB/MUL/CMP is inlined with its overflow check, and calls whose
arguments were pushed in the same block become direct Python calls. Everything unusual
(other widths, floats, shares, pending values) goes to a slow-path helper. Hooks are compiled
in only when some are registered, so they cost nothing otherwise.

The generated function for VM function ``f`` is ``F<i>(a0, …)``; helper names (``_ADD``,
``_tosec``, ``_B3`` …) are bound in the shared namespace built by
:mod:`stoffel.vm.interpreter`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from stoffel.vm.isa import JUMPS, Function, Instruction, Opcode, is_secret_register

I64_MIN = -(1 << 63)
I64_MAX = (1 << 63) - 1
_INLINE_ARITH = {Opcode.ADD: "+", Opcode.SUB: "-", Opcode.MUL: "*"}
_SLOW = {
    Opcode.ADD: "_ADD",
    Opcode.SUB: "_SUB",
    Opcode.MUL: "_MUL",
    Opcode.DIV: "_DIV",
    Opcode.MOD: "_MOD",
    Opcode.AND: "_AND",
    Opcode.OR: "_OR",
    Opcode.XOR: "_XOR",
    Opcode.SHL: "_SHL",
    Opcode.SHR: "_SHR",
}
_JUMP_COND = {
    Opcode.JMP: None,
    Opcode.JMPEQ: "fl == 0",
    Opcode.JMPNEQ: "fl != 0",
    Opcode.JMPLT: "fl < 0",
    Opcode.JMPGT: "fl > 0",
}
#: Builtins whose use means the function needs an upvalue frame of its own.
UPVALUE_BUILTINS = frozenset({"get_upvalue", "set_upvalue", "create_closure"})


@dataclass(slots=True)
class CallTarget:
    """How a CALL name resolved: a program function, a builtin/native, or runtime dispatch."""

    kind: str  # "function" | "builtin" | "method"
    symbol: str  # generated name to call (F<i> or _B<i>) or the method name
    n_params: int = 0


@dataclass(slots=True)
class GenContext:
    name: str
    symbol: str
    resolve: Callable[[str], CallTarget]
    constant_expr: Callable[[int], str]
    hooks: bool = False
    lines: list[str] = field(default_factory=list)


def needs_upvalue_frame(fn: Function) -> bool:
    return bool(fn.upvalues) or any(
        ins.op is Opcode.CALL and ins.args[0] in UPVALUE_BUILTINS for ins in fn.instructions
    )


def _blocks(fn: Function) -> tuple[list[int], dict[int, int]]:
    n = len(fn.instructions)
    leaders = {0}
    leaders.update(t for t in fn.labels.values() if t < n)
    for i, ins in enumerate(fn.instructions):
        if (ins.op in JUMPS or ins.op is Opcode.RET) and i + 1 < n:
            leaders.add(i + 1)
    starts = sorted(x for x in leaders if x < n) or [0]
    return starts, {s: k for k, s in enumerate(starts)}


def _successors(fn: Function, start: int, end: int, block_of: dict[int, int]) -> list[int]:
    out = []
    n = len(fn.instructions)
    for i in range(start, end):
        ins = fn.instructions[i]
        if ins.op in JUMPS:
            target = fn.labels[ins.args[0]]
            if target < n:
                out.append(block_of[target])
    last = fn.instructions[end - 1] if end > start else None
    falls = last is None or not (last.op is Opcode.RET or last.op is Opcode.JMP)
    if falls and end < n:
        out.append(block_of[end])
    return out


def _stack_state(fn: Function, starts: list[int], block_of: dict[int, int]) -> list[bool]:
    """Per block: may the argument stack be non-empty on entry? (dataflow to a fixpoint)"""
    n = len(fn.instructions)
    ends = [*starts[1:], n]
    maybe = [False] * len(starts)
    changed = True
    while changed:
        changed = False
        for k, (s, e) in enumerate(zip(starts, ends, strict=True)):
            nonempty, pushes = maybe[k], 0
            for i in range(s, e):
                op = fn.instructions[i].op
                if op is Opcode.PUSHARG:
                    pushes += 1
                elif op is Opcode.CALL:
                    nonempty, pushes = False, 0
                elif op is Opcode.LD or op in JUMPS:
                    nonempty, pushes = nonempty or pushes > 0, 0
            out = nonempty or pushes > 0
            if out:
                for succ in _successors(fn, s, e, block_of):
                    if not maybe[succ]:
                        maybe[succ] = changed = True
    return maybe


def generate(fn: Function, ctx: GenContext) -> str:
    """Python source of ``def <symbol>(a0, …)`` for ``fn``."""
    emit = ctx.lines.append
    n = len(fn.instructions)
    params = [f"a{i}" for i in range(len(fn.params))]
    regs = sorted({a for ins in fn.instructions for a in _reg_args(ins)} | {0})
    emit(f"def {ctx.symbol}({', '.join(params)}):")
    for i in range(len(fn.params)):
        if is_secret_register(i):
            emit(f"    r{i} = _tosec(a{i}, -1)")
        else:
            emit(f"    r{i} = a{i}")
    rest = [r for r in regs if r >= len(fn.params)]
    if rest:
        emit("    " + " = ".join(f"r{r}" for r in rest) + " = None")
    emit("    fl = 0; A = []; S = None; n = 0; _pc = 0")
    emit("    if _C[0] > _BUDGET: _budget()")
    uses_u = needs_upvalue_frame(fn)
    if uses_u:
        emit(f"    _UPS.append(_vm.enter_upvalues({fn.name!r}, {tuple(fn.upvalues)!r}))")
    if ctx.hooks:
        emit(f"    _H.call({ctx.name!r}, [{', '.join(params)}])")
    emit("    try:")
    starts, block_of = _blocks(fn)
    ends = [*starts[1:], n]
    maybe = _stack_state(fn, starts, block_of)
    loop = len(starts) > 1 or any(ins.op in JUMPS for ins in fn.instructions)
    ind = "            " if loop else "        "
    if loop:
        emit("        b = 0")
        emit("        while True:")
    for k, (s, e) in enumerate(zip(starts, ends, strict=True)):
        if loop:
            emit(f"          if b == {k}:")
        _Block(fn, ctx, ind, k, block_of, maybe[k]).emit(s, e)
    emit("    except Exception as _e:")
    emit(f"        raise _unwind(_e, {ctx.name!r}, _pc) from None")
    emit("    finally:")
    emit("        _C[0] += n")
    if uses_u:
        emit("        _UPS.pop()")
    return "\n".join(ctx.lines) + "\n"


def _reg_args(ins: Instruction) -> list[int]:
    from stoffel.vm.isa import OPERANDS, Operand

    return [a for k, a in zip(OPERANDS[ins.op], ins.args, strict=True) if k is Operand.REG]


class _Block:
    def __init__(
        self, fn: Function, ctx: GenContext, ind: str, k: int, block_of: dict[int, int], maybe: bool
    ) -> None:
        self.fn, self.ctx, self.ind, self.k, self.block_of = fn, ctx, ind, k, block_of
        self.stack_maybe = maybe
        self.pushes: list[str] = []
        self.tmp = 0

    def w(self, text: str) -> None:
        self.ctx.lines.append(self.ind + text)

    def materialize(self) -> None:
        if self.pushes:
            self.w(f"A.extend(({', '.join(self.pushes)},))")
            self.pushes = []
            self.stack_maybe = True

    def store(self, d: int, pc: int) -> None:
        """Bank conversion on a write into a secret register; hook event."""
        if is_secret_register(d):
            self.w(f"if r{d}.__class__ is not _SV: r{d} = _tosec(r{d}, {pc})")
        if self.ctx.hooks:
            self.w(f"_H.reg({self.ctx.name!r}, {pc}, {d}, r{d})")

    def jump(self, label: str, cond: str | None) -> None:
        target = self.fn.labels[label]
        pre = f"if {cond}: " if cond else ""
        if target >= len(self.fn.instructions):
            self.w(f"{pre}return r0")
            return
        tb = self.block_of[target]
        if tb <= self.k:  # back edge: account instructions and enforce the budget
            pad = "    " if cond else ""
            if cond:
                self.w(f"if {cond}:")
            self.w(f"{pad}b = {tb}; _C[0] += n; n = 0")
            self.w(f"{pad}if _C[0] > _BUDGET: _budget()")
            self.w(f"{pad}continue")
            return
        if cond:
            self.w(f"if {cond}: b = {tb}; continue")
        else:
            self.w(f"b = {tb}; continue")

    def emit(self, start: int, end: int) -> None:
        self.w(f"n += {end - start}")
        falls = True
        for pc in range(start, end):
            ins = self.fn.instructions[pc]
            if self.ctx.hooks:
                self.w(f"_H.instr({self.ctx.name!r}, {pc}, _I[{self.ctx.name!r}][{pc}])")
            falls = self.instruction(pc, ins)
        if falls:
            self.materialize()
            if end < len(self.fn.instructions):
                self.w(f"b = {self.k + 1}")
            else:
                self.w("return r0")

    def instruction(self, pc: int, ins: Instruction) -> bool:
        """Emit one instruction; return False if control never falls through it."""
        op, a = ins.op, ins.args
        w = self.w
        if op in _INLINE_ARITH:
            d, x, y = a
            w(f"if r{x}.__class__ is int and r{y}.__class__ is int:")
            w(f"    r{d} = r{x} {_INLINE_ARITH[op]} r{y}")
            w(f"    if not {I64_MIN} <= r{d} <= {I64_MAX}: _ovf({op.name!r}, {pc})")
            w(f"else: r{d} = {_SLOW[op]}(r{x}, r{y}, {pc})")
            self.store(d, pc)
        elif op in _SLOW:
            d, x, y = a
            w(f"r{d} = {_SLOW[op]}(r{x}, r{y}, {pc})")
            self.store(d, pc)
        elif op is Opcode.NOT:
            w(f"r{a[0]} = _NOT(r{a[1]}, {pc})")
            self.store(a[0], pc)
        elif op is Opcode.LDI:
            d = a[0]
            w(f"r{d} = {self.ctx.constant_expr(a[1])}")
            self.store(d, pc)
        elif op is Opcode.MOV:
            d, s = a
            if is_secret_register(s) and not is_secret_register(d):
                w(f"r{d} = _reveal(r{s}, {pc})")
            else:
                w(f"r{d} = r{s}")
            self.store(d, pc)
        elif op is Opcode.LD:
            self.materialize()
            w(f"r{a[0]} = _ld(A, {a[1]}, {pc})")
            self.store(a[0], pc)
        elif op is Opcode.CMP:
            x, y = a
            w(f"if r{x}.__class__ is int and r{y}.__class__ is int:")
            w(f"    fl = (r{x} > r{y}) - (r{x} < r{y})")
            w(f"else: fl = _cmp(r{x}, r{y}, {pc})")
        elif op in JUMPS:
            self.materialize()
            self.jump(a[0], _JUMP_COND[op])
            return op is not Opcode.JMP
        elif op is Opcode.PUSHARG:
            t = f"_p{self.tmp}"
            self.tmp += 1
            w(f"{t} = r{a[0]}")
            self.pushes.append(t)
        elif op is Opcode.CALL:
            self.call(pc, a[0])
        elif op is Opcode.RET:
            if self.ctx.hooks:
                w(f"_H.ret({self.ctx.name!r}, r{a[0]})")
            w(f"return r{a[0]}")
            return False
        elif op is Opcode.LDS:
            w(f"r{a[0]} = _lds(S, {a[1]}, {pc})")
            if self.ctx.hooks:
                w(f"_H.reg({self.ctx.name!r}, {pc}, {a[0]}, r{a[0]})")
        elif op is Opcode.STS:
            w("if S is None: S = {}")
            w(f"S[{a[0]}] = r{a[1]}")
        # NOP: nothing
        return True

    def call(self, pc: int, name: str) -> None:
        target = self.ctx.resolve(name)
        w = self.w
        w(f"_pc = {pc}")
        args = ", ".join(self.pushes)
        direct = not self.stack_maybe
        if target.kind == "function":
            if direct and len(self.pushes) == target.n_params:
                w(f"r0 = {target.symbol}({args})")
            else:
                self.materialize()
                w(f"r0 = _callv({name!r}, A, {pc}); A = []")
        elif target.kind == "builtin":
            if direct:
                w(f"r0 = {target.symbol}(_vm, [{args}])")
            else:
                self.materialize()
                w(f"r0 = _callb({target.symbol}, {name!r}, A, {pc}); A = []")
        else:
            self.materialize()
            w(f"r0 = _dispatch({name!r}, A, {pc}); A = []")
        self.pushes = []
        self.stack_maybe = False
        if self.ctx.hooks:
            w(f"_H.reg({self.ctx.name!r}, {pc}, 0, r0)")
