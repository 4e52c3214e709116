"""Message channels: the abstract interface the protocols use, and the in-memory hub.

Protocols only call :meth:`Channel.send` and :meth:`Channel.recv`; a TCP+TLS transport
implements the same two methods. Every message carries a session id, an operation id and a
kind; a receive names all three and has a timeout, so a silent party or parties running
different operation sequences raise an error instead of hanging.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from stoffel.runtime.codec import decode_vec, encode_vec
from stoffel.runtime.errors import PartyAborted, ProtocolMismatch, ProtocolTimeout

#: Parties are ints 0..n-1; clients are strings such as ``"client:0"``.
EndpointId = int | str


def client_endpoint(index: int) -> str:
    return f"client:{index}"


def describe(ep: EndpointId) -> str:
    return f"party {ep}" if isinstance(ep, int) else str(ep)


@dataclass(frozen=True, slots=True)
class Message:
    session: str
    op: int
    kind: str
    sender: EndpointId
    payload: tuple[int, ...] | bytes


@dataclass(slots=True)
class TrafficStats:
    """Per-endpoint counters; ``rounds`` is advanced by the protocol context."""

    messages_sent: int = 0
    bytes_sent: int = 0
    rounds: int = 0


class Channel(Protocol):
    """One endpoint's view of the network."""

    me: EndpointId
    stats: TrafficStats

    def send(self, dest: EndpointId, msg: Message) -> None: ...

    def recv(
        self, src: EndpointId, session: str, op: int, kind: str, timeout: float
    ) -> Message: ...

    def recv_any(self, session: str, timeout: float) -> Message: ...


class _Mailbox:
    """Messages addressed to one endpoint, keyed by (sender, session, op)."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.items: dict[tuple[EndpointId, str, int], Message] = {}
        self.order: list[tuple[EndpointId, str, int]] = []


class InMemoryHub:
    """Routes messages between endpoints of one process (parties and clients)."""

    def __init__(self, element_bytes: int, *, serialize: bool = False) -> None:
        self.element_bytes = element_bytes
        self.serialize = serialize
        self._boxes: dict[EndpointId, _Mailbox] = {}
        self._lock = threading.Lock()
        self._abort: BaseException | None = None

    def endpoint(self, me: EndpointId) -> InMemoryChannel:
        with self._lock:
            if me in self._boxes:
                raise ValueError(f"endpoint {describe(me)} already exists")
            self._boxes[me] = _Mailbox()
        return InMemoryChannel(self, me)

    def box(self, ep: EndpointId) -> _Mailbox:
        try:
            return self._boxes[ep]
        except KeyError:
            raise ProtocolMismatch(f"unknown endpoint {describe(ep)}") from None

    def abort(self, reason: BaseException) -> None:
        """Wake every waiter with :class:`PartyAborted` (one party failed; don't wait it out)."""
        self._abort = reason
        for box in list(self._boxes.values()):
            with box.cond:
                box.cond.notify_all()

    @property
    def aborted(self) -> BaseException | None:
        return self._abort


@dataclass
class InMemoryChannel:
    hub: InMemoryHub
    me: EndpointId
    stats: TrafficStats = field(default_factory=TrafficStats)

    def send(self, dest: EndpointId, msg: Message) -> None:
        payload = msg.payload
        if isinstance(payload, bytes):
            nbytes = len(payload)
        else:
            nbytes = len(payload) * self.hub.element_bytes
            if self.hub.serialize:
                msg = Message(
                    msg.session,
                    msg.op,
                    msg.kind,
                    msg.sender,
                    encode_vec(payload, self.hub.element_bytes),
                )
        self.stats.messages_sent += 1
        self.stats.bytes_sent += nbytes
        box = self.hub.box(dest)
        key = (msg.sender, msg.session, msg.op)
        with box.cond:
            if key in box.items:
                raise ProtocolMismatch(
                    f"{describe(msg.sender)} sent op {msg.op} twice to {describe(dest)}"
                )
            box.items[key] = msg
            box.order.append(key)
            box.cond.notify_all()

    def _unwrap(self, msg: Message) -> Message:
        if self.hub.serialize and isinstance(msg.payload, bytes) and msg.kind != "raw":
            return Message(
                msg.session,
                msg.op,
                msg.kind,
                msg.sender,
                tuple(decode_vec(msg.payload, self.hub.element_bytes)),
            )
        return msg

    def recv(self, src: EndpointId, session: str, op: int, kind: str, timeout: float) -> Message:
        box = self.hub.box(self.me)
        key = (src, session, op)
        deadline = time.monotonic() + timeout
        with box.cond:
            while key not in box.items:
                if self.hub.aborted is not None:
                    raise PartyAborted(f"run aborted: {self.hub.aborted}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ProtocolTimeout(self._timeout_text(box, src, session, op, kind, timeout))
                box.cond.wait(left)
            msg = box.items.pop(key)
            box.order.remove(key)
        if msg.kind != kind:
            raise ProtocolMismatch(
                f"{describe(self.me)} expected '{kind}' for op {op} from {describe(src)}, "
                f"got '{msg.kind}' (parties run different operation sequences)"
            )
        return self._unwrap(msg)

    def recv_any(self, session: str, timeout: float) -> Message:
        """Next message of ``session`` from anyone (used by client services)."""
        box = self.hub.box(self.me)
        deadline = time.monotonic() + timeout
        with box.cond:
            while True:
                key = next((k for k in box.order if k[1] == session), None)
                if key is not None:
                    break
                if self.hub.aborted is not None:
                    raise PartyAborted(f"run aborted: {self.hub.aborted}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ProtocolTimeout(f"{describe(self.me)} got no message in {timeout:g} s")
                box.cond.wait(left)
            msg = box.items.pop(key)
            box.order.remove(key)
        return self._unwrap(msg)

    def _timeout_text(
        self, box: _Mailbox, src: EndpointId, session: str, op: int, kind: str, timeout: float
    ) -> str:
        pending = [k for k in box.order if k[0] == src]
        text = (
            f"{describe(self.me)} timed out after {timeout:g} s waiting for '{kind}' "
            f"(session {session}, op {op}) from {describe(src)}"
        )
        if pending:
            other = box.items[pending[0]]
            text += (
                f"; it sent '{other.kind}' (session {other.session}, op {other.op}) instead — "
                "parties are out of step"
            )
        else:
            text += "; nothing received from it (silent party?)"
        return text


def pack(vectors: Sequence[Sequence[int]]) -> tuple[int, ...]:
    """Concatenate vectors into one payload (the receiver knows the lengths)."""
    out: list[int] = []
    for v in vectors:
        out.extend(v)
    return tuple(out)
