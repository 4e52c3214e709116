"""Did-you-mean (spec §5): distance ≤ max(2, ⌊0.4·len⌋); ties → smallest, then alphabetical."""

from __future__ import annotations

import pytest

from stoffel.compiler.check.suggest import did_you_mean, levenshtein, suggest


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("", "", 0), ("abc", "abc", 0), ("kitten", "sitting", 3), ("prnt", "print", 1), ("", "ab", 2)],
)
def test_levenshtein(a: str, b: str, distance: int) -> None:
    assert levenshtein(a, b) == distance


@pytest.mark.parametrize(
    ("name", "candidates", "expected"),
    [
        ("prnt", ["print", "len"], "print"),
        ("hat", ["cat", "bat"], "bat"),  # tie: alphabetical
        ("hat", ["cats", "bat", "hate"], "bat"),  # smallest distance first... tie with hate
        ("x", ["abc"], None),  # distance 3 > 2
        ("abcdefghij", ["abcdefghxy", "zzzzzzzzzz"], "abcdefghxy"),  # 2 ≤ max(2, 4)
        ("abcdefghij", ["abcdefwxyz"], "abcdefwxyz"),  # 4 ≤ ⌊0.4·10⌋
        ("abcdefghij", ["abcdevwxyz"], None),  # 5 > 4
    ],
)
def test_suggest(name: str, candidates: list[str], expected: str | None) -> None:
    assert suggest(name, candidates) == expected


def test_did_you_mean_format() -> None:
    assert did_you_mean("prnt", ["print"]) == "Did you mean 'print'?"
    assert did_you_mean("zzz", ["print"]) is None
