"""Untyped literal adaptation and range checks (spec §3.2)."""

from __future__ import annotations

import pytest

from .helpers import diagnose

CASES = [
    ("var a: int8 = 127\n", []),
    ("var a: int8 = -128\n", []),
    (
        "var a: int8 = 128\n",
        [("E101", 1, 15, "Integer literal 128 does not fit in 'int8' (allowed range -128..=127)")],
    ),
    (
        "var a: int8 = -129\n",
        [("E101", 1, 15, "Integer literal -129 does not fit in 'int8' (allowed range -128..=127)")],
    ),
    (
        "var a: uint16 = 70000\n",
        [
            (
                "E101",
                1,
                17,
                "Integer literal 70000 does not fit in 'uint16' (allowed range 0..=65535)",
            )
        ],
    ),
    (
        "var a: uint32 = -1\n",
        [
            (
                "E101",
                1,
                17,
                "Integer literal -1 does not fit in 'uint32' (allowed range 0..=4294967295)",
            )
        ],
    ),
    ("var b: bool = 1\nvar c: bool = 0\n", []),
    (
        "var b: bool = 2\n",
        [("E101", 1, 15, "Integer literal 2 cannot initialize 'bool' (allowed values are 0 or 1)")],
    ),
    (
        "var x = 256u8\n",
        [("E101", 1, 9, "Integer literal 256 does not fit in 'uint8' (allowed range 0..=255)")],
    ),
    ("var a: int32 = 5\nvar b = a + 1\nvar c: int32 = b\n", []),
    ("var f: float = 1\nvar g: fix64 = 2\nvar h = f * 2\n", []),
    ("var s: secret int32 = 70\nvar t = s + 1\n", []),
    (
        "def f(x: uint8) -> uint8:\n  return x\nvar y = f(300)\n",
        [("E101", 3, 11, "Integer literal 300 does not fit in 'uint8' (allowed range 0..=255)")],
    ),
    (
        "def f() -> int8:\n  return 200\n",
        [("E101", 2, 10, "Integer literal 200 does not fit in 'int8' (allowed range -128..=127)")],
    ),
    ("var xs: list[uint8] = [1, 2, 255]\n", []),
    (
        "var xs: list[uint8] = [1, 256]\n",
        [("E101", 1, 27, "Integer literal 256 does not fit in 'uint8' (allowed range 0..=255)")],
    ),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_literal_rules(source: str, expected: list[tuple[str, int, int, str]]) -> None:
    assert diagnose(source) == expected
