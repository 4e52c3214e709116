"""Clients: inputs through random masks, outputs delivered to a client only.

Input (2 rounds): the parties take one preprocessed random sharing ``[r]`` per input and send
their shares of r to the client; the client reconstructs r robustly and broadcasts ``m = x − r``;
every party sets ``[x] = m + [r]``. The parties never see x; the client never sees a share of x.

Output (1 round): the parties send their shares of ``[y]`` to the client only, who reconstructs
robustly; nobody else learns y.

The client side is :class:`ClientSession`, which a client runs against the same channel
interface as the parties.
"""

from __future__ import annotations

from collections.abc import Sequence

from stoffel.runtime.channel import Channel, Message, client_endpoint
from stoffel.runtime.context import PartyContext
from stoffel.runtime.errors import MpcError
from stoffel.runtime.robust import decode_batch
from stoffel.runtime.shamir import ShamirScheme


def client_input(ctx: PartyContext, client: int, indices: Sequence[int]) -> list[int]:
    """Parties' side of the masked-input protocol for inputs ``indices`` of ``client``."""
    count = len(indices)
    if count <= 0:
        return []
    masks = ctx.preproc.randoms(ctx, count)
    ep = client_endpoint(client)
    op = ctx.next_op()
    # Payload: the requested input indices, then this party's mask shares.
    ctx.send(ep, op, "mask", [*indices, *masks])
    ctx.round()
    masked = list(ctx.channel.recv(ep, ctx.session, op, "masked", ctx.timeout).payload)  # type: ignore[arg-type]
    if len(masked) != count:
        raise MpcError(f"client {client} sent {len(masked)} masked inputs, expected {count}")
    p = ctx.p
    ctx.round()
    return [(m + r) % p for m, r in zip(masked, masks, strict=True)]


def output_to_client(ctx: PartyContext, client: int, shares: Sequence[int]) -> None:
    """Parties' side of output delivery (1 round, only the client receives)."""
    if not shares:
        return
    op = ctx.next_op()
    ctx.send(client_endpoint(client), op, "output", shares)
    ctx.round()


class ClientSession:
    """A client's side: answers mask requests with its inputs, collects outputs."""

    def __init__(
        self, index: int, scheme: ShamirScheme, channel: Channel, session: str, timeout: float
    ) -> None:
        self.index = index
        self.scheme = scheme
        self.channel = channel
        self.session = session
        self.timeout = timeout
        self.inputs: list[int] = []
        self.outputs: list[int] = []
        self.output_batches = 0
        #: Parties found sending wrong shares to this client.
        self.faults: set[int] = set()
        self._pending: dict[tuple[int, str], dict[int, list[int]]] = {}

    def handle(self, msg: Message) -> None:
        """Process one message from a party; acts once all n parties' messages are in."""
        if msg.kind not in ("mask", "output") or not isinstance(msg.sender, int):
            raise MpcError(f"client {self.index}: unexpected '{msg.kind}' message")
        key = (msg.op, msg.kind)
        got = self._pending.setdefault(key, {})
        got[msg.sender] = list(msg.payload)  # type: ignore[arg-type]
        if len(got) < self.scheme.n:
            return
        del self._pending[key]
        f = self.scheme.field
        vecs = [got[j] for j in range(self.scheme.n)]
        indices: list[int] = []
        if msg.kind == "mask":
            count = len(vecs[0]) // 2
            indices = vecs[0][:count]
            if any(v[:count] != indices for v in vecs):
                raise MpcError(f"client {self.index}: parties requested different inputs")
            vecs = [v[count:] for v in vecs]
        res = decode_batch(f, vecs, self.scheme.t, correct=self.scheme.robust)
        self.faults |= res.bad_parties
        if msg.kind == "output":
            self.outputs.extend(res.values)
            self.output_batches += 1
            return
        bad = [i for i in indices if not 0 <= i < len(self.inputs)]
        if bad:
            raise MpcError(
                f"client {self.index} has {len(self.inputs)} input(s); index {bad[0]} is out of range"
            )
        values = [self.inputs[i] for i in indices]
        p = f.p
        masked = tuple((x - r) % p for x, r in zip(values, res.values, strict=True))
        me = client_endpoint(self.index)
        for j in range(self.scheme.n):
            self.channel.send(j, Message(self.session, msg.op, "masked", me, masked))

    def serve_one(self) -> None:
        self.handle(self.channel.recv_any(self.session, self.timeout))
