"""The reference interpreter: checked clear arithmetic, secrets computed in the clear."""

from __future__ import annotations

import math

import pytest

from stoffel.compiler.ssa.interp import clear_binary, clear_unary, run
from stoffel.compiler.ssa.ir import Type
from stoffel.compiler.ssa.parser import parse_module

I64, I8, U8, F64 = Type("i64"), Type("i8"), Type("u8"), Type("f64")


@pytest.mark.parametrize(
    ("op", "a", "b", "ty", "want"),
    [
        ("div", -7, 2, I64, -3),
        ("rem", -7, 2, I64, -1),
        ("mod", -7, 2, I64, 1),
        ("mod", 7, -2, I64, -1),
        ("add", 100, 27, I8, 127),
        ("shl", 1, 7, I8, -128),
        ("shr", 255, 4, U8, 15),
        ("and", 12, 10, I64, 8),
        ("xor", True, True, Type("bool"), False),
        ("lt", 1, 2, I64, True),
        ("div", 1.0, 0.0, F64, math.inf),
        ("mod", -1.0, 3.0, F64, 2.0),
    ],
)
def test_clear_binary(op: str, a: object, b: object, ty: Type, want: object) -> None:
    assert clear_binary(op, a, b, ty) == want


@pytest.mark.parametrize(
    ("op", "a", "b", "ty", "message"),
    [
        ("add", 127, 1, I8, "Integer overflow in ADD operation"),
        ("sub", 0, 1, U8, "Integer overflow in SUB operation"),
        ("mul", 2**62, 2, I64, "Integer overflow in MUL operation"),
        ("div", 1, 0, I64, "Division by zero"),
        ("mod", 1, 0, I64, "Division by zero"),
        ("div", -(2**63), -1, I64, "Integer overflow in DIV operation"),
        ("shl", 1, 8, I8, "out of range"),
    ],
)
def test_clear_binary_traps(op: str, a: int, b: int, ty: Type, message: str) -> None:
    from stoffel.compiler.ssa.interp import InterpError

    with pytest.raises(InterpError, match=message):
        clear_binary(op, a, b, ty)


def test_clear_unary() -> None:
    assert clear_unary("not", 0, U8, U8) == 255
    assert clear_unary("not", 5, I64, I64) == -6
    assert clear_unary("cast", 2.9, F64, I64) == 2
    assert clear_unary("cast", 3, I64, F64) == 3.0


def test_program_with_secrets_loops_and_calls() -> None:
    module = parse_module(
        """
        fn @main(%n:clear.i64, %x:secret.i64) -> clear.i64 {
        entry:
          br loop
        loop:
          %i:clear.i64 = phi [0:i64, entry], [%j, loop]
          %acc:secret.i64 = phi [%x, entry], [%acc2, loop]
          %acc2:secret.i64 = call @step(%acc, %x)
          %j:clear.i64 = add %i, 1:i64
          %c:clear.bool = lt %j, %n
          cbr %c, loop, done
        done:
          %big:secret.bool = sgt %acc2, 100:i64
          %pick:secret.i64 = select %big, 100:i64, %acc2
          %r:clear.i64 = open %pick
          %ok:clear.bool = output 1:i64, %pick
          builtin @print(%r, "done":string) !effects
          ret %r
        }

        fn @step(%a:secret.i64, %b:secret.i64) -> secret.i64 {
        entry:
          %m:secret.i64 = smul %a, %b
          %s:secret.i64 = ssub %m, 1:i64
          ret %s
        }
        """
    )
    out = run(module, args=[2, 3])
    assert (out.result, out.printed, out.outputs, out.error) == (
        23,
        [(23, "done")],
        {1: [23]},
        None,
    )
    assert run(module, args=[4, 3]).result == 100


def test_reveal_checks_the_declared_width_and_bools() -> None:
    module = parse_module(
        """
        fn @main(%x:secret.i8, %b:secret.bool) -> clear.i8 {
        entry:
          %y:secret.i8 = smulc %x, 100:i8
          %z:clear.i8 = open %y
          %c:clear.bool = open %b
          ret %z
        }
        """
    )
    assert run(module, args=[1, 1]).result == 100
    assert run(module, args=[2, 1]).error == "Revealed value does not fit in i8"
    assert "not a bool" in (run(module, args=[1, 2]).error or "")


def test_fixed_point_is_rounded_to_sixteen_bits() -> None:
    module = parse_module(
        """
        fn @main(%x:clear.f64) -> clear.f64 {
        entry:
          %s:secret.fix64 = share %x
          %m:secret.fix64 = sfmul %s, %s
          %r:clear.f64 = open %m
          ret %r
        }
        """
    )
    assert run(module, args=[1.5]).result == 2.25
    assert (
        run(module, args=[0.1]).result == math.floor(math.floor(0.1 * 65536) ** 2 / 65536) / 65536
    )


def test_inputs_memory_and_errors() -> None:
    module = parse_module(
        """
        fn @main(%xs:clear.list) -> clear.i64 {
        entry:
          %s:secret.i64 = input 0:i64, 1:i64
          %r:clear.i64 = open %s
          setindex %xs, -1:i64, %r
          %v:clear.i64 = getindex %xs, 0:i64
          %w:clear.i64 = getindex %xs, 5:i64
          ret %v
        }
        """
    )
    xs = [1]
    out = run(module, args=[xs], inputs={0: [10, 20]})
    assert xs == [20] and out.error == "Index 5 out of bounds for length 1"
    assert run(module, args=[[1]], inputs={0: [10]}).error == "client 0 has no input 1"


def test_step_limit() -> None:
    module = parse_module("fn @main() {\nentry:\n  br entry2\nentry2:\n  br entry2\n}\n")
    assert run(module, max_steps=50).error == "step limit reached"


def test_printed_values_keep_their_types() -> None:
    module = parse_module(
        'fn @main(%x:clear.i32) {\nentry:\n  builtin @print(%x, 7:i64, "s":string) !effects\n'
        "  ret\n}\n"
    )
    out = run(module, args=[7])
    assert out.printed == [(7, 7, "s")]
    assert out.printed_types == [(Type("i32"), Type("i64"), Type("string"))]
