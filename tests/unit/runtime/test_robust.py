"""Batch reconstruction with error detection/correction (Berlekamp–Welch)."""

from __future__ import annotations

import pytest

from stoffel.runtime.errors import ReconstructionError
from stoffel.runtime.field import BLS12_381, small_field
from stoffel.runtime.robust import berlekamp_welch, decode_batch
from stoffel.runtime.shamir import ShamirScheme

F = BLS12_381


def _corrupt(vec: list[int], every: int = 1, delta: int = 1) -> list[int]:
    return [(v + delta) % F.p if k % every == 0 else v for k, v in enumerate(vec)]


def test_clean_batch() -> None:
    s = ShamirScheme(F, 5, 1)
    secrets = F.random_vec(300)
    res = decode_batch(F, s.deal(secrets), 1, correct=True)
    assert res.values == secrets and res.bad_parties == frozenset()


@pytest.mark.parametrize("bad", [0, 2, 4])
def test_one_wrong_party_corrected_and_named(bad: int) -> None:
    s = ShamirScheme(F, 5, 1)
    secrets = F.random_vec(200)
    shares = s.deal(secrets)
    shares[bad] = _corrupt(shares[bad], every=7)
    res = decode_batch(F, shares, 1, correct=True)
    assert res.values == secrets
    assert res.bad_parties == frozenset({bad})


def test_two_wrong_parties_with_n7_t2() -> None:
    s = ShamirScheme(F, 7, 2)
    secrets = F.random_vec(100)
    shares = s.deal(secrets)
    shares[1] = _corrupt(shares[1], every=3, delta=5)
    shares[6] = [0] * 100  # a party that sends garbage everywhere
    res = decode_batch(F, shares, 2, correct=True)
    assert res.values == secrets and res.bad_parties == frozenset({1, 6})


def test_too_many_errors_is_an_error() -> None:
    s = ShamirScheme(F, 5, 1)
    shares = s.deal(F.random_vec(20))
    shares[0] = _corrupt(shares[0])
    shares[3] = _corrupt(shares[3], delta=9)
    with pytest.raises(ReconstructionError):
        decode_batch(F, shares, 1, correct=True)


def test_detection_only_below_3t_plus_1() -> None:
    s = ShamirScheme(F, 3, 1)
    shares = s.deal(F.random_vec(10))
    shares[2] = _corrupt(shares[2], every=4)
    with pytest.raises(ReconstructionError, match="error correction is off"):
        decode_batch(F, shares, 1, correct=False)


def test_degree_2t_opening_corrected_at_n5() -> None:
    s = ShamirScheme(F, 5, 1)
    secrets = F.random_vec(30)
    shares = s.deal(secrets, 2)
    shares[1] = _corrupt(shares[1])
    res = decode_batch(F, shares, 2, correct=True)
    assert res.values == secrets and res.bad_parties == frozenset({1})


def test_missing_party_is_an_erasure() -> None:
    s = ShamirScheme(F, 5, 1)
    secrets = F.random_vec(10)
    shares: list[list[int] | None] = list(s.deal(secrets))
    shares[0] = None
    assert decode_batch(F, shares, 1, correct=True).values == secrets


def test_berlekamp_welch_small_field() -> None:
    f = small_field(101)
    s = ShamirScheme(f, 7, 1)
    ys = [v[0] for v in s.deal([17])]
    ys[2] = (ys[2] + 3) % 101
    ys[5] = (ys[5] + 50) % 101
    assert sorted(berlekamp_welch(f, list(range(1, 8)), ys, 1, 2) or []) == [2, 5]
    ys[0] = (ys[0] + 1) % 101
    assert berlekamp_welch(f, list(range(1, 8)), ys, 1, 2) is None


@pytest.mark.parametrize(("n", "d"), [(3, 1), (5, 1), (5, 2), (7, 2)])
def test_long_batches_find_one_wrong_share(n: int, d: int) -> None:
    # Batches this long are first checked on a random combination of their columns; one
    # wrong share in one column must still be found (and corrected where possible).
    from stoffel.runtime.errors import ReconstructionError
    from stoffel.runtime.field import BLS12_381
    from stoffel.runtime.robust import _AGGREGATE_MIN, decode_batch
    from stoffel.runtime.shamir import ShamirScheme

    scheme = ShamirScheme(BLS12_381, n, (n - 1) // 2)
    secrets = BLS12_381.random_vec(4 * _AGGREGATE_MIN)
    shares = scheme.deal(secrets, d)
    assert decode_batch(BLS12_381, shares, d, correct=True).values == secrets
    shares[1][137] = (shares[1][137] + 1) % BLS12_381.p
    if (n - d - 1) // 2 >= 1:
        res = decode_batch(BLS12_381, shares, d, correct=True)
        assert res.values == secrets and res.bad_parties == {1}
    else:
        with pytest.raises(ReconstructionError, match="inconsistent shares in 1 of"):
            decode_batch(BLS12_381, shares, d, correct=False)
