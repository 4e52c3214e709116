"""Field arithmetic and Shamir sharing."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest

from stoffel.runtime.errors import ParameterError
from stoffel.runtime.field import BLS12_381, GOLDILOCKS, M31, PrimeField, small_field
from stoffel.runtime.shamir import (
    ShamirScheme,
    finite_difference_rows,
    lagrange_weights,
    small_weights0,
)

FIELDS = [BLS12_381, PrimeField(GOLDILOCKS), PrimeField(M31), small_field(97)]


def test_rejects_non_prime() -> None:
    with pytest.raises(ParameterError):
        PrimeField(91)


@pytest.mark.parametrize("f", FIELDS, ids=lambda f: str(f.bits))
def test_inverse_and_batch_inverse(f: PrimeField) -> None:
    xs = [x for x in f.random_vec(50) if x] + [1, f.p - 1]
    assert all(x * f.inv(x) % f.p == 1 for x in xs)
    assert f.batch_inv(xs) == [f.inv(x) for x in xs]
    with pytest.raises(ZeroDivisionError):
        f.inv(0)


def test_signed_encoding_roundtrip() -> None:
    f = BLS12_381
    for v in [0, 1, -1, 2**63 - 1, -(2**63), 2**62, -(2**62)]:
        assert f.decode_signed(f.encode(v)) == v
    assert f.encode(-1) == f.p - 1


def test_random_vec_in_range_and_roughly_uniform() -> None:
    f = small_field(13)
    vals = f.random_vec(13 * 400)
    assert all(0 <= v < 13 for v in vals)
    counts = Counter(vals)
    assert set(counts) == set(range(13))
    # Chi-square with 12 degrees of freedom; 40 is far beyond the 0.9999 quantile (~36).
    expected = len(vals) / 13
    assert sum((c - expected) ** 2 / expected for c in counts.values()) < 40
    big = BLS12_381.random_vec(1000)
    assert all(0 <= v < BLS12_381.p for v in big) and len(set(big)) == 1000
    assert set(BLS12_381.random_bits(200)) == {0, 1}


@pytest.mark.parametrize("f", FIELDS, ids=lambda f: str(f.bits))
@pytest.mark.parametrize(("n", "t"), [(1, 0), (3, 1), (4, 1), (5, 2), (7, 3), (17, 8)])
def test_share_and_reconstruct_from_any_t_plus_1(f: PrimeField, n: int, t: int) -> None:
    s = ShamirScheme(f, n, t)
    secrets = [0, 1, 5 % f.p, f.p - 1, *f.random_vec(4)]
    shares = s.deal(secrets)
    subsets = list(itertools.combinations(range(n), t + 1))
    for subset in random.sample(subsets, min(len(subsets), 6)):
        w = lagrange_weights(f, [j + 1 for j in subset])
        rec = [
            sum(wi * shares[j][k] for wi, j in zip(w, subset, strict=True)) % f.p
            for k in range(len(secrets))
        ]
        assert rec == secrets


def test_degree_two_t_sharings_and_small_weights() -> None:
    f = BLS12_381
    s = ShamirScheme(f, 5, 2)
    shares = s.deal([42], 4)
    w = small_weights0(4)
    assert sum(wi * shares[j][0] for j, wi in enumerate(w)) % f.p == 42
    for d in range(5):
        assert [x % f.p for x in small_weights0(d)] == lagrange_weights(f, list(range(1, d + 2)))


def test_finite_difference_rows_annihilate_codewords() -> None:
    f = BLS12_381
    s = ShamirScheme(f, 7, 2)
    sh = [v[0] for v in s.deal([123])]
    for row in finite_difference_rows(7, 2):
        assert sum(w * sh[j] for j, w in row) % f.p == 0
    sh[3] += 1
    assert any(sum(w * sh[j] for j, w in row) % f.p for row in finite_difference_rows(7, 2))


def test_threshold_rules() -> None:
    with pytest.raises(ParameterError, match="2t\\+1"):
        ShamirScheme(BLS12_381, 4, 2)
    assert ShamirScheme(BLS12_381, 4, 1).robust
    assert not ShamirScheme(BLS12_381, 3, 1).robust
    with pytest.raises(ParameterError):
        ShamirScheme(small_field(5), 5, 1)


def test_t_shares_are_independent_of_the_secret() -> None:
    """Exhaustive on GF(7): the distribution of any t shares is the same for every secret."""
    f = small_field(7)
    s = ShamirScheme(f, 5, 2)
    for colluders in [(0, 1), (2, 4), (1, 3)]:
        dists = []
        for secret in range(7):
            counts: Counter[tuple[int, ...]] = Counter()
            for c1 in range(7):
                for c2 in range(7):
                    sh = s.deal_with([secret], [[c1], [c2]])
                    counts[tuple(sh[j][0] for j in colluders)] += 1
            dists.append(counts)
        assert all(d == dists[0] for d in dists)
        assert len(dists[0]) == 49  # uniform over all pairs


@pytest.mark.parametrize(("n", "t"), [(3, 1), (4, 1), (5, 1), (9, 1), (5, 2), (7, 3)])
def test_extractor_square_submatrices_are_invertible(n: int, t: int) -> None:
    f = small_field(10007)
    m = ShamirScheme(f, n, t).extractor()
    rows = n - t
    for cols in itertools.combinations(range(n), rows):
        sub = [[m[r][c] for c in cols] for r in range(rows)]
        assert _det(sub, f.p) != 0


def _det(m: list[list[int]], p: int) -> int:
    m = [list(r) for r in m]
    det = 1
    for c in range(len(m)):
        piv = next((r for r in range(c, len(m)) if m[r][c] % p), None)
        if piv is None:
            return 0
        if piv != c:
            m[c], m[piv] = m[piv], m[c]
            det = -det
        det = det * m[c][c] % p
        inv = pow(m[c][c], -1, p)
        for r in range(c + 1, len(m)):
            k = m[r][c] * inv % p
            m[r] = [(a - k * b) % p for a, b in zip(m[r], m[c], strict=True)]
    return det % p


@pytest.mark.parametrize(("n", "d"), [(3, 1), (5, 1), (5, 2), (7, 3)])
def test_deal_random_gives_consistent_uniform_sharings(n: int, d: int) -> None:
    f = small_field(10007)
    s = ShamirScheme(f, n, max(1, (n - 1) // 2))
    shares = s.deal_random(400, d)
    secrets = [
        sum(w * shares[j][k] for j, w in enumerate(small_weights0(d))) % f.p for k in range(400)
    ]
    for k in range(400):
        col = [shares[j][k] for j in range(n)]
        for row in finite_difference_rows(n, d):
            assert sum(w * col[j] for j, w in row) % f.p == 0
    assert len(set(secrets)) > 350  # uniform over 10007 values: few collisions


@pytest.mark.parametrize(("n", "d"), [(5, 2), (7, 3)])
def test_higher_degree_dealing_is_uniform_on_any_d_shares(n: int, d: int) -> None:
    # deal() draws f(1..d) uniformly given f(0) and extends by finite differences; any d
    # shares of a fixed secret must then be uniform (here: pairs of shares over GF(97)).
    from collections import Counter

    from stoffel.runtime.field import small_field
    from stoffel.runtime.robust import decode_batch
    from stoffel.runtime.shamir import ShamirScheme

    f = small_field(97)
    scheme = ShamirScheme(f, n, (n - 1) // 2)
    shares = scheme.deal([42] * 40_000, d)
    assert decode_batch(f, shares, d, correct=False).values == [42] * 40_000
    for i, j in ((0, n - 1), (1, 2)):
        pairs = Counter(zip(shares[i], shares[j], strict=True))
        assert len(pairs) > 0.98 * 97 * 97
        assert max(pairs.values()) < 4 * 40_000 / (97 * 97)


@pytest.mark.parametrize("bits", [1, 7, 8, 13, 16, 31, 32, 41, 64, 65, 100])
def test_random_bounded_range_and_top_bit(bits: int) -> None:
    # Word-sized widths take the memoryview path, the others the from_bytes path; both must
    # stay in [0, 2^bits) and reach the top bit (no byte lost to the width or byte order).
    vals = BLS12_381.random_bounded(4000, bits)
    assert len(vals) == 4000
    assert all(0 <= v < 1 << bits for v in vals)
    assert any(v >> (bits - 1) for v in vals)
    # Each bit is set about half of the time (4000 draws: 0.5 ± 0.06 is > 7 sigma).
    for b in {0, bits // 2, bits - 1}:
        assert 0.44 < sum((v >> b) & 1 for v in vals) / 4000 < 0.56
    assert BLS12_381.random_bounded(0, bits) == []
