"""Clear-code VM benchmark: StoffelLang on our VM (-O2, clear backend) vs the same algorithm
as plain Python under CPython, in one run.

    .venv/bin/python bench/vm_clear.py [--repeat 7] [--scale 1.0]

Three workloads: recursive fib, nested loops with list updates, a sieve. For each, the
median CPU time (``time.process_time``: steadier than wall time on a busy machine) of the
VM run (compilation excluded) and of CPython, and their ratio
(VM time / CPython time; lower is better). Reported, not asserted.
"""

from __future__ import annotations

import argparse
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


def _median(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.process_time()
        result = fn()
        times.append(time.process_time() - start)
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply problem sizes")
    args = ap.parse_args()
    sizes = {"fib": 22, "nested": int(300 * args.scale), "sieve": int(200_000 * args.scale)}
    work = [
        ("fib", FIB, py_fib, sizes["fib"] + (1 if args.scale > 1 else 0)),
        ("nested loops", NESTED, py_nested, sizes["nested"]),
        ("sieve", SIEVE, py_sieve, sizes["sieve"]),
    ]
    print(f"{'workload':<14} {'VM (s)':>9} {'CPython (s)':>12} {'ratio':>8}")
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, template, py, n in work:
            path = Path(tmp) / f"{name.replace(' ', '_')}.stfl"
            path.write_text(template.format(n=n), encoding="utf-8")
            binary = compile(str(path), 2).binary
            vm = VM(binary, backend=ClearBackend(), natives=NATIVES)  # compiled to Python once
            vm_time, vm_result = _median(lambda vm=vm: vm.run("main"), args.repeat)
            py_time, py_result = _median(lambda py=py, n=n: py(n), args.repeat)
            if vm_result != py_result:
                raise SystemExit(f"{name}: VM gave {vm_result}, CPython {py_result}")
            ratio = vm_time / py_time
            ratios.append(ratio)
            print(f"{name:<14} {vm_time:>9.4f} {py_time:>12.4f} {ratio:>7.2f}x")
    geo = statistics.geometric_mean(ratios)
    print(f"{'geomean':<14} {'':>9} {'':>12} {geo:>7.2f}x  (VM time / CPython time)")


if __name__ == "__main__":
    main()
