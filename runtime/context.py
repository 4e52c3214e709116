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
    from stoffel.runtime.offline import OfflineHelper
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
        open_mode: str = "broadcast",
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
        #: Optional helper process that generates half of large offline requests.
        self.offline: OfflineHelper | None = None
        if open_mode not in ("broadcast", "king"):
            raise ValueError(f"unknown open mode '{open_mode}'")
        #: ``broadcast``: every party gets every share and decodes (1 round, each party checks).
        #: ``king``: one rotating party decodes and sends the values (2 rounds, 1/n the work).
        self.open_mode = open_mode
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
        # Payloads are immutable tuples, so one tuple can go to every receiver without copies.
        data = vec if isinstance(vec, tuple) else tuple(vec)
        if self.tamper is not None:
            data = tuple(self.tamper(kind, dest, list(data)))
        self.channel.send(dest, Message(self.session, op, kind, self.id, data))

    def recv(self, src: EndpointId, op: int, kind: str) -> Sequence[int]:
        msg = self.channel.recv(src, self.session, op, kind, self.timeout)
        return msg.payload  # type: ignore[return-value]

    def round(self) -> None:
        self.channel.stats.rounds += 1

    def scatter_gather(self, kind: str, outgoing: Sequence[Sequence[int]]) -> list[Sequence[int]]:
        """Send ``outgoing[j]`` to party j, receive one vector from every party (one round)."""
        op = self.next_op()
        for j in self.others:
            self.send(j, op, kind, outgoing[j])
        self.round()
        return [outgoing[j] if j == self.id else self.recv(j, op, kind) for j in range(self.n)]

    def broadcast_gather(self, kind: str, vec: Sequence[int]) -> list[Sequence[int]]:
        """Send the same vector to everyone and collect everyone's (one round)."""
        op = self.next_op()
        data = tuple(vec)
        for j in self.others:
            self.send(j, op, kind, data)
        self.round()
        out = [data if j == self.id else self.recv(j, op, kind) for j in range(self.n)]
        self._check_lengths(out, len(data), kind, op)
        return out

    def _check_lengths(self, got: Sequence[Sequence[int]], want: int, kind: str, op: int) -> None:
        for j, v in enumerate(got):
            if v is not None and len(v) != want:
                raise ProtocolMismatch(
                    f"party {j} sent {len(v)} values for '{kind}' op {op}, party {self.id} "
                    f"has {want} (parties run different operation sequences)"
                )

    def king_open(
        self, vec: Sequence[int], degree: int, plus: Sequence[int] | None = None
    ) -> list[int]:
        """Open through a king (2 rounds): everyone sends its share to the king, who decodes
        robustly and sends the values back. The king rotates with the operation id, so the
        decoding work is spread over the parties."""
        op = self.next_op()
        king = op % self.n
        data = tuple(vec)
        self.round()
        self.round()
        if self.id != king:
            self.send(king, op, "open_share", data)
            values = self.recv(king, op, "open_value")
            self._check_lengths([values], len(data), "open_value", op)
            return list(values) if plus is None else self.field.vec.add(values, plus)
        got = [data if j == king else self.recv(j, op, "open_share") for j in range(self.n)]
        self._check_lengths(got, len(data), "open_share", op)
        values = self.decode(got, degree)
        out = tuple(values)
        for j in self.others:
            self.send(j, op, "open_value", out)
        return values if plus is None else self.field.vec.add(values, plus)

    def decode(
        self, shares: Sequence[Sequence[int]], degree: int, plus: Sequence[int] | None = None
    ) -> list[int]:
        """Robustly reconstruct a batch (plus ``plus``, when given) and remember which parties
        sent wrong shares."""
        res = decode_batch(self.field, shares, degree, correct=self.robust, plus=plus)
        for j in res.bad_parties:
            self.faults[j] = self.faults.get(j, 0) + 1
        return res.values
