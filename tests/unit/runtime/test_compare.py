"""Comparisons, equality, truncation: edge values against clear computation."""

from __future__ import annotations

import random

import pytest

from stoffel.runtime.errors import ParameterError
from stoffel.runtime.field import BLS12_381, PrimeField
from stoffel.runtime.protocols import compare
from stoffel.runtime.protocols.open import open_many, open_vec

P = BLS12_381.p
MAX, MIN = 2**63 - 1, -(2**63)
EDGE = [0, 1, -1, 2**62, -(2**62), MAX, MIN, 7, -7, 2**31, -(2**31)]
PAIRS = [(a, b) for a in EDGE for b in EDGE]


def _run_all(cl, a: list[int], b: list[int], bits: int):
    A, B = cl.share(a), cl.share(b)

    def prog(ctx):
        x, y = A[ctx.id], B[ctx.id]
        return open_many(
            ctx,
            [
                compare.lt(ctx, x, y, bits),
                compare.le(ctx, x, y, bits),
                compare.gt(ctx, x, y, bits),
                compare.ge(ctx, x, y, bits),
                compare.eq(ctx, x, y, bits),
                compare.eqz(ctx, x, bits + 1),
                compare.ltz(ctx, x, bits + 1),
            ],
        )

    out = cl.run(prog)
    assert all(o == out[0] for o in out)
    return out[0]


def test_64_bit_edges_interactive(make_cluster) -> None:
    cl = make_cluster(5, 1)
    a, b = [x for x, _ in PAIRS], [y for _, y in PAIRS]
    lt, le, gt, ge, eq, eqz, ltz = _run_all(cl, a, b, 64)
    assert lt == [int(x < y) for x, y in PAIRS]
    assert le == [int(x <= y) for x, y in PAIRS]
    assert gt == [int(x > y) for x, y in PAIRS]
    assert ge == [int(x >= y) for x, y in PAIRS]
    assert eq == [int(x == y) for x, y in PAIRS]
    assert eqz == [int(x == 0) for x in a]
    assert ltz == [int(x < 0) for x in a]


@pytest.mark.parametrize(("n", "t"), [(3, 1), (5, 2)])
def test_random_32_bit(make_cluster, n: int, t: int) -> None:
    cl = make_cluster(n, t, preprocessing="dealer")
    rng = random.Random(7)
    a = [rng.randrange(-(2**31), 2**31) for _ in range(60)] + [5, -5, 0]
    b = [rng.randrange(-(2**31), 2**31) for _ in range(60)] + [5, -5, 0]
    lt, le, gt, ge, eq, _, _ = _run_all(cl, a, b, 32)
    assert lt == [int(x < y) for x, y in zip(a, b, strict=True)]
    assert le == [int(x <= y) for x, y in zip(a, b, strict=True)]
    assert gt == [int(x > y) for x, y in zip(a, b, strict=True)]
    assert ge == [int(x >= y) for x, y in zip(a, b, strict=True)]
    assert eq == [int(x == y) for x, y in zip(a, b, strict=True)]


def test_exact_truncation(make_cluster) -> None:
    cl = make_cluster(4, 1, preprocessing="dealer")
    xs = [0, 1, -1, 15, 16, 17, -16, -17, MAX, MIN, 2**40 + 3, -(2**40) - 3]
    X = cl.share(xs)
    out = cl.run(
        lambda ctx: open_many(
            ctx, [compare.trunc(ctx, X[ctx.id], 4, 65), compare.trunc(ctx, X[ctx.id], 63, 65)]
        )
    )
    t4, t63 = out[0]
    assert t4 == [(x >> 4) % P for x in xs]
    assert t63 == [(x >> 63) % P for x in xs]


def test_field_too_small_for_masking(make_cluster) -> None:
    cl = make_cluster(3, 1, PrimeField(2**61 - 1), preprocessing="dealer")
    X = cl.share([1])
    with pytest.raises(ParameterError, match="too small"):
        cl.run(lambda ctx: compare.ltz(ctx, X[ctx.id], 65))


def test_comparison_round_count(make_cluster) -> None:
    cl = make_cluster(3, 1, preprocessing="dealer")
    X = cl.share(list(range(-50, 50)))
    before = cl.contexts[0].channel.stats.rounds
    out = cl.run(lambda ctx: open_vec(ctx, compare.ltz(ctx, X[ctx.id], 65)))
    rounds = cl.contexts[0].channel.stats.rounds - before
    assert out[0] == [int(x < 0) for x in range(-50, 50)]
    # masked open + ⌈log2 66⌉ product levels + zero-test open + final open
    assert rounds == 1 + 7 + 1 + 1
