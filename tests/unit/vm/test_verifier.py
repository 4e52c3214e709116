"""Each rejection of the loader/verifier: a clear BytecodeError naming what and where."""

from __future__ import annotations

import struct

import pytest

from stoffel.vm.errors import BytecodeError
from stoffel.vm.interpreter import VM
from stoffel.vm.isa import Function, Instruction, Opcode, Program, encode
from stoffel.vm.loader import load_bytes, load_file
from stoffel.vm.verifier import MAX_REGISTER, frame_size


def prog(
    *ins: Instruction,
    labels: dict[str, int] | None = None,
    consts: list[object] | None = None,
    version: int = 1,
    functions: list[Function] | None = None,
) -> bytes:
    fn = Function("main", 1, [], list(ins), labels or {})
    return encode(Program(version, consts or [], [fn, *(functions or [])]))


def reject(data: bytes, *needles: str) -> str:
    with pytest.raises(BytecodeError) as exc:
        VM(data)
    msg = str(exc.value)
    for n in needles:
        assert n in msg, msg
    return msg


GOOD = prog(Instruction(Opcode.LDI, (0, 0)), Instruction(Opcode.RET, (0,)), consts=[1])


def test_good_file_loads() -> None:
    assert VM(GOOD).run() == 1


def test_bad_magic() -> None:
    reject(b"XXXX" + GOOD[4:], "bad magic", "byte offset 0")


@pytest.mark.parametrize("version", [0, 10, 65535])
def test_bad_version(version: int) -> None:
    reject(GOOD[:4] + struct.pack("<H", version) + GOOD[6:], f"version {version}")


@pytest.mark.parametrize("cut", [3, 5, 8, 12, 20, len(GOOD) - 1])
def test_truncation_anywhere(cut: int) -> None:
    reject(GOOD[:cut], "truncated")


def test_trailing_bytes() -> None:
    reject(GOOD + b"\x00", "trailing")


def test_unknown_opcode_names_function_and_instruction() -> None:
    data = bytearray(prog(Instruction(Opcode.NOP), Instruction(Opcode.RET, (0,))))
    i = data.index(bytes([Opcode.NOP]) + bytes([Opcode.RET]))
    data[i] = 0x7F
    reject(bytes(data), "unknown opcode 0x7f", "function 'main' instruction 0")


def test_unknown_constant_tag() -> None:
    data = bytearray(GOOD)
    data[10] = 42  # first constant's tag
    reject(bytes(data), "unknown constant tag 42", "constant pool")


def test_register_out_of_range() -> None:
    reject(
        prog(Instruction(Opcode.MOV, (MAX_REGISTER, 0))),
        f"register r{MAX_REGISTER}",
        "function 'main' instruction 0 (MOV)",
    )


def test_constant_index_out_of_range() -> None:
    reject(prog(Instruction(Opcode.LDI, (0, 3)), consts=[1]), "constant index 3", "instruction 0")


def test_jump_to_undefined_label() -> None:
    reject(prog(Instruction(Opcode.JMP, ("nowhere",))), "undefined label 'nowhere'")


def test_label_beyond_instruction_count() -> None:
    reject(prog(Instruction(Opcode.NOP), labels={"L": 5}), "label 'L' points at instruction 5")


def test_label_at_end_is_allowed() -> None:
    VM(prog(Instruction(Opcode.JMP, ("L",)), labels={"L": 1})).run()


def test_unknown_call_target() -> None:
    reject(prog(Instruction(Opcode.CALL, ("no_such_fn",))), "unknown function 'no_such_fn'")


def test_conflicting_duplicate_functions() -> None:
    other = Function("main", 1, [], [Instruction(Opcode.NOP)])
    reject(prog(Instruction(Opcode.RET, (0,)), functions=[other]), "defined twice")


def test_identical_duplicate_functions_are_dropped() -> None:
    same = Function("main", 1, [], [Instruction(Opcode.RET, (0,))])
    data = prog(Instruction(Opcode.RET, (0,)), functions=[same])
    assert list(load_bytes(data).functions) == ["main"]


def test_undefined_parent() -> None:
    f = Function("g", 1, [], [], parent="nope")
    reject(prog(Instruction(Opcode.RET, (0,)), functions=[f]), "parent 'nope'")


def test_has_parent_flag_must_be_0_or_1() -> None:
    data = bytearray(prog())
    # main record: name(2+4) regs(2) params(2) upvalues(2) has_parent(1)
    at = 4 + 2 + 4 + 4 + 6 + 2 + 2 + 2
    assert data[at] == 0
    data[at] = 2
    reject(bytes(data), "has-parent flag")


def test_absurd_constant_count_is_rejected_before_allocating() -> None:
    data = GOOD[:6] + struct.pack("<I", 0xFFFFFFFF) + GOOD[10:]
    reject(data, "constant count", "exceeds the limit")


def test_count_larger_than_remaining_bytes() -> None:
    data = GOOD[:6] + struct.pack("<I", 999_999) + GOOD[10:]
    reject(data, "truncated", "constant count 999999")


def test_absurd_instruction_count() -> None:
    data = bytearray(prog())
    data[-4:] = struct.pack("<I", 0xFFFFFFF0)
    reject(bytes(data), "instruction count", "exceeds the limit")


def test_absurd_string_length() -> None:
    data = GOOD[:10] + b"\x0b" + struct.pack("<I", 0xFFFFFFFF)
    reject(data, "string constant length", "exceeds the limit")


def test_invalid_utf8() -> None:
    data = GOOD[:10] + b"\x0b" + struct.pack("<I", 2) + b"\xff\xfe" + GOOD[19:]
    reject(data, "not valid UTF-8")


def test_param_type_count_mismatch_v5() -> None:
    data = bytearray(prog(version=5))
    at = 4 + 2 + 4 + 4 + 6 + 2 + 2  # type_count
    data[at : at + 2] = struct.pack("<H", 1)
    reject(bytes(data), "parameter types for 0 parameters")


def test_deeply_nested_type() -> None:
    data = bytearray(prog(version=5))
    at = 4 + 2 + 4 + 4 + 6 + 2 + 2 + 2  # return type
    data[at : at + 1] = bytes([6]) * 5000 + bytes([12])
    reject(bytes(data), "nested deeper")


def test_bad_share_type_in_manifest() -> None:
    from stoffel.vm.asm import assemble

    data = encode(assemble(".version 2\n.client 0 in=fix16.20\n.function main()\n.end\n"))
    reject(data, "fixed-point precision")


def test_unknown_backend_byte() -> None:
    data = bytearray(encode(Program(3, [], [Function("main", 1, [], [])])))
    data[-5] = 9  # backend byte precedes client_count:u32
    reject(bytes(data), "unknown backend 9")


def test_missing_file_is_a_bytecode_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BytecodeError, match="cannot read"):
        load_file(tmp_path / "missing.stflb")


def test_register_count_is_normalised() -> None:
    fn = Function("f", 2, ["a"], [Instruction(Opcode.MOV, (16, 0))])
    assert frame_size(fn) == 17
    assert frame_size(Function("g", 0, [], [])) == 1
    assert frame_size(Function("h", 3, ["a", "b", "c", "d"], [])) == 4
