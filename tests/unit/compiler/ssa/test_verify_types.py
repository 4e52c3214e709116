"""Type rules added so that every lowered program verifies: the dynamic ``any`` (generic
parameters and results, opaque handles), string concatenation, opening builtins, and
``cast``. None of them lets a secret reach a clear-only op or become clear without an
opening."""

from __future__ import annotations

import pytest

from stoffel.compiler.ssa import verify as v
from stoffel.compiler.ssa.ir import OPENING_BUILTINS, Type
from stoffel.compiler.ssa.parser import parse_module
from stoffel.compiler.ssa.verify import compatible, verify_module

GENERIC = """
fn @identity(%x:clear.any) -> clear.any {
entry:
  ret %x
}
fn @same(%x:clear.any, %y:clear.any) -> clear.bool {
entry:
  %0:clear.bool = eq %x, %y
  ret %0
}
fn @pair(%x:clear.any, %y:clear.any) -> clear.list {
entry:
  %0:clear.list = builtin @create_array() !effects
  builtin @append(%0, %x) !effects
  builtin @append(%0, %y) !effects
  ret %0
}
"""


def main(body: str, ret: str = "clear.i64") -> str:
    return f"fn @main(%a:clear.i64, %s:secret.i64) -> {ret} {{\nentry:\n{body}\n}}\n" + GENERIC


def test_any_is_compatible_both_ways() -> None:
    assert compatible(Type("i64"), Type("any"))
    assert compatible(Type("any"), Type("string"))
    assert compatible(Type("i64", secret=True), Type("any"))
    assert not compatible(Type("i64"), Type("i32"))
    assert not compatible(Type("i64", secret=True), Type("i64"))


@pytest.mark.parametrize(
    "body",
    [
        # a generic instantiated with a clear value narrows its `any` result explicitly
        "  %0:clear.any = call @identity(%a) !effects\n"
        "  %1:clear.i64 = copy %0\n  %2:clear.i64 = add %1, 1:i64\n  ret %2",
        # generic equality on clear values
        "  %0:clear.bool = call @same(%a, 1:i64) !effects\n  ret %a",
        # a secret passed to a generic comes back typed secret
        "  %0:clear.any = call @identity(%s) !effects\n  %1:secret.i64 = copy %0\n"
        "  %2:clear.i64 = open %1\n  ret %2",
        "  %0:secret.i64 = call @identity(%s) !effects\n  %1:clear.i64 = open %0\n  ret %1",
        # secrets may sit in a generic container (a clear handle)
        "  %0:clear.list = call @pair(%s, %s) !effects\n  ret %a",
        # a handle result (LocalStorage.load, call_closure) returned as a concrete type
        '  %0:clear.any = builtin @LocalStorage.load("k":string) !effects\n  ret %0',
        # string + string is the VM's ADD on strings
        '  %0:clear.string = add "a":string, "b":string\n  builtin @print(%0) !effects\n  ret %a',
        # clear conversions
        "  %0:clear.f64 = cast %a\n  %1:clear.i8 = cast %0\n  ret %a",
        # opening builtins may turn secrets into clear values, as `open` does
        "  %0:clear.list = builtin @Share.open_field(%s) !effects\n  ret %a",
    ],
)
def test_lowered_shapes_verify(body: str) -> None:
    verify_module(parse_module(main(body)))


@pytest.mark.parametrize(
    ("body", "error"),
    [
        # laundering a secret through a generic function is a declassification
        ("  %0:clear.i64 = call @identity(%s) !effects\n  ret %0", v.DeclassifyError),
        # ... also when the call's `any` result is narrowed to a clear scalar afterwards
        (
            "  %0:clear.any = call @identity(%s) !effects\n  %1:clear.i64 = copy %0\n  ret %1",
            v.DeclassifyError,
        ),
        # ... or when a generic compares secrets and returns a clear bool (a checker gap:
        # `def same[T](a: T, b: T) -> bool` called with secrets)
        ("  %0:clear.bool = call @same(%s, %s) !effects\n  ret %a", v.DeclassifyError),
        # `any` never feeds clear arithmetic or branches
        (
            "  %0:clear.any = call @identity(%a) !effects\n  %1:clear.i64 = add %0, 1:i64\n"
            "  ret %1",
            v.TypeMismatchError,
        ),
        (
            "  %0:clear.any = call @identity(%a) !effects\n  cbr %0, x, x\nx:\n  ret %a",
            v.TypeMismatchError,
        ),
        # secrets never reach string concatenation or a cast
        ('  %0:clear.string = add %s, "b":string\n  ret %a', v.SecretOperandError),
        ("  %0:clear.f64 = cast %s\n  ret %a", v.SecretOperandError),
        ('  %0:clear.f64 = cast "1":string\n  ret %a', v.TypeMismatchError),
        # only declared opening builtins declassify
        (
            "  %0:clear.i64 = builtin @Share.get_commitment(%s) !effects\n  ret %0",
            v.DeclassifyError,
        ),
    ],
)
def test_rules_keep_secrecy(body: str, error: type[v.VerifyError]) -> None:
    with pytest.raises(error):
        verify_module(parse_module(main(body)))


def test_opening_builtins_are_reveals() -> None:
    assert {"Share.open_field", "Share.batch_open"} <= OPENING_BUILTINS
    assert "Share.get_commitment" not in OPENING_BUILTINS
