"""Multiplication by degree reduction with double sharings (``mul.dn_mul``) and the choice
between it and Beaver (``mul.uses_dn``)."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from stoffel.runtime.field import BLS12_381, small_field
from stoffel.runtime.protocols import compare, mul
from stoffel.runtime.protocols.open import open_vec

P = BLS12_381.p


@pytest.mark.parametrize("nt", [(3, 1), (4, 1), (5, 1), (5, 2), (7, 3), (9, 2)])
def test_dn_mul_is_correct(make_cluster, nt: tuple[int, int]) -> None:
    cl = make_cluster(*nt)
    rng = random.Random(nt[0] * 10 + nt[1])
    a = [rng.randrange(P) for _ in range(20)] + [0, 1, P - 1]
    b = [rng.randrange(P) for _ in range(20)] + [5, 0, P - 1]
    A, B = cl.share(a), cl.share(b)
    out = cl.run(lambda ctx: open_vec(ctx, mul.dn_mul(ctx, A[ctx.id], B[ctx.id])))
    want = [x * y % P for x, y in zip(a, b, strict=True)]
    assert all(o == want for o in out)


def test_protocol_choice_keeps_error_correction() -> None:
    # Beaver exactly where a degree-t opening corrects and a degree-2t one would not.
    assert [mul.uses_dn(n, 1) for n in range(3, 8)] == [True, False, True, True, True]
    assert [mul.uses_dn(n, 2) for n in range(5, 11)] == [True, True, False, False, True, True]


def test_dn_mul_corrects_a_liar_at_n5_t1(make_cluster) -> None:
    cl = make_cluster(5, 1)
    rng = random.Random(3)

    def tamper(kind: str, dest: object, vec: list[int]) -> list[int]:
        return [(v + rng.randrange(1, P)) % P for v in vec] if kind == "open" else vec

    cl.contexts[2].tamper = tamper
    a, b = [3, -4, 2**40], [5, 6, -7]
    A, B = cl.share(a), cl.share(b)
    out = cl.run(lambda ctx: mul.dn_mul(ctx, A[ctx.id], B[ctx.id]))
    cl.contexts[2].tamper = None
    opened = cl.run(lambda ctx: open_vec(ctx, out[ctx.id]))
    assert all(o == [x * y % P for x, y in zip(a, b, strict=True)] for o in opened)
    assert all(set(cl.contexts[j].faults) == {2} for j in (0, 1, 3, 4))


def test_comparisons_use_dn_or_beaver_by_parties(make_cluster) -> None:
    for n, kind in ((3, "doubles"), (4, "triples")):
        cl = make_cluster(n, 1)
        a, b = [5, -3, 7], [1, 1, 7]
        A, B = cl.share(a), cl.share(b)
        out = cl.run(lambda ctx, A=A, B=B: open_vec(ctx, compare.lt(ctx, A[ctx.id], B[ctx.id], 8)))
        assert out[0] == [0, 1, 0]
        used = cl.contexts[0].preproc.used
        assert (used.doubles > 0, used.triples > 0) == (kind == "doubles", kind == "triples")


def test_dn_opening_reveals_a_uniform_value() -> None:
    # The value opened in dn_mul is x·y − r for a fresh uniform r: over GF(97) and many runs
    # with the same inputs it hits every residue about equally often.
    from stoffel.runtime.cluster import LocalCluster

    f = small_field(97)
    seen: Counter[int] = Counter()
    cl = LocalCluster(3, 1, f)
    try:
        for _ in range(60):
            A, B = cl.share([6]), cl.share([9])
            opened: list[int] = []

            def prog(ctx, A=A, B=B, opened=opened):
                _, r2t = ctx.preproc.doubles(ctx, 50)
                x, y = A[ctx.id] * 50, B[ctx.id] * 50
                masked = [(u * v - r) % f.p for u, v, r in zip(x, y, r2t, strict=True)]
                vals = open_vec(ctx, masked, 2 * ctx.t)
                if ctx.id == 0:
                    opened.extend(vals)
                return None

            cl.run(prog)
            seen.update(opened)
    finally:
        cl.close()
    total = sum(seen.values())
    assert len(seen) == 97
    assert max(seen.values()) < 2.5 * total / 97
