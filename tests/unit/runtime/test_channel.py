"""Channels: tagged messages, timeouts instead of hangs, mismatch detection."""

from __future__ import annotations

import time

import pytest

from stoffel.runtime.channel import InMemoryHub, Message
from stoffel.runtime.errors import PartyAborted, ProtocolMismatch, ProtocolTimeout
from stoffel.runtime.protocols.mul import beaver_mul
from stoffel.runtime.protocols.open import open_vec


def test_send_recv_and_byte_count() -> None:
    hub = InMemoryHub(32)
    a, b = hub.endpoint(0), hub.endpoint(1)
    a.send(1, Message("s", 1, "open", 0, (1, 2, 3)))
    msg = b.recv(0, "s", 1, "open", 1.0)
    assert msg.payload == (1, 2, 3) and msg.kind == "open"
    assert a.stats.bytes_sent == 96 and a.stats.messages_sent == 1


def test_serialized_roundtrip() -> None:
    hub = InMemoryHub(32, serialize=True)
    a, b = hub.endpoint(0), hub.endpoint(1)
    big = 2**254 + 12345
    a.send(1, Message("s", 7, "input", 0, (big, 0, 1)))
    assert b.recv(0, "s", 7, "input", 1.0).payload == (big, 0, 1)


def test_silent_peer_times_out() -> None:
    hub = InMemoryHub(32)
    hub.endpoint(0)
    b = hub.endpoint(1)
    start = time.monotonic()
    with pytest.raises(ProtocolTimeout, match="silent party"):
        b.recv(0, "s", 1, "open", 0.2)
    assert time.monotonic() - start < 2


def test_out_of_step_peer_is_reported() -> None:
    hub = InMemoryHub(32)
    a, b = hub.endpoint(0), hub.endpoint(1)
    a.send(1, Message("s", 2, "mul", 0, (1,)))
    with pytest.raises(ProtocolTimeout, match="out of step"):
        b.recv(0, "s", 1, "open", 0.2)


def test_same_op_different_kind_is_a_mismatch() -> None:
    hub = InMemoryHub(32)
    a, b = hub.endpoint(0), hub.endpoint(1)
    a.send(1, Message("s", 1, "mul", 0, (1,)))
    with pytest.raises(ProtocolMismatch, match="different operation sequences"):
        b.recv(0, "s", 1, "open", 1.0)


def test_other_session_is_not_delivered() -> None:
    hub = InMemoryHub(32)
    a, b = hub.endpoint(0), hub.endpoint(1)
    a.send(1, Message("other", 1, "open", 0, (1,)))
    with pytest.raises(ProtocolTimeout):
        b.recv(0, "s", 1, "open", 0.2)


def test_abort_wakes_waiters() -> None:
    hub = InMemoryHub(32)
    hub.endpoint(0)
    b = hub.endpoint(1)
    hub.abort(RuntimeError("boom"))
    with pytest.raises(PartyAborted, match="boom"):
        b.recv(0, "s", 1, "open", 10.0)


def test_party_skipping_an_operation_errors_not_hangs(make_cluster) -> None:
    cl = make_cluster(3, 1, timeout=0.5)
    xs = cl.share([1, 2])

    def honest(ctx):
        return open_vec(ctx, xs[ctx.id])

    def lazy(ctx):
        return None  # never sends its share

    start = time.monotonic()
    with pytest.raises(ProtocolTimeout):
        cl.run_each([honest, honest, lazy])
    assert time.monotonic() - start < 5


def test_parties_running_different_ops_error(make_cluster) -> None:
    cl = make_cluster(3, 1, timeout=0.5, preprocessing="dealer")
    xs = cl.share([3])

    def opener(ctx):
        return open_vec(ctx, xs[ctx.id])

    def multiplier(ctx):
        return beaver_mul(ctx, xs[ctx.id], xs[ctx.id])

    with pytest.raises((ProtocolMismatch, ProtocolTimeout)):
        cl.run_each([opener, opener, multiplier])
