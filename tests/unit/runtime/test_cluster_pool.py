"""LocalCluster's persistent party threads: reuse, fallback when busy, errors, shutdown."""

from __future__ import annotations

import gc
import threading
import time

import pytest

from stoffel.runtime.cluster import LocalCluster
from stoffel.runtime.context import PartyContext
from stoffel.runtime.field import small_field
from stoffel.runtime.protocols.open import open_vec


def _party_threads() -> set[threading.Thread]:
    return {th for th in threading.enumerate() if th.name.startswith("party-")}


def _wait_gone(threads: set[threading.Thread]) -> None:
    for th in threads:
        th.join(5.0)
        assert not th.is_alive()


def test_runs_reuse_one_thread_per_party_in_order() -> None:
    cl = LocalCluster(3, 1, small_field(101), timeout=5)
    first = cl.run(lambda c: (c.id, threading.get_ident()))
    second = cl.run(lambda c: (c.id, threading.get_ident()))
    assert first == second and [j for j, _ in first] == [0, 1, 2]
    assert len({ident for _, ident in first}) == 3
    shares = cl.share([7, 9])
    assert cl.run(lambda c: open_vec(c, shares[c.id])) == [[7, 9]] * 3
    cl.close()


def test_nested_run_falls_back_to_fresh_threads() -> None:
    cl = LocalCluster(3, 1, small_field(101), timeout=5)
    pool_idents = cl.run(lambda c: threading.get_ident())
    inner: list[int] = []

    def party(c: PartyContext) -> int:
        # Party 0 runs the same cluster again from inside a run: the pool is busy, so the
        # nested run must use fresh threads instead of waiting for itself.
        if c.id == 0:
            inner.extend(cl.run(lambda c2: threading.get_ident()))
        return c.id

    assert cl.run(party) == [0, 1, 2]
    assert len(inner) == 3 and not set(inner) & set(pool_idents)
    assert cl.run(lambda c: threading.get_ident()) == pool_idents
    cl.close()


def test_error_is_raised_and_next_run_works() -> None:
    cl = LocalCluster(3, 1, small_field(101), timeout=5)

    def bad(c: PartyContext) -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        cl.run_each([lambda c: None, bad, lambda c: None])
    assert cl.run(lambda c: c.id) == [0, 1, 2]
    cl.close()


def test_close_and_garbage_collection_stop_the_workers() -> None:
    before = _party_threads()
    cl = LocalCluster(3, 1, small_field(101), timeout=5)
    mine = _party_threads() - before
    assert len(mine) == 3
    cl.close()
    _wait_gone(mine)
    # After close a run still works (fresh threads).
    assert cl.run(lambda c: c.id) == [0, 1, 2]

    cl2 = LocalCluster(3, 1, small_field(101), timeout=5)
    mine2 = _party_threads() - before
    cl2.run(lambda c: c.id)
    del cl2
    gc.collect()
    deadline = time.monotonic() + 5
    while any(th.is_alive() for th in mine2) and time.monotonic() < deadline:
        time.sleep(0.01)
    _wait_gone(mine2)
