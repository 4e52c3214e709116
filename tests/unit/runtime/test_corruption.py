"""A party that sends wrong shares: corrected and named (n ≥ 3t+1), detected otherwise."""

from __future__ import annotations

import random

import pytest

from stoffel.runtime.errors import ReconstructionError
from stoffel.runtime.field import BLS12_381
from stoffel.runtime.protocols import compare, mul
from stoffel.runtime.protocols.open import open_many, open_vec

P = BLS12_381.p


def _liar(seed: int):
    rng = random.Random(seed)

    def tamper(kind: str, dest: object, vec: list[int]) -> list[int]:
        if kind != "open":
            return vec
        # Wrong share values, different for every receiver and element.
        return [(v + rng.randrange(1, P)) % P if rng.random() < 0.7 else v for v in vec]

    return tamper


def test_corrupted_party_is_corrected_and_reported(make_cluster) -> None:
    cl = make_cluster(5, 1)
    cl.contexts[3].tamper = _liar(1)
    a = [5, -9, 2**62, 0, 123456789]
    b = [7, -9, -(2**62), 1, -5]
    A, B = cl.share(a), cl.share(b)

    def prog(ctx):
        x, y = A[ctx.id], B[ctx.id]
        return open_many(
            ctx,
            [
                x,
                mul.beaver_mul(ctx, x, y),
                compare.lt(ctx, x, y, 64),
                compare.eq(ctx, x, y, 64),
                mul.dot(ctx, [x], [y]),
            ],
        )

    out = cl.run(prog)
    honest = [out[j] for j in (0, 1, 2, 4)]
    assert all(o == honest[0] for o in honest)
    opened, prod, lt, eq, dot = honest[0]
    assert opened == [v % P for v in a]
    assert prod == [x * y % P for x, y in zip(a, b, strict=True)]
    assert lt == [int(x < y) for x, y in zip(a, b, strict=True)]
    assert eq == [int(x == y) for x, y in zip(a, b, strict=True)]
    assert dot == [sum(x * y for x, y in zip(a, b, strict=True)) % P]
    for j in (0, 1, 2, 4):
        assert set(cl.contexts[j].faults) == {3}


def test_without_error_correction_wrong_shares_are_detected(make_cluster) -> None:
    cl = make_cluster(3, 1)
    cl.contexts[1].tamper = _liar(2)
    X = cl.share([1, 2, 3])
    with pytest.raises(ReconstructionError, match="error correction is off"):
        cl.run(lambda ctx: open_vec(ctx, X[ctx.id]))


def test_two_liars_exceed_capacity_at_n5_t1(make_cluster) -> None:
    cl = make_cluster(5, 1)
    cl.contexts[0].tamper = _liar(3)
    cl.contexts[4].tamper = _liar(4)
    X = cl.share([1, 2, 3])
    with pytest.raises(ReconstructionError):
        cl.run(lambda ctx: open_vec(ctx, X[ctx.id]))


def test_king_mode_corrects_a_lying_sender(make_cluster) -> None:
    cl = make_cluster(5, 1, open_mode="king")
    rng = random.Random(5)

    def tamper(kind: str, dest: object, vec: list[int]) -> list[int]:
        return [(v + rng.randrange(1, P)) % P for v in vec] if kind == "open_share" else vec

    cl.contexts[2].tamper = tamper
    a, b = [3, -4, 2**40], [5, 6, -7]
    A, B = cl.share(a), cl.share(b)
    out = cl.run(lambda ctx: open_vec(ctx, mul.beaver_mul(ctx, A[ctx.id], B[ctx.id])))
    assert all(o == [x * y % P for x, y in zip(a, b, strict=True)] for o in out)
    # the kings of the two openings noticed party 2
    assert {j for ctx in cl.contexts for j in ctx.faults} == {2}
