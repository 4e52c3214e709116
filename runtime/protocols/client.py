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


def client_input(ctx: PartyContext, requests: dict[int, Sequence[int]]) -> dict[int, list[int]]:
    """Parties' side of the masked-input protocol (2 rounds for all clients together).

    ``requests`` maps a client index to the input indices wanted from it.
    """
    wanted = {c: list(ix) for c, ix in sorted(requests.items()) if ix}
    if not wanted:
        return {}
    masks = {c: ctx.preproc.randoms(ctx, len(ix)) for c, ix in wanted.items()}
    op = ctx.next_op()
    for c, ix in wanted.items():
        # Payload: the requested input indices, then this party's mask shares.
        ctx.send(client_endpoint(c), op, "mask", [*ix, *masks[c]])
    ctx.round()
    p = ctx.p
    out: dict[int, list[int]] = {}
    for c, ix in wanted.items():
        msg = ctx.channel.recv(client_endpoint(c), ctx.session, op, "masked", ctx.timeout)
        masked = list(msg.payload)  # type: ignore[arg-type]
        if len(masked) != len(ix):
            raise MpcError(f"client {c} sent {len(masked)} masked inputs, expected {len(ix)}")
        out[c] = [(m + r) % p for m, r in zip(masked, masks[c], strict=True)]
    ctx.round()
    return out


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
                f"client {self.index} has {len(self.inputs)} input(s); "
                f"index {bad[0]} is out of range"
            )
        values = [self.inputs[i] for i in indices]
        p = f.p
        masked = tuple((x - r) % p for x, r in zip(values, res.values, strict=True))
        me = client_endpoint(self.index)
        for j in range(self.scheme.n):
            self.channel.send(j, Message(self.session, msg.op, "masked", me, masked))

    def has_pending(self) -> bool:
        """Some batch is still waiting for shares from other parties."""
        return bool(self._pending)

    def serve_one(self) -> None:
        self.handle(self.channel.recv_any(self.session, self.timeout))
