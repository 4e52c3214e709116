"""Secrecy rules (spec §3.3): implicit share, no implicit reveal, forbidden positions."""

from __future__ import annotations

import pytest

from .helpers import diagnose

S = "var s: secret int64 = 5\nvar xs = [1, 2]\n"

CASES = [
    (
        "var x: int64 = s\n",
        [("E101", 3, 16, "Cannot implicitly reveal 'secret int64' as 'int64'")],
    ),
    (
        "var x = 0\nx = s\n",
        [("E101", 4, 5, "Cannot implicitly reveal 'secret int64' as 'int64'")],
    ),
    (
        "def f(v: int64) -> int64:\n  return v\nvar y = f(s)\n",
        [("E101", 5, 11, "Cannot implicitly reveal 'secret int64' as 'int64'")],
    ),
    (
        "def f() -> int64:\n  var t: secret int64 = 1\n  return t\n",
        [("E101", 5, 10, "Cannot implicitly reveal 'secret int64' as 'int64'")],
    ),
    ("var y = xs[s]\n", [("E101", 3, 12, "Cannot index with a secret value")]),
    ("var y = s in xs\n", [("E101", 3, 9, "'in' is not supported on secret values")]),
    ("var y = s shl 2\n", [("E101", 3, 9, "'shl' is not supported on secret values")]),
    (
        "while s > 0:\n  s = s - 1\n",
        [
            (
                "E101",
                3,
                7,
                "Branching with secret values isn't supported yet (secret condition in 'while')",
            )
        ],
    ),
    (
        "for i in 0..s:\n  print(i)\n",
        [("E101", 3, 13, "Secret values are not supported in for-loop range bounds")],
    ),
    (
        "var f: secret float = 1.0\n",
        [("E101", 3, 8, "secret float64 is not supported by the current MPC protocol")],
    ),
    (
        "var h: int64 = ClientStore.take_share(0, 0)\n",
        [("E101", 3, 16, "Type mismatch. Expected 'int64', found 'Share'")],
    ),
    ("var r = reveal(3)\n", [("E101", 3, 16, "Expected secret value, found 'int64'")]),
    (
        "var r = Share.random()\n",
        [("E101", 3, 9, "Share.random() requires an expected secret integer type")],
    ),
    # Accepted forms.
    ("var t: secret int64 = 42\nvar u = t + 1\nvar v: int64 = u.reveal()\n", []),
    ("var t: secret int64 = ClientStore.take_share(0, 0)\nvar h = Share.add(t, t)\n", []),
    ("var r: secret bool = Share.random()\nvar q: secret int64 = Share.random()\n", []),
    ("def f(v: secret int64) -> secret int64:\n  return v\nvar y = f(3)\n", []),
    ("var b: bool = (s > 1).reveal()\nvar o: int64 = s.open()\n", []),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_secrecy(source: str, expected: list[tuple[str, int, int, str]]) -> None:
    assert diagnose(S + source) == expected


def test_reveal_result_type_follows_secret_type() -> None:
    from .helpers import checked

    program = checked("var t: secret bool = True\nvar r = t.reveal()\nvar o = reveal(t)\n")
    body = program.modules[-1].body
    assert [str(program.type_of(stmt.value)) for stmt in body[1:]] == ["bool", "bool"]
