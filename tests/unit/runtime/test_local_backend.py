"""The ``local`` backend through the MpcBackend interface."""

from __future__ import annotations

import time

import pytest

from stoffel.runtime.backend import BackendError, MpcBackend
from stoffel.runtime.backends.local import (
    LocalBackend,
    create_local_backends,
    create_local_run,
    error_correction_note,
)
from stoffel.runtime.errors import ParameterError

P = 0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001


def _s(v: int) -> int:
    return v - P if v > P // 2 else v


def test_is_an_mpc_backend_with_defaults() -> None:
    backends = create_local_backends(timeout=5)
    assert len(backends) == 5
    b = backends[3]
    assert isinstance(b, MpcBackend)
    assert (b.party_id, b.n_parties, b.threshold, b.name) == (3, 5, 1, "local")
    assert b.error_correction and b.share_size == 32 and b.modulus == P


def test_threshold_rule_and_correction_note() -> None:
    with pytest.raises(ParameterError, match="2t\\+1"):
        create_local_run(n_parties=4, threshold=2)
    assert "off" in error_correction_note(3, 1)
    assert "on" in error_correction_note(4, 1)


@pytest.mark.parametrize(("n", "t"), [(5, 1), (3, 1)])
def test_program_through_the_interface(n: int, t: int) -> None:
    run = create_local_run(
        n_parties=n, threshold=t, timeout=10, client_inputs={0: [6, -4], 1: [50]}
    )

    def prog(b: LocalBackend):
        b.preprocess(triples=50, bits=100, randoms=5)
        x, y, z = b.client_input([(0, 0), (0, 1), (1, 0)])
        local = b.add(b.mul_const(x, 3), b.add_const(b.neg(y), 10))  # 3x − y + 10 = 32
        prod = b.mul([x, y], [y, z])
        lt = b.lt([x, y], [y, x], 64)
        le = b.le([x], [x], 64)
        eq = b.eq([x, y], [x, x], 32)
        ez = b.eqz([b.sub(x, x)], 64)
        sel = b.select([lt[0]], [x], [z])
        tr = b.truncate([y], 1, 64)
        fm = b.fixed_mul([b.constant(3 << 16)], [b.constant(-(5 << 15))], 16)
        dv = b.div_const([z, y], [7, 3], 64)
        dot = b.dot([[x, y]], [[x, y]])
        r = b.random(2)
        rb = b.random_bits(16)
        b.output_to_client([1, 1], [prod[0], local])
        opened = b.open([local, *prod, *lt, *le, *eq, *ez, *sel, *tr, *fm, *dv, *dot])
        bits = b.open(rb)
        rand = b.open(r)
        return [_s(v) for v in opened], bits, rand, b.client_outputs()

    out = run.run_parties(prog)
    run.close()
    assert all(o[0] == out[0][0] and o[3] == out[0][3] for o in out)
    opened, bits, rand, outputs = out[0]
    assert opened == [32, -24, -200, 0, 1, 1, 1, 0, 1, 50, -2, -491520, 7, -1, 52]
    assert set(bits) <= {0, 1} and len(set(rand)) == 2
    assert outputs == {1: [(-24) % P, 32]}
    stats = run.backends[0].stats
    assert stats.rounds > 0 and stats.bytes_per_party > 0
    assert stats.multiplications >= 2 and stats.comparisons == 6
    assert stats.preprocessing.triples > 0 and stats.preprocessing.random_bits > 0


def test_interpolate_local_and_field_bytes() -> None:
    run = create_local_run(n_parties=4, threshold=1, timeout=5)
    b = run.backends[0]
    shares = [v[0] for v in run.cluster.share([99])]
    assert b.interpolate_local([b.field_to_bytes(s) for s in shares]) == 99
    assert b.field_from_bytes(b.field_to_bytes(-1)) == P - 1
    with pytest.raises(BackendError, match="malformed"):
        b.open([b"\x00"])


def test_silent_party_is_an_error_not_a_hang() -> None:
    run = create_local_run(n_parties=3, threshold=1, timeout=0.5, preprocessing="dealer")

    def prog(b: LocalBackend):
        if b.party_id == 2:
            return None
        return b.open([b.constant(1)])

    start = time.monotonic()
    with pytest.raises(BackendError, match=r"timed out|aborted"):
        run.run_parties(prog)
    assert time.monotonic() - start < 5


def test_set_client_inputs_from_every_party() -> None:
    run = create_local_run(n_parties=3, threshold=1, timeout=5)

    def prog(b: LocalBackend):
        b.set_client_inputs(4, [10, -2])
        return b.open(b.client_input([(4, 1), (4, 0)]))

    out = run.run_parties(prog)
    run.close()
    assert out[0] == [P - 2, 10] and run.backends[0].client_counts() == (1, 1, 0)


def test_bad_client_request() -> None:
    run = create_local_run(n_parties=3, threshold=1, timeout=2, client_inputs={0: [1]})
    with pytest.raises(BackendError, match="out of range"):
        run.backends[0].client_input([(0, 3)])
    with pytest.raises(BackendError, match="no inputs from client 5"):
        run.backends[0].client_input([(5, 0)])
    assert run.backends[0].client_counts() == (1, 1, 0)
    run.close()


def test_offline_phase_covers_comparisons_and_king_mode() -> None:
    run = create_local_run(n_parties=4, threshold=1, timeout=10, open_mode="king")

    def prog(b: LocalBackend):
        b.preprocess(comparisons=8, compare_bits=16, triples=2)
        pool = dict(b.context.preproc.available)  # type: ignore[attr-defined]
        xs = [b.constant(v) for v in (-3, 0, 5, 40000, -40000, 7, 7, 1)]
        ys = [b.constant(v) for v in (2, 0, -5, 1, 0, 8, 7, -1)]
        before = b.stats.rounds
        lt = b.open(b.lt(xs, ys, 16))
        return pool, lt, b.stats.rounds - before, dict(b.context.preproc.available)  # type: ignore[attr-defined]

    out = run.run_parties(prog)
    run.close()
    pool, lt, rounds, after = out[0]
    assert pool["triples"] == 2 + 17 * 8 and pool["bits"] == 8
    assert lt == [1, 0, 0, 0, 1, 1, 0, 0]
    # king mode: every opening takes 2 rounds; nothing had to be generated on the fly
    assert rounds == 2 * (1 + 5 + 1) + 2
    assert after["triples"] == 2 and after["bits"] == 0


def test_outputs_sent_last_are_delivered_by_close() -> None:
    run = create_local_run(n_parties=5, threshold=1, timeout=5)
    run.run_parties(lambda b: b.output_to_client([2], [b.constant(41)]))
    run.close()
    assert run.cluster.clients[2].outputs == [41]
