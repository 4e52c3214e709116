"""Multiplication and what is built directly on it.

* ``secure_mul`` — the multiplication every protocol uses; it picks one of:
* ``dn_mul`` — one round: the local product is a degree-2t sharing; open it minus the 2t half
  of a double sharing ``([r]_t, [r]_2t)`` and add ``[r]_t`` (Damgård–Nielsen). One opened
  value per product, and a double sharing is far cheaper to generate than a triple.
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
from stoffel.runtime.protocols.preprocessing import Request


def uses_dn(n: int, t: int) -> bool:
    """Whether products use degree reduction (DN) rather than Beaver triples.

    A degree-2t opening among n parties corrects t wrong shares only when n ≥ 4t+1, while a
    degree-t one (Beaver) does from n ≥ 3t+1, which DESIGN §5 promises. So DN is used when it
    keeps that guarantee (n ≥ 4t+1) or when there is none to keep (n < 3t+1, where wrong shares
    in a product's opening may also go unnoticed at n = 2t+1, as for ``dot``); Beaver for
    3t+1 ≤ n < 4t+1, or when triples were generated beforehand.
    """
    return n >= 4 * t + 1 or n < 3 * t + 1


def mul_needs(ctx: PartyContext, count: int) -> Request:
    """The preprocessing ``count`` products consume."""
    if uses_dn(ctx.n, ctx.t) and not ctx.preproc.has_triples(count):
        return Request(doubles=count)
    return Request(triples=count)


def secure_mul(ctx: PartyContext, x: Sequence[int], y: Sequence[int]) -> list[int]:
    """Element-wise product of two shared vectors (1 round); see :func:`uses_dn`."""
    if uses_dn(ctx.n, ctx.t) and not ctx.preproc.has_triples(len(x)):
        return dn_mul(ctx, x, y)
    return beaver_mul(ctx, x, y)


def dn_mul(ctx: PartyContext, x: Sequence[int], y: Sequence[int]) -> list[int]:
    """Product by degree reduction with one double sharing per element (1 round).

    ``x·y − r`` is opened through a degree-2t sharing whose non-constant coefficients are
    those of ``[x]·[y] − [r]_2t``; ``[r]_2t`` is uniform, so the opening shows only
    ``x·y − r``, which r masks.
    """
    n = len(x)
    if n != len(y):
        raise MpcError(f"batch operands differ in length ({n} vs {len(y)})")
    if n == 0:
        return []
    vec = ctx.field.vec
    rt, r2t = ctx.preproc.doubles(ctx, n)
    return open_vec(ctx, vec.muladd(x, y, r2t, -1), 2 * ctx.t, plus=rt)


def beaver_mul(ctx: PartyContext, x: Sequence[int], y: Sequence[int]) -> list[int]:
    """Element-wise product of two shared vectors (1 round, one triple per element)."""
    n = len(x)
    if n != len(y):
        raise MpcError(f"batch operands differ in length ({n} vs {len(y)})")
    if n == 0:
        return []
    vec = ctx.field.vec
    a, b, c = ctx.preproc.triples(ctx, n)  # on demand: one fill, RanSha + re-sharing
    opened = open_vec(ctx, vec.sub(x, a) + vec.sub(y, b))
    d, e = opened[:n], opened[n:]
    # z = c + d·b + e·a + d·e = c + d·(b + e) + e·a
    return vec.muladd(e, a, vec.muladd(d, vec.add(b, e), c))


def product(ctx: PartyContext, factors: Sequence[Sequence[int]]) -> list[int]:
    """``Π_k factors[k]`` element-wise, in ⌈log2 len(factors)⌉ rounds."""
    level = [list(f) for f in factors]
    if not level:
        raise MpcError("product of no factors")
    while len(level) > 1:
        pairs = len(level) // 2
        left = [v for k in range(pairs) for v in level[2 * k]]
        right = [v for k in range(pairs) for v in level[2 * k + 1]]
        prod = secure_mul(ctx, left, right)
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
    vec = ctx.field.vec
    local = []
    for x, y in zip(xs, ys, strict=True):
        if len(x) != len(y):
            raise MpcError(f"dot: vectors differ in length ({len(x)} vs {len(y)})")
        local.append(vec.dot(x, y))
    rt, r2t = ctx.preproc.doubles(ctx, len(local))
    return open_vec(ctx, vec.sub(local, r2t), 2 * ctx.t, plus=rt)


def select(ctx: PartyContext, c: Sequence[int], a: Sequence[int], b: Sequence[int]) -> list[int]:
    """Oblivious ``c ? a : b`` for bit sharings c: ``c·(a − b) + b`` (1 round)."""
    vec = ctx.field.vec
    return vec.add(secure_mul(ctx, c, vec.sub(a, b)), b)
