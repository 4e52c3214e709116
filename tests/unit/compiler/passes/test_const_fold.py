"""Constant folding and propagation: folds what is safe, never a run-time error."""

from __future__ import annotations

import pytest

from stoffel.compiler.passes import DCE, ConstFold


def test_folds_and_propagates_chain(check_pass) -> None:
    pre = """
    fn @main() -> clear.i64 {
    entry:
      %0:clear.i64 = add 2:i64, 3:i64
      %1:clear.i64 = mul %0, 4:i64
      %2:clear.bool = lt %1, 100:i64
      %3:clear.i64 = copy %1
      builtin @print(%2, %3) !effects
      ret %3
    }
    """
    post = """
    fn @main() -> clear.i64 {
    entry:
      builtin @print(true:bool, 20:i64) !effects
      ret 20:i64
    }
    """
    check_pass([ConstFold], pre, post, args=[])


@pytest.mark.parametrize(
    ("op", "ty", "a", "b"),
    [
        ("add", "i64", "9223372036854775807", "1"),
        ("sub", "i8", "-128", "1"),
        ("mul", "u8", "16", "16"),
        ("div", "i64", "1", "0"),
        ("rem", "i32", "5", "0"),
        ("mod", "i64", "5", "0"),
        ("div", "i64", "-9223372036854775808", "-1"),
        ("shl", "i64", "1", "64"),
    ],
)
def test_never_folds_a_run_time_error(check_pass, op: str, ty: str, a: str, b: str) -> None:
    pre = f"""
    fn @main() -> clear.{ty} {{
    entry:
      %0:clear.{ty} = {op} {a}:{ty}, {b}:{ty}
      ret %0
    }}
    """
    # unchanged, and DCE may not drop it either: the VM must still raise the error
    check_pass([ConstFold, DCE], pre, None, args=[])


@pytest.mark.parametrize(
    ("op", "a", "b", "want"),
    [
        ("div", "-7", "2", "-3"),
        ("rem", "-7", "2", "-1"),
        ("mod", "-7", "2", "1"),
        ("mod", "7", "-2", "-1"),
        ("shr", "-8", "1", "-4"),
        ("xor", "6", "3", "5"),
    ],
)
def test_integer_semantics(check_pass, op: str, a: str, b: str, want: str) -> None:
    pre = f"""
    fn @main() -> clear.i64 {{
    entry:
      %0:clear.i64 = {op} {a}:i64, {b}:i64
      ret %0
    }}
    """
    post = f"""
    fn @main() -> clear.i64 {{
    entry:
      ret {want}:i64
    }}
    """
    check_pass([ConstFold], pre, post, args=[])


def test_narrowing_cast_that_does_not_fit_is_kept(check_pass) -> None:
    pre = """
    fn @main() -> clear.u8 {
    entry:
      %0:clear.u8 = cast 300:i64
      ret %0
    }
    """
    check_pass([ConstFold, DCE], pre, None, args=[])


def test_integer_identities_but_not_float(check_pass) -> None:
    pre = """
    fn @main(%a:clear.i64, %f:clear.f64) -> clear.i64 {
    entry:
      %0:clear.i64 = add %a, 0:i64
      %1:clear.i64 = mul 1:i64, %0
      %2:clear.f64 = add %f, 0.0:f64
      builtin @print(%2) !effects
      ret %1
    }
    """
    post = """
    fn @main(%a:clear.i64, %f:clear.f64) -> clear.i64 {
    entry:
      %2:clear.f64 = add %f, 0.0:f64
      builtin @print(%2) !effects
      ret %a
    }
    """
    check_pass([ConstFold], pre, post, args=[5, -0.0])


def test_phi_of_equal_constants(check_pass) -> None:
    pre = """
    fn @main(%c:clear.bool) -> clear.i64 {
    entry:
      cbr %c, a, b
    a:
      br join
    b:
      br join
    join:
      %0:clear.i64 = phi [7:i64, a], [7:i64, b]
      ret %0
    }
    """
    post = pre.replace("      %0:clear.i64 = phi [7:i64, a], [7:i64, b]\n", "").replace(
        "ret %0", "ret 7:i64"
    )
    check_pass([ConstFold], pre, post, args=[True])


def test_secret_operations_are_not_folded(check_pass) -> None:
    pre = """
    fn @main() -> clear.i64 {
    entry:
      %0:secret.i64 = share 2:i64
      %1:secret.i64 = smulc %0, 3:i64
      %2:clear.i64 = open %1
      ret %2
    }
    """
    check_pass([ConstFold], pre, None, args=[])


def test_same_operand_algebra_on_integers_only(check_pass) -> None:
    pre = """
    fn @main(%x:clear.i64, %f:clear.f64) -> clear.i64 {
    entry:
      %0:clear.i64 = sub %x, %x
      %1:clear.bool = le %x, %x
      %2:clear.bool = ne %x, %x
      %3:clear.i64 = and %x, %x
      %4:clear.bool = eq %f, %f
      builtin @print(%0, %1, %2, %3, %4) !effects
      ret %3
    }
    """
    post = """
    fn @main(%x:clear.i64, %f:clear.f64) -> clear.i64 {
    entry:
      %4:clear.bool = eq %f, %f
      builtin @print(0:i64, true:bool, false:bool, %x, %4) !effects
      ret %x
    }
    """
    check_pass([ConstFold], pre, post, args=[7, float("nan")])
