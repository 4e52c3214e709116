"""IR data structures: types, constants, opcode tables, instruction properties."""

from __future__ import annotations

import pytest

from stoffel.compiler.ssa import ir
from stoffel.compiler.ssa.ir import Const, Function, Instr, Type, Var, parse_type


@pytest.mark.parametrize(
    "text",
    ["clear.i8", "clear.u64", "clear.f64", "clear.any", "secret.i32", "secret.fix64", "share"],
)
def test_type_spelling_round_trips(text: str) -> None:
    assert str(parse_type(text)) == text


@pytest.mark.parametrize("text", ["secret.f64", "secret.string", "clear.fix64", "clear.share", "x"])
def test_bad_types_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_type(text)


def test_reveal_and_share_types() -> None:
    assert Type("fix64", secret=True).as_clear() == Type("f64")
    assert Type("f64").as_secret() == Type("fix64", secret=True)
    assert Type("share", secret=True).as_clear() == Type("any")
    assert Type("u8").as_secret() == Type("u8", secret=True)


@pytest.mark.parametrize(
    ("value", "kind"),
    [(256, "u8"), (-1, "u64"), (True, "i64"), (1, "bool"), (1, "f64"), ("x", "nil")],
)
def test_constants_are_checked(value: object, kind: str) -> None:
    with pytest.raises(ValueError):
        Const(value, Type(kind))  # type: ignore[arg-type]


def test_constants_are_clear_and_print_typed() -> None:
    with pytest.raises(ValueError):
        Const(1, Type("i64", secret=True))
    assert str(Const(-5, Type("i64"))) == "-5:i64"
    assert str(Const('a"b\n', Type("string"))) == '"a\\"b\\n":string'
    assert str(Const(None, Type("nil"))) == "nil:nil"


def test_opcode_tables_cover_every_opcode_once_per_family() -> None:
    families = [ir.CLEAR_ONLY - {"cbr"}, ir.SECRET_OPS, ir.GENERIC, ir.TERMINATORS]
    assert set().union(*families) == ir.OPCODES
    assert sum(len(f) for f in families) == len(ir.OPCODES)
    assert ir.SECRET_PROTOCOL <= ir.SECRET_OPS
    assert not ir.SECRET_LOCAL & ir.SECRET_PROTOCOL
    assert {"open", "smul", "slt", "seq", "select"} <= ir.SECRET_PROTOCOL
    assert {"share", "sadd", "ssub", "sneg", "smulc"} <= ir.SECRET_LOCAL
    with pytest.raises(ValueError):
        Instr("frobnicate")


def test_instruction_properties() -> None:
    i64, f64 = Type("i64"), Type("f64")
    a, x = Var("a", i64), Var("x", f64)
    assert Instr("add", [a, a], Var("r", i64)).may_trap
    assert not Instr("add", [x, x], Var("r", f64)).may_trap
    assert Instr("add", [x, x], Var("r", f64)).removable
    assert not Instr("cast", [a], Var("r", f64)).may_trap
    assert Instr("cast", [x], Var("r", i64)).may_trap
    assert not Instr("open", [Var("s", Type("i64", secret=True))], Var("r", i64)).removable
    assert Instr("builtin", callee="print", effects=True).has_side_effects
    assert not Instr("builtin", callee="len").has_side_effects
    assert Instr("setindex").has_side_effects


def test_fresh_names_never_clash() -> None:
    fn = Function("f", [Var("t7", Type("i64"))])
    names = {fn.fresh_var(Type("i64")).name for _ in range(5)}
    assert "t7" not in names and len(names) == 5
    fn.blocks.append(ir.Block("bb1"))
    assert fn.fresh_label("bb") == "bb2"
