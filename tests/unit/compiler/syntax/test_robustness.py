"""The parser never raises, never panics on bad input, and copes with size and depth."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stoffel.compiler.ast import nodes as n
from stoffel.compiler.diagnostics import Code
from stoffel.compiler.source import SourceFile
from stoffel.compiler.syntax import ParseResult, parse_expression, parse_module
from stoffel.compiler.syntax.builder import AstBuilder
from stoffel.compiler.syntax.limits import MAX_DEPTH
from stoffel.compiler.syntax.parser import LARK

# Fragments that make random programs hit the interesting paths more often than
# uniformly random characters would.
FRAGMENTS = [
    "def ", "var ", "if ", "elif ", "else", "while ", "for ", " in ", "return", "match ",
    "case ", "object ", "enum ", "import ", "builtin ", "secret ", "type ", "x", "y", "1",
    "0x1F", "1.5", '"s"', 'f"{a}"', "'q'", "(", ")", "[", "]", "{", "}", "{.", ".}", ":",
    ",", ".", "..", "=", "==", "+", "-", "*", "&&", "!", "\n", "\n  ", "\n    ", "\t", " ",
    "#c", "lambda", "let ", "pass", "break", "$",
]  # fmt: skip


def check(result: ParseResult, source: SourceFile) -> None:
    assert isinstance(result.module, n.Module)
    for diagnostic in result.diagnostics:
        assert diagnostic.code is Code.SYNTAX, diagnostic
        assert diagnostic.span is not None
        assert 0 <= diagnostic.span.start <= diagnostic.span.end <= len(source.text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_random_text_never_raises(text: str) -> None:
    source = SourceFile("r.stfl", text)
    check(parse_module(source), source)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=60))
def test_random_token_soup_never_raises(parts: list[str]) -> None:
    source = SourceFile("r.stfl", "".join(parts))
    check(parse_module(source), source)


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=200))
def test_binary_input_never_raises(data: bytes) -> None:
    source = SourceFile("b.stfl", data.decode("utf-8", errors="replace"))
    check(parse_module(source), source)


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=100))
def test_parse_expression_never_raises(text: str) -> None:
    expr, diagnostics = parse_expression(text)
    assert isinstance(expr, n.Expr)
    assert all(d.code is Code.SYNTAX for d in diagnostics)


def test_every_grammar_rule_has_a_builder_callback() -> None:
    inlined = {r.origin.name for r in LARK.rules if r.options.expand1}
    missing = {
        str(r.alias or r.origin.name)
        for r in LARK.rules
        if not str(r.origin.name).startswith("_")
        and not hasattr(AstBuilder, str(r.alias or r.origin.name))
        and (r.alias or r.origin.name not in inlined)
    }
    assert missing == set()


DEEP = [
    ("x = " + "-" * 5000 + "1\n"),
    ("x = " + "not " * 5000 + "a\n"),
    ("x = " + "[" * 3000 + "]" * 3000 + "\n"),
    ("x = " + " + ".join(["a"] * 5000) + "\n"),
    ("x = f" + "(1)" * 5000 + "\n"),
    ("".join("  " * i + "while x:\n" for i in range(300)) + "  " * 300 + "pass\n"),
]


@pytest.mark.parametrize("text", DEEP, ids=["unary", "not", "lists", "sum", "calls", "blocks"])
def test_deep_nesting_is_a_clean_error(text: str) -> None:
    result = parse_module(SourceFile("d.stfl", text))
    assert [d.message for d in result.diagnostics] == [
        f"Nesting is too deep (more than {MAX_DEPTH} levels)"
    ]
    assert [type(s).__name__ for s in result.module.body] == ["ErrorStmt"]


def test_moderate_nesting_is_fine() -> None:
    text = "x = " + "(" * 150 + "1" + ")" * 150 + " + " + "-" * 100 + "y\n"
    assert parse_module(SourceFile("d.stfl", text)).diagnostics == ()


def test_deep_parentheses_alone_do_not_nest_the_tree() -> None:
    text = "x = " + "(" * 3000 + "1" + ")" * 3000 + "\n"
    assert parse_module(SourceFile("d.stfl", text)).diagnostics == ()


def test_long_flat_lines_are_fine() -> None:
    text = "var xs = [" + ", ".join(str(i) for i in range(5000)) + "]\n"
    result = parse_module(SourceFile("d.stfl", text))
    assert result.diagnostics == ()


PROGRAM_CHUNK = """\
def f{i}(a: int64, xs: list[int64]) -> int64:
  var total: int64 = 0
  for x in 0..a+1:
    if x % 2 == 0 and not (x > 10):
      total += xs[x] * -1
    elif x < 3:
      print(f"x={{x}}", total)
    else:
      total = total - g(x, y: 2).z[1:3]
  return total

"""


def test_ten_thousand_lines_parse_quickly() -> None:
    text = "".join(PROGRAM_CHUNK.format(i=i) for i in range(910))
    assert text.count("\n") >= 10_000
    started = time.process_time()
    result = parse_module(SourceFile("big.stfl", text))
    elapsed = time.process_time() - started
    assert result.diagnostics == ()
    assert len(result.module.body) == 910
    assert elapsed < 10.0  # generous for loaded CI machines; ~1 s on a quiet one


def test_internal_failure_becomes_a_located_e901(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: AstBuilder, c: list[object]) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(AstBuilder, "while_stmt", broken)
    result = parse_module(SourceFile("p.stfl", "var x = 1\nwhile x:\n  pass\n"))
    (diagnostic,) = result.diagnostics
    assert diagnostic.code is Code.INTERNAL
    assert diagnostic.message == "internal compiler error: ValueError: boom"
    assert diagnostic.span is not None and diagnostic.span.line >= 2


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=120))
def test_token_soup_at_full_size(parts: list[str]) -> None:
    source = SourceFile("r.stfl", "".join(parts))
    check(parse_module(source), source)
