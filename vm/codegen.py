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

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from stoffel.vm.cfg import (
    blocks,
    flag_live_out,
    register_liveness,
    stack_maybe_nonempty,
    unassigned_reads,
)
from stoffel.vm.counted import rewrite_counted
from stoffel.vm.emitblock import TICK, BlockEmitter
from stoffel.vm.emitfuse import SMALL_MAX
from stoffel.vm.isa import (
    JUMPS,
    SECRET_REGISTER_START,
    Function,
    Opcode,
    is_secret_register,
)
from stoffel.vm.loops import (
    CallInt,
    Loop,
    compare_pairs,
    find_loops,
    int_facts,
    invariant_arrays,
)
from stoffel.vm.peephole import drop_bounded_checks, drop_passes, fold_call_args

#: Builtins whose use means the function needs an upvalue frame of its own.
UPVALUE_BUILTINS = frozenset({"get_upvalue", "set_upvalue", "create_closure"})


@dataclass(slots=True)
class CallTarget:
    """How a CALL name resolved: a program function, a builtin/native, or runtime dispatch."""

    kind: str  # "function" | "builtin" | "method"
    symbol: str  # generated name to call (F<i> or _B<i>) or the method name
    n_params: int = 0
    inline: bool = False  # the standard builtin (not overridden by a native): may inline


@dataclass(slots=True)
class GenContext:
    name: str
    symbol: str
    resolve: Callable[[str], CallTarget]
    constant_expr: Callable[[int], str]
    constant_is_int: Callable[[int], bool]
    constants: list[Any]
    # Int specialisation: this variant may assume its clear parameters are ints; call_int
    # says whether a call's result is an int; spec_symbol names a callee's int variant.
    spec: bool = False
    call_int: CallInt = lambda name, flags: False
    spec_symbol: Callable[[str], str | None] = lambda name: None
    call_array: Callable[[str], bool] = lambda name: False  # result is always an array
    # The callee is a program function or a standard builtin (cannot rebind a list handle).
    safe_call: Callable[[str], bool] = lambda name: False
    guard_symbol: str | None = None  # generic variant: forward int arguments here
    hooks: bool = False
    budget: int = 0  # the instruction budget, a literal in the generated code
    lines: list[str] = field(default_factory=list)
    line_pcs: list[tuple[int, int]] = field(default_factory=list)  # (1-based line, pc)


def needs_upvalue_frame(fn: Function) -> bool:
    return bool(fn.upvalues) or any(
        ins.op is Opcode.CALL and ins.args[0] in UPVALUE_BUILTINS for ins in fn.instructions
    )


def generate(fn: Function, ctx: GenContext, structured: bool = True) -> str:
    """Python source of ``def <symbol>(a0, …)`` for ``fn``; fills ``ctx.line_pcs``."""
    if not fn.instructions:  # an empty body returns r0 (a parameter, or Unit)
        params = [f"a{i}" if is_secret_register(i) else f"r{i}" for i in range(len(fn.params))]
        ret = "r0" if fn.params else "None"
        if fn.params and is_secret_register(0):  # pragma: no cover - r0 is always clear
            ret = "None"
        ctx.lines.append(f"def {ctx.symbol}({', '.join(params)}):\n    return {ret}")
        return "\n".join(ctx.lines) + "\n"
    n = len(fn.instructions)
    starts, block_of = blocks(fn)
    ends = [*starts[1:], n]
    maybe = stack_maybe_nonempty(fn, starts, block_of)
    flag_out = flag_live_out(fn)
    live = register_liveness(fn)
    # A loop (and a block-number variable) is needed only if some jump goes backwards;
    # forward jumps just set ``b`` and fall through the chain of ``if b == k`` tests.
    back = any(
        ins.op in JUMPS and fn.labels[ins.args[0]] <= i and fn.labels[ins.args[0]] < n
        for i, ins in enumerate(fn.instructions)
    )
    state = _FnState(starts, ends, block_of, maybe, flag_out, live)
    state.targets = {fn.labels[i.args[0]] for i in fn.instructions if i.op in JUMPS}
    if not ctx.hooks:
        state.param_move = _param_move(fn, state)
    if not ctx.hooks:
        state.pairs = compare_pairs(fn, starts, ends, flag_out)
    state.inline = {
        k
        for k, (s, e) in enumerate(zip(starts, ends, strict=True))
        if e - s <= INLINE_MAX and fn.instructions[e - 1].op is Opcode.RET and not ctx.hooks
    }
    entry = set(range(min(len(fn.params), SECRET_REGISTER_START))) if ctx.spec else set()
    state.int_in = int_facts(
        fn, starts, ends, block_of, ctx.constants, entry, maybe, ctx.call_int, ctx.call_array
    )
    loops = find_loops(fn, starts, ends, block_of) if back and structured else None
    body: list[str] = []
    if loops is not None:
        state.loops = loops
        state.guards = _structured_guards(fn, state)
        if not ctx.hooks:
            state.diamonds = _diamonds(fn, state)
        _emit_seq(fn, ctx, state, body, 0, len(starts) - 1, "        ", None)
        back = False  # every loop has its own ``while``; no outer dispatch loop
    else:
        state.guards = _guards(fn, state, back)
        state.static = not back and not any(state.guards)
        for k in range(len(starts)):
            if k - 1 in state.pairs:
                continue  # its jump is part of the previous block's fused compare
            if state.guards[k]:
                body.append(("          " if back else "        ") + f"if b == {k}:")
                ind = "            " if back else "          "
            else:
                ind = "        "
            BlockEmitter(fn, ctx, body, ind, k, state).emit()

    body, state.line_pcs = drop_passes(body, state.line_pcs)
    if not ctx.hooks:
        body, state.line_pcs = fold_call_args(body, state.line_pcs)
        body, state.line_pcs = drop_bounded_checks(body, state.line_pcs)
    head = ctx.lines
    params = [f"a{i}" if is_secret_register(i) else f"r{i}" for i in range(len(fn.params))]
    clear = [f"r{i}" for i in range(min(len(fn.params), SECRET_REGISTER_START))]
    if state.param_move is not None:  # the parameter arrives in the MOV's destination
        params[0] = clear[0] = f"r{state.param_move}"
    head.append(f"def {ctx.symbol}({', '.join(params)}):")
    if ctx.guard_symbol is not None and clear:
        test = " and ".join(f"{r}.__class__ is int" for r in clear)
        head.append(f"    if {test}: return {ctx.guard_symbol}({', '.join(params)})")
    for i in range(SECRET_REGISTER_START, len(fn.params)):
        head.append(f"    r{i} = _tosec(a{i}, -1)")
    need = sorted(unassigned_reads(fn, starts, block_of) - set(range(len(fn.params))))
    if need:
        head.append("    " + " = ".join(f"r{r}" for r in need) + " = None")
    init = [] if state.static else ["n = 0"]
    if any(re.search(r"\bfl\b", line) for line in body):
        init.append("fl = 0")
    if state.uses_stack:
        init.append("A = []")
    if any(ins.op in (Opcode.LDS, Opcode.STS) for ins in fn.instructions):
        init.append("S = None")
    if any(state.guards) or back:
        init.append("b = 0")
    if init:
        head.append("    " + "; ".join(init))
    head.append("    nonlocal _N")
    head.append(f"    if {budget_test(ctx.budget)}: _budget()")
    uses_u = needs_upvalue_frame(fn)
    if uses_u:
        head.append(f"    _UPS.append(_vm.enter_upvalues({fn.name!r}, {tuple(fn.upvalues)!r}))")
    if ctx.hooks:
        head.append(f"    _H.call({ctx.name!r}, [{', '.join(params)}])")
    head.append("    try:")
    if back:
        head.append("        while True:")
    offset = len(head)
    ctx.line_pcs = [(offset + line + 1, pc) for line, pc in state.line_pcs]
    head.extend(body)
    head.append("    except Exception as _e:")
    head.append(f"        raise _unwind(_e, {ctx.name!r}) from None")
    if not state.static or uses_u:
        head.append("    finally:")
        if not state.static:
            head.append("        _N += n")
        if uses_u:
            head.append("        _UPS.pop()")
    return "\n".join(head) + "\n"


def _param_move(fn: Function, st: _FnState) -> int | None:
    """``MOV rD, r0`` as the first instruction, run once (no jump back to it), with r0 dead
    after it: the first parameter can simply be called ``rD`` and the MOV emits nothing."""
    first = fn.instructions[0]
    if not fn.params or first.op is not Opcode.MOV or first.args[1] != 0 or 0 in st.targets:
        return None
    d = first.args[0]
    if d < len(fn.params) or is_secret_register(d) or 0 in st.live[0]:
        return None
    return d


def budget_test(budget: int) -> str:
    """The entry test for an exhausted budget; a large budget is first compared with a
    compact int (see ``emitfuse.SMALL_MAX``), which CPython does faster."""
    if budget <= SMALL_MAX:
        return f"_N > {budget}"
    return f"_N > {SMALL_MAX} and _N > {budget}"


#: Blocks ending in RET with at most this many instructions are duplicated into the jumps
#: that reach them (a conditional early return then needs no block dispatch).
INLINE_MAX = 8


class _FnState:
    def __init__(
        self,
        starts: list[int],
        ends: list[int],
        block_of: dict[int, int],
        maybe: list[bool],
        flag_out: list[bool],
        live: list[set[int]],
    ) -> None:
        self.starts, self.ends, self.block_of = starts, ends, block_of
        self.maybe, self.flag_out, self.live = maybe, flag_out, live
        self.inline: set[int] = set()
        self.guards: list[bool] = []
        self.uses_stack = False
        self.line_pcs: list[tuple[int, int]] = []  # (body line index, pc)
        # Straight-line functions (no loop, no skipped blocks) know at each return how many
        # instructions ran, so they need no run-time counter.
        self.static = False
        self.carry = 0  # uncounted instructions handed to the next straight-line block
        self.int_in: list[set[int]] = []
        self.loops: dict[int, Loop] = {}
        # Block k → Python operator: block k ends in CMP + a conditional jump and block k+1 is
        # only a second conditional jump to the same label (``a >= b`` as JMPGT + JMPEQ);
        # both become one test and block k+1 is not emitted on its own.
        self.pairs: dict[int, tuple[str, str]] = {}
        # Loop header → {array register: local holding its item list, read before the loop}.
        self.hoisted: dict[int, dict[int, str]] = {}
        self.targets: set[int] = set()  # instruction indexes some label names
        # Block k → (t, m): k ends in a conditional jump to block t = k + 2, and blocks k+1
        # (and t) rejoin at block m; emitted as a Python if/else (see _diamonds). ``arms``
        # are the blocks already emitted inside such an if/else.
        self.diamonds: dict[int, tuple[int, int]] = {}
        self.param_move: int | None = None  # see _param_move
        self.arms: set[int] = set()
        # (block, {register: int64 it is below}, {register: int64 it is at least}) handed
        # from an exit test to the block only it falls into.
        self.below_carry: tuple[int, dict[int, int], dict[int, int]] | None = None


def _guards(fn: Function, st: _FnState, back: bool) -> list[bool]:
    """Which blocks need an ``if b == k`` test.

    With a back edge every block but the first does (the loop re-enters the chain). Without
    one, block k needs it only if some earlier block jumps past it; blocks reached by
    fall-through alone run unconditionally.
    """
    n_blocks = len(st.starts)
    if back:
        return [n_blocks > 1] * n_blocks
    guards = [False] * n_blocks
    n = len(fn.instructions)
    for j, (s, e) in enumerate(zip(st.starts, st.ends, strict=True)):
        for i in range(s, e):
            ins = fn.instructions[i]
            if ins.op not in JUMPS:
                continue
            target = fn.labels[ins.args[0]]
            tb = n_blocks if target >= n else st.block_of[target]
            if tb in st.inline:
                continue
            for k in range(j + 1, tb):
                guards[k] = True
    return guards


def _innermost(st: _FnState, k: int) -> Loop | None:
    best = None
    for lp in st.loops.values():
        if lp.contains(k) and (best is None or lp.j - lp.h < best.j - best.h):
            best = lp
    return best


def _structured_guards(fn: Function, st: _FnState) -> list[bool]:
    """Blocks (and loop headers) some jump can skip over within their own sequence."""
    n = len(fn.instructions)
    guards = [False] * len(st.starts)

    def skip(src_block: int, tb: int) -> None:
        # The sequence the target lives in: find the outermost loop around the source that
        # does not contain the target; control re-enters that sequence after its end.
        lp = _innermost(st, src_block)
        pos = src_block
        while lp is not None and not lp.contains(tb):
            pos = lp.j
            lp = lp.parent
        if lp is not None and tb == lp.h and pos != src_block:
            return  # a continue of an enclosing loop: restarts at its unguarded header
        for k in range(pos + 1, tb):
            inner = _innermost(st, k)
            # Mark items of this sequence only: blocks directly in it, or the header of a loop
            # nested directly in it (its body is skipped along with its ``while``).
            if inner is lp or (inner is not None and inner.h == k and inner.parent is lp):
                guards[k] = True

    for j, (s, e) in enumerate(zip(st.starts, st.ends, strict=True)):
        for i in range(s, e):
            ins = fn.instructions[i]
            if ins.op not in JUMPS:
                continue
            t = fn.labels[ins.args[0]]
            if t >= n:
                continue
            tb = st.block_of[t]
            if tb > j and tb not in st.inline:
                skip(j, tb)
    return guards


def _diamonds(fn: Function, st: _FnState) -> dict[int, tuple[int, int]]:
    """If/else shapes in structured code: block k ends ``JMPcc`` to block t = k + 2; block
    k+1 either ends ``JMP`` to block m = k + 3 with block t falling into m (if/else), or falls
    into t itself (m = t, if-then). Nothing else enters k+1 or t, m needs no ``b`` test, and
    all of them sit in the same loop. Emitted as Python ``if``/``else`` instead of setting
    ``b`` and testing it in front of every block."""
    ins, n = fn.instructions, len(fn.instructions)
    jumps_to: dict[int, int] = {}
    for i in ins:
        if i.op in JUMPS:
            jumps_to[fn.labels[i.args[0]]] = jumps_to.get(fn.labels[i.args[0]], 0) + 1

    def plain_end(k: int) -> bool:  # falls through to the next block
        return ins[st.ends[k] - 1].op not in JUMPS and ins[st.ends[k] - 1].op is not Opcode.RET

    out: dict[int, tuple[int, int]] = {}
    for k in range(len(st.starts) - 2):
        last = ins[st.ends[k] - 1]
        if last.op not in JUMPS or last.op is Opcode.JMP or k in st.pairs or k - 1 in st.pairs:
            continue
        target = fn.labels[last.args[0]]
        a, t = k + 1, k + 2
        if target >= n or st.block_of[target] != t or st.starts[a] in st.targets:
            continue
        a_last = ins[st.ends[a] - 1]
        if a_last.op is Opcode.JMP and fn.labels[a_last.args[0]] < n:
            m = st.block_of[fn.labels[a_last.args[0]]]
            if m != k + 3 or not plain_end(t) or jumps_to[st.starts[t]] != 1:
                continue
        elif plain_end(a):
            m = t
        else:
            continue
        if m >= len(st.starts) or st.guards[m] or {a, t, m} & (set(st.loops) | st.inline):
            continue
        lp = _innermost(st, k)
        if all(_innermost(st, x) is lp for x in (a, t, m)):
            out[k] = (t, m)
    return out


def _emit_seq(
    fn: Function,
    ctx: GenContext,
    st: _FnState,
    body: list[str],
    lo: int,
    hi: int,
    ind: str,
    loop: Loop | None,
) -> None:
    """Emit blocks lo..hi; nested loop ranges become ``while True:`` statements."""
    k = lo
    while k <= hi:
        inner = st.loops.get(k)
        if inner is not None and inner is not loop:
            pre = ind
            if st.guards[k]:
                body.append(f"{ind}if b == {k}:")
                pre = ind + "  "
            if st.int_in and not ctx.hooks:
                outer = st.hoisted.get(loop.h, {}) if loop is not None else {}
                mine = dict(outer)
                for r in invariant_arrays(
                    fn, st.starts, st.ends, inner, st.int_in[k], ctx.safe_call
                ):
                    if r not in mine:
                        mine[r] = f"_l{r}"
                        body.append(f"{pre}_l{r} = r{r}.items")
                st.hoisted[k] = mine
            at = len(body)
            body.append(f"{pre}while True:")
            _emit_seq(fn, ctx, st, body, k, inner.j, pre + "    ", inner)
            if st.int_in and not ctx.hooks and not needs_upvalue_frame(fn):
                rewrite_counted(
                    fn, st.starts, st.ends, inner, st.int_in[k], body, at, pre, st.line_pcs
                )
            if loop is not None:  # propagate exits of the inner loop to this one
                if loop.h in inner.exits:
                    body.append(f"{pre}if b == {loop.h}:")
                    body.append(f"{pre}    if n > {TICK}: n = _tick(n)")
                    body.append(f"{pre}    continue")
                if any(not loop.contains(t) for t in inner.exits):
                    body.append(f"{pre}if b < {loop.h} or b > {loop.j}: break")
            k = inner.j + 1
            continue
        if k - 1 in st.pairs or k in st.arms:
            k += 1  # its jump is part of the previous block's fused compare, or it is an arm
            continue  # of an if/else emitted with the block before
        guarded = st.guards[k] and not (loop is not None and k == loop.h)
        if guarded:
            body.append(f"{ind}if b == {k}:")
        blk = BlockEmitter(fn, ctx, body, ind + ("  " if guarded else ""), k, st)
        blk.loop = loop
        blk.emit()
        k += 1
