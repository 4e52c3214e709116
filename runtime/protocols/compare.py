"""Secure comparison, equality and exact truncation (statistical masking, κ = 40).

All three open a masked value ``c = y + 2^m·r_hi + r_lo`` where ``y ≥ 0`` is the operand
shifted into ``[0, 2^K)``, ``r_lo = Σ r_i 2^i`` comes from m shared random bits and ``r_hi``
from bounded randoms with κ extra bits, so ``c`` hides y statistically (Catrina–de Hoogh).

* ``y mod 2^m = c_lo − r_lo + 2^m·[c_lo < r_lo]``; the bit ``[c_lo < r_lo]`` (public c, secret
  bits) is computed with one product: with a secret sign s = ±1,
  ``e_i = s + r_i − c_i + 3·Σ_{j>i}(c_j ⊕ r_j)`` and ``e_m = s − 1 + 3·Σ_j(c_j ⊕ r_j)``; some
  e_i is zero iff (s = 1 and c ≥ r) or (s = −1 and c < r). Opening ``ρ·Π e`` for a random ρ
  reveals only that zero-ness, which the random s makes a uniform bit. (As in MPyC's ``sgn``.)
* truncation: ``⌊y / 2^m⌋ = (y − y mod 2^m) / 2^m``; ``x < 0`` is the top bit of
  ``y = x + 2^(l−1)``.
* equality: ``x = 0`` iff ``r_lo`` equals a public value bit by bit: a product of l bit tests.

Rounds: lt/trunc 2 + ⌈log2(m+2)⌉, eqz 1 + ⌈log2 l⌉.
"""

from __future__ import annotations

from collections.abc import Sequence

from stoffel.runtime.context import PartyContext
from stoffel.runtime.errors import ParameterError
from stoffel.runtime.protocols.mul import mul_needs, product
from stoffel.runtime.protocols.open import open_vec
from stoffel.runtime.protocols.preprocessing import Request, merge

#: Statistical security parameter of the masked openings (DESIGN §4).
KAPPA = 40


def _check_room(ctx: PartyContext, k: int) -> None:
    # The mask is below n·2^(k+κ) + 2^k; the masked value must not wrap around p.
    need = (ctx.n + 1) << (k + KAPPA)
    if need >= ctx.p:
        raise ParameterError(
            f"field of {ctx.field.bits} bits is too small for {k}-bit masked openings "
            f"(needs more than {need.bit_length()} bits)"
        )


def low_bits_needs(ctx: PartyContext, count: int, m: int, k: int) -> Request:
    """What ``_low_bits(y, m, k)`` consumes: an m-bit mask, a sign bit, ρ, m+1 products."""
    mask = Request(bits=count, randoms=count, masks={(m, k - m + KAPPA): count})
    return merge(mask, mul_needs(ctx, count * (m + 1)))


def trunc_needs(ctx: PartyContext, count: int, m: int, k: int) -> Request:
    return low_bits_needs(ctx, count, m, k) if 0 < m < k else ltz_needs(ctx, count, k)


def ltz_needs(ctx: PartyContext, count: int, l: int) -> Request:  # noqa: E741
    return low_bits_needs(ctx, count, l - 1, l)


def eqz_needs(ctx: PartyContext, count: int, l: int) -> Request:  # noqa: E741
    return merge(Request(masks={(l, KAPPA): count}), mul_needs(ctx, count * (l - 1)))


def _masked_open(
    ctx: PartyContext, y: Sequence[int], m: int, k: int
) -> tuple[list[int], list[list[int]], list[int]]:
    """Open ``y + 2^m r_hi + r_lo`` for ``y ∈ [0, 2^k)``; returns (c mod 2^m, bits, r_lo)."""
    _check_room(ctx, k)
    count, p = len(y), ctx.p
    rows, r_lo, r_hi = ctx.preproc.masks(ctx, count, m, k - m + KAPPA)
    shift = 1 << m
    masked = [(v + shift * h + lo) % p for v, h, lo in zip(y, r_hi, r_lo, strict=True)]
    c = open_vec(ctx, masked)
    mask = shift - 1
    return [v & mask for v in c], rows, r_lo


def bit_lt(ctx: PartyContext, c: Sequence[int], rows: Sequence[Sequence[int]]) -> list[int]:
    """Shares of ``[c < r]`` for public ``c`` and secret bits ``rows[i]`` of r (LSB first)."""
    count, m = len(c), len(rows)
    sign_bits = ctx.preproc.bits(ctx, count)
    rho = ctx.preproc.randoms(ctx, count)
    # T_i = s + 3·X_i is carried along, so e_i = T_i + r_i − c_i and T_{i−1} = T_i + 3·(c_i ⊕ r_i).
    # Factors stay unreduced (small multiples of p): the multiplication reduces its inputs.
    tt = [1 - 2 * b for b in sign_bits]
    factors: list[list[int]] = []
    for i in range(m - 1, -1, -1):
        r = rows[i]
        bit = 1 << i
        factors.append(
            [ti + ri - 1 if ci & bit else ti + ri for ti, ri, ci in zip(tt, r, c, strict=True)]
        )
        tt = [
            ti + 3 - 3 * ri if ci & bit else ti + 3 * ri
            for ti, ri, ci in zip(tt, r, c, strict=True)
        ]
    factors.append([ti - 1 for ti in tt])
    factors.append(list(rho))
    p = ctx.p
    z = open_vec(ctx, product(ctx, factors))
    # g = 1 where the product is zero: then [c < r] = sign bit, else 1 − sign bit.
    return [b if v == 0 else (1 - b) % p for v, b in zip(z, sign_bits, strict=True)]


def _low_bits(ctx: PartyContext, y: Sequence[int], m: int, k: int) -> list[int]:
    """Shares of ``y mod 2^m`` for ``y ∈ [0, 2^k)``."""
    c_lo, rows, r_lo = _masked_open(ctx, y, m, k)
    u = bit_lt(ctx, c_lo, rows)
    shift, p = 1 << m, ctx.p
    return [(cl - rl + shift * ui) % p for cl, rl, ui in zip(c_lo, r_lo, u, strict=True)]


def trunc(ctx: PartyContext, x: Sequence[int], m: int, k: int) -> list[int]:
    """Exact ``⌊x / 2^m⌋`` for signed ``x ∈ [−2^(k−1), 2^(k−1))``, ``0 < m < k``."""
    if not x:
        return []
    if not 0 < m < k:
        raise ParameterError(f"truncation by {m} bits of a {k}-bit value")
    ctx.preproc.reserve(ctx, low_bits_needs(ctx, len(x), m, k))
    p = ctx.p
    half = 1 << (k - 1)
    y = [(v + half) % p for v in x]
    low = _low_bits(ctx, y, m, k)
    inv = ctx.field.inv(1 << m)
    off = half >> m
    return [((a - b) * inv - off) % p for a, b in zip(y, low, strict=True)]


def ltz(ctx: PartyContext, x: Sequence[int], l: int) -> list[int]:  # noqa: E741
    """``[x < 0]`` for signed ``x ∈ [−2^(l−1), 2^(l−1))``."""
    if not x:
        return []
    ctx.preproc.reserve(ctx, ltz_needs(ctx, len(x), l))
    p = ctx.p
    m = l - 1
    half = 1 << m
    y = [(v + half) % p for v in x]
    low = _low_bits(ctx, y, m, l)
    inv = ctx.field.inv(half)
    # top = (y − y mod 2^m) / 2^m ∈ {0, 1} is the "non-negative" bit.
    return [(1 - (a - b) * inv) % p for a, b in zip(y, low, strict=True)]


def eqz(ctx: PartyContext, x: Sequence[int], l: int) -> list[int]:  # noqa: E741
    """``[x == 0]`` for signed ``x ∈ [−2^(l−1), 2^(l−1))``."""
    if not x:
        return []
    ctx.preproc.reserve(ctx, eqz_needs(ctx, len(x), l))
    p = ctx.p
    half = 1 << (l - 1)
    y = [(v + half) % p for v in x]
    c_lo, rows, _ = _masked_open(ctx, y, l, l)
    mask = (1 << l) - 1
    target = [(c - half) & mask for c in c_lo]
    factors = []
    for i, r in enumerate(rows):
        factors.append(
            [ri if (d >> i) & 1 else (1 - ri) % p for ri, d in zip(r, target, strict=True)]
        )
    return product(ctx, factors)


def lt(ctx: PartyContext, a: Sequence[int], b: Sequence[int], bits: int) -> list[int]:
    """``[a < b]`` for signed ``bits``-bit operands; works on ``a − b`` with bits+1 bits."""
    p = ctx.p
    return ltz(ctx, [(x - y) % p for x, y in zip(a, b, strict=True)], bits + 1)


def le(ctx: PartyContext, a: Sequence[int], b: Sequence[int], bits: int) -> list[int]:
    """``[a <= b] = 1 − [b < a]``."""
    p = ctx.p
    return [(1 - v) % p for v in lt(ctx, b, a, bits)]


def gt(ctx: PartyContext, a: Sequence[int], b: Sequence[int], bits: int) -> list[int]:
    return lt(ctx, b, a, bits)


def ge(ctx: PartyContext, a: Sequence[int], b: Sequence[int], bits: int) -> list[int]:
    p = ctx.p
    return [(1 - v) % p for v in lt(ctx, a, b, bits)]


def eq(ctx: PartyContext, a: Sequence[int], b: Sequence[int], bits: int) -> list[int]:
    p = ctx.p
    return eqz(ctx, [(x - y) % p for x, y in zip(a, b, strict=True)], bits + 1)
