"""Fixed point, division by clear constants, client input/output."""

from __future__ import annotations

import time
from collections.abc import Callable
from fractions import Fraction

import pytest

from stoffel.runtime.channel import client_endpoint
from stoffel.runtime.field import BLS12_381
from stoffel.runtime.protocols import client, fixed
from stoffel.runtime.protocols.open import open_many, open_vec

P = BLS12_381.p
F = 1 << 16


def _wait(cond: Callable[[], bool], limit: float = 5.0) -> None:
    """Clients decode asynchronously in their own thread; poll briefly."""
    deadline = time.monotonic() + limit
    while not cond():
        assert time.monotonic() < deadline, "client did not receive its output"
        time.sleep(0.005)


def _signed(v: int) -> int:
    return v - P if v > P // 2 else v


def test_fixed_mul_is_floor_of_product(make_cluster) -> None:
    cl = make_cluster(5, 1, preprocessing="dealer")
    a = [round(x * F) for x in (1.5, -2.25, 0.0, 1000.125, -0.0001, 3.0)]
    b = [round(x * F) for x in (2.0, 4.5, 7.0, -1000.5, 0.5, -1 / 3)]
    A, B = cl.share(a), cl.share(b)
    out = cl.run(lambda ctx: open_vec(ctx, fixed.fixed_mul(ctx, A[ctx.id], B[ctx.id])))
    assert [_signed(v) for v in out[0]] == [(x * y) >> 16 for x, y in zip(a, b, strict=True)]


def test_fixed_div_by_constant(make_cluster) -> None:
    cl = make_cluster(3, 1, preprocessing="dealer")
    a = [round(x * F) for x in (10.0, -7.5, 1.0, 12345.678)]
    A = cl.share(a)
    out = cl.run(
        lambda ctx: open_many(
            ctx,
            [
                fixed.fixed_div_const(ctx, A[ctx.id], 3),
                fixed.fixed_div_const(ctx, A[ctx.id], Fraction(-1, 4)),
            ],
        )
    )
    thirds, neg_quarter = out[0]
    assert [_signed(v) for v in thirds] == [round(Fraction(x, 3)) for x in a]
    assert [_signed(v) for v in neg_quarter] == [-4 * x for x in a]


def test_integer_division_truncates_toward_zero(make_cluster) -> None:
    cl = make_cluster(4, 1, preprocessing="dealer")
    a = [100, -100, 7, -7, 0, 2**63 - 1, -(2**63), 6, -6]
    d = [7, 7, -2, -2, 5, 3, 10, 3, 3]
    A = cl.share(a)
    out = cl.run(lambda ctx: open_vec(ctx, fixed.div_const(ctx, A[ctx.id], d, 64)))
    expected = [
        abs(x) // abs(y) * (1 if (x < 0) == (y < 0) else -1) for x, y in zip(a, d, strict=True)
    ]
    assert [_signed(v) for v in out[0]] == expected


def test_client_input_and_output(make_cluster) -> None:
    cl = make_cluster(5, 1, client_inputs={0: [11, -3, 2**62], 2: [99]})

    def prog(ctx):
        got = client.client_input(ctx, {0: [2, 0], 2: [0]})
        x = got[0] + got[2]
        client.output_to_client(ctx, 2, x)
        return open_vec(ctx, x)

    out = cl.run(prog)
    assert [_signed(v) for v in out[0]] == [2**62, 11, 99]
    cs = cl.clients[2]
    _wait(lambda: cs.output_batches >= 1)
    assert cs.outputs == [2**62, 11, 99]


def test_client_sees_no_share_of_its_input_and_parties_never_see_it(make_cluster) -> None:
    secret = 0x1234_5678_9ABC_DEF0_1234_5678_9ABC_DEF0
    cl = make_cluster(3, 1, client_inputs={0: [secret]})
    seen: list[int] = []
    for ctx in cl.contexts:
        orig = ctx.channel.recv

        def tap(src, session, op, kind, timeout, orig=orig):
            msg = orig(src, session, op, kind, timeout)
            seen.extend(msg.payload)  # type: ignore[arg-type]
            return msg

        ctx.channel.recv = tap  # type: ignore[method-assign]
    shares = cl.run(lambda ctx: client.client_input(ctx, {0: [0]})[0])
    assert secret not in seen
    assert all(s[0] != secret for s in shares)
    assert cl.run(lambda ctx: open_vec(ctx, shares[ctx.id]))[0] == [secret]
    assert client_endpoint(0) == "client:0"


def test_client_corrects_a_wrong_output_share(make_cluster) -> None:
    cl = make_cluster(5, 1, client_inputs={0: []})

    def corrupt(kind: str, dest: object, vec: list[int]) -> list[int]:
        return [v + 1 for v in vec] if kind == "output" else vec

    cl.contexts[4].tamper = corrupt
    vals = cl.share([5, 6, 7])
    cl.run(lambda ctx: client.output_to_client(ctx, 0, vals[ctx.id]))
    cs = cl.clients[0]
    _wait(lambda: cs.output_batches >= 1)
    assert cs.outputs == [5, 6, 7] and cs.faults == {4}


def test_division_by_zero_rejected(make_cluster) -> None:
    cl = make_cluster(3, 1, preprocessing="dealer")
    A = cl.share([1])
    with pytest.raises(Exception, match="Division by zero"):
        cl.run(lambda ctx: fixed.div_const(ctx, A[ctx.id], [0], 64))
