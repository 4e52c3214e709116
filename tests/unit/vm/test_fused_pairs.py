"""``CMP; Jx L; Jy L`` (the compiler's ``a >= b`` / ``a <= b`` / ``a != b`` branch when the other
side falls through) is one Python test in the optimised code. Results, errors and instruction
counts must match the hook-mode code, which runs every instruction on its own."""

from __future__ import annotations

import math
from typing import Any

import pytest

from stoffel.vm.errors import VMError
from stoffel.vm.hooks import Hooks
from stoffel.vm.testing import make_vm

PAIRS = [("JMPGT", "JMPEQ"), ("JMPEQ", "JMPGT"), ("JMPLT", "JMPEQ"), ("JMPLT", "JMPGT")]


def straight(j1: str, j2: str, a: str, b: str) -> str:
    """Straight-line: return 1 if the pair jumps, else 2."""
    return (
        f".function main()\n  LDI r1, {a}\n  LDI r2, {b}\n  CMP r1, r2\n  {j1} yes\n  {j2} yes\n"
        "  LDI r0, 2\n  RET r0\nyes:\n  LDI r0, 1\n  RET r0\n.end\n"
    )


def loop(j1: str, j2: str, limit: str) -> str:
    """Count up from 0 while the pair does not jump (a loop header exit test)."""
    operands = "r2, r1" if (j1, j2) == ("JMPLT", "JMPEQ") else "r1, r2"  # always terminates
    return (
        f".function main()\n  LDI r1, 0\n  LDI r2, {limit}\n  LDI r3, 1\nhead:\n"
        f"  CMP {operands}\n  {j1} out\n  {j2} out\n  ADD r1, r1, r3\n  JMP head\n"
        "out:\n  RET r1\n.end\n"
    )


def outcome(src: str, hooked: bool, *args: Any) -> tuple[Any, int]:
    hooks = Hooks()
    seen = [0]
    if hooked:
        hooks.instruction.append(lambda fn, pc, ins: seen.__setitem__(0, seen[0] + 1))
    vm = make_vm(src, hooks=hooks, budget=100_000)
    result = vm.run("main", list(args))
    return result, seen[0] if hooked else vm.stats.instructions


def both(src: str) -> tuple[Any, int]:
    fast, plain = outcome(src, False), outcome(src, True)
    assert fast == plain or (
        isinstance(fast[0], float) and math.isnan(fast[0]) and fast[1] == plain[1]
    )
    return fast


@pytest.mark.parametrize(("j1", "j2"), PAIRS)
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("1", "2"),
        ("2", "2"),
        ("3", "2"),
        ("1.5", "2"),
        ("nan", "1.0"),
        ("true", "false"),
        ("false", "false"),
        ("7i32", "7"),
        ('"a"', '"b"'),
        ("()", "()"),
    ],
)
def test_straight_line_pairs_agree_with_hook_mode(j1: str, j2: str, a: str, b: str) -> None:
    both(straight(j1, j2, a, b))


@pytest.mark.parametrize(("j1", "j2"), PAIRS)
def test_loop_header_pairs_count_exactly(j1: str, j2: str) -> None:
    # The exit is taken through the first or the second jump depending on the pair.
    for limit in ("0", "3", "-2", "3.0", "2.5"):
        both(loop(j1, j2, limit))


def test_pair_is_one_python_test() -> None:
    vm = make_vm(loop("JMPGT", "JMPEQ", "5"))
    assert "r1 >= r2" in vm.source and "fl" not in vm.source
    assert vm.run("main") == 5
    assert vm.stats.instructions == 3 + 5 * 5 + 3 + 1


def test_second_jump_with_a_label_is_not_fused() -> None:
    # Another jump reaches the second conditional jump: it must keep its own block.
    src = (
        ".function main()\n  LDI r1, 2\n  LDI r2, 2\n  CMP r1, r2\n  JMPGT yes\nagain:\n"
        "  JMPEQ yes\n  LDI r0, 2\n  RET r0\nyes:\n  LDI r0, 1\n  RET r0\n.end\n"
    )
    assert both(src) == (1, 7)


def test_flag_live_after_pair_is_not_fused() -> None:
    # A third jump reads the same flag: the pair must not swallow it.
    src = (
        ".function main()\n  LDI r1, 1\n  LDI r2, 2\n  CMP r1, r2\n  JMPGT yes\n  JMPEQ yes\n"
        "  JMPLT less\n  LDI r0, 3\n  RET r0\nless:\n  LDI r0, 2\n  RET r0\n"
        "yes:\n  LDI r0, 1\n  RET r0\n.end\n"
    )
    assert both(src) == (2, 8)


def test_pair_on_incomparable_values_raises_at_the_cmp() -> None:
    src = straight("JMPGT", "JMPEQ", '"a"', "1")
    for hooked in (False, True):
        with pytest.raises(VMError, match="Cannot compare string and int64") as exc:
            outcome(src, hooked)
        assert exc.value.pc == 2


def counter(start: int, limit: str, step: int) -> str:
    """``x = start; while x < limit: x += step`` with the compiler's exit test shape."""
    return (
        f".function main()\n  LDI r1, {start}\n  LDI r2, {limit}\nhead:\n"
        f"  CMP r1, r2\n  JMPGT out\n  JMPEQ out\n  LDI r3, {step}\n  ADD r1, r1, r3\n  JMP head\n"
        "out:\n  RET r1\n.end\n"
    )


MAX = (1 << 63) - 1


def test_increment_below_a_bound_needs_no_overflow_check() -> None:
    src = counter(MAX - 3, str(MAX), 1)
    assert "_ovf" not in make_vm(src).source
    assert both(src)[0] == MAX


@pytest.mark.parametrize(("start", "limit", "step"), [(MAX - 3, MAX, 2), (MAX - 2, MAX - 1, 3)])
def test_larger_steps_keep_the_check_and_overflow(start: int, limit: int, step: int) -> None:
    src = counter(start, str(limit), step)
    assert "_ovf('ADD'" in make_vm(src).source
    for hooked in (False, True):
        with pytest.raises(VMError, match="Integer overflow in ADD operation"):
            outcome(src, hooked)


def test_bound_from_a_register_and_a_float_counter() -> None:
    # A register bound allows only +1; a float counter takes the generic path anyway.
    src = counter(MAX - 2, str(MAX), 1).replace(f"LDI r2, {MAX}", "LDI r2, 5\n  ADD r2, r2, r2")
    assert both(src)[0] == MAX - 2
    assert both(counter(0, "2.5", 1).replace("LDI r1, 0", "LDI r1, 0.5"))[0] == 2.5


MIN = -(1 << 63)


def guarded(x: int, jump: str, k: int, op: str, c: int) -> tuple[str, int]:
    """``if x <jump> k: return 0`` then ``x op c`` (the bound holds in the fall-through)."""
    return (
        f".function main(x)\n  MOV r1, r0\n  LDI r2, {k}\n  CMP r1, r2\n  {jump} out\n"
        f"  LDI r3, {c}\n  {op} r1, r1, r3\n  RET r1\nout:\n  LDI r0, 0\n  RET r0\n.end\n",
        x,
    )


@pytest.mark.parametrize(
    ("prog", "checked", "want"),
    [
        (guarded(MIN + 2, "JMPLT", MIN + 2, "SUB", 2), False, MIN),
        (guarded(MAX - 1, "JMPGT", MAX - 1, "ADD", 1), False, MAX),
        (guarded(MIN + 2, "JMPLT", MIN + 2, "SUB", 3), True, None),
        (guarded(MAX - 1, "JMPGT", MAX - 1, "ADD", 2), True, None),
        (guarded(5, "JMPLT", 0, "ADD", 1), True, 6),  # x >= 0 says nothing about x + 1
    ],
)
def test_bounds_from_a_guard_drop_only_safe_checks(
    prog: tuple[str, int], checked: bool, want: Any
) -> None:
    src, x = prog
    assert ("_ovf" in make_vm(src).source) == checked
    if want is not None:
        fast, plain = outcome(src, False, x), outcome(src, True, x)
        assert fast == plain and fast[0] == want
        return
    for hooked in (False, True):
        with pytest.raises(VMError, match=r"Integer overflow in (ADD|SUB) operation"):
            outcome(src, hooked, x)
