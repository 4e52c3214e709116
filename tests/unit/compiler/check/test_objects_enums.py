"""Objects (spec §2.6) and enums (spec §2.7)."""

from __future__ import annotations

import pytest

from stoffel.compiler.ast import nodes as ast

from .helpers import checked, diagnose

OBJ = "object Point:\n  x: int64\n  y: int64\nobject P3(Point):\n  z: int64\n"

CASES = [
    ("var p = Point(x: 1, y: 2)\nvar q = P3(x: 1, z: 3)\nvar s = q.x + q.z\n", []),
    ("var p: Point\np.x = 3\n", []),
    (
        "var p = Point(1, 2)\n",
        [("E201", 6, 15, "Constructor for 'Point' expects named field arguments")],
    ),
    ("var p = Point(w: 1)\n", [("E201", 6, 15, "Unknown field 'w' for object 'Point'")]),
    (
        "var p = Point(x: 1, x: 2)\n",
        [("E201", 6, 21, "Duplicate field 'x' in constructor for 'Point'")],
    ),
    (
        'var p = Point(x: "a")\n',
        [("E101", 6, 18, "Type mismatch. Expected 'int64', found 'string'")],
    ),
    (
        "var p = Point(x: 1)\nvar w = p.w\n",
        [("E201", 7, 11, "Unknown field 'w' for object 'Point'")],
    ),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_objects(source: str, expected: list[tuple[str, int, int, str]]) -> None:
    assert diagnose(OBJ + source) == expected


ENUM = "enum Color:\n  Red\n  Green = 5\n  Blue\n"


def test_enum_values_are_constants() -> None:
    program = checked(ENUM + "var a = Color.Red\nvar b = Color.Green\nvar c = Color.Blue\n")
    values = [
        program.enum_values[stmt.value]
        for stmt in program.modules[-1].body
        if isinstance(stmt, ast.VarDecl) and isinstance(stmt.value, ast.Attribute)
    ]
    assert values == [0, 5, 6]


def test_enum_errors() -> None:
    assert diagnose(ENUM + "var x = Color.Purple\n") == [
        ("E201", 5, 15, "Enum 'Color' has no member 'Purple'")
    ]
    assert diagnose("enum E:\n  A\n  A\n") == [("E201", 3, 3, "Duplicate enum member 'A'")]
