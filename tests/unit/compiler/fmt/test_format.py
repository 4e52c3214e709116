"""Focused formatter cases: spacing, precedence, comments, blank lines, refusal."""

from __future__ import annotations

import pytest

from stoffel.compiler.fmt import format_source


def fmt(text: str) -> str:
    result = format_source(text, "case.stfl")
    assert result.text is not None, result.diagnostics
    assert format_source(result.text, "case.stfl").text == result.text  # idempotent
    return result.text


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("var x=1+2*3\n", "var x = 1 + 2 * 3\n"),
        ("var y :secret int64=( 5 )\n", "var y: secret int64 = 5\n"),
        ("var z = (a+b)*c\n", "var z = (a + b) * c\n"),
        ("var z = a-(b-c)\n", "var z = a - (b - c)\n"),
        ("var z = (a-b)-c\n", "var z = a - b - c\n"),
        ("var z = -(a*b)\n", "var z = -(a * b)\n"),
        ("var z = (-a)*b\n", "var z = -a * b\n"),
        ("var z = not (a == b)\n", "var z = not (a == b)\n"),
        ("var z = - (-x)\n", "var z = - -x\n"),
        ("var z = (a or b) and c\n", "var z = (a or b) and c\n"),
        ("var z = (f(x)).y[ 1 ]\n", "var z = f(x).y[1]\n"),
        ("x+=1\n", "x += 1\n"),
        ("var s = xs[ 1 : 2 ]\nvar t = xs[::2]\n", "var s = xs[1:2]\nvar t = xs[::2]\n"),
        ("var d = { 1 : 2,3:4 }\n", "var d = {1: 2, 3: 4}\n"),
        ("var c = [ x*2 for x in xs if x>1 ]\n", "var c = [x * 2 for x in xs if x > 1]\n"),
        ('print( f"a{ x }b{{c}}" )\n', 'print(f"a{x}b{{c}}")\n'),
        ("p = P(x : 1,y: 2,)\n", "p = P(x: 1, y: 2)\n"),
        ("for i in 0..n+1:\n  pass\n", "for i in 0..n + 1:\n  pass\n"),
        ('assert x>0 , "msg"\n', 'assert x > 0, "msg"\n'),
        ('import "../lib.stfl"  as  m\n', 'import "../lib.stfl" as m\n'),
    ],
)
def test_canonical_text(source: str, expected: str) -> None:
    assert fmt(source) == expected


def test_literal_text_is_kept_as_written() -> None:
    source = 'var a = 0xFF_u8\nvar b = 1_000\nvar c = 2.5e-2\nvar s = "a\\tb\\"q\\""\n'
    assert fmt(source) == source


def test_blank_lines_around_top_level_definitions() -> None:
    source = "var a = 1\ndef f() -> int64:\n  return 1\ndef g():\n  pass\nprint(a)\n"
    expected = "var a = 1\n\ndef f() -> int64:\n  return 1\n\ndef g():\n  pass\n\nprint(a)\n"
    assert fmt(source) == expected


def test_runs_of_blank_lines_collapse_to_one() -> None:
    assert fmt("var a = 1\n\n\n\nvar b = 2\n\n\n") == "var a = 1\n\nvar b = 2\n"


def test_comments_keep_their_places() -> None:
    source = (
        "# file header\n"
        "var x=1   # trailing\n"
        "# about f\n"
        "def f(a:int64)->int64:  # header comment\n"
        "  # first in body\n"
        "  if a>0:\n"
        "    return 1\n"
        "  # before else\n"
        "  else:  # on else\n"
        "    return 2\n"
        "  # end of body\n"
        "# end of file\n"
    )
    expected = (
        "# file header\n"
        "var x = 1  # trailing\n"
        "\n"
        "# about f\n"
        "def f(a: int64) -> int64:  # header comment\n"
        "  # first in body\n"
        "  if a > 0:\n"
        "    return 1\n"
        "  # before else\n"
        "  else:  # on else\n"
        "    return 2\n"
        "  # end of body\n"
        "\n"
        "# end of file\n"
    )
    assert fmt(source) == expected


def test_comment_inside_a_multiline_statement_moves_above_it() -> None:
    source = "var xs = [\n  1,  # one\n  2  # two\n]\n"
    assert fmt(source) == "# one\n# two\nvar xs = [1, 2]\n"


def test_hash_inside_a_string_is_not_a_comment() -> None:
    source = 'print("# not a comment")  # a comment\n'
    assert fmt(source) == source


def test_declarations() -> None:
    source = (
        "object P( Base ):\n  x :int64\n  y: secret  int64\n"
        "enum Color:\n  Red\n  Green=5\n"
        "def id[T]( v:T, *rest:T, n:int64=3 )->T:\n  return v\n"
        'def open_it(s: Share) -> int64 {.builtin: "Share.open".}\n'
        "type Id = int64\n"
    )
    expected = (
        "object P(Base):\n  x: int64\n  y: secret int64\n\n"
        "enum Color:\n  Red\n  Green = 5\n\n"
        "def id[T](v: T, *rest: T, n: int64 = 3) -> T:\n  return v\n\n"
        'def open_it(s: Share) -> int64 {.builtin: "Share.open".}\n\n'
        "type Id = int64\n"
    )
    assert fmt(source) == expected


def test_match_and_elif() -> None:
    source = (
        "match x:\n  case 1:\n    print(1)\n  case _:\n    pass\n"
        "if a:\n  pass\nelif b:\n  pass\nelse:\n  pass\n"
    )
    assert fmt(source) == source


def test_syntax_errors_are_refused_with_diagnostics() -> None:
    result = format_source("var x = (1 +\nvar y = 2\n", "bad.stfl")
    assert result.text is None
    assert result.diagnostics
    assert all(d.code.value == "E001" for d in result.diagnostics)


def test_empty_file() -> None:
    assert fmt("") == ""
    assert fmt("\n\n") == ""


def test_long_statements_break_inside_their_outermost_brackets() -> None:
    names = ", ".join(f"value_{i}" for i in range(12))
    source = f"def f():\n  print({names})  # all of them\n  var xs = [{names}]\n"
    lines = fmt(source).split("\n")
    assert lines[1] == "  print("
    assert lines[2] == "    value_0,"
    assert lines[13] == "    value_11"
    assert lines[14] == "  )  # all of them"
    assert lines[15] == "  var xs = ["
    assert lines[-3] == "    value_11"
    assert lines[-2] == "  ]"
    assert all(len(line) <= 100 for line in lines)


def test_short_statements_stay_on_one_line() -> None:
    source = "var xs = [\n  1,\n  2\n]\n"
    assert fmt(source) == "var xs = [1, 2]\n"
