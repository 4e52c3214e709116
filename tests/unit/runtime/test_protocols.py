"""Core protocols against clear computation, for several (n, t) and both preprocessing modes."""

from __future__ import annotations

import pytest

from stoffel.runtime.field import BLS12_381, small_field
from stoffel.runtime.protocols import mul, preprocessing
from stoffel.runtime.protocols.open import open_many, open_to, open_vec, share_input

P = BLS12_381.p
SETTINGS = [(3, 1), (4, 1), (5, 1), (5, 2)]


@pytest.mark.parametrize(("n", "t"), SETTINGS)
def test_open_and_input(make_cluster, n: int, t: int) -> None:
    cl = make_cluster(n, t)
    values = [0, 1, P - 1, *BLS12_381.random_vec(20)]

    def prog(ctx):
        mine = share_input(ctx, 1, values if ctx.id == 1 else None, len(values))
        return open_vec(ctx, mine), open_to(ctx, 0, mine)

    out = cl.run(prog)
    assert all(o[0] == values for o in out)
    assert out[0][1] == values and all(o[1] is None for o in out[1:])


@pytest.mark.parametrize(("n", "t"), SETTINGS)
@pytest.mark.parametrize("mode", ["interactive", "dealer"])
def test_beaver_mul_product_dot_select(make_cluster, n: int, t: int, mode: str) -> None:
    cl = make_cluster(n, t, preprocessing=mode)
    a = [3, -4, 0, 2**62, *BLS12_381.random_vec(10)]
    b = [5, 7, 9, -(2**62), *BLS12_381.random_vec(10)]
    c = [1, 0, 1, 0] + [1] * 10
    A, B, C = cl.share(a), cl.share(b), cl.share(c)

    def prog(ctx):
        x, y, s = A[ctx.id], B[ctx.id], C[ctx.id]
        return open_many(
            ctx,
            [
                mul.beaver_mul(ctx, x, y),
                mul.product(ctx, [x, y, x]),
                mul.dot(ctx, [x, y], [y, y]),
                mul.select(ctx, s, x, y),
            ],
        )

    out = cl.run(prog)
    assert all(o == out[0] for o in out)
    prod, prod3, dots, sel = out[0]
    assert prod == [x * y % P for x, y in zip(a, b, strict=True)]
    assert prod3 == [x * y * x % P for x, y in zip(a, b, strict=True)]
    assert dots == [sum(x * y for x, y in zip(a, b, strict=True)) % P, sum(y * y for y in b) % P]
    assert sel == [(x if s else y) % P for s, x, y in zip(c, a, b, strict=True)]


@pytest.mark.parametrize(("n", "t"), [(3, 1), (5, 2)])
def test_preprocessing_material_is_valid(make_cluster, n: int, t: int) -> None:
    cl = make_cluster(n, t)

    def prog(ctx):
        a, b, c = preprocessing.gen_triples(ctx, 40)
        a2, b2, c2 = preprocessing.gen_triples(ctx, 10, method="dn07")
        rt, r2t = preprocessing.randousha(ctx, 30)
        bits = preprocessing.gen_bits(ctx, 200)
        bounded = preprocessing.gen_bounded(ctx, 50, 20)
        rand = preprocessing.ransha(ctx, 25)
        return (
            open_many(ctx, [a + a2, b + b2, c + c2, rt, bits, bounded, rand]),
            open_vec(ctx, r2t, 2 * t),
        )

    out = cl.run(prog)
    (a, b, c, rt, bits, bounded, rand), r2t = out[0]
    assert c == [x * y % P for x, y in zip(a, b, strict=True)]
    assert rt == r2t
    assert set(bits) == {0, 1} and 50 < sum(bits) < 150
    assert all(0 <= v < n * 2**20 for v in bounded)
    assert len(set(rand)) == 25 and len(set(a)) == 50


def test_small_field_protocols(make_cluster) -> None:
    f = small_field(10007)
    cl = make_cluster(4, 1, f)
    a, b = [3, 10006, 77], [5, 2, 1000]
    A, B = cl.share(a), cl.share(b)
    out = cl.run(lambda ctx: open_vec(ctx, mul.beaver_mul(ctx, A[ctx.id], B[ctx.id])))
    assert out[0] == [x * y % 10007 for x, y in zip(a, b, strict=True)]


def test_empty_batches(make_cluster) -> None:
    cl = make_cluster(3, 1)
    out = cl.run(lambda ctx: (open_vec(ctx, []), mul.beaver_mul(ctx, [], []), mul.dot(ctx, [], [])))
    assert out[0] == ([], [], [])


def test_rounds_do_not_grow_with_batch(make_cluster) -> None:
    cl = make_cluster(3, 1, preprocessing="dealer")
    rounds = []
    for size in (1, 500):
        xs = cl.share(list(range(size)))
        before = cl.contexts[0].channel.stats.rounds
        cl.run(lambda ctx, xs=xs: mul.beaver_mul(ctx, xs[ctx.id], xs[ctx.id]))
        rounds.append(cl.contexts[0].channel.stats.rounds - before)
    assert rounds == [1, 1]


def test_offline_helper_process_generates_valid_material(make_cluster) -> None:
    cl = make_cluster(4, 1, offline_workers=1)
    assert cl.offline is not None
    cl.offline.min_weight = 0  # use the helper even for this small request

    def prog(ctx):
        ctx.preproc.fill(ctx, triples=30, bits=40, masks={(8, 41): 6})
        a, b, c = ctx.preproc.triples(ctx, 30)
        bits = ctx.preproc.bits(ctx, 40)
        rows, lo, _hi = ctx.preproc.masks(ctx, 6, 8, 41)
        return open_many(ctx, [a, b, c, bits, *rows, lo])

    out = cl.run(prog)
    a, b, c, bits, *rows, lo = out[0]
    assert c == [x * y % P for x, y in zip(a, b, strict=True)]
    assert len(set(a)) == 30  # both halves present and distinct
    assert set(bits) == {0, 1}
    assert lo == [sum(r[k] << i for i, r in enumerate(rows)) for k in range(6)]
    assert not cl.offline._jobs  # every party collected its part
