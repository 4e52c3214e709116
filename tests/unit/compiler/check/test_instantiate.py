"""Generic functions are checked again per secret instantiation (spec §2.3, §3.3)."""

from __future__ import annotations

import pytest

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.instantiate import contains_secret
from stoffel.compiler.types.types import (
    BOOL,
    INT64,
    SHARE,
    STRING,
    DictT,
    ListT,
    Secret,
    Type,
)

from .helpers import checked, compile_text, diagnose

REVEAL_BOOL = "Cannot implicitly reveal 'secret bool' as 'bool'"
SECRETS = "def main() -> bool:\n  var x: secret int64 = 5\n  var y: secret int64 = 6\n"


def notes(source: str) -> list[list[tuple[str, int, int]]]:
    """The notes of each diagnostic as (message, line, column)."""
    return [
        [(n.message, n.span.line, n.span.column) for n in d.notes if n.span is not None]
        for d in compile_text(source).diagnostics
    ]


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (INT64, False),
        (Secret(INT64), True),
        (SHARE, True),
        (ListT(Secret(BOOL)), True),
        (ListT(ListT(INT64)), False),
        (DictT(STRING, Secret(INT64)), True),
    ],
)
def test_contains_secret(t: Type, expected: bool) -> None:
    assert contains_secret(t) is expected


def test_equality_leak_is_reported_in_the_body_with_a_note_at_the_call() -> None:
    source = "def same[T](a: T, b: T) -> bool:\n  return a == b\n\n" + SECRETS
    source += "  return same(x, y)\n"
    assert diagnose(source) == [("E101", 2, 10, REVEAL_BOOL)]
    assert notes(source) == [[("in the instantiation same[secret int64] called here", 7, 10)]]


def test_less_than_leak() -> None:
    source = "def less[T](a: T, b: T) -> bool:\n  return a < b\n\n" + SECRETS
    source += "  return less(x, y)\n"
    assert diagnose(source) == [("E101", 2, 10, REVEAL_BOOL)]


def test_clear_instantiation_is_not_rechecked() -> None:
    source = "def same[T](a: T, b: T) -> bool:\n  return a == b\n\n"
    source += "def main() -> bool:\n  return same(1, 2)\n"
    assert diagnose(source) == []


def test_list_of_secrets_binds_the_element_type() -> None:
    source = "def lt[T](xs: list[T]) -> bool:\n  return xs[0] < xs[1]\n\n" + SECRETS
    source += "  var xs: list[secret int64] = [x, y]\n  return lt(xs)\n"
    assert diagnose(source) == [("E101", 2, 10, REVEAL_BOOL)]
    assert notes(source)[0][0][0] == "in the instantiation lt[secret int64] called here"


def test_share_instantiation() -> None:
    source = "def same[T](a: T, b: T) -> bool:\n  return a == b\n\n"
    source += "def main() -> bool:\n  var s = Share.from_clear(1)\n  return same(s, s)\n"
    assert [d[:3] for d in diagnose(source)] == [("E101", 2, 10)]
    assert notes(source)[0][0][0] == "in the instantiation same[Share] called here"


def test_print_under_a_secret_if_in_the_body() -> None:
    source = "def show[T](a: T, b: T):\n  if a < b:\n    print(to_string(a))\n\n" + SECRETS
    source += "  show(x, y)\n  return True\n"
    assert diagnose(source) == [
        (
            "E201",
            3,
            5,
            "Cannot print in a branch on a secret condition (it would leak the condition)",
        )
    ]


def test_effectful_user_call_under_a_secret_if_in_the_body() -> None:
    source = "def log(v: int64):\n  print(v)\n\n"
    source += "def maybe[T](a: T, b: T):\n  if a < b:\n    log(1)\n\n" + SECRETS
    source += "  maybe(x, y)\n  return True\n"
    assert diagnose(source) == [
        (
            "E201",
            6,
            5,
            "Cannot call 'log' in a branch on a secret condition: it has effects (print)",
        )
    ]


def test_return_under_a_secret_if_in_the_body() -> None:
    source = "def larger[T](a: T, b: T) -> T:\n  if a < b:\n    return b\n  return a\n\n"
    source += SECRETS + "  var m: secret int64 = larger(x, y)\n  return True\n"
    assert [d[:3] for d in diagnose(source)] == [("E201", 3, 5)]


def test_nested_generic_calls_chain_the_notes() -> None:
    source = "def same[T](a: T, b: T) -> bool:\n  return a == b\n\n"
    source += "def outer[U](a: U, b: U) -> bool:\n  return same(a, b)\n\n" + SECRETS
    source += "  return outer(x, y)\n"
    assert diagnose(source) == [("E101", 2, 10, REVEAL_BOOL)]
    assert notes(source) == [
        [
            ("in the instantiation same[secret int64] called here", 5, 10),
            ("in the instantiation outer[secret int64] called here", 10, 10),
        ]
    ]


def test_reported_once_per_instantiation() -> None:
    source = "def same[T](a: T, b: T) -> bool:\n  return a == b\n\n" + SECRETS
    source += "  var s = Share.from_clear(1)\n"
    source += "  return same(x, y) and same(y, x) and same(s, s) and same(s, s)\n"
    found = notes(source)
    assert len(found) == 2  # same[secret int64] and same[Share], one each
    assert [n[0][0] for n in found] == [
        "in the instantiation same[secret int64] called here",
        "in the instantiation same[Share] called here",
    ]


def test_recursion_terminates() -> None:
    source = "def count[T](a: T, b: T, n: int64) -> bool:\n"
    source += "  if n == 0:\n    return a < b\n  return count(b, a, n - 1)\n\n" + SECRETS
    source += "  return count(x, y, 3)\n"
    assert diagnose(source) == [("E101", 3, 12, REVEAL_BOOL)]


def test_polymorphic_recursion_terminates() -> None:
    source = "def grow[T](a: T, n: int64) -> int64:\n"
    source += "  if n == 0:\n    return 0\n  return grow([a], n - 1)\n\n" + SECRETS
    source += "  return grow(x, 3) == 0\n"
    assert diagnose(source) == []


@pytest.mark.parametrize(
    "body",
    [
        "def first[T](xs: list[T]) -> T:\n  return xs[0]\n\n"
        + SECRETS
        + "  var xs: list[secret int64] = [x, y]\n  var f: secret int64 = first(xs)\n"
        "  return True\n",
        "def pick[T](c: bool, a: T, b: T) -> T:\n  if c:\n    return a\n  return b\n\n"
        + SECRETS
        + "  var p: secret int64 = pick(True, x, y)\n  return True\n",
        "def push[T](xs: list[T], v: T) -> int64:\n  xs.append(v)\n  return len(xs)\n\n"
        + SECRETS
        + "  var xs: list[secret int64] = []\n  var n = push(xs, x)\n  return n == 1\n",
        "def total[T](xs: list[T]) -> T:\n  var acc: T = xs[0]\n  for v in xs:\n"
        "    acc = acc + v\n  return acc\n\n"
        + SECRETS
        + "  var t: secret int64 = total([x, y])\n  return True\n",
    ],
    ids=["first", "pick", "push", "total"],
)
def test_legit_secret_instantiations(body: str) -> None:
    assert diagnose(body) == []


def test_scratch_check_leaves_the_checked_program_alone() -> None:
    source = "def same[T](a: T, b: T) -> bool:\n  var r: T = a\n  if a < b:\n    r = b\n"
    source += "  return r == b\n\n" + SECRETS + "  return same(x, y)\n"
    compilation = compile_text(source)
    assert [d.message for d in compilation.diagnostics] == [REVEAL_BOOL]
    program = compilation.checked
    generic = program.modules[0].body[0]
    assert isinstance(generic, ast.FunctionDef)
    compare = generic.body[2]
    assert isinstance(compare, ast.Return) and compare.value is not None
    assert str(program.type_of(compare.value)) == "bool"  # the generic check's view
    assert not any(isinstance(s, ast.If) and s in program.oblivious_ifs for s in generic.body)
    info = program.function_of(generic)
    assert info is not None and str(info.signature.returns) == "bool"


def test_clear_and_secret_instantiations_together_are_valid_when_safe() -> None:
    source = "def pair[T](a: T, b: T) -> list[T]:\n  return [a, b]\n\n" + SECRETS
    source += "  var p = pair(1, 2)\n  var q = pair(x, y)\n  return len(p) == len(q)\n"
    program = checked(source)
    assert program.main is not None
