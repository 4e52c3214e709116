"""Fixed point (k = 64, f = 16) and division by clear constants.

Fixed-point values are shared as ``round(x·2^f)``. A product of two k-bit values has at most
2k bits, so ``fixed_mul`` truncates a 2k-bit value exactly (``⌊a·b / 2^f⌋``). Division by a clear
constant multiplies by a scaled reciprocal and truncates; for integers the magic-number method
(Granlund–Montgomery) makes the floor division exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from stoffel.runtime.context import PartyContext
from stoffel.runtime.errors import MpcError
from stoffel.runtime.protocols.compare import ltz, ltz_needs, trunc, trunc_needs
from stoffel.runtime.protocols.mul import mul_needs, secure_mul
from stoffel.runtime.protocols.preprocessing import merge

FIXED_K = 64
FIXED_F = 16


def fixed_mul(
    ctx: PartyContext, a: Sequence[int], b: Sequence[int], frac: int = FIXED_F, k: int = FIXED_K
) -> list[int]:
    """``⌊a·b / 2^frac⌋`` for k-bit fixed-point shares."""
    # All preprocessing of both steps in one go (fewer rounds than two on-demand fills).
    ctx.preproc.reserve(ctx, merge(mul_needs(ctx, len(a)), trunc_needs(ctx, len(a), frac, 2 * k)))
    return trunc(ctx, secure_mul(ctx, a, b), frac, 2 * k)


def fixed_div_const(
    ctx: PartyContext, a: Sequence[int], divisor: Fraction | float | int, k: int = FIXED_K
) -> list[int]:
    """Fixed-point ``a / divisor`` for a clear divisor, rounded to nearest.

    ``a`` is ``x·2^f`` and so is the result: ``a/d`` needs no rescaling, only the reciprocal
    ``C = round(2^s / d)`` with s = k, so the error stays below one unit in the last place.
    """
    d = Fraction(divisor)
    if d == 0:
        raise MpcError("Division by zero")
    s = k
    c = round(Fraction(1 << s) / d)
    width = k + abs(c).bit_length() + 1
    p = ctx.p
    scaled = [(v * c + (1 << (s - 1))) % p for v in a]
    return trunc(ctx, scaled, s, width)


def div_const(ctx: PartyContext, a: Sequence[int], divisors: Sequence[int], bits: int) -> list[int]:
    """Signed integer ``a / d`` truncating toward zero, ``|a| < 2^bits``, clear ``d ≠ 0``.

    ``|a|`` comes from one sign test; ``⌊|a|·M / 2^s⌋`` with ``M = ⌈2^s/|d|⌉`` and
    ``s = bits + max(bits, bitlen(|d|))`` is exactly ``⌊|a|/|d|⌋``; the sign is put back with
    one product.
    """
    if len(a) != len(divisors):
        raise MpcError(f"batch operands differ in length ({len(a)} vs {len(divisors)})")
    if not a:
        return []
    if any(d == 0 for d in divisors):
        raise MpcError("Division by zero")
    p = ctx.p
    # A fixed shift (not the divisor's length) keeps the cost independent of the divisor;
    # 2·bits suffices for every divisor of up to ``bits`` bits.
    s = bits + max(bits, *(abs(d).bit_length() for d in divisors))
    width = bits + s + 2
    count = len(a)
    ctx.preproc.reserve(
        ctx,
        merge(
            ltz_needs(ctx, count, bits + 1),
            mul_needs(ctx, 2 * count),
            trunc_needs(ctx, count, s, width),
        ),
    )
    neg = ltz(ctx, a, bits + 1)
    # |a| = a − 2·neg·a ; the sign of the quotient also flips for a negative divisor.
    sa = secure_mul(ctx, neg, a)
    absa = [(x - 2 * y) % p for x, y in zip(a, sa, strict=True)]
    magic = [-(-(1 << s) // abs(d)) for d in divisors]
    q = trunc(ctx, [x * m_ % p for x, m_ in zip(absa, magic, strict=True)], s, width)
    qn = secure_mul(ctx, neg, q)
    out = []
    for qi, qni, d in zip(q, qn, divisors, strict=True):
        signed = (qi - 2 * qni) % p  # sign(a)·q
        out.append(signed if d > 0 else (-signed) % p)
    return out
