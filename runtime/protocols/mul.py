"""Multiplication and what is built directly on it.

* ``beaver_mul`` — one round: open ``d = x − a`` and ``e = y − b`` together, then
  ``z = c + d·b + e·a + d·e`` (computed as ``c + d·(b + e) + e·a`` to save a product).
* ``product`` — element-wise product of many vectors as a balanced tree, one Beaver round per
  level for the whole batch.
* ``dot`` — a secret inner product costs one opening: the local sum of share products is a
  degree-2t sharing, reduced with a single double sharing (``Σ − [r]_2t`` opened, ``+ [r]_t``).
* ``select`` — ``c·(a − b) + b``.
"""

from __future__ import annotations

from collections.abc import Sequence

from stoffel.runtime.context import PartyContext
from stoffel.runtime.errors import MpcError
from stoffel.runtime.protocols.open import open_vec


def beaver_mul(ctx: PartyContext, x: Sequence[int], y: Sequence[int]) -> list[int]:
    """Element-wise product of two shared vectors (1 round, one triple per element)."""
    n = len(x)
    if n != len(y):
        raise MpcError(f"batch operands differ in length ({n} vs {len(y)})")
    if n == 0:
        return []
    p = ctx.p
    a, b, c = ctx.preproc.triples(ctx, n)  # on demand: one fill, RanSha + re-sharing
    masked = [(xi - ai) % p for xi, ai in zip(x, a, strict=True)]
    masked += [(yi - bi) % p for yi, bi in zip(y, b, strict=True)]
    # d and e stay unreduced: z is reduced once at the end.
    opened = open_vec(ctx, masked, reduce=False)
    d, e = opened[:n], opened[n:]
    return [
        (ci + di * (bi + ei) + ei * ai) % p
        for ci, di, bi, ei, ai in zip(c, d, b, e, a, strict=True)
    ]


def product(ctx: PartyContext, factors: Sequence[Sequence[int]]) -> list[int]:
    """``Π_k factors[k]`` element-wise, in ⌈log2 len(factors)⌉ rounds."""
    level = [list(f) for f in factors]
    if not level:
        raise MpcError("product of no factors")
    while len(level) > 1:
        pairs = len(level) // 2
        left = [v for k in range(pairs) for v in level[2 * k]]
        right = [v for k in range(pairs) for v in level[2 * k + 1]]
        prod = beaver_mul(ctx, left, right)
        width = len(level[0])
        nxt = [prod[k * width : (k + 1) * width] for k in range(pairs)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def dot(ctx: PartyContext, xs: Sequence[Sequence[int]], ys: Sequence[Sequence[int]]) -> list[int]:
    """Inner products ``Σ_k xs[i][k]·ys[i][k]`` for each pair i (1 round for all pairs)."""
    if len(xs) != len(ys):
        raise MpcError("dot: different numbers of vectors")
    if not xs:
        return []
    p = ctx.p
    local = []
    for x, y in zip(xs, ys, strict=True):
        if len(x) != len(y):
            raise MpcError(f"dot: vectors differ in length ({len(x)} vs {len(y)})")
        local.append(sum(map(int.__mul__, x, y)) % p)
    rt, r2t = ctx.preproc.doubles(ctx, len(local))
    opened = open_vec(ctx, [(v - r) % p for v, r in zip(local, r2t, strict=True)], 2 * ctx.t)
    return [(v + r) % p for v, r in zip(opened, rt, strict=True)]


def select(ctx: PartyContext, c: Sequence[int], a: Sequence[int], b: Sequence[int]) -> list[int]:
    """Oblivious ``c ? a : b`` for bit sharings c: ``c·(a − b) + b`` (1 round)."""
    p = ctx.p
    diff = [(x - y) % p for x, y in zip(a, b, strict=True)]
    prod = beaver_mul(ctx, c, diff)
    return [(z + y) % p for z, y in zip(prod, b, strict=True)]
