"""Opening shares and sharing inputs: the one-round building blocks.

``open_vec`` is the batch reconstruction: every party sends its share vector to everyone and
decodes the whole vector robustly (wrong shares are corrected when n ≥ 3t+1 and the senders are
recorded in ``ctx.faults``).
"""

from __future__ import annotations

from collections.abc import Sequence

from stoffel.runtime.context import PartyContext
from stoffel.runtime.errors import MpcError


def open_vec(
    ctx: PartyContext,
    shares: Sequence[int],
    degree: int | None = None,
    plus: Sequence[int] | None = None,
) -> list[int]:
    """Reveal a batch of degree-d sharings to all parties (1 round).

    With ``plus``, returns the opened values plus that vector (a party's shares, typically:
    opening a masked value and adding the mask's sharing back is the core of DN products).
    """
    if not shares:
        return []
    d = ctx.t if degree is None else degree
    if ctx.open_mode == "king":
        return ctx.king_open(shares, d, plus)
    gathered = ctx.broadcast_gather("open", shares)
    return ctx.decode(gathered, d, plus)


def open_many(
    ctx: PartyContext, vectors: Sequence[Sequence[int]], degree: int | None = None
) -> list[list[int]]:
    """Open several vectors in the same round (concatenated into one message)."""
    flat: list[int] = []
    for v in vectors:
        flat.extend(v)
    opened = open_vec(ctx, flat, degree)
    out, pos = [], 0
    for v in vectors:
        out.append(opened[pos : pos + len(v)])
        pos += len(v)
    return out


def open_to(ctx: PartyContext, receiver: int, shares: Sequence[int]) -> list[int] | None:
    """Reveal a batch only to ``receiver`` (1 round); other parties get ``None``."""
    op = ctx.next_op()
    ctx.round()
    if ctx.id != receiver:
        ctx.send(receiver, op, "open_to", shares)
        return None
    gathered = [shares if j == ctx.id else ctx.recv(j, op, "open_to") for j in range(ctx.n)]
    return ctx.decode(gathered, ctx.t)


def share_input(
    ctx: PartyContext, dealer: int, values: Sequence[int] | None, count: int
) -> list[int]:
    """Party ``dealer`` secret-shares ``count`` values (1 round); everyone gets its shares.

    Only the dealer passes ``values``; the others pass ``None`` and the agreed ``count``.
    """
    op = ctx.next_op()
    ctx.round()
    if ctx.id == dealer:
        if values is None or len(values) != count:
            raise MpcError(f"dealer {dealer} must provide exactly {count} input values")
        shares = ctx.scheme.deal([v % ctx.p for v in values])
        for j in ctx.others:
            ctx.send(j, op, "input", shares[j])
        return shares[ctx.id]
    got = ctx.recv(dealer, op, "input")
    if len(got) != count:
        raise MpcError(f"party {dealer} shared {len(got)} values, expected {count}")
    return list(got)
