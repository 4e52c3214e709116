"""Local (communication-free) operations on share vectors.

Shamir sharing is linear: sums, differences, public scalings and public offsets of sharings are
sharings of the corresponding values with the same degree.
"""

from __future__ import annotations

from collections.abc import Sequence


def add(p: int, a: Sequence[int], b: Sequence[int]) -> list[int]:
    return [(x + y) % p for x, y in zip(a, b, strict=True)]


def sub(p: int, a: Sequence[int], b: Sequence[int]) -> list[int]:
    return [(x - y) % p for x, y in zip(a, b, strict=True)]


def neg(p: int, a: Sequence[int]) -> list[int]:
    return [(-x) % p for x in a]


def scale(p: int, a: Sequence[int], c: int) -> list[int]:
    c %= p
    return [x * c % p for x in a]


def add_const(p: int, a: Sequence[int], c: int) -> list[int]:
    """Adding a public constant shifts every share by it (f(0)+c is the new secret)."""
    return [(x + c) % p for x in a]


def constant(p: int, value: int, count: int = 1) -> list[int]:
    """The degree-0 sharing of a public constant: every party holds the value itself."""
    return [value % p] * count
