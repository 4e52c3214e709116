"""The text form: printing is canonical and parsing it gives back identical IR."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import stoffel.compiler.ssa as ssa_pkg
from stoffel.compiler.ssa.ir import Block, Const, Function, Instr, Module, Type, Var
from stoffel.compiler.ssa.parser import IRParseError, parse_function, parse_module
from stoffel.compiler.ssa.printer import print_module
from stoffel.compiler.ssa.verify import verify_module

EVERYTHING = """
fn @main(%a:clear.i64, %s:secret.i64, %f:secret.fix64, %h:share) -> clear.i64 {
entry:
  %0:clear.i64 = add %a, -5:i64  ; line 3
  %1:clear.bool = le %0, 9223372036854775807:i64
  %2:clear.f64 = cast %0
  %3:clear.f64 = div %2, 0.5:f64
  %4:clear.f64 = mul %3, inf:f64
  %5:secret.i64 = share 7:i64
  %6:secret.i64 = smul %s, %5 !batch=0  ; line 4
  %7:secret.fix64 = sfmul %f, %f !batch=0
  %8:secret.fix64 = strunc %7, 16:i64
  %9:secret.bool = slt %6, %s
  %10:secret.i64 = select %9, %6, %s
  %11:clear.i64 = open %10
  %12:clear.any = open %h
  %13:clear.string = builtin @to_string(%11)
  builtin @print(%13, "a; line 9 \\"q\\"":string, nil:nil, true:bool) !effects
  %14:clear.obj = builtin @create_object() !effects
  setfield %14, "x":string, %11
  %15:clear.i64 = call @g(%11) !effects
  cbr %1, loop, done
loop:
  %16:clear.i64 = phi [%15, entry], [%17, loop]
  %17:clear.i64 = add %16, 1:i64
  %18:clear.bool = lt %17, 10:i64
  cbr %18, loop, done
done:
  %19:clear.i64 = phi [%15, entry], [%17, loop]
  ret %19
}

fn @g(%x:clear.i64) -> clear.i64 {
entry:
  ret %x
}

fn @h() {
entry:
  ret
}
"""


def test_round_trip_is_identical() -> None:
    module = parse_module(EVERYTHING)
    verify_module(module)
    text = print_module(module)
    again = print_module(parse_module(text))
    assert again == text
    assert "; line 3" in text and "!batch=0" in text and "!effects" in text
    assert "loop:  ; preds: entry, loop" in text


def test_values_are_renumbered_densely_in_definition_order() -> None:
    fn = parse_function(
        """
        fn @f(%zz:clear.i64) -> clear.i64 {
        entry:
          %q:clear.i64 = add %zz, 1:i64
          %b:clear.i64 = add %q, %zz
          ret %b
        }
        """
    )
    assert print_module(fn.module) == (  # type: ignore[arg-type]
        "fn @f(%0:clear.i64) -> clear.i64 {\n"
        "entry:\n"
        "  %1:clear.i64 = add %0, 1:i64\n"
        "  %2:clear.i64 = add %1, %0\n"
        "  ret %2\n"
        "}\n"
    )


def test_built_ir_prints_like_parsed_ir() -> None:
    i64 = Type("i64")
    x, y = Var("x", i64), Var("anything", i64)
    fn = Function("f", [x], i64)
    fn.blocks.append(
        Block(
            "entry",
            instrs=[
                Instr("mul", [x, Const(2, i64)], y, line=4),
                Instr("ret", [y]),
            ],
        )
    )
    module = Module()
    module.add(fn)
    text = print_module(module)
    assert text.splitlines()[2] == "  %1:clear.i64 = mul %0, 2:i64  ; line 4"
    assert print_module(parse_module(text)) == text


def test_float_spellings() -> None:
    text = """
    fn @f() -> clear.f64 {
    entry:
      %0:clear.f64 = add 1e+300:f64, -inf:f64
      %1:clear.f64 = add %0, nan:f64
      %2:clear.f64 = add %1, 2:f64
      ret %2
    }
    """
    out = print_module(parse_module(text))
    assert "1e+300:f64, -inf:f64" in out and "nan:f64" in out and "2.0:f64" in out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fn @f() {\nentry:\n  %0:clear.i64 = add %9, 1:i64\n  ret\n}", "never defined"),
        ("fn @f() {\nentry:\n  %0:clear.i64 = copy 1:i64\n  %0:clear.i64 = copy 2:i64\n}", "twice"),
        ("fn @f() {\nentry:\n  %0:clear.u8 = copy 300:u8\n  ret\n}", "does not fit"),
        ("fn @f() {\nentry:\n  %0:clear.i64 = frob 1:i64\n  ret\n}", "unknown opcode"),
        ("fn @f() {\nentry:\n  ret !shiny\n}", "unknown attribute"),
        ("fn @f() {\nentry:\n  %0:clear.x = copy 1:i64\n}", "no type"),
        ("fn @f() {\nentry:\n  %0:clear.i64 = copy 1:i64\n  %1:clear.i64 = phi [%0, a]\n}", "phi"),
        ("fn @f() {\nentry:\n  %0:clear.i64 = phi %0, entry\n  ret\n}", "phi operands"),
        ("fn @f() {\nentry:\n  ret %0 %1\n}", "line 3"),
    ],
)
def test_parse_errors(text: str, message: str) -> None:
    with pytest.raises((IRParseError, ValueError), match=message):
        parse_module(text)


CONSTANTS = st.one_of(
    st.tuples(st.integers(-(2**63), 2**63 - 1), st.just("i64")),
    st.tuples(st.integers(0, 255), st.just("u8")),
    st.tuples(st.floats(allow_nan=False), st.just("f64")),
    st.tuples(st.text(), st.just("string")),
    st.tuples(st.booleans(), st.just("bool")),
)


@given(st.lists(CONSTANTS, min_size=1, max_size=5))
def test_any_constant_round_trips(consts: list[tuple[object, str]]) -> None:
    fn = Function("f", [], None)
    args = [Const(v, Type(k)) for v, k in consts]  # type: ignore[arg-type]
    fn.blocks.append(
        Block("entry", instrs=[Instr("builtin", args, callee="print", effects=True), Instr("ret")])
    )
    module = Module()
    module.add(fn)
    text = print_module(module)
    again = parse_module(text)
    assert again.functions[0].entry.instrs[0].operands == args
    assert print_module(again) == text


def test_readme_example_is_valid_canonical_ir() -> None:
    readme = Path(ssa_pkg.__file__).with_name("README.md").read_text()
    example = readme.split("```\n")[1]
    module = parse_module(example)
    verify_module(module)
    assert print_module(module) == example
