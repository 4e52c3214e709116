"""The StoffelVM layer: STFL bytecode, loader/verifier, register VM, builtins (DESIGN §4).

Module map (dependencies point down; nothing here imports ``stoffel.compiler``):

* ``isa`` — the one definition of opcodes, operand kinds, values and the STFL v1–v9 layout;
  ``encode``/``write_binary``/``decode``. ``binio`` — bounds-checked little-endian primitives.
* ``loader`` (+ ``verifier``, ``sourcemap``) — decode, deduplicate, verify, normalise frame
  sizes, attach the ``.stflb.map`` sidecar. ``errors`` — ``BytecodeError``, ``VMError``.
* ``asm`` / ``disasm`` — text assembler (tests, compiler tests) and disassembler.
* ``interpreter`` — the ``VM``: compiles each function to Python once (``codegen``,
  ``emitblock``, ``cfg``, ``loops``, ``inline``) and runs it; ``hooks`` for tracing.
* ``values`` / ``format`` / ``arith`` — run-time values, printing, clear arithmetic.
* ``secrets`` — shares, pending values and the batching scheduler (the VM↔backend boundary).
* ``builtins`` / ``builtins_list`` / ``builtins_mpc`` (+ ``registry``) — builtin functions.
* ``testing`` — helpers to assemble and run snippets in tests.
"""
