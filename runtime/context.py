"""One party's protocol state: identity, sharing scheme, channel, operation counter, faults.

Protocol functions take a :class:`PartyContext` and plain ``list[int]`` share vectors. Every
communication step allocates the next operation id; parties execute the same sequence of
protocol calls, so their ids agree, and a divergence shows up as a mismatch or a timeout.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from stoffel.runtime.channel import Channel, EndpointId, Message
from stoffel.runtime.errors import ProtocolMismatch
from stoffel.runtime.field import PrimeField
from stoffel.runtime.robust import decode_batch
from stoffel.runtime.shamir import ShamirScheme

if TYPE_CHECKING:
    from stoffel.runtime.protocols.preprocessing import PreprocSource

#: Default wait before a silent or out-of-step peer becomes an error (seconds).
DEFAULT_TIMEOUT = 30.0

#: Test hook: rewrite an outgoing vector (kind, destination, vector) -> vector.
Tamper = Callable[[str, EndpointId, list[int]], list[int]]


class PartyContext:
    """Everything a protocol step needs on one party."""

    def __init__(
        self,
        party_id: int,
        scheme: ShamirScheme,
        channel: Channel,
        *,
        session: str,
        timeout: float = DEFAULT_TIMEOUT,
        preproc: PreprocSource | None = None,
    ) -> None:
        self.id = party_id
        self.scheme = scheme
        self.field: PrimeField = scheme.field
        self.n = scheme.n
        self.t = scheme.t
        self.channel = channel
        self.session = session
        self.timeout = timeout
        self._op = 0
        #: Parties whose shares failed reconstruction checks, with how often.
        self.faults: dict[int, int] = {}
        self.tamper: Tamper | None = None
        if preproc is None:
            from stoffel.runtime.protocols.preprocessing import InteractivePreproc

            preproc = InteractivePreproc()
        self.preproc: PreprocSource = preproc

    @property
    def p(self) -> int:
        return self.field.p

    @property
    def robust(self) -> bool:
        return self.scheme.robust

    @property
    def others(self) -> list[int]:
        return [j for j in range(self.n) if j != self.id]

    def next_op(self) -> int:
        self._op += 1
        return self._op

    # --- messaging -----------------------------------------------------------------------------
    def send(self, dest: EndpointId, op: int, kind: str, vec: Sequence[int]) -> None:
        data = list(vec)
        if self.tamper is not None:
            data = self.tamper(kind, dest, data)
        self.channel.send(dest, Message(self.session, op, kind, self.id, tuple(data)))

    def recv(self, src: EndpointId, op: int, kind: str) -> list[int]:
        msg = self.channel.recv(src, self.session, op, kind, self.timeout)
        return list(msg.payload)  # type: ignore[arg-type]

    def round(self) -> None:
        self.channel.stats.rounds += 1

    def scatter_gather(self, kind: str, outgoing: Sequence[Sequence[int]]) -> list[list[int]]:
        """Send ``outgoing[j]`` to party j, receive one vector from every party (one round)."""
        op = self.next_op()
        for j in self.others:
            self.send(j, op, kind, outgoing[j])
        self.round()
        return [
            list(outgoing[j]) if j == self.id else self.recv(j, op, kind) for j in range(self.n)
        ]

    def broadcast_gather(self, kind: str, vec: Sequence[int]) -> list[list[int]]:
        """Send the same vector to everyone and collect everyone's (one round)."""
        op = self.next_op()
        data = tuple(vec)
        for j in self.others:
            self.send(j, op, kind, data)
        self.round()
        out = [list(data) if j == self.id else self.recv(j, op, kind) for j in range(self.n)]
        for j, v in enumerate(out):
            if len(v) != len(data):
                raise ProtocolMismatch(
                    f"party {j} sent {len(v)} values for '{kind}' op {op}, party {self.id} "
                    f"has {len(data)} (parties run different operation sequences)"
                )
        return out

    def decode(
        self, shares: Sequence[Sequence[int]], degree: int, *, reduce: bool = True
    ) -> list[int]:
        """Robustly reconstruct a batch and remember which parties sent wrong shares."""
        res = decode_batch(self.field, shares, degree, correct=self.robust, reduce=reduce)
        for j in res.bad_parties:
            self.faults[j] = self.faults.get(j, 0) + 1
        return res.values
