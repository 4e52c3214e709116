"""Small helpers for tests (here and in the compiler's tests): assemble text and run it."""

from __future__ import annotations

from typing import Any

from stoffel.vm.asm import assemble
from stoffel.vm.interpreter import VM


def make_vm(src: str, **kwargs: Any) -> VM:
    """A VM for assembler text (see :mod:`stoffel.vm.asm`); kwargs go to :class:`VM`."""
    return VM(assemble(src), **kwargs)


def run(src: str, *args: Any, entry: str = "main", **kwargs: Any) -> tuple[Any, VM]:
    """Run ``entry`` of assembler text; returns (result, vm) for inspecting prints/stats."""
    vm = make_vm(src, **kwargs)
    return vm.run(entry, list(args)), vm


def body(lines: str, params: str = "") -> str:
    """A one-function program ``main(params)`` with the given instruction lines."""
    return f".function main({params})\n{lines}\n.end\n"


#: Recursive Fibonacci in assembler text, shared by the VM tests and benchmark.
FIB_FUNCTION = """\
.function fib(n)
  LDI r1, 2
  CMP r0, r1
  JMPLT base
  MOV r4, r0
  LDI r1, 1
  SUB r2, r4, r1
  PUSHARG r2
  CALL fib
  MOV r3, r0
  LDI r1, 2
  SUB r2, r4, r1
  PUSHARG r2
  CALL fib
  ADD r0, r3, r0
  RET r0
base:
  RET r0
.end
"""
