"""Front-end benchmark: check a generated 10,000-line program end to end.

    .venv/bin/python bench/frontend.py [--lines 10000] [--repeat 5]

Generates a realistic program (functions with loops, secrets, objects, lists, an enum,
a secret ``if``), runs ``stoffelc check``'s entry point on it ``--repeat`` times in this
process, and prints the median wall time and lines per second. Reported, not asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from stoffel.compiler.driver import check_file

HEADER = """\
object Account:
  owner: int64
  balance: secret int64

enum Level:
  Low
  Mid = 5
  High

"""

FUNCTION = """\
def work_{i}(xs: list[int64], s: secret int64, limit: int64) -> secret int64:
  # a mix of clear loops, list updates and secret arithmetic
  var acc: secret int64 = s
  var count = 0
  for k in 0..limit:
    if k % 3 == 0:
      count += 1
    elif k > {i}:
      count -= 1
    else:
      xs.append(k * 2)
  var idx = 0
  while idx < len(xs):
    acc = acc + xs[idx]
    idx += 1
  var big: secret bool = acc > {i}
  if big:
    acc = acc * 2
  else:
    acc = acc - 1
  var a = Account(owner: {i}, balance: acc)
  var level: int64 = Level.Mid
  print(f"function {i} at level", level, count)
  return a.balance + count

"""
FUNCTION_LINES = FUNCTION.count("\n")


def generate(lines: int) -> str:
    parts = [HEADER]
    count = max(1, (lines - HEADER.count("\n") - 8) // FUNCTION_LINES)
    parts.extend(FUNCTION.format(i=i) for i in range(count))
    calls = "\n".join(f"  total = total + work_{i}(xs, total, 4)" for i in range(count))
    parts.append(
        "def main() -> int64:\n"
        "  var xs: list[int64] = [1, 2, 3]\n"
        "  var total: secret int64 = 0\n"
        f"{calls}\n"
        "  return total.reveal()\n"
    )
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=10_000, help="program size (lines)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (median reported)")
    args = parser.parse_args(argv)
    source = generate(args.lines)
    line_count = source.count("\n")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.stfl"
        path.write_text(source, encoding="utf-8")
        times, diagnostics = [], []
        for run in range(args.repeat):
            start = time.perf_counter()
            diagnostics = check_file(path)
            times.append(time.perf_counter() - start)
            print(f"  run {run + 1}/{args.repeat}: {times[-1]:.3f} s", file=sys.stderr)
    errors = [d for d in diagnostics if d.is_error]
    if errors:
        print(f"benchmark program has {len(errors)} errors; first: {errors[0].message}")
        return 1
    median = statistics.median(times)
    print(f"front end: {line_count} lines checked end to end")
    print(f"median {median:.3f} s over {args.repeat} runs, {line_count / median:,.0f} lines/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
