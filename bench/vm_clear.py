"""Clear-code VM benchmark: StoffelLang on our VM (-O2, clear backend) vs the same algorithm
as plain Python under CPython, in one run.

    .venv/bin/python bench/vm_clear.py [--repeat 7] [--scale 1.0]

Three workloads: recursive fib, nested loops with list updates, a sieve, sized so that one VM
run takes roughly 50-200 ms at the default scale (tiny runs are dominated by timer and
scheduling noise). VM and CPython runs alternate, so a busy machine slows both alike. For
each workload: the median CPU time (``time.process_time``: steadier than wall time on a busy
machine) of the VM run (compilation excluded) and of CPython, the ratio of the medians and
the ratio of the minimums (VM time / CPython time; lower is better). Reported, not asserted.
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from stoffel.api import NATIVES, compile
from stoffel.runtime.backends.clear import ClearBackend
from stoffel.vm.interpreter import VM

FIB = """\
def fib(n: int64) -> int64:
  if n < 2:
    return n
  return fib(n - 1) + fib(n - 2)

def main() -> int64:
  return fib({n})
"""

NESTED = """\
def main() -> int64:
  var xs: list[int64] = []
  for i in 0..{n}:
    xs.append(0)
  for i in 0..{n}:
    for j in 0..{n}:
      xs[j] = xs[j] + i * j
  var total = 0
  for v in xs:
    total += v
  return total
"""

SIEVE = """\
def main() -> int64:
  var limit = {n}
  var is_prime: list[bool] = []
  for i in 0..limit:
    is_prime.append(True)
  is_prime[0] = False
  is_prime[1] = False
  var p = 2
  while p * p < limit:
    if is_prime[p]:
      var m = p * p
      while m < limit:
        is_prime[m] = False
        m += p
    p += 1
  var count = 0
  for flag in is_prime:
    if flag:
      count += 1
  return count
"""


# The CPython versions mirror the StoffelLang code statement for statement (same loops, same
# list operations), so the ratio compares the two interpreters, not two algorithms.
def py_fib(n: int) -> int:
    if n < 2:
        return n
    return py_fib(n - 1) + py_fib(n - 2)


def py_nested(n: int) -> int:
    xs: list[int] = []
    for _ in range(n):
        xs.append(0)
    for i in range(n):
        for j in range(n):
            xs[j] = xs[j] + i * j
    total = 0
    for v in xs:
        total += v
    return total


def py_sieve(limit: int) -> int:
    is_prime: list[bool] = []
    for _ in range(limit):
        is_prime.append(True)
    is_prime[0] = False
    is_prime[1] = False
    p = 2
    while p * p < limit:
        if is_prime[p]:
            m = p * p
            while m < limit:
                is_prime[m] = False
                m += p
        p += 1
    count = 0
    for flag in is_prime:
        if flag:
            count += 1
    return count


def _time(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.process_time()
    result = fn()
    return time.process_time() - start, result


def _sizes(scale: float) -> dict[str, int]:
    """Problem sizes: list lengths grow with ``scale``; fib's argument by log_phi(scale), so
    its work (about phi**n calls) grows by the same factor."""
    return {
        "fib": 27 + round(math.log(scale, (1 + 5**0.5) / 2)),
        "nested": int(600 * scale),
        "sieve": int(500_000 * scale),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply problem sizes")
    args = ap.parse_args()
    sizes = _sizes(args.scale)
    work = [
        ("fib", FIB, py_fib, sizes["fib"]),
        ("nested loops", NESTED, py_nested, sizes["nested"]),
        ("sieve", SIEVE, py_sieve, sizes["sieve"]),
    ]
    print(f"{'workload':<14} {'VM (s)':>9} {'CPython (s)':>12} {'ratio':>8} {'min ratio':>10}")
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, template, py, n in work:
            path = Path(tmp) / f"{name.replace(' ', '_')}.stfl"
            path.write_text(template.format(n=n), encoding="utf-8")
            binary = compile(str(path), 2).binary
            vm = VM(binary, backend=ClearBackend(), natives=NATIVES)  # compiled to Python once
            vm_times, py_times = [], []
            for _ in range(args.repeat):  # alternate, so load changes hit both sides alike
                vm_time, vm_result = _time(lambda vm=vm: vm.run("main"))
                py_time, py_result = _time(lambda py=py, n=n: py(n))
                if vm_result != py_result:
                    raise SystemExit(f"{name}: VM gave {vm_result}, CPython {py_result}")
                vm_times.append(vm_time)
                py_times.append(py_time)
            vm_med, py_med = statistics.median(vm_times), statistics.median(py_times)
            ratio = vm_med / py_med
            ratios.append(ratio)
            low = min(vm_times) / min(py_times)
            print(f"{name:<14} {vm_med:>9.4f} {py_med:>12.4f} {ratio:>7.2f}x {low:>9.2f}x")
    geo = statistics.geometric_mean(ratios)
    print(f"{'geomean':<14} {'':>9} {'':>12} {geo:>7.2f}x  (VM time / CPython time, medians)")


if __name__ == "__main__":
    main()
