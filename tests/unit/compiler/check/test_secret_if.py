"""`if` on a secret condition (DESIGN.md §3): what is allowed and what is rejected."""

from __future__ import annotations

import pytest

from stoffel.compiler.ast import nodes as ast

from .helpers import checked, compile_text, diagnose

HEAD = """\
def pure(x: secret int64) -> secret int64:
  return x * 2

def noisy(x: int64) -> int64:
  print(x)
  return x

def indirect(x: int64) -> int64:
  return noisy(x)

def f(s: secret int64, xs: list[int64]) -> secret int64:
  var c = 0
  var acc: secret int64 = 0
  if s > 0:
"""
TAIL = "  return acc\n"

ALLOWED = [
    "    acc = s + 1\n",
    "    var local = 5\n    local = local + 1\n    acc = local\n",
    "    acc = pure(s)\n",
    "    if s > 5:\n      acc = 2\n    else:\n      acc = 3\n",
    "    for i in 0..3:\n      acc = acc + i\n",
    "    var ys = [1]\n    ys.append(2)\n",
    "    acc = Share.add(s, s)\n",
]


@pytest.mark.parametrize("body", ALLOWED)
def test_allowed_in_secret_branch(body: str) -> None:
    assert diagnose(HEAD + body + TAIL) == []


W = "in a branch on a secret condition"
REJECTED = [
    ("    c = 1\n", f"Cannot assign to clear variable 'c' {W} (it would leak the condition)"),
    ("    print(1)\n", f"Cannot print {W} (it would leak the condition)"),
    ("    return acc\n", f"Cannot use 'return' {W} (control flow cannot depend on a secret)"),
    ("    var r = s.reveal()\n", f"Cannot reveal a secret {W} (it would leak the condition)"),
    ("    var r = Share.open(s)\n", f"Cannot reveal a secret {W} (it would leak the condition)"),
    (
        "    MpcOutput.send_to_client(0, s)\n",
        f"Cannot send output to a client {W} (it would leak the condition)",
    ),
    (
        "    xs[0] = 1\n",
        f"Cannot store into a list element or object field {W} "
        "(stores are not selected obliviously)",
    ),
    ("    discard noisy(1)\n", f"Cannot call 'noisy' {W}: it has effects (print)"),
    ("    discard indirect(1)\n", f"Cannot call 'indirect' {W}: it has effects (print)"),
    ("    xs.append(1)\n", f"Cannot call 'append' {W}: it has effects (list mutation)"),
    ("    assert True\n", f"Cannot call 'assert' {W}: it has effects (assert)"),
]


@pytest.mark.parametrize(("body", "message"), REJECTED)
def test_rejected_in_secret_branch(body: str, message: str) -> None:
    found = diagnose(HEAD + body + TAIL)
    assert [(code, line, msg) for code, line, _, msg in found] == [("E201", 15, message)]


def test_rejections_carry_a_rewrite_hint() -> None:
    diagnostics = compile_text(HEAD + "    c = 1\n" + TAIL).diagnostics
    assert diagnostics[0].hint is not None and "secret" in diagnostics[0].hint


def test_break_inside_loop_within_branch_is_allowed_but_not_outside() -> None:
    source = (
        "var s: secret int64 = 1\n"
        "for i in 0..3:\n"
        "  if s > i:\n"
        "    for j in 0..2:\n"
        "      break\n"
        "    break\n"
    )
    found = diagnose(source)
    assert found == [
        ("E201", 6, 5, f"Cannot use 'break' {W} (control flow cannot depend on a secret)")
    ]


def test_elif_after_clear_condition_is_oblivious_from_that_branch() -> None:
    program = checked(
        "var s: secret int64 = 1\nvar c = 2\nvar r: secret int64 = 0\n"
        "if c > 1:\n  r = 1\nelif s > 1:\n  r = 2\nelse:\n  r = 3\n"
    )
    stmt = program.modules[-1].body[3]
    assert isinstance(stmt, ast.If)
    assert program.oblivious_ifs == {stmt: 1}


def test_effect_facts_per_function() -> None:
    program = checked(HEAD + "    acc = 1\n" + TAIL)
    facts = {s.name: f.effect_free for s, f in program.functions.items()}
    assert facts == {"pure": True, "noisy": False, "indirect": False, "f": True}


def test_mutating_local_lists_keeps_a_function_effect_free() -> None:
    program = checked(
        "def build(n: int64) -> list[int64]:\n"
        "  var xs: list[int64] = []\n"
        "  xs.append(n)\n"
        "  xs[0] = 2\n"
        "  return xs\n"
        "def poke(xs: list[int64]) -> None:\n"
        "  xs[0] = 1\n"
        "var s: secret int64 = 1\n"
        "var n: secret int64 = 0\n"
        "if s > 0:\n"
        "  n = len(build(3))\n"
    )
    facts = {s.name: f.effect_free for s, f in program.functions.items()}
    assert facts == {"build": True, "poke": False}
