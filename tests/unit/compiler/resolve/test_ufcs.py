"""UFCS (spec §2.8): method syntax is a call with the receiver first; builtin objects are
namespaces; receiver-bound builtin methods are found from the receiver's type."""

from __future__ import annotations

import pytest

from stoffel.compiler.check.facts import CallKind
from stoffel.compiler.driver import Compilation

PATH = "/virtual/ufcs.stfl"
HEAD = (
    "object Point:\n  x: int64\n"
    "def shift(p: Point, d: int64) -> int64:\n  return p.x + d\n"
    "var p = Point(x: 1)\nvar s: secret int64 = 5\nvar sh = Share.from_clear(3)\n"
)


@pytest.mark.parametrize(
    ("expr", "callee", "kind", "type_name"),
    [
        ("p.shift(2)", "shift", CallKind.FUNCTION, "int64"),
        ("[1, 2].len()", "len", CallKind.BUILTIN, "int64"),
        ("s.reveal()", "reveal", CallKind.BUILTIN, "int64"),
        ("s.open()", "Share.open", CallKind.BUILTIN, "int64"),
        ("sh.add(sh)", "Share.add", CallKind.BUILTIN, "Share"),
        ("s.mul_scalar(3)", "Share.mul_scalar", CallKind.BUILTIN, "Share"),
        ("sh.open_fixed()", "Share.open_fixed", CallKind.BUILTIN, "fix64"),
        ("Share.open(sh)", "Share.open", CallKind.BUILTIN, "int64"),
        ("Mpc.party_id()", "Mpc.party_id", CallKind.BUILTIN, "int64"),
        ("open(s)", "Share.open", CallKind.BUILTIN, "int64"),
    ],
)
def test_method_calls_resolve(expr: str, callee: str, kind: CallKind, type_name: str) -> None:
    compilation = Compilation(PATH, text=HEAD + f"var r = {expr}\n")
    assert compilation.diagnostics == []
    program = compilation.checked
    call = program.modules[-1].body[-1].value
    info = program.calls[call]
    assert info.callee is not None and info.callee.qualified_name == callee
    assert info.kind is kind
    assert str(program.type_of(call)) == type_name


def test_receiver_is_the_first_argument() -> None:
    compilation = Compilation(PATH, text=HEAD + "var r = p.shift(2)\n")
    program = compilation.checked
    call = program.modules[-1].body[-1].value
    assert program.calls[call].arguments == (call.func.value, call.args[0])
