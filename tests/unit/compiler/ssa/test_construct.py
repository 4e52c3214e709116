"""On-the-fly SSA construction: phis only where values really merge."""

from __future__ import annotations

import pytest

from stoffel.compiler.ssa.construct import FunctionBuilder, UndefinedVariableError
from stoffel.compiler.ssa.interp import run
from stoffel.compiler.ssa.ir import CLEAR_BOOL, CLEAR_I64, SECRET_I64, Const, Module
from stoffel.compiler.ssa.printer import print_function
from stoffel.compiler.ssa.verify import verify_module


def i64(v: int) -> Const:
    return Const(v, CLEAR_I64)


def build_power_loop() -> FunctionBuilder:
    """def main(n: int64, s: secret int64) -> int64:
    var i = 0; var acc = s; var unused = 5
    while i < n: acc = acc * s; i = i + 1
    var x = 0
    if i > 2: x = 10 else: x = 20
    return acc.reveal() + x"""
    b = FunctionBuilder("main", [("n", CLEAR_I64), ("s", SECRET_I64)], CLEAR_I64)
    for name, ty, value in [
        ("i", CLEAR_I64, i64(0)),
        ("acc", SECRET_I64, None),
        ("u", CLEAR_I64, i64(5)),
    ]:
        b.declare(name, ty)
        b.write(name, value if value is not None else b.read("s"))
    head, body, done = b.new_block("while"), b.new_block("body"), b.new_block("after")
    b.br(head)
    b.position(head)
    cond = b.emit("lt", [b.read("i"), b.read("n")], CLEAR_BOOL)
    assert cond is not None
    b.cbr(cond, body, done)
    b.seal(body)
    b.position(body)
    acc = b.emit("smul", [b.read("acc"), b.read("s")], SECRET_I64)
    i = b.emit("add", [b.read("i"), i64(1)], CLEAR_I64)
    assert acc is not None and i is not None
    b.write("acc", acc)
    b.write("i", i)
    b.br(head)
    b.seal(head)  # the back edge is known now
    b.seal(done)
    b.position(done)
    b.declare("x", CLEAR_I64)
    b.write("x", i64(0))
    big = b.emit("gt", [b.read("i"), i64(2)], CLEAR_BOOL)
    yes, no, join = b.new_block("then"), b.new_block("else"), b.new_block("endif")
    assert big is not None
    b.cbr(big, yes, no)
    for blk, value in ((yes, 10), (no, 20)):
        b.seal(blk)
        b.position(blk)
        b.write("x", i64(value))
        b.br(join)
    b.seal(join)
    b.position(join)
    opened = b.emit("open", [b.read("acc")], CLEAR_I64)
    assert opened is not None
    total = b.emit("add", [opened, b.read("x")], CLEAR_I64)
    assert total is not None
    b.ret(total)
    return b


def test_loop_and_if_get_exactly_the_needed_phis() -> None:
    fn = build_power_loop().finish()
    Module().add(fn)
    assert fn.module is not None
    verify_module(fn.module)
    text = print_function(fn)
    header = fn.block("while")
    assert len(header.phis) == 2  # i and acc; n, s and the untouched u need none
    assert len(fn.block("endif").phis) == 1  # x
    assert "phi [10:i64, then], [20:i64, else]" in text
    assert run(fn.module, args=[3, 2]).result == 16 + 10
    assert run(fn.module, args=[1, 5]).result == 25 + 20


def test_reading_an_unwritten_variable_fails() -> None:
    b = FunctionBuilder("f", [], None)
    b.declare("x", CLEAR_I64)
    with pytest.raises(UndefinedVariableError):
        b.read("x")


def test_unreachable_code_gets_a_placeholder() -> None:
    b = FunctionBuilder("f", [("a", CLEAR_I64)], CLEAR_I64)
    b.ret(b.read("a"))
    dead = b.new_block("dead")
    b.seal(dead)
    b.position(dead)
    b.ret(b.read("a"))
    fn = b.finish()
    Module().add(fn)
    assert fn.module is not None
    verify_module(fn.module)


def test_unsealed_blocks_are_reported() -> None:
    b = FunctionBuilder("f", [("a", CLEAR_I64)], CLEAR_I64)
    loop = b.new_block("loop")
    b.br(loop)
    b.position(loop)
    b.read("a")
    with pytest.raises(ValueError, match="unsealed"):
        b.finish()
