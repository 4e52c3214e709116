"""``__cast(value, kind)``: the VM's numeric conversion builtin (the ISA has no cast
opcode; the compiler emits it for widening, narrowing and int ↔ float). It is a VM
builtin, so any host runs compiled binaries, and it is checked like upstream arithmetic."""

from __future__ import annotations

from typing import Any

import pytest

from stoffel.api import NATIVES
from stoffel.vm.builtins import BUILTINS
from stoffel.vm.errors import VMError
from stoffel.vm.testing import body, make_vm, run
from stoffel.vm.values import I8, U8, IntV


def cast(value: Any, kind: str) -> Any:
    return BUILTINS["__cast"](make_vm(body("  RET r0")), [value, kind])


def test_registered_in_the_vm_not_the_sdk() -> None:
    assert "__cast" in BUILTINS
    assert "__cast" not in NATIVES


@pytest.mark.parametrize(
    ("value", "kind", "want"),
    [
        (IntV(-5, I8), "i64", -5),
        (IntV(255, U8), "i64", 255),
        (7, "f64", 7.0),
        (IntV(200, U8), "f64", 200.0),
        (2.9, "i64", 2),
        (-2.9, "i64", -2),  # truncation toward zero
        (0, "bool", False),
        (True, "i64", 1),
    ],
)
def test_conversions(value: Any, kind: str, want: Any) -> None:
    got = cast(value, kind)
    assert got == want and type(got) is type(want)


def test_narrowing_keeps_the_width() -> None:
    got = cast(100, "i8")
    assert type(got) is IntV and got.value == 100 and got.kind is I8
    assert cast(255, "u8").kind is U8


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (128, "i8"),
        (-1, "u8"),
        (-129, "i8"),
        (1 << 63, "i64"),
        (float("nan"), "i64"),
        (float("inf"), "i32"),
        (1e30, "i64"),
        (IntV(-1, I8), "u64"),
    ],
)
def test_out_of_range_is_an_overflow(value: Any, kind: str) -> None:
    with pytest.raises(VMError, match=r"^Integer overflow in CAST operation$"):
        cast(value, kind)


def test_bad_arguments() -> None:
    with pytest.raises(VMError, match="unknown target type"):
        cast(1, "i128")
    with pytest.raises(VMError, match="cannot convert string to i64"):
        cast("1", "i64")
    with pytest.raises(VMError, match="expects 2 argument"):
        BUILTINS["__cast"](make_vm(body("  RET r0")), [1])


def test_called_through_call_without_natives() -> None:
    src = body('  LDI r1, 300\n  LDI r2, "u8"\n  PUSHARG r1\n  PUSHARG r2\n  CALL __cast\n  RET r0')
    with pytest.raises(VMError, match="Integer overflow in CAST operation"):
        run(src)
    ok = body('  LDI r1, 3\n  LDI r2, "f64"\n  PUSHARG r1\n  PUSHARG r2\n  CALL __cast\n  RET r0')
    assert run(ok)[0] == 3.0


def test_a_compiled_widening_runs_on_a_bare_vm(tmp_path: Any) -> None:
    """The emitter's widening call needs no natives from the host."""
    from stoffel.api import compile
    from stoffel.vm.interpreter import VM

    path = tmp_path / "w.stfl"
    path.write_text(
        "def widen(a: int32) -> int64:\n  var b: int64 = a\n  return b\n\n"
        "def main() -> int64:\n  return widen(7i32) * 6\n"
    )
    program = compile(str(path), 0)
    assert VM(program.binary).run("main", []) == 42
