"""n parties in one process: contexts over an in-memory hub, one thread per party.

Used by the ``local`` backend and by the protocol tests. Each party has its own
:class:`PartyContext` (state, preprocessing, counters); they interact only through messages.
If one party fails, the hub is aborted so the others stop at their next wait instead of
running into their timeouts.
"""

from __future__ import annotations

import functools
import queue
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Sequence
from typing import Literal, TypeVar

from stoffel.runtime.channel import InMemoryHub, client_endpoint
from stoffel.runtime.context import DEFAULT_TIMEOUT, PartyContext
from stoffel.runtime.errors import PartyAborted, ProtocolTimeout
from stoffel.runtime.field import BLS12_381, PrimeField
from stoffel.runtime.offline import OfflineHelper
from stoffel.runtime.protocols.client import ClientSession
from stoffel.runtime.protocols.preprocessing import DealerPreproc, InteractivePreproc, TrustedDealer
from stoffel.runtime.shamir import ShamirScheme

T = TypeVar("T")

PreprocMode = Literal["interactive", "dealer"]


class LocalCluster:
    """n party contexts sharing one in-memory hub (plus optional client endpoints)."""

    def __init__(
        self,
        n: int = 5,
        t: int = 1,
        field: PrimeField = BLS12_381,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        preprocessing: PreprocMode = "interactive",
        serialize: bool = False,
        session: str | None = None,
        client_inputs: dict[int, Sequence[int]] | None = None,
        open_mode: str = "broadcast",
        offline_workers: int = 0,
    ) -> None:
        self.scheme = ShamirScheme(field, n, t)
        self.field = field
        self.session = session or uuid.uuid4().hex[:16]
        self.timeout = timeout
        self.hub = InMemoryHub(field.byte_len, serialize=serialize)
        dealer = TrustedDealer(self.scheme) if preprocessing == "dealer" else None
        self.contexts = [
            PartyContext(
                j,
                self.scheme,
                self.hub.endpoint(j),
                session=self.session,
                timeout=timeout,
                preproc=DealerPreproc(dealer) if dealer else InteractivePreproc(),
                open_mode=open_mode,
            )
            for j in range(n)
        ]
        self.offline: OfflineHelper | None = None
        if offline_workers > 0 and preprocessing == "interactive":
            self.offline = OfflineHelper(n, t, field.p)
            for ctx in self.contexts:
                ctx.offline = self.offline
        self.clients: dict[int, ClientSession] = {}
        self._stop = threading.Event()
        self._client_threads: list[threading.Thread] = []
        # Party threads persist across runs: starting n threads per run costs a start-up
        # hand-off each, which dominated one-round operations (a dot product) on a busy machine.
        self._pool = _PartyPool(n)
        weakref.finalize(self, self._pool.close)
        self.client_errors: list[BaseException] = []
        for c, values in (client_inputs or {}).items():
            self.add_client(c, values)

    @property
    def n(self) -> int:
        return self.scheme.n

    @property
    def t(self) -> int:
        return self.scheme.t

    # --- clients -------------------------------------------------------------------------------
    def add_client(self, index: int, inputs: Sequence[int] = ()) -> ClientSession:
        """Register a client endpoint and start its service thread."""
        ch = self.hub.endpoint(client_endpoint(index))
        cs = ClientSession(index, self.scheme, ch, self.session, self.timeout)
        cs.inputs = [v % self.field.p for v in inputs]
        self.clients[index] = cs
        th = threading.Thread(target=self._serve, args=(cs,), daemon=True, name=f"client-{index}")
        self._client_threads.append(th)
        th.start()
        return cs

    def _serve(self, cs: ClientSession) -> None:
        while not self._stop.is_set():
            try:
                msg = cs.channel.recv_any(cs.session, 0.1)
            except ProtocolTimeout:
                continue
            except PartyAborted:
                return
            try:
                cs.handle(msg)
            except BaseException as exc:
                self.client_errors.append(exc)
                self.hub.abort(exc)
                return

    def drain(self, timeout: float = 5.0) -> None:
        """Wait until every client has handled the messages already sent to it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.client_errors:
            if all(
                not cs.has_pending() and not self.hub.box(client_endpoint(c)).items
                for c, cs in self.clients.items()
            ):
                return
            time.sleep(0.001)

    def close(self) -> None:
        """Let clients finish what they received (outputs!), then stop their threads."""
        if self.hub.aborted is None:
            self.drain()
        self._stop.set()
        self._pool.close()
        if self.offline is not None:
            self.offline.close()
        for th in self._client_threads:
            th.join(1.0)

    # --- running parties -------------------------------------------------------------------------
    def run(self, fn: Callable[[PartyContext], T]) -> list[T]:
        """Run ``fn(ctx)`` on every party in its own thread; results in party order."""
        return self.run_each([fn] * self.n)

    def run_each(self, fns: Sequence[Callable[[PartyContext], T]]) -> list[T]:
        results: list[object] = [None] * self.n
        errors: list[BaseException | None] = [None] * self.n

        def body(j: int) -> None:
            try:
                results[j] = fns[j](self.contexts[j])
            except BaseException as exc:
                errors[j] = exc
                self.hub.abort(exc)

        bodies = [functools.partial(body, j) for j in range(self.n)]
        if not self._pool.run(bodies):
            # The pool is busy (a nested or concurrent run): fresh threads, as before.
            threads = [
                threading.Thread(target=b, daemon=True, name=f"party-{j}")
                for j, b in enumerate(bodies)
            ]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
        first = next((e for e in errors if e is not None and not isinstance(e, PartyAborted)), None)
        if first is None:
            first = next((e for e in errors if e is not None), None)
        if first is not None:
            raise first
        return results  # type: ignore[return-value]

    def share(self, values: Sequence[int], degree: int | None = None) -> list[list[int]]:
        """Test helper: deal sharings of ``values`` (as a dealer outside the parties would)."""
        return self.scheme.deal([v % self.field.p for v in values], degree)


class _PartyPool:
    """n daemon worker threads, worker j always runs party j's body.

    Workers hold only their own queue (not the cluster), so an unclosed cluster is still
    collected and its finalizer stops them. A body never raises (``run_each`` catches).
    """

    def __init__(self, n: int) -> None:
        self._queues: list[queue.SimpleQueue[tuple[Callable[[], None], threading.Semaphore] | None]]
        self._queues = [queue.SimpleQueue() for _ in range(n)]
        self._busy = threading.Lock()
        self._closed = False
        for j, q in enumerate(self._queues):
            threading.Thread(target=_work, args=(q,), daemon=True, name=f"party-{j}").start()

    def run(self, bodies: Sequence[Callable[[], None]]) -> bool:
        """Run ``bodies[j]`` on worker j and wait for all; False if busy or closed."""
        if self._closed or not self._busy.acquire(blocking=False):
            return False
        try:
            done = threading.Semaphore(0)
            for q, b in zip(self._queues, bodies, strict=True):
                q.put((b, done))
            for _ in bodies:
                done.acquire()
            return True
        finally:
            self._busy.release()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            for q in self._queues:
                q.put(None)


def _work(
    q: queue.SimpleQueue[tuple[Callable[[], None], threading.Semaphore] | None],
) -> None:
    while (item := q.get()) is not None:
        body, done = item
        del item
        try:
            body()
        finally:
            del body
            done.release()
