"""Mutation fuzzing: corrupted bytecode must give a clean BytecodeError/VMError or finish.

Default run: 10,000 mutants (bit flips, truncations, byte insertions, length-field
corruption) of a small corpus; ``-m slow`` runs many more.
"""

from __future__ import annotations

import random
import struct

import pytest

from stoffel.runtime.backends.clear import ClearBackend
from stoffel.vm.asm import assemble
from stoffel.vm.errors import BytecodeError, VMError
from stoffel.vm.interpreter import VM
from stoffel.vm.isa import OPERANDS, Instruction, Opcode, Operand, decode, encode
from stoffel.vm.testing import FIB_FUNCTION

CORPUS_SRC = [
    """\
.version 1
"""
    + FIB_FUNCTION
    + """\
.function main()
  LDI r1, 12
  PUSHARG r1
  CALL fib
  PUSHARG r0
  CALL print
  RET r0
.end
""",
    """
.version 9
.client 0 in=int64,bool out=int64
.demand 3 1 0 0 1
.function main()
  CALL create_array
  MOV r5, r0
  LDI r1, 0
loop:
  LDI r2, 20
  CMP r1, r2
  JMPEQ done
  PUSHARG r5
  PUSHARG r1
  CALL append
  LDI r3, 1
  ADD r1, r1, r3
  JMP loop
done:
  LDI r16, 7
  LDI r17, 3
  MUL r18, r16, r17
  MOV r2, r18
  PUSHARG r5
  CALL len
  ADD r0, r0, r2
  STS 1, r0
  LDS r3, 1
  PUSHARG r5
  LDI r4, "x"
  PUSHARG r4
  CALL print
  RET r3
.end
""",
    """
.version 5
.function helper(a, b) upvalues=u
  LDI r2, "u"
  PUSHARG r2
  CALL get_upvalue
  XOR r0, r0, r1
  NOT r0, r0
  LD r3, 0
  RET r0
.end
.function main()
  LDI r1, 1.5
  LDI r2, 2u8
  LDI r3, "s"
  LDI r4, true
  LDI r6, ()
  LDI r7, -3i32
  DIV r8, r1, r1
  SHL r9, r2, r2
  PUSHARG r1
  PUSHARG r7
  CALL to_string
  NOP
  RET r0
.end
""",
]
CORPUS = [encode(assemble(s)) for s in CORPUS_SRC]


NAMES = [
    "print",
    "len",
    "append",
    "get_field",
    "set_field",
    "main",
    "fib",
    "helper",
    "range",
    "create_array",
    "Share.open",
    "Share.mul",
    "array_concat",
    "sort",
    "pop",
    "to_string",
]


def mutate_program(data: bytes, rng: random.Random) -> bytes:
    """Replace one instruction by a random well-formed one (exercises the VM, not the reader)."""
    prog = decode(data)
    fn = rng.choice(prog.functions)
    if not fn.instructions:
        return data
    op = rng.choice(list(Opcode))
    args: list[object] = []
    for kind in OPERANDS[op]:
        if kind is Operand.REG:
            args.append(rng.choice((0, 1, 2, 3, 5, 16, 17, 18, 40)))
        elif kind is Operand.CONST:
            args.append(rng.randrange(max(1, len(prog.constants))))
        elif kind is Operand.LABEL:
            args.append(rng.choice([*fn.labels, "nowhere"]))
        elif kind is Operand.NAME:
            args.append(rng.choice(NAMES))
        elif kind is Operand.OFFSET:
            args.append(rng.randint(-3, 1))
        else:
            args.append(rng.randrange(4))
    fn.instructions[rng.randrange(len(fn.instructions))] = Instruction(op, tuple(args))
    return encode(prog)


def mutate(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    kind = rng.randrange(7)
    if kind >= 5:
        return mutate_program(data, rng)
    if kind == 0:  # bit flips
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
    elif kind == 1:  # truncation
        del b[rng.randrange(len(b)) :]
    elif kind == 2:  # byte insertions
        for _ in range(rng.randint(1, 3)):
            b.insert(rng.randrange(len(b) + 1), rng.randrange(256))
    elif kind == 3:  # length/count field corruption: overwrite a u16/u32 with an extreme value
        width = rng.choice((2, 4))
        i = rng.randrange(max(1, len(b) - width))
        value = rng.choice((0, 1, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, rng.randrange(1 << (8 * width))))
        value &= (1 << (8 * width)) - 1
        b[i : i + width] = struct.pack("<H" if width == 2 else "<I", value)
    else:  # random byte replacement
        for _ in range(rng.randint(1, 6)):
            b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def check(data: bytes) -> str:
    try:
        vm = VM(data, budget=20_000, max_array=10_000, backend=ClearBackend())
    except BytecodeError:
        return "rejected"
    try:
        vm.run()
    except VMError:
        return "error"
    return "ok"


def fuzz(n: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    counts = {"rejected": 0, "error": 0, "ok": 0}
    for i in range(n):
        data = mutate(CORPUS[i % len(CORPUS)], rng)
        try:
            counts[check(data)] += 1
        except Exception as exc:  # pragma: no cover - this is the failure we look for
            raise AssertionError(
                f"mutant {i} (seed {seed}) crashed: {exc!r}: {data.hex()}"
            ) from exc
    return counts


def test_corpus_runs_cleanly() -> None:
    assert [check(d) for d in CORPUS] == ["ok", "ok", "ok"]


def test_mutation_fuzz_10000() -> None:
    counts = fuzz(10_000, seed=1)
    assert sum(counts.values()) == 10_000
    assert counts["rejected"] > 0 and counts["ok"] + counts["error"] > 0


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(2, 12))
def test_mutation_fuzz_slow(seed: int) -> None:
    assert sum(fuzz(20_000, seed).values()) == 20_000


def outcome(data: bytes, hooked: bool) -> tuple[str, object, list[str], int]:
    """(kind, result, printed, executed instructions): counted by the VM itself when
    unhooked, by an instruction hook (one call per executed instruction) when hooked."""
    from stoffel.vm.format import format_value
    from stoffel.vm.hooks import Hooks

    hooks = Hooks()
    seen = [0]
    if hooked:  # any callback switches off the optimising code generator's shortcuts
        hooks.instruction.append(lambda fn, pc, ins: seen.__setitem__(0, seen[0] + 1))
    try:
        vm = VM(data, budget=20_000, max_array=10_000, hooks=hooks)
    except BytecodeError:
        return ("rejected", None, [], 0)
    try:
        result = vm.run()
    except VMError:
        return ("error", None, vm.printed, 0)
    count = seen[0] if hooked else vm.stats.instructions
    return ("ok", format_value(result), vm.printed, count)


def test_optimised_and_plain_code_agree_on_mutants() -> None:
    rng = random.Random(99)
    compared = 0
    for i in range(800):
        data = CORPUS[i % len(CORPUS)]
        for _ in range(rng.randint(1, 3)):
            data = mutate_program(data, rng)
        fast, plain = outcome(data, False), outcome(data, True)
        assert fast == plain, (i, data.hex())
        compared += fast[0] != "rejected"
    assert compared > 100
