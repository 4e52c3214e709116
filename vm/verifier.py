"""Semantic checks on a decoded program, run before any instruction executes (DESIGN §4).

Structure (truncation, tags, limits) is :func:`stoffel.vm.isa.decode`'s job; here we check what
the instructions refer to: registers, constant indices, labels and jump targets, call targets,
parameter counts, manifest sanity. Each failure is a :class:`BytecodeError` naming the function
and instruction index.
"""

from __future__ import annotations

from collections.abc import Callable

from stoffel.vm.errors import BytecodeError
from stoffel.vm.isa import JUMPS, OPERANDS, Function, Opcode, Operand, Program

#: Highest absolute register index we accept. The on-disk field is u32, but a frame this wide
#: is already absurd for any real program; larger indices are corruption.
MAX_REGISTER = 1 << 16
#: Highest spill slot index accepted (slots live in a dict, but refuse obvious corruption).
MAX_SPILL_SLOT = 1 << 20
#: Widest share type we accept in a manifest.
MAX_SHARE_BITS = 256


def frame_size(fn: Function) -> int:
    """Normalised register count: max(declared, 1, #params, highest register + 1) (§1.1)."""
    highest = -1
    for ins in fn.instructions:
        for kind, arg in zip(OPERANDS[ins.op], ins.args, strict=True):
            if kind is Operand.REG and arg > highest:
                highest = arg
    return max(fn.register_count, 1, len(fn.params), highest + 1)


def verify_function(
    fn: Function, n_constants: int, resolves: Callable[[str], bool], where: str = ""
) -> None:
    prefix = f"function '{fn.name}'"
    n = len(fn.instructions)
    for label, target in fn.labels.items():
        if target > n:
            raise BytecodeError(
                f"{prefix}: label '{label}' points at instruction {target}, "
                f"but the function has {n} instruction(s)"
            )
    for i, ins in enumerate(fn.instructions):
        at = f"{prefix} instruction {i} ({ins.op.name})"
        for kind, arg in zip(OPERANDS[ins.op], ins.args, strict=True):
            if kind is Operand.REG and arg >= MAX_REGISTER:
                raise BytecodeError(
                    f"{at}: register r{arg} is out of range (max r{MAX_REGISTER - 1})"
                )
            if kind is Operand.CONST and arg >= n_constants:
                raise BytecodeError(
                    f"{at}: constant index {arg} is out of range ({n_constants} constant(s))"
                )
            if kind is Operand.SLOT and arg >= MAX_SPILL_SLOT:
                raise BytecodeError(f"{at}: spill slot {arg} is out of range")
        if ins.op in JUMPS and ins.args[0] not in fn.labels:
            raise BytecodeError(f"{at}: jump to undefined label '{ins.args[0]}'")
        if ins.op is Opcode.CALL and not resolves(ins.args[0]):
            raise BytecodeError(f"{at}: call to unknown function '{ins.args[0]}'")


def dedupe_functions(program: Program) -> dict[str, Function]:
    """Name → function; byte-identical duplicates are dropped, conflicting ones rejected."""
    by_name: dict[str, Function] = {}
    for fn in program.functions:
        prior = by_name.get(fn.name)
        if prior is None:
            by_name[fn.name] = fn
        elif prior != fn:
            raise BytecodeError(f"function '{fn.name}' is defined twice with different bodies")
    return by_name


def verify_program(program: Program, resolves: Callable[[str], bool]) -> dict[str, Function]:
    """Check everything; return the deduplicated function table."""
    functions = dedupe_functions(program)
    for fn in functions.values():
        verify_function(fn, len(program.constants), resolves)
        if fn.parent is not None and fn.parent not in functions:
            raise BytecodeError(f"function '{fn.name}': parent '{fn.parent}' is not defined")
    if program.manifest is not None:
        for c in program.manifest.clients:
            for ty in (*c.inputs, *c.outputs):
                if not 1 <= ty.bits <= MAX_SHARE_BITS:
                    raise BytecodeError(
                        f"manifest client {c.slot}: share width {ty.bits} is out of range"
                    )
    return functions
