"""Emission of one basic block for :mod:`stoffel.vm.codegen` (see there for the big picture).

A :class:`BlockEmitter` walks the block's instructions and writes Python lines. It keeps three
kinds of local knowledge: registers holding a literal not yet stored (``val``), registers
known to hold a plain int64 (``ints``), and arguments pushed but not yet passed (``pushes``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stoffel.vm.emitfuse import (
    _FUSE,
    I64_MAX,
    I64_MIN,
    _literal_int,
    call_into,
    carry_bound,
    fused_compare,
    overflow_check,
)
from stoffel.vm.inline import INLINE_BUILTINS
from stoffel.vm.isa import JUMPS, Function, Instruction, Opcode, is_secret_register

if TYPE_CHECKING:
    from stoffel.vm.codegen import GenContext, _FnState
    from stoffel.vm.loops import Loop

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


class BlockEmitter:
    def __init__(
        self, fn: Function, ctx: GenContext, out: list[str], ind: str, k: int, state: _FnState
    ) -> None:
        self.fn, self.ctx, self.out, self.ind, self.k, self.state = fn, ctx, out, ind, k, state
        self.block_of, self.flag_out = state.block_of, state.flag_out
        self.start, self.end = state.starts[k], state.ends[k]
        self.live_end = state.live[self.end - 1]
        self.stack_maybe = state.maybe[k]
        if self.stack_maybe:
            state.uses_stack = True
        self.pushes: list[str] = []  # argument expressions pushed in this block, not yet in A
        self.tmp = 0
        # Registers known to hold a plain int64 right now.
        self.ints: set[int] = set(state.int_in[k]) if state.int_in else set()
        self.loop: Loop | None = None  # innermost structured loop (structured mode only)
        self.join: int | None = None  # an if/else arm: the block where both arms rejoin
        self.val: dict[int, str] = {}  # registers whose value is a literal not yet stored
        self.optimise = not ctx.hooks
        # Instructions executed before this block on the path being emitted (static mode).
        self.base = self.start
        # Instructions executed on this path but not yet added to ``n`` (dynamic mode): a
        # block adds them only where it leaves, so straight-line blocks share one addition.
        self.pending = state.carry
        state.carry = 0
        self.extra = ""  # run-time addend to the count on a fused pair's taken path
        # Register → an int64 it is known to be below (a loop test ``x >= bound`` exits just
        # before this block): ``x + 1`` then cannot overflow, and needs no check.
        self.below: dict[int, int] = {}
        self.above: dict[int, int] = {}  # likewise: register → an int64 it is at least
        if state.below_carry is not None and state.below_carry[0] == k:
            self.below, self.above = dict(state.below_carry[1]), dict(state.below_carry[2])
        state.below_carry = None

    def w(self, text: str) -> None:
        self.out.append(self.ind + text)

    def r(self, reg: int) -> str:
        return self.val.get(reg, f"r{reg}")

    def materialize(self) -> None:
        if self.pushes:
            self.w(f"A.extend(({', '.join(self.pushes)},))")
            self.pushes = []
            self.stack_maybe = True
            self.state.uses_stack = True

    def before_write(self, d: int) -> None:
        """A pushed-but-not-passed argument reading ``d`` must keep the old value."""
        name = f"r{d}"
        if name in self.pushes:
            t = f"_p{self.tmp}"
            self.tmp += 1
            self.w(f"{t} = {name}")
            self.pushes = [t if p == name else p for p in self.pushes]
        self.val.pop(d, None)
        self.below.pop(d, None)
        self.above.pop(d, None)
        self.ints.discard(-d - 1)  # array-ness (encoded negatively, see loops.array_fact)

    def flush_vals(self) -> None:
        """Store literal-valued registers that are read after this block."""
        for reg, expr in sorted(self.val.items()):
            if reg in self.live_end:
                self.w(f"r{reg} = {expr}")
        self.val.clear()

    def store(self, d: int, pc: int, is_int: bool = False) -> None:
        """Bank conversion on a write into a secret register; hook event; int tracking."""
        if is_secret_register(d):
            self.w(f"if r{d}.__class__ is not _SV: r{d} = _tosec(r{d}, {pc})")
            is_int = False
        if is_int:
            self.ints.add(d)
        else:
            self.ints.discard(d)
        if self.ctx.hooks:
            self.w(f"_H.reg({self.ctx.name!r}, {pc}, {d}, r{d})")

    def is_int_expr(self, expr: str) -> bool:
        if expr.startswith("r") and expr[1:].isdigit():
            return int(expr[1:]) in self.ints
        return _literal_kind(expr) == "int"

    def int_test(self, *regs: int, bools: bool = False) -> str | None:
        """Python test that makes the inline fast path valid; ``None`` means always valid.

        ``"False"`` means never (a literal operand of another type): callers then emit only
        the slow path. With ``bools``, a literal bool operand selects a bool fast path.
        """
        kinds = {_literal_kind(self.r(r)) for r in regs}
        if "other" in kinds or ("bool" in kinds and (not bools or "int" in kinds)):
            return "False"
        cls = "bool" if "bool" in kinds else "int"
        tests = [
            f"r{r}.__class__ is {cls}"
            for r in dict.fromkeys(regs)
            if _literal_kind(self.r(r)) is None and not (cls == "int" and r in self.ints)
        ]
        return " and ".join(tests) if tests else None

    def cnt(self) -> str:
        """Statement prefix adding this block's not-yet-counted instructions to ``n``."""
        if self.state.static or not self.pending:
            return ""
        return f"n += {self.pending}{self.extra}; "

    def ret(self, expr: str, executed: int) -> str:
        """A return statement; in static-count functions it also accounts the instructions."""
        if self.state.static:
            return f"_N += {self.base + executed}{self.extra}; return {expr}"
        return f"{self.cnt()}return {expr}"

    def _is_next(self, tb: int) -> bool:
        """Is block ``tb`` simply where straight-line Python continues after this block?"""
        if tb != self.k + 1 or self.state.guards[tb] or tb in self.state.loops:
            return False
        return self.loop is None or self.loop.contains(tb)

    def goto(self, target: int, cond: str | None, at: int) -> str:
        """Jump to instruction ``target`` from instruction ``at`` if ``cond`` holds.

        Returns "complete" (the branch leaves: return/continue/break/inlined return),
        "partial" (it only sets ``b``; the fall-through needs ``else:``) or "none" (a jump to
        where control goes anyway; nothing emitted).
        """
        n = len(self.fn.instructions)
        if self.join is not None and target < n and self.block_of[target] == self.join:
            self.w(self.cnt().rstrip("; ") or "pass")  # the arm's end: only count
            return "complete"
        if target >= n:
            ret = self.ret(self.r(0), at - self.start + 1)
            self.w(f"if {cond}: {ret}" if cond else ret)
            return "complete"
        tb = self.block_of[target]
        if tb > self.k and tb in self.state.inline:
            if cond:
                self.w(f"if {cond}:")
                inner = BlockEmitter(self.fn, self.ctx, self.out, self.ind + "    ", tb, self.state)
            else:
                inner = BlockEmitter(self.fn, self.ctx, self.out, self.ind, tb, self.state)
            inner.tmp = self.tmp + 100
            inner.base = self.base + (at - self.start + 1)
            inner.pending += self.pending
            inner.extra = self.extra
            inner.emit()
            return "complete"
        if self._is_next(tb):
            return "none"
        lines: list[str]
        if self.state.loops:
            loop = self.loop
            if loop is not None and tb == loop.h:  # back edge of the innermost loop
                lines = [f"{self.cnt()}pass", f"if n > {TICK}: n = _tick(n)", "continue"]
            elif loop is not None and not loop.contains(tb):  # leave the loop
                lines = [f"{self.cnt()}b = {tb}", "break"]
            else:  # forward within the current sequence
                self.w(f"if {cond}: {self.cnt()}b = {tb}" if cond else f"{self.cnt()}b = {tb}")
                return "partial"
        elif tb <= self.k:  # back edge of the flat dispatch loop
            lines = [f"{self.cnt()}b = {tb}", f"if n > {TICK}: n = _tick(n)", "continue"]
        else:
            self.w(f"if {cond}: {self.cnt()}b = {tb}" if cond else f"{self.cnt()}b = {tb}")
            return "partial"
        lines = [x.replace("; pass", "") if x.endswith("; pass") else x for x in lines]
        lines = [x for x in lines if x != "pass"]
        if cond:
            self.w(f"if {cond}:")
            lines = ["    " + x for x in lines]
        for x in lines:
            self.w(x)
        return "complete"

    def _only_fall_reaches(self, k: int) -> bool:
        """No jump targets block k: the next block may count this block's instructions (a
        jump arriving there as well would count them too)."""
        return self.state.starts[k] not in self.state.targets

    def fall(self, end: int, after_cond: bool) -> None:
        """Leave the block by falling through to instruction ``end``."""
        els = "else: " if after_cond else ""
        if end >= len(self.fn.instructions):
            self.w(els + self.ret(self.r(0), end - self.start))
            return
        nxt = self.block_of[end]
        if nxt == self.join:
            self.w(self.cnt().rstrip("; ") or "pass")  # the arm's end: only count
        elif self.loop is not None and not self.loop.contains(nxt):
            self.w(f"{els}{self.cnt()}b = {nxt}; break")
        elif self.state.guards[nxt]:
            self.w(f"{els}{self.cnt()}b = {nxt}")
        elif self._is_next(nxt) and not after_cond and self._only_fall_reaches(nxt):
            self.state.carry = 0 if self.state.static else self.pending
        elif self.cnt():
            self.w(els + self.cnt().rstrip("; "))

    def emit(self) -> None:
        start, end = self.start, self.end
        self.pending += end - start
        pc = start
        while pc < end:
            ins = self.fn.instructions[pc]
            self.state.line_pcs.append((len(self.out), pc))
            if self.ctx.hooks:
                self.w(f"_H.instr({self.ctx.name!r}, {pc}, _I[{self.ctx.name!r}][{pc}])")
            if (
                ins.op is Opcode.CMP
                and pc + 1 < end
                and self.fn.instructions[pc + 1].op in _FUSE
                and (not self.flag_out[pc + 1] or (self.k in self.state.pairs and pc + 2 == end))
                and self.optimise
            ):
                self.fused_compare(pc, ins, self.fn.instructions[pc + 1], end)
                return
            if ins.op in JUMPS:
                self.materialize()
                cond = _JUMP_COND[ins.op]
                target = self.fn.labels[ins.args[0]]
                ret_expr = self.r(0)
                self.flush_vals()
                if ret_expr != "r0":
                    self.val[0] = ret_expr
                kind = self.goto(target, cond, pc)
                if cond is not None or kind == "none":
                    self.fall(end, after_cond=kind == "partial")
                return
            if pc == 0 and self.state.param_move is not None:
                pc += 1  # the parameter was named after this MOV's destination
                continue
            if ins.op is Opcode.CALL and self._call_into(pc, end):
                pc += 2
                continue
            if not self.instruction(pc, ins):
                return
            pc += 1
        self.materialize()
        ret_expr = self.r(0)
        self.flush_vals()
        if ret_expr != "r0":
            self.val[0] = ret_expr
        self.fall(end, after_cond=False)

    def diamond(self, target: int, cond: str) -> bool:
        """Emit this block's conditional jump and the if/else it opens (``state.diamonds``)
        as ``if cond: <jump arm> else: <fall-through arm>``; each arm counts its own path."""
        shape = self.state.diamonds.get(self.k)
        if shape is None or target >= len(self.fn.instructions):
            return False
        t, m = shape
        if self.block_of[target] != t:
            return False
        self.w(f"if {cond}:")
        if t != m:
            self._arm(t, m)
        else:
            self.w("    " + (self.cnt().rstrip("; ") or "pass"))
        self.w("else:")
        self._arm(self.k + 1, m)
        self.state.arms.update(range(self.k + 1, m))
        return True

    def _arm(self, k: int, join: int) -> None:
        arm = BlockEmitter(self.fn, self.ctx, self.out, self.ind + "    ", k, self.state)
        arm.pending += self.pending
        arm.tmp = self.tmp + 100
        arm.loop, arm.join = self.loop, join
        arm.emit()

    # CMP + jump fusion, bounds and CALL + MOV live in emitfuse (a module of its own for size).
    def _call_into(self, pc: int, end: int) -> bool:
        return call_into(self, pc, end)

    def fused_compare(self, pc: int, cmp: Instruction, jump: Instruction, end: int) -> None:
        fused_compare(self, pc, cmp, jump, end)

    def _carry_bound(self, x: int, ex: str, ey: str, rel: str) -> None:
        carry_bound(self, x, ex, ey, rel)

    def overflow_check(self, op: Opcode, d: int, x: str, y: str, pc: int) -> str:
        return overflow_check(op, d, x, y, pc)

    def instruction(self, pc: int, ins: Instruction) -> bool:
        """Emit one instruction; return False if control never falls through it."""
        op, a = ins.op, ins.args
        w = self.w
        if op in _INLINE_ARITH:
            d, x, y = a
            test = self.int_test(x, y)
            sx, sy = ex, ey = self.r(x), self.r(y)
            if op is not Opcode.SUB and _literal_int(ex) is not None:
                ex, ey = ey, ex  # keep a literal on the right for the one-sided check
            cy = _literal_int(ey)
            bound = self.below.get(int(ex[1:])) if ex[1:].isdigit() else None
            low = self.above.get(int(ex[1:])) if ex[1:].isdigit() else None
            no_check = (
                op is Opcode.ADD
                and cy is not None
                and bound is not None
                and 0 < cy <= I64_MAX - bound + 1
            ) or (
                op is Opcode.SUB and cy is not None and low is not None and 0 < cy <= low - I64_MIN
            )
            self.before_write(d)
            if test == "False":
                w(f"r{d} = {_SLOW[op]}({sx}, {sy}, {pc})")
                self.store(d, pc)
                return True
            pad = ""
            if test is not None:
                w(f"if {test}:")
                pad = "    "
            w(f"{pad}r{d} = {ex} {_INLINE_ARITH[op]} {ey}")
            if not no_check:
                w(pad + self.overflow_check(op, d, ex, ey, pc))
            if test is not None:
                w(f"else: r{d} = {_SLOW[op]}({sx}, {sy}, {pc})")
            self.store(d, pc, is_int=test is None)
        elif op in _SLOW:
            d, x, y = a
            ex, ey = self.r(x), self.r(y)
            self.before_write(d)
            w(f"r{d} = {_SLOW[op]}({ex}, {ey}, {pc})")
            self.store(d, pc)
        elif op is Opcode.NOT:
            ex = self.r(a[1])
            self.before_write(a[0])
            w(f"r{a[0]} = _NOT({ex}, {pc})")
            self.store(a[0], pc)
        elif op is Opcode.LDI:
            d = a[0]
            expr = self.ctx.constant_expr(a[1])
            self.before_write(d)
            if self.optimise and not is_secret_register(d) and _is_literal(expr):
                self.val[d] = expr
                self.ints.discard(d)
            else:
                w(f"r{d} = {expr}")
                self.store(d, pc, is_int=self.ctx.constant_is_int(a[1]))
        elif op is Opcode.MOV:
            d, s = a
            es = self.r(s)
            known_int = s in self.ints
            both_clear = not is_secret_register(s) and not is_secret_register(d)
            if self.optimise and both_clear and d not in self.state.live[pc]:
                self.before_write(d)  # a dead copy: nothing reads it, so emit nothing
                self.ints.discard(d)
                return True
            self.before_write(d)
            if self.optimise and both_clear and _literal_kind(es) is not None:
                self.val[d] = es  # copy of a literal: propagate it like LDI
                self.ints.discard(d)
                return True
            was_array = -s - 1 in self.ints
            if is_secret_register(s) and not is_secret_register(d):
                w(f"r{d} = _reveal({es}, {pc})")
                known_int = False
            else:
                w(f"r{d} = {es}")
            self.store(d, pc, is_int=known_int)
            if was_array and both_clear:
                self.ints.add(-d - 1)
        elif op is Opcode.LD:
            self.materialize()
            self.state.uses_stack = True
            self.before_write(a[0])
            w(f"r{a[0]} = _ld(A, {a[1]}, {pc})")
            self.store(a[0], pc)
        elif op is Opcode.CMP:
            x, y = a
            test = self.int_test(x, y, bools=True)
            ex, ey = self.r(x), self.r(y)
            if test == "False":
                w(f"fl = _cmp({ex}, {ey}, {pc})")
            elif test is None:
                w(f"fl = ({ex} > {ey}) - ({ex} < {ey})")
            else:
                w(f"if {test}: fl = ({ex} > {ey}) - ({ex} < {ey})")
                w(f"else: fl = _cmp({ex}, {ey}, {pc})")
        elif op is Opcode.PUSHARG:
            self.pushes.append(self.r(a[0]))
        elif op is Opcode.CALL:
            self.call(pc, a[0])
        elif op is Opcode.RET:
            if self.ctx.hooks:
                w(f"_H.ret({self.ctx.name!r}, {self.r(a[0])})")
            w(self.ret(self.r(a[0]), pc - self.start + 1))
            return False
        elif op is Opcode.LDS:
            self.before_write(a[0])
            w(f"r{a[0]} = _lds(S, {a[1]}, {pc})")
            self.ints.discard(a[0])
            if self.ctx.hooks:
                w(f"_H.reg({self.ctx.name!r}, {pc}, {a[0]}, r{a[0]})")
        elif op is Opcode.STS:
            w("if S is None: S = {}")
            w(f"S[{a[0]}] = {self.r(a[1])}")
        # NOP: nothing
        return True

    def call(self, pc: int, name: str) -> None:
        target = self.ctx.resolve(name)
        w = self.w
        direct = not self.stack_maybe
        # Arguments are evaluated before ``r0`` is assigned, so no snapshot is needed here.
        self.val.pop(0, None)
        self.below.pop(0, None)
        self.above.pop(0, None)
        args = ", ".join(self.pushes)
        result_int = False
        if target.kind == "function" and direct and len(self.pushes) == target.n_params:
            flags = [self.is_int_expr(p) for p in self.pushes]
            spec = self.ctx.spec_symbol(name) if all(flags) else None
            w(f"r0 = {spec or target.symbol}({args})")
            result_int = spec is not None and self.ctx.call_int(name, flags)
        elif target.kind == "builtin" and direct:
            inline = INLINE_BUILTINS.get(name) if target.inline and self.optimise else None
            simple = all(_literal_kind(p) is None for p in self.pushes[:1])
            result_int = self.ctx.call_int(name, [self.is_int_expr(p) for p in self.pushes])
            if inline is not None and inline[0] == len(self.pushes) and simple:
                known = {f"r{r}" for r in self.ints if r >= 0}
                known |= {f"@r{-r - 1}" for r in self.ints if r < 0}
                dead_r0 = 0 not in self.state.live[pc]
                lines = inline[1](target.symbol, known, *self.pushes)
                hoisted = self.state.hoisted.get(self.loop.h, {}) if self.loop else {}
                a = self.pushes[0]
                if a.startswith("r") and a[1:].isdigit() and int(a[1:]) in hoisted:
                    local = hoisted[int(a[1:])]  # the item list, read before the loop
                    lines = [x.replace(f"{a}.items", local) for x in lines]
                for line in lines:
                    # The builtin's Unit result is not needed when nothing reads r0 next.
                    w(line.replace("; r0 = None", "") if dead_r0 else line)
            else:
                w(f"r0 = {target.symbol}(_vm, [{args}])")
        else:
            self.materialize()
            self.state.uses_stack = True
            if target.kind == "function":
                w(f"r0 = _callv({name!r}, A); A = []")
            elif target.kind == "builtin":
                w(f"r0 = _callb({target.symbol}, A); A = []")
            else:
                w(f"r0 = _dispatch({name!r}, A); A = []")
        self.pushes = []
        self.stack_maybe = False
        self.ints.discard(-1)
        if result_int:
            self.ints.add(0)
        else:
            self.ints.discard(0)
        if target.kind == "builtin" and self.ctx.call_array(name):
            self.ints.add(-1)
        if self.ctx.hooks:
            w(f"_H.reg({self.ctx.name!r}, {pc}, 0, r0)")


def _literal_kind(expr: str) -> str | None:
    """``int``/``bool``/``other`` for a literal operand expression, None for a register."""
    if expr.startswith("r") or expr.startswith("_"):
        return None
    if expr in ("True", "False"):
        return "bool"
    return "int" if _literal_int(expr) is not None else "other"


#: Back edges flush the local instruction counter into the global one (and check the budget)
#: only every this many instructions, which keeps loop iterations cheap.
TICK = 4096


def _is_literal(expr: str) -> bool:
    return not expr.startswith("_K")
