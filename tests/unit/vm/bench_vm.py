"""Micro-benchmark: hand-assembled bytecode on the VM vs the same algorithm in CPython.

Run: ``.venv/bin/python tests/unit/vm/bench_vm.py`` (not collected by pytest).
"""

from __future__ import annotations

import time

from stoffel.vm.asm import assemble
from stoffel.vm.interpreter import VM
from stoffel.vm.testing import FIB_FUNCTION

FIB = (
    FIB_FUNCTION
    + """\
.function main(n)
  PUSHARG r0
  CALL fib
  RET r0
.end
"""
)

# for i in range(n): for j in range(n): xs[j] = xs[j] + i*j   (xs has n zeros)
NESTED = """
.function main(n)
  MOV r6, r0
  CALL create_array
  MOV r5, r0
  MOV r0, r6
  LDI r1, 0
fill:
  CMP r1, r0
  JMPGT filled
  JMPEQ filled
  PUSHARG r5
  LDI r2, 0
  PUSHARG r2
  CALL append
  MOV r0, r6
  LDI r2, 1
  ADD r1, r1, r2
  JMP fill
filled:
  LDI r1, 0
outer:
  CMP r1, r0
  JMPEQ done
  LDI r2, 0
inner:
  CMP r2, r0
  JMPEQ next
  PUSHARG r5
  PUSHARG r2
  CALL get_field
  MUL r4, r1, r2
  ADD r4, r0, r4
  MOV r0, r6
  PUSHARG r5
  PUSHARG r2
  PUSHARG r4
  CALL set_field
  MOV r0, r6
  LDI r3, 1
  ADD r2, r2, r3
  JMP inner
next:
  LDI r3, 1
  ADD r1, r1, r3
  JMP outer
done:
  PUSHARG r5
  LDI r3, 0
  PUSHARG r3
  CALL get_field
  RET r0
.end
"""


def py_fib(n: int) -> int:
    if n < 2:
        return n
    return py_fib(n - 1) + py_fib(n - 2)


def py_nested(n: int) -> int:
    xs = [0] * n
    for i in range(n):
        for j in range(n):
            xs[j] = xs[j] + i * j
    return xs[0]


def py_sieve(n: int) -> int:
    flags = [True] * (n + 1)
    count = 0
    i = 2
    while i <= n:
        if flags[i]:
            count += 1
            j = i * i
            while j <= n:
                flags[j] = False
                j += i
        i += 1
    return count


SIEVE = """
.function main(n)
  MOV r6, r0          ; n
  CALL create_array
  MOV r5, r0          ; flags
  LDI r1, 0
fill:
  CMP r1, r6
  JMPGT filled
  PUSHARG r5
  LDI r2, true
  PUSHARG r2
  CALL append
  LDI r2, 1
  ADD r1, r1, r2
  JMP fill
filled:
  LDI r7, 0           ; count
  LDI r1, 2           ; i
outer:
  CMP r1, r6
  JMPGT done
  PUSHARG r5
  PUSHARG r1
  CALL get_field
  LDI r2, true
  CMP r0, r2
  JMPNEQ next
  LDI r2, 1
  ADD r7, r7, r2
  MUL r3, r1, r1      ; j
inner:
  CMP r3, r6
  JMPGT next
  PUSHARG r5
  PUSHARG r3
  LDI r2, false
  PUSHARG r2
  CALL set_field
  ADD r3, r3, r1
  JMP inner
next:
  LDI r2, 1
  ADD r1, r1, r2
  JMP outer
done:
  RET r7
.end
"""


REPEAT = 9


def timed(fn, *args):  # type: ignore[no-untyped-def]
    best = float("inf")
    result = None
    for _ in range(REPEAT):
        t = time.process_time()
        result = fn(*args)
        best = min(best, time.process_time() - t)
    return best, result


def main() -> None:
    cases = [
        ("fib(25)", FIB, py_fib, 25),
        ("nested 300x300", NESTED, py_nested, 300),
        ("sieve(200000)", SIEVE, py_sieve, 200_000),
    ]
    for name, src, py, arg in cases:
        vm = VM(assemble(src))
        tv, rv = timed(vm.run, "main", [arg])
        tp, rp = timed(py, arg)
        assert rv == rp, (name, rv, rp)
        ms = f"vm {tv * 1000:8.1f} ms   cpython {tp * 1000:8.1f} ms"
        print(f"{name:16s} {ms}   ratio {tv / tp:5.2f}x")


if __name__ == "__main__":
    main()
