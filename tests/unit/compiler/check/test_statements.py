"""Scopes, declarations, control flow, returns and entry rules (spec §2.1–2.12)."""

from __future__ import annotations

import pytest

from .helpers import compile_text, diagnose

CASES = [
    # Scopes (§2.4): if/while blocks open none; for and def do.
    (
        "if True:\n  var t = 1\nelse:\n  var t = 2\n",
        [("E201", 4, 7, "Symbol 't' already declared in this scope")],
    ),
    ("for i in 0..2:\n  var t = i\nfor i in 0..2:\n  var t = i\n", []),
    ("var n = 1\ndef f(n: int64) -> int64:\n  var m = n\n  return m\n", []),
    (
        "def f() -> None:\n  pass\ndef f() -> None:\n  pass\n",
        [("E201", 3, 5, "Function 'f' already defined")],
    ),
    (
        "var x = 1\ndef x() -> None:\n  pass\n",
        [("E201", 2, 5, "Symbol 'x' already declared in this scope")],
    ),
    # Forward calls (DESIGN.md §3).
    ("var r = later(2)\ndef later(x: int64) -> int64:\n  return x\n", []),
    # Conditions.
    ("if 1:\n  pass\n", [("E101", 1, 4, "If-condition must be of type 'bool'")]),
    ("while 1:\n  pass\n", [("E101", 1, 7, "While-condition must be of type 'bool'")]),
    # Loops.
    (
        "for x in 5:\n  pass\n",
        [("E101", 1, 10, "Cannot iterate over type 'int64'; expected a range (a..b) or a List")],
    ),
    (
        "for a, b in [1]:\n  pass\n",
        [("E201", 1, 5, "For-loop with multiple variables not supported yet")],
    ),
    ("break\n", [("E201", 1, 1, "'break' outside of a loop")]),
    ("def f() -> None:\n  continue\n", [("E201", 2, 3, "'continue' outside of a loop")]),
    ("return\n", [("E201", 1, 1, "'return' statement outside of function")]),
    # Returns.
    (
        "def f(x: int64) -> int64:\n  if x > 1:\n    return 1\n",
        [
            (
                "E201",
                1,
                5,
                "Function 'f' declares return type 'int64' but not all paths return a value",
            )
        ],
    ),
    ("def f(x: int64) -> int64:\n  while True:\n    return 1\n", []),
    ("def f(x: int64) -> int64:\n  if x > 1:\n    return 1\n  else:\n    return 2\n", []),
    (
        "def f() -> None:\n  return 1\n",
        [("E101", 2, 10, "Cannot return value of type 'int64' from function returning 'void'")],
    ),
    (
        "def f() -> int32:\n  var x: int64 = 1\n  return x\n",
        [("E101", 3, 10, "Cannot return value of type 'int64' from function returning 'int32'")],
    ),
    # Conversions.
    (
        "var a: int64 = 1\nvar b: int32 = a\n",
        [
            (
                "E101",
                2,
                16,
                "Cannot initialize variable 'b' of type 'int32' with value of type 'int64'",
            )
        ],
    ),
    (
        "var a: int64 = 1\nvar b: int32 = 1\nb = a\n",
        [("E101", 3, 5, "Cannot assign value of type 'int64' to variable 'b' of type 'int32'")],
    ),
    (
        "def f(x: int32) -> None:\n  pass\nvar a: int64 = 1\nf(a)\n",
        [
            (
                "E101",
                4,
                3,
                "Argument 1 to function 'f' has type 'int64', but parameter expects 'int32'",
            )
        ],
    ),
    (
        "var xs: list[int8] = [1]\nvar a: int64 = 1\nxs[0] = a\n",
        [("E101", 3, 9, "Cannot implicitly convert from 'int64' to 'int8'")],
    ),
    ("var a: uint8 = 1\nvar b: int16 = a\nvar c: uint64 = a\n", []),
    (
        "var a: uint32 = 1\nvar b: int32 = a\n",
        [
            (
                "E101",
                2,
                16,
                "Cannot initialize variable 'b' of type 'int32' with value of type 'uint32'",
            )
        ],
    ),
    ('var a: int64 = "s"\n', [("E101", 1, 16, "Type mismatch. Expected 'int64', found 'string'")]),
    # Inference of untyped vars.
    ("var xs = []\nxs.append(1)\nvar y: int64 = xs[0]\n", []),
    (
        'var xs = []\nxs.append(1)\nxs.append("a")\n',
        [
            (
                "E101",
                3,
                11,
                "Cannot infer a single type for variable 'xs': 'append' at line 2 requires "
                "'int64', but 'append' at line 3 requires 'string'",
            )
        ],
    ),
    # Types.
    ("var a: int65 = 1\n", [("E201", 1, 8, "Undefined type 'int65'")]),
    ("def g() -> None:\n  pass\nvar a: g = 1\n", [("E201", 3, 8, "'g' is a function, not a type")]),
    ("var v = 1\nvar a: v = 1\n", [("E201", 2, 8, "'v' is a variable, not a type")]),
    # Entry rules (§2.12).
    (
        "var x = 1\ndef main() -> None:\n  pass\n",
        [("E201", 1, 1, "Cannot mix top-level code with 'def main' entry")],
    ),
    (
        "def main() -> None:\n  pass\ndef main() -> None:\n  pass\n",
        [("E201", 3, 5, "Multiple 'main' procedures defined")],
    ),
    # Parameters.
    (
        "var d = 1\ndef f(x: int64 = d) -> None:\n  pass\n",
        [("E201", 2, 18, "Default value for parameter 'x' must be a literal")],
    ),
    (
        "def f(x: int64 = 1, y: int64) -> None:\n  pass\n",
        [("E201", 1, 21, "Parameter 'y' without a default follows a parameter with one")],
    ),
    (
        "def f(*xs: int64, y: int64) -> None:\n  pass\n",
        [("E201", 1, 7, "A variadic parameter (*args) must be the last parameter")],
    ),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_statement_rules(source: str, expected: list[tuple[str, int, int, str]]) -> None:
    assert diagnose(source) == expected


def test_redeclaration_points_at_the_original() -> None:
    (d,) = compile_text("var t = 1\nvar t = 2\n").diagnostics
    assert d.hint == "Original declaration was here: /virtual/test.stfl:1:5"
    assert d.notes[0].span is not None and d.notes[0].span.line == 1


def test_undeclared_identifier_suggests_by_distance_then_name() -> None:
    (d,) = compile_text("var bat = 1\nvar cat = 2\nvar y = hat\n").diagnostics
    assert d.message == "Use of undeclared identifier 'hat'"
    assert d.hint == "Did you mean 'bat'?"
