"""IR → STFL bytecode (DESIGN §2 item 6).

``layout`` (block order, phi copies, edge splitting), ``regalloc`` (linear scan into the
clear and secret banks, spills), ``moves`` (parallel copies), ``select`` (instruction
selection), ``function`` (one function), ``constants``, ``manifest``, ``program`` (the
whole file and its source map),
``api`` (:func:`compile_program`).
"""

from stoffel.compiler.codegen.api import CompiledProgram, CompileFailed, compile_program

__all__ = ["CompileFailed", "CompiledProgram", "compile_program"]
