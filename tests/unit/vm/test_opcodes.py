"""Semantics of every opcode on clear values (DESIGN §4, bytecode.md §2)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from stoffel.vm.errors import VMError
from stoffel.vm.testing import body, run
from stoffel.vm.values import I8, I32, U8, U64, IntV


def binop(op: str, a: str, b: str) -> Any:
    return run(body(f"  LDI r1, {a}\n  LDI r2, {b}\n  {op} r0, r1, r2\n  RET r0"))[0]


def binop_err(op: str, a: str, b: str) -> str:
    with pytest.raises(VMError) as exc:
        binop(op, a, b)
    return exc.value.message


@pytest.mark.parametrize(
    ("op", "a", "b", "want"),
    [
        ("ADD", "2", "3", 5),
        ("SUB", "2", "3", -1),
        ("MUL", "-4", "3", -12),
        ("DIV", "7", "2", 3),
        ("DIV", "-7", "2", -3),
        ("MOD", "-7", "2", -1),
        ("MOD", "7", "-2", 1),
        ("ADD", "100i32", "1i32", IntV(101, I32)),
        ("SUB", "0u8", "0u8", IntV(0, U8)),
        ("MUL", "3u64", "5u64", IntV(15, U64)),
        ("ADD", "1.5", "2", 3.5),
        ("MUL", "2", "0.25", 0.5),
        ("DIV", "1.0", "4.0", 0.25),
        ("MOD", "7.5", "2.0", 1.5),
        ("ADD", '"ab"', '"cd"', "abcd"),
        ("AND", "12", "10", 8),
        ("OR", "12", "10", 14),
        ("XOR", "12", "10", 6),
        ("AND", "true", "false", False),
        ("OR", "true", "false", True),
        ("XOR", "true", "true", False),
        ("SHL", "1", "62", 1 << 62),
        ("SHL", "1", "63", -(1 << 63)),
        ("SHR", "-8", "1", -4),
        ("SHL", "255u8", "1u8", IntV(254, U8)),
    ],
)
def test_binary_ops(op: str, a: str, b: str, want: Any) -> None:
    got = binop(op, a, b)
    assert type(got) is type(want) and got == want


@pytest.mark.parametrize(
    ("op", "a", "b", "msg"),
    [
        ("ADD", "9223372036854775807", "1", "Integer overflow in ADD operation"),
        ("SUB", "-9223372036854775808", "1", "Integer overflow in SUB operation"),
        ("MUL", "4611686018427387904", "2", "Integer overflow in MUL operation"),
        ("DIV", "-9223372036854775808", "-1", "Integer overflow in DIV operation"),
        ("ADD", "127i8", "1i8", "Integer overflow in ADD operation"),
        ("SUB", "0u8", "1u8", "Integer overflow in SUB operation"),
        ("DIV", "1", "0", "Division by zero"),
        ("MOD", "1", "0", "Modulo by zero"),
        ("ADD", "1i32", "1", "Type mismatch in ADD operation: int32 and int64"),
        ("ADD", "true", "1", "Unsupported operand types for ADD operation: boolean and int64"),
        ("SUB", '"a"', '"b"', "Unsupported operand types for SUB operation: string and string"),
        ("SHL", "1", "64", "Integer overflow in SHL operation"),
        ("AND", "1i32", "1", "Type mismatch in AND operation"),
    ],
)
def test_binary_op_errors(op: str, a: str, b: str, msg: str) -> None:
    assert msg in binop_err(op, a, b)


def test_float_division_by_zero_follows_ieee() -> None:
    assert binop("DIV", "1.0", "0.0") == math.inf
    assert math.isnan(binop("DIV", "0.0", "0.0"))


@pytest.mark.parametrize(
    ("src", "want"),
    [("true", False), ("0", -1), ("5u8", IntV(250, U8)), ("-1i8", IntV(0, I8))],
)
def test_not(src: str, want: Any) -> None:
    got = run(body(f"  LDI r1, {src}\n  NOT r0, r1\n  RET r0"))[0]
    assert got == want and type(got) is type(want)


def test_ldi_and_mov() -> None:
    assert run(body('  LDI r3, "x"\n  MOV r0, r3\n  RET r0'))[0] == "x"


@pytest.mark.parametrize(
    ("a", "b", "jump", "taken"),
    [
        ("1", "2", "JMPLT", True),
        ("2", "1", "JMPGT", True),
        ("2", "2", "JMPEQ", True),
        ("2", "3", "JMPNEQ", True),
        ("3", "2", "JMPLT", False),
        ("1i32", "1", "JMPEQ", True),  # numbers compare across widths
        ("255u8", "-1", "JMPGT", True),
        ("1.5", "2", "JMPLT", True),
        ('"abc"', '"abd"', "JMPLT", True),
        ("false", "true", "JMPLT", True),
        ("()", "()", "JMPEQ", True),
    ],
)
def test_cmp_and_conditional_jumps(a: str, b: str, jump: str, taken: bool) -> None:
    src = body(
        f"  LDI r1, {a}\n  LDI r2, {b}\n  CMP r1, r2\n  {jump} yes\n  LDI r0, 0\n"
        "  RET r0\nyes:\n  LDI r0, 1\n  RET r0"
    )
    assert run(src)[0] == (1 if taken else 0)


def test_flag_survives_several_jumps_and_defaults_to_equal() -> None:
    src = body(
        "  JMPEQ first\n  LDI r0, 0\n  RET r0\nfirst:\n  LDI r1, 3\n  LDI r2, 4\n"
        "  CMP r1, r2\n  JMPEQ bad\n  JMPGT bad\n  JMPLT good\nbad:\n  LDI r0, 0\n"
        "  RET r0\ngood:\n  LDI r0, 1\n  RET r0"
    )
    assert run(src)[0] == 1


def test_cmp_of_incomparable_values_is_an_error() -> None:
    with pytest.raises(VMError, match="Cannot compare string and int64"):
        run(body('  LDI r1, "a"\n  LDI r2, 1\n  CMP r1, r2\n  RET r0'))


def test_loop_sums_with_backward_jump() -> None:
    src = body(
        "  LDI r1, 0\n  LDI r2, 0\nloop:\n  CMP r1, r0\n  JMPEQ done\n  ADD r2, r2, r1\n"
        "  LDI r3, 1\n  ADD r1, r1, r3\n  JMP loop\ndone:\n  RET r2",
        "n",
    )
    assert run(src, 101)[0] == 5050


def test_jump_to_end_returns_r0() -> None:
    assert run(body("  LDI r0, 9\n  JMP end\n  LDI r0, 1\nend:"))[0] == 9


def test_falling_off_the_end_returns_r0() -> None:
    assert run(body("  LDI r0, 4\n  NOP"))[0] == 4


def test_unset_register_reads_as_unit() -> None:
    assert run(body("  MOV r0, r5\n  RET r0"))[0] is None


def test_call_passes_pushed_arguments_and_result_lands_in_r0() -> None:
    src = ".function sub(a, b)\n  SUB r0, r0, r1\n  RET r0\n.end\n" + body(
        "  LDI r1, 10\n  LDI r2, 3\n  PUSHARG r1\n  PUSHARG r2\n  CALL sub\n  RET r0"
    )
    assert run(src)[0] == 7


def test_call_arity_mismatch() -> None:
    src = ".function f(a)\n  RET r0\n.end\n" + body("  CALL f\n  RET r0")
    with pytest.raises(VMError, match="Function 'f' expects 1 argument"):
        run(src)


def test_arguments_pushed_in_another_block_still_reach_the_call() -> None:
    src = ".function f(a, b)\n  SUB r0, r0, r1\n  RET r0\n.end\n" + body(
        "  LDI r1, 10\n  PUSHARG r1\n  JMP next\nnext:\n  LDI r1, 4\n  PUSHARG r1\n"
        "  CALL f\n  RET r0"
    )
    assert run(src)[0] == 6


def test_pusharg_snapshots_the_value() -> None:
    src = ".function id(a)\n  RET r0\n.end\n" + body(
        "  LDI r1, 1\n  PUSHARG r1\n  LDI r1, 2\n  CALL id\n  RET r0"
    )
    assert run(src)[0] == 1


def test_ld_reads_the_argument_stack_from_the_top() -> None:
    src = body(
        "  LDI r1, 1\n  LDI r2, 2\n  PUSHARG r1\n  PUSHARG r2\n  LD r3, 0\n  LD r4, -1\n"
        "  SUB r0, r3, r4\n  RET r0"
    )
    assert run(src)[0] == 1


def test_ld_out_of_range() -> None:
    with pytest.raises(VMError, match="LD: argument stack offset"):
        run(body("  LD r1, 0\n  RET r1"))


def test_spills_are_raw_copies() -> None:
    src = body("  LDI r1, 7\n  STS 3, r1\n  LDI r1, 0\n  LDS r0, 3\n  RET r0")
    assert run(src)[0] == 7


def test_lds_of_empty_slot() -> None:
    with pytest.raises(VMError, match="spill slot 2 is empty"):
        run(body("  LDS r0, 2\n  RET r0"))


def test_recursion() -> None:
    src = (
        ".function f(n)\n  LDI r1, 0\n  CMP r0, r1\n  JMPEQ z\n  MOV r2, r0\n  LDI r1, 1\n"
        "  SUB r3, r0, r1\n  PUSHARG r3\n  CALL f\n  ADD r0, r0, r2\n  RET r0\nz:\n  RET r0\n.end\n"
        + body("  PUSHARG r0\n  CALL f\n  RET r0", "n")
    )
    assert run(src, 100)[0] == 5050


def test_deep_recursion_is_a_clean_error() -> None:
    src = ".function f()\n  CALL f\n  RET r0\n.end\n" + body("  CALL f\n  RET r0")
    with pytest.raises(VMError, match="Stack overflow"):
        run(src)


def test_entry_function_with_upvalues_is_rejected() -> None:
    with pytest.raises(VMError, match="may not have upvalues"):
        run(".function main() upvalues=x\n  RET r0\n.end\n")


def test_missing_entry() -> None:
    with pytest.raises(VMError, match="Entry function 'start' not found"):
        run(body("  RET r0"), entry="start")


def test_instruction_budget_stops_infinite_loops() -> None:
    with pytest.raises(VMError, match="Instruction budget"):
        run(body("loop:\n  JMP loop"), budget=10_000)


def test_instruction_count_is_exact() -> None:
    _, vm = run(
        body(
            "  LDI r1, 0\nloop:\n  LDI r2, 1\n  ADD r1, r1, r2\n  LDI r3, 3\n"
            "  CMP r1, r3\n  JMPLT loop\n  RET r1"
        )
    )
    assert vm.stats.instructions == 1 + 3 * 5 + 1


def test_natives_are_callable() -> None:
    src = body("  LDI r1, 20\n  PUSHARG r1\n  CALL twice\n  RET r0")
    assert run(src, natives={"twice": lambda vm, args: args[0] * 2})[0] == 40


def test_empty_functions_return_r0() -> None:
    assert run(".function main()\n.end\n")[0] is None
    src = ".function f(a)\n.end\n" + body("  LDI r1, 3\n  PUSHARG r1\n  CALL f\n  RET r0")
    assert run(src)[0] == 3
    assert run(body("  JMP end\nend:"))[0] is None
