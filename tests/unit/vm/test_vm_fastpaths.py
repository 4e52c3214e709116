"""Fast paths of the code generator that must not show: chunked budget ticks in counted loops
(vm/chunked.py), if/else arms, list stores with negative indexes, call arguments folded into
the call, the first parameter named after its MOV, and the shared counter cell.

Each StoffelLang program runs twice: optimised, and with an instruction hook (which turns all
of these off). Results, printed lines, error texts and locations, and instruction counts must
agree, also when the budget runs out midway through a loop."""

from __future__ import annotations

from typing import Any

import pytest

from stoffel.api import NATIVES, compile
from stoffel.runtime.backends.clear import ClearBackend
from stoffel.vm.errors import VMError
from stoffel.vm.hooks import Hooks
from stoffel.vm.interpreter import VM


def run(src: str, hooked: bool, budget: int | None = None) -> tuple[Any, ...]:
    """(kind, result or error, printed lines, instruction count, generated source)."""
    program = compile(src, 2)
    hooks = Hooks()
    seen = [0]
    if hooked:
        hooks.instruction.append(lambda fn, pc, ins: seen.__setitem__(0, seen[0] + 1))
    vm = VM(
        program.binary,
        backend=ClearBackend(),
        natives=NATIVES,
        hooks=hooks,
        budget=budget,
        source_map=program.source_map,
    )
    try:
        result = vm.run("main")
    except VMError as e:
        where = [(f.function, f.pc, f.location) for f in e.stack]
        return ("error", (e.message, where), vm.printed, vm.stats.instructions, vm.source)
    count = seen[0] if hooked else vm.stats.instructions
    return ("ok", result, vm.printed, count, vm.source)


def both(src: str, budget: int | None = None) -> tuple[Any, ...]:
    """Run optimised and hooked; they must agree (on the count too, when both finish: after
    an error the count of a function without loops differs between the modes, as before)."""
    fast, plain = run(src, False, budget), run(src, True, budget)
    assert fast[:3] == plain[:3]
    assert fast[0] == "error" or fast[3] == plain[3]
    return fast


SUM = """\
def main() -> int64:
  var xs: list[int64] = []
  for i in 0..{n}:
    xs.append(i)
  var total = 0
  for i in 0..{n}:
    total += xs[i] * 3
  return total
"""


@pytest.mark.parametrize("n", [0, 1, 2, 240, 241, 242, 1000, 5000])
def test_chunked_loop_counts_match_per_iteration_counting(n: int) -> None:
    kind, result, _, _, source = both(SUM.format(n=n))
    assert (kind, result) == ("ok", 3 * sum(range(n)))
    assert "while _r > 0:" in source  # the chunked form was used


COUNT_IF = """\
def main() -> int64:
  var flags: list[bool] = []
  for i in 0..{n}:
    flags.append(i % 3 == 0)
  var count = 0
  for f in flags:
    if f:
      count += 1
    else:
      count += 0
  return count
"""


@pytest.mark.parametrize("n", [0, 5, 700, 3000])
def test_if_else_arms_inside_a_chunked_loop(n: int) -> None:
    kind, result, *_ = both(COUNT_IF.format(n=n))
    assert (kind, result) == ("ok", len(range(0, n, 3)))


PRINTING = """\
def main() -> int64:
  var total = 0
  for i in 0..100000:
    total += i
    if i % 500 == 0:
      print(i)
  return total
"""


@pytest.mark.parametrize("budget", [3_000, 20_000, 123_457])
def test_budget_runs_out_midway_through_a_chunked_loop(budget: int) -> None:
    kind, (message, _), printed, _, _ = both(PRINTING, budget)
    assert kind == "error" and "budget" in message.lower()
    assert printed  # stopped after some iterations, at the same one as hook mode


def test_budget_not_exceeded_exactly_at_the_limit() -> None:
    count = run(SUM.format(n=3000), True)[3]
    assert both(SUM.format(n=3000), count)[0] == "ok"
    assert both(SUM.format(n=3000), count - 5000)[0] == "error"


OVERFLOW = """\
def main() -> int64:
  var x = 1
  for i in 0..100:
    x = x * 3
  return x
"""


def test_overflow_inside_a_chunked_loop() -> None:
    kind, (message, where), *_ = both(OVERFLOW)
    assert kind == "error" and "overflow" in message.lower()
    assert where[0][2] is not None and where[0][2].line == 4


OUT_OF_RANGE = """\
def main() -> int64:
  var xs: list[int64] = []
  for i in 0..1000:
    xs.append(i)
  var total = 0
  for i in 0..2000:
    total += xs[i]
  return total
"""


def test_error_midway_keeps_the_count_and_location() -> None:
    # The instruction count after the error includes the iterations the chunk completed.
    kind, (message, where), _, count, _ = both(OUT_OF_RANGE)
    assert kind == "error" and "out of bounds" in message
    assert where[0][2].line == 7
    assert count == run(OUT_OF_RANGE, True)[3] > 1000 * 11  # the counter, both modes


NEGATIVE = """\
def main() -> int64:
  var xs: list[int64] = []
  for i in 0..10:
    xs.append(0)
  for i in 0..10:
    xs[i - 10] = i
  var total = 0
  for i in 0..10:
    total = total * 10 + xs[i]
  return total
"""


def test_negative_index_store_in_a_loop() -> None:
    assert both(NEGATIVE)[:2] == ("ok", 123456789)
    kind, (message, _), *_ = both(NEGATIVE.replace("i - 10", "i - 11"))
    assert kind == "error" and "index -11 out of bounds for length 10" in message


FIB = """\
def fib(n: int64) -> int64:
  if n < 2:
    return n
  return fib(n - 1) + fib(n - 2)

def main() -> int64:
  return fib({n})
"""


def test_recursive_calls_with_folded_arguments() -> None:
    kind, result, _, _, source = both(FIB.format(n=15))
    assert (kind, result) == ("ok", 610)
    assert "(r1 - 1)" in source  # the argument expression went into the call


@pytest.mark.parametrize("budget", [500, 5_000, 20_000])
def test_budget_in_recursion(budget: int) -> None:
    assert both(FIB.format(n=15), budget)[0] == "error"


def test_budget_exhausted_by_a_large_budget_still_checked() -> None:
    # Budgets beyond a one-digit CPython int take the two-stage test at function entry.
    assert both(FIB.format(n=12), 1 << 40)[:2] == ("ok", 144)
    assert "1073741823 and _N > 1099511627776" in run(FIB.format(n=12), False, 1 << 40)[4]


def test_counter_is_per_vm_and_reset_per_run() -> None:
    program = compile(FIB.format(n=10), 2)
    a = VM(program.binary, backend=ClearBackend(), natives=NATIVES)
    b = VM(program.binary, backend=ClearBackend(), natives=NATIVES)
    a.run("main")
    first = a.stats.instructions
    a.run("main")
    b.run("main")
    assert a.stats.instructions == first == b.stats.instructions > 0


@pytest.mark.parametrize("n", [10, 300])
def test_benchmark_programs_agree_with_hook_mode(n: int) -> None:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[3] / "bench" / "vm_clear.py"
    spec = importlib.util.spec_from_file_location("vm_clear", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    for template, py, size in [
        (bench.FIB, bench.py_fib, min(n, 12)),
        (bench.NESTED, bench.py_nested, n),
        (bench.SIEVE, bench.py_sieve, n * 10),
    ]:
        assert both(template.format(n=size))[:2] == ("ok", py(size))


PRODUCTS = """\
def main() -> int64:
  var total = 0
  for i in {lo}..{hi}:
    for j in {lo}..{hi}:
      total = i * j
  return total
"""


def test_overflow_check_dropped_only_where_loop_ranges_rule_it_out() -> None:
    kind, result, _, _, source = both(PRODUCTS.format(lo=0, hi=300))
    assert (kind, result) == ("ok", 299 * 299)
    assert "_ovf('MUL'" not in source
    # Near sqrt(2**63) the product can overflow: the check stays and fires.
    kind, (message, where), _, _, source = both(PRODUCTS.format(lo=3037000490, hi=3037000600))
    assert kind == "error" and "overflow" in message.lower() and where[0][2].line == 5
    assert "_ovf('MUL'" in source


HUGE_RANGE = """\
def pick(x: int64) -> int64:
  return x

def main() -> int64:
  var step = pick({step})  # a register step, unknown to the compiler
  var total = 0
  var i = -9223372036854775807
  while i < 9223372036854775000:
    total += 1
    i += step
  return total
"""


@pytest.mark.parametrize("step", [1, 2])
def test_chunked_loop_over_a_range_longer_than_sys_maxsize(step: int) -> None:
    kind, (message, _), _, _, source = both(HUGE_RANGE.format(step=step), 50_000)
    assert kind == "error" and "budget" in message.lower()
    assert "while _r > 0:" in source
