"""Operator typing (spec §3.2–3.3)."""

from __future__ import annotations

import pytest

from stoffel.compiler.ast import nodes as ast

from .helpers import checked, diagnose

PRELUDE = "var a: int32 = 1\nvar b: int64 = 2\nvar u: uint8 = 3\nvar s: secret int64 = 4\n"

ERRORS = [
    (
        "var c = a + b\n",
        "Arithmetic '+' requires matching numeric types, found 'int32' and 'int64'",
    ),
    (
        "var c = a * b\n",
        "Arithmetic '*' requires matching numeric types, found 'int32' and 'int64'",
    ),
    ('var c = "x" - 1\n', "Operands to '-' must be numeric, found 'string' and 'int64'"),
    (
        'var c = a < "x"\n',
        "Operands to '<' must be numeric (ints or float), or matching bool/string values, "
        "found 'int32' and 'string'",
    ),
    (
        "var c = a and b\n",
        "Bitwise 'and' requires matching integer types, found 'int32' and 'int64'",
    ),
    (
        "var c = True or a\n",
        "Operands to 'or' must both be bool (or matching integers for bitwise use), "
        "found 'bool' and 'int32'",
    ),
    ("var c = s xor s\n", "Bitwise 'xor' is not supported on secret integers (only secret bool)"),
    ("var c = not s\n", "Bitwise 'not' is not supported on secret integers (only secret bool)"),
    ("var c = not 1.5\n", "Unary 'not' requires a bool or integer operand, found 'float'"),
    ("var c = -u\n", "Unary '-' requires a signed numeric operand, found 'uint8'"),
    ("var c = -True\n", "Unary '-' requires a numeric operand, found 'bool'"),
    ("var c = a shl b\n", "'shl' requires matching integer types, found 'int32' and 'int64'"),
    ("var c = 1.0 shr 1\n", "Operands to 'shr' must be integers, found 'float' and 'int64'"),
    ("var c = s shr 1\n", "'shr' is not supported on secret values"),
    ("var c = 1 in 2\n", "Right side of 'in' must be a list, dict, or string, found 'int64'"),
    ("var c = s in [1]\n", "'in' is not supported on secret values"),
    ('var c = [1] + ["a"]\n', "Cannot concatenate lists with incompatible element types"),
    ('var c = [1] == ["a"]\n', "Cannot compare lists with incompatible element types"),
]


@pytest.mark.parametrize(("line", "message"), ERRORS)
def test_operator_errors(line: str, message: str) -> None:
    found = diagnose(PRELUDE + line)
    assert [(code, ln, msg) for code, ln, _, msg in found] == [("E101", 5, message)]


VALID = [
    "var c = a + 1\n",
    "var c = a < b\n",
    "var c = u == 3\n",
    "var c = a and 7\n",
    "var c = a shl 2\n",
    "var c = b mod 3\n",
    "var c = b % 3\n",
    "var f: fix64 = 1.5\nvar g: float = 2.0\nvar h = f + g\n",
    "var c = b * 1.5\n",
    "var c = s * 2 + b\n",
    "var c = s > 3\n",
    'var c = "a" + "b"\nvar d = "a" < "b"\n',
    "var c = [0] * 4\nvar d = 3 * [1]\n",
    "var t: secret bool = s > 1\nvar c = 1 - t\nvar d = t * t\nvar e = t and t\n",
    'var c = 1 in [1, 2]\nvar d = "a" in "abc"\n',
]


@pytest.mark.parametrize("line", VALID)
def test_valid_operators(line: str) -> None:
    assert diagnose(PRELUDE + line) == []


@pytest.mark.parametrize(
    ("expr", "type_name"),
    [
        ("a + 1", "int32"),
        ("s + 1", "secret int64"),
        ("s > 1", "secret bool"),
        ("a < b", "bool"),
        ("1.5 * 2", "float"),
        ("b * 1.5", "float"),
        ("not a", "int32"),
        ("-s", "secret int64"),
        ("(s > 1) * (s < 9)", "secret bool"),
    ],
)
def test_result_types(expr: str, type_name: str) -> None:
    program = checked(PRELUDE + f"var r = {expr}\n")
    decl = program.modules[-1].body[-1]
    assert isinstance(decl, ast.VarDecl) and decl.value is not None
    assert str(program.type_of(decl.value)) == type_name
