"""Bulk random bytes: lengths on both paths (OS and AES-CTR), fresh output, uniform bytes."""

from __future__ import annotations

from collections import Counter

import pytest

from stoffel.runtime.randomness import _CIPHER_MIN, random_bytes


@pytest.mark.parametrize("count", [0, 1, 31, _CIPHER_MIN - 1, _CIPHER_MIN, 100_003])
def test_length(count: int) -> None:
    assert len(random_bytes(count)) == count


def test_every_call_is_fresh() -> None:
    # A fixed key or counter would repeat the stream.
    big = [random_bytes(2 * _CIPHER_MIN) for _ in range(3)]
    assert len(set(big)) == 3
    assert len({random_bytes(32) for _ in range(3)}) == 3


def test_bytes_look_uniform() -> None:
    # Chi-square over 256 byte values with 1 MiB: mean 255, sd ~22.6; 400 is > 6 sd away.
    data = random_bytes(1 << 20)
    expected = len(data) / 256
    chi2 = sum((c - expected) ** 2 / expected for c in Counter(data).values())
    assert len(Counter(data)) == 256
    assert chi2 < 400
