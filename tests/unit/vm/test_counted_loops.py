"""Counted loops (``while`` → ``for r in range``, vm/counted.py) must behave exactly like hook
mode, which never rewrites: same results, final induction values, instruction counts and
errors (message and pc), including breaks, zero trips, bounds near INT64 limits and nesting."""

from __future__ import annotations

from typing import Any

import pytest

from stoffel.vm.errors import VMError
from stoffel.vm.hooks import Hooks
from stoffel.vm.testing import make_vm

MAX, MIN = 2**63 - 1, -(2**63)
DEFAULT_AFTER = "  LDI r6, 1000\n  MUL r0, r1, r6\n  ADD r0, r0, r3"


def loop(start: int | str, bound: int | str, body: str = "", after: str = "") -> str:
    """main(p): r1 = start; while r1 < bound: r3 += r1; <body>; r1 += 1. Returns r1 * 1000
    + r3 (or what ``after`` computes into r0). ``start``/``bound`` are ints or register code."""
    ld_start = f"LDI r1, {start}" if isinstance(start, int) else start
    ld_bound = f"LDI r2, {bound}" if isinstance(bound, int) else bound
    tail = after or DEFAULT_AFTER
    return f"""\
.function main(p)
  MOV r9, r0
  {ld_start}
  {ld_bound}
  LDI r3, 0
head:
  CMP r1, r2
  JMPGT done
  JMPEQ done
  ADD r3, r3, r1
{body}
  LDI r5, 1
  ADD r1, r1, r5
  JMP head
done:
{tail}
  RET r0
.end
"""


def outcome(src: str, hooked: bool, *args: Any) -> tuple[str, Any, int, str]:
    hooks = Hooks()
    seen = [0]
    if hooked:
        hooks.instruction.append(lambda fn, pc, ins: seen.__setitem__(0, seen[0] + 1))
    vm = make_vm(src, hooks=hooks)
    try:
        result = vm.run("main", list(args))
    except VMError as e:
        return ("error", (e.message, e.pc), 0, vm.source)
    return ("ok", result, seen[0] if hooked else vm.stats.instructions, vm.source)


def both(src: str, *args: Any, counted: bool | None = True) -> tuple[str, Any]:
    fast, plain = outcome(src, False, *args), outcome(src, True, *args)
    assert fast[:3] == plain[:3]
    assert counted is None or ("for r1 in range(" in fast[3]) is counted
    return fast[0], fast[1]


@pytest.mark.parametrize(("start", "bound"), [(0, 10), (3, 4), (5, 5), (9, 2), (-4, 3)])
def test_trip_counts_and_final_value(start: int, bound: int) -> None:
    trip = range(start, bound)
    assert both(loop(start, bound), 0) == ("ok", max(start, bound) * 1000 + sum(trip))


@pytest.mark.parametrize(
    ("start", "bound"), [(MAX - 3, MAX), (MAX, MAX), (MIN, MIN + 3), (MIN, MIN), (MAX - 1, MAX)]
)
def test_near_int64_limits(start: int, bound: int) -> None:
    after = "  MOV r0, r1"  # the final induction value: the bound, never an overflow
    src = loop(start, bound, after=after).replace("  ADD r3, r3, r1\n", "")
    assert both(src, 0) == ("ok", max(start, bound))


BREAK_AT = "  LDI r7, {k}\n  CMP r1, r7\n  JMPEQ done"


@pytest.mark.parametrize("k", [0, 1, 4, 9, 10, 50])
def test_break_keeps_induction_value(k: int) -> None:
    stop = min(k, 10)
    want = stop * 1000 + sum(range(stop + (k < 10)))
    assert both(loop(0, 10, BREAK_AT.format(k=k)), 0) == ("ok", want)


def test_register_bound_computed_before_loop() -> None:
    bound = "LDI r2, 4\n  ADD r2, r2, r2"
    assert both(loop(1, bound), 0) == ("ok", 8 * 1000 + sum(range(1, 8)))


def test_write_to_bound_keeps_while_form() -> None:
    body = "  LDI r7, 1\n  SUB r2, r2, r7"  # the bound shrinks each iteration
    assert both(loop(0, 10, body), 0, counted=False) == ("ok", 5 * 1000 + sum(range(5)))


def test_second_write_to_induction_keeps_while_form() -> None:
    body = "  LDI r7, 1\n  ADD r1, r1, r7"  # steps of 2
    assert both(loop(0, 10, body), 0, counted=False) == ("ok", 10 * 1000 + 20)


@pytest.mark.parametrize(
    ("p", "want"), [(6, ("ok", 6015)), (True, None), (2.5, None), (None, None), (MAX, None)]
)
def test_parameter_bound(p: Any, want: Any) -> None:
    # Only the int-specialised variant knows the bound is an int; others keep the while form.
    src = loop(0, "MOV r2, r9", "  LDI r7, 3\n  CMP r1, r7\n  JMPEQ done" if p == MAX else "")
    got = both(src, p, counted=None)
    assert want is None or got == want


def test_error_in_body_and_in_inlined_exit() -> None:
    # get_field on a 3-item list at index r1: fails in the body at r1 == 3 ...
    mk = "  CALL create_array\n  MOV r8, r0\n  PUSHARG r8\n  PUSHARG r1\n  CALL append\n"
    get = "  PUSHARG r8\n  PUSHARG r1\n  CALL get_field"
    src = loop(0, 5, get).replace("  LDI r3, 0\n", "  LDI r3, 0\n" + mk * 3, 1)
    kind, (msg, _) = both(src, 0)
    assert kind == "error" and "index" in msg.lower()
    # ... and in the (short, inlined) exit block after the loop: get_field(xs, 2) with r1 == 2.
    src = loop(0, 2, after=get + "\n  RET r0").replace("  LDI r3, 0\n", "  LDI r3, 0\n" + mk, 1)
    assert both(src, 0)[0] == "error"


NESTED = """\
.function main(p)
  LDI r1, 0
  LDI r2, 4
  LDI r3, 0
outer:
  CMP r1, r2
  JMPGT done
  JMPEQ done
  MOV r4, r1
inner:
  CMP r4, r2
  JMPGT next
  JMPEQ next
  ADD r3, r3, r4
  LDI r5, 1
  ADD r4, r4, r5
  JMP inner
next:
  LDI r5, 1
  ADD r1, r1, r5
  JMP outer
done:
  LDI r6, 100
  MUL r0, r1, r6
  ADD r0, r0, r4
  MUL r0, r0, r6
  ADD r0, r0, r3
  RET r0
.end
"""


def test_nested_counted_loops() -> None:
    total = sum(j for i in range(4) for j in range(i, 4))
    assert both(NESTED, 0) == ("ok", (4 * 100 + 4) * 100 + total)
    assert "for r4 in range(" in make_vm(NESTED).source


def stepped(start: int, bound: int, step: int, body: str = "", after: str = "") -> str:
    """Like ``loop`` with a step register r5 set before the loop (invariant, not a literal)."""
    src = loop(start, bound, body, after)
    src = src.replace("  LDI r5, 1\n  ADD r1, r1, r5", "  ADD r1, r1, r5")
    return src.replace("  LDI r3, 0\n", f"  LDI r3, 0\n  LDI r5, {step}\n", 1)


@pytest.mark.parametrize(
    ("start", "bound", "step"),
    [(0, 20, 3), (0, 21, 3), (5, 5, 2), (9, 2, 4), (-7, 7, 7), (0, 10, 100), (0, 1, 1)],
)
def test_register_step(start: int, bound: int, step: int) -> None:
    trip = range(start, bound, step)
    final = trip[-1] + step if trip else start
    assert both(stepped(start, bound, step), 0) == ("ok", final * 1000 + sum(trip))


@pytest.mark.parametrize(("start", "step"), [(MAX - 5, 4), (MAX - 5, 6), (MAX - 1, MAX), (0, MAX)])
def test_register_step_overflowing_last_increment(start: int, step: int) -> None:
    # The last value + step > MAX: the run-time test picks the while form, which reports it.
    src = stepped(start, MAX, step, after="  MOV r0, r1").replace("  ADD r3, r3, r1\n", "")
    kind, value = both(src, 0)
    if range(start, MAX, step)[-1] + step > MAX:
        assert kind == "error" and "overflow" in value[0].lower()
    else:
        assert kind == "ok"


@pytest.mark.parametrize("step", [0, -1, -3])
def test_non_positive_step_takes_while_form(step: int) -> None:
    # Without the break after 6 trips (counted in r8) these would never reach the bound.
    body = "  LDI r7, 1\n  ADD r8, r8, r7\n  LDI r7, 5\n  CMP r8, r7\n  JMPGT done"
    src = stepped(4, 10, step, body).replace("  LDI r3, 0\n", "  LDI r3, 0\n  LDI r8, 0\n", 1)
    assert both(src, 0)[0] == "ok"
