"""Pieces of block emission that fuse instructions (see :mod:`stoffel.vm.emitblock`).

* ``CMP`` + conditional jump(s) → one Python ``if`` (also the two-jump pairs ``a >= b``,
  ``a <= b``, ``a != b`` the compiler emits when the other side falls through), counting the
  instructions of whichever path ran exactly.
* An exit test hands the bound it proves (``x < K`` after ``if x >= K: break``) to the block
  only it falls into, where ``x + 1`` / ``x - 1`` then need no overflow check.
* ``CALL f; MOV rd, r0`` with r0 dead afterwards → ``rd = f(…)``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from stoffel.vm.isa import Instruction, Opcode, is_secret_register

if TYPE_CHECKING:
    from stoffel.vm.emitblock import BlockEmitter

I64_MIN = -(1 << 63)
I64_MAX = (1 << 63) - 1
_FUSE = {Opcode.JMPEQ: "==", Opcode.JMPNEQ: "!=", Opcode.JMPLT: "<", Opcode.JMPGT: ">"}
_FLAG_TEST = {Opcode.JMPEQ: "== 0", Opcode.JMPNEQ: "!= 0", Opcode.JMPLT: "< 0", Opcode.JMPGT: "> 0"}
#: An assignment to r0 in emitted code (not ``r10 = ``, not ``r0 == ``).
_R0_ASSIGN = re.compile(r"\br0 = ")


def _literal_int(expr: str) -> int | None:
    try:
        return int(expr)
    except ValueError:
        return None


def _literal_kind(expr: str) -> str | None:
    """``bool`` for a bool literal operand, ``other`` for another literal, None for a name."""
    if expr in ("True", "False"):
        return "bool"
    return None if expr.startswith(("r", "_")) else "other"


def call_into(em: BlockEmitter, pc: int, end: int) -> bool:
    """``CALL f; MOV rd, r0`` with r0 dead afterwards: the call assigns rd directly."""
    if not em.optimise or pc + 1 >= end:
        return False
    mov = em.fn.instructions[pc + 1]
    if mov.op is not Opcode.MOV or mov.args[1] != 0 or 0 in em.state.live[pc + 1]:
        return False
    d = mov.args[0]
    if d == 0 or is_secret_register(d):
        return False
    first = len(em.out)
    em.call(pc, em.fn.instructions[pc].args[0])
    em.out[first:] = [_R0_ASSIGN.sub(f"r{d} = ", line) for line in em.out[first:]]
    em.state.line_pcs.append((len(em.out), pc + 1))
    result_int, result_array = 0 in em.ints, -1 in em.ints
    em.before_write(d)
    em.ints.discard(0)
    em.ints.discard(-1)
    em.store(d, pc + 1, is_int=result_int)
    if result_array:
        em.ints.add(-d - 1)
    return True


def fused_compare(em: BlockEmitter, pc: int, cmp: Instruction, jump: Instruction, end: int) -> None:
    """CMP + conditional jump whose flag is dead afterwards: one Python ``if``."""
    em.materialize()
    x, y = cmp.args
    target = em.fn.labels[jump.args[0]]
    test = em.int_test(x, y, bools=True)

    def condition(py: str, flag: str) -> str:
        fast = f"{em.r(x)} {py} {em.r(y)}"
        if py in ("==", "!=") and "bool" in (_literal_kind(em.r(x)), _literal_kind(em.r(y))):
            # Both are bools on the fast path: identity is the cheaper equality test.
            fast = f"{em.r(x)} {'is' if py == '==' else 'is not'} {em.r(y)}"
        slow = f"_cmp({em.r(x)}, {em.r(y)}, {pc}) {flag}"
        if test == "False":
            return slow
        return fast if test is None else f"(({fast}) if {test} else ({slow}))"

    pair = em.state.pairs.get(em.k) if em.flag_out[pc + 1] else None
    ex, ey = em.r(x), em.r(y)  # before flush_vals forgets literal operands
    cond = condition(*pair) if pair else condition(_FUSE[jump.op], _FLAG_TEST[jump.op])
    if pair is not None:
        # Taken via the second jump, one more instruction ran: count it exactly.
        second = em.fn.instructions[end].op
        extra = f" + ({condition(_FUSE[second], _FLAG_TEST[second])})"
    ret_expr = em.r(0)
    em.flush_vals()
    if ret_expr != "r0":
        em.val[0] = ret_expr
    if pair is None:
        if em.diamond(target, cond):
            return
        kind = em.goto(target, cond, pc + 1)
        em.fall(end, after_cond=kind == "partial")
        if kind == "complete" and jump.op in (Opcode.JMPLT, Opcode.JMPGT):
            # ``if x < K: <leave>`` falls through with x >= K (and > likewise).
            carry_bound(em, x, ex, ey, ">=" if jump.op is Opcode.JMPLT else "<=")
        return
    em.extra = extra
    kind = em.goto(target, cond, pc + 1)
    em.extra = ""
    em.pending += 1  # not taken: the second jump ran too
    em.k += 1  # control continues after block k+1
    carry_bound(em, x, ex, ey, {">=": "<", "<=": ">"}.get(pair[0], ""))
    em.fall(em.state.ends[em.k], after_cond=kind == "partial")


def carry_bound(em: BlockEmitter, x: int, ex: str, ey: str, rel: str) -> None:
    """Control falls from an exit test into block k+1 knowing ``x rel y``; hand the bound
    to that block if nothing else can reach it (it drops overflow checks with it)."""
    nxt = em.k + 1
    if nxt >= len(em.state.starts) or em.state.starts[nxt] in em.state.targets:
        return
    if ex != f"r{x}":
        return
    cy = _literal_int(ey)
    if cy is not None and not I64_MIN <= cy < I64_MAX:
        return
    below: dict[int, int] = {}
    above: dict[int, int] = {}
    if rel == "<" and (cy is not None or em.is_int_expr(ey)):
        below[x] = cy if cy is not None else I64_MAX
    elif rel == "<=" and cy is not None:
        below[x] = cy + 1
    elif rel == ">" and cy is not None:
        above[x] = cy + 1
    elif rel == ">=" and cy is not None:
        above[x] = cy
    if below or above:
        em.state.below_carry = (nxt, below, above)


#: Bounds of CPython's one-digit ("compact") ints (|x| < 2**30). A comparison of two compact
#: ints runs a specialised instruction; one against an int64 limit does not. So overflow
#: checks first test against these, and only a value outside them meets the int64 limits.
SMALL_MAX = (1 << 30) - 1
SMALL_MIN = -SMALL_MAX


def overflow_check(op: Opcode, d: int, x: str, y: str, pc: int) -> str:
    r = f"r{d}"
    lo, hi = f"{I64_MIN} <= {r}", f"{r} <= {I64_MAX}"
    cy = _literal_int(y)
    if cy is not None and op in (Opcode.ADD, Opcode.SUB) and abs(cy) < (1 << 62):
        grows = (cy >= 0) == (op is Opcode.ADD)
        small, cond = (f"{r} > {SMALL_MAX}", hi) if grows else (f"{r} < {SMALL_MIN}", lo)
    else:
        small = f"({r} > {SMALL_MAX} or {r} < {SMALL_MIN})"
        cond = f"{I64_MIN} <= {r} <= {I64_MAX}"
    return f"if {small} and not {cond}: _ovf({op.name!r}, {pc})"
