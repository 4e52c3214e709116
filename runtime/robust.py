"""Batch reconstruction with error detection and correction (Reed–Solomon decoding).

``decode_batch`` opens a whole vector at once. The fast path interpolates from the first d+1
shares with small integer weights and verifies every other share with finite-difference parity
checks. Only columns that fail a check go through Berlekamp–Welch; the parties found wrong there
are excluded and the whole vector is re-verified without them, so a corrupted party is named
and the values are still right as long as at most ``(m − d − 1) / 2`` of the ``m`` shares are
wrong (for degree t and n ≥ 3t+1: up to t wrong parties).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from stoffel.runtime.errors import ReconstructionError
from stoffel.runtime.field import PrimeField
from stoffel.runtime.randomness import random_bytes
from stoffel.runtime.shamir import (
    combine,
    finite_difference_rows,
    lagrange_weights,
    small_weights0,
)

#: How many failing columns are decoded before re-checking the batch without the suspects.
_SAMPLE_COLUMNS = 4
#: From this batch length on, consistency is first checked on one random combination of the
#: columns (one multiply-add per share instead of a parity check per column).
_AGGREGATE_MIN = 64


@dataclass(frozen=True)
class DecodeResult:
    values: list[int]
    bad_parties: frozenset[int]


def decode_batch(
    f: PrimeField,
    shares: Sequence[Sequence[int] | None],
    degree: int,
    *,
    correct: bool,
    plus: Sequence[int] | None = None,
) -> DecodeResult:
    """Reconstruct a batch from per-party share vectors (``None`` = missing party).

    ``correct=False`` detects inconsistencies and raises; ``correct=True`` corrects up to the
    code's capacity and reports the wrong parties. ``plus`` is added to the values (in the
    same pass as the interpolation; callers that open a masked value and add a share).
    """
    present = [j for j, v in enumerate(shares) if v is not None]
    if len(present) < degree + 1:
        raise ReconstructionError(
            f"need {degree + 1} shares to open a degree-{degree} sharing, got {len(present)}"
        )
    vecs = {j: shares[j] for j in present}
    length = len(vecs[present[0]])  # type: ignore[arg-type]
    if any(len(v) != length for v in vecs.values()):  # type: ignore[arg-type]
        raise ReconstructionError("share vectors of different lengths")
    if length >= _AGGREGATE_MIN and _aggregate_consistent(f, vecs, present, degree):  # type: ignore[arg-type]
        bad_cols: list[int] = []
    else:
        bad_cols = _failing_columns(f, vecs, present, degree)  # type: ignore[arg-type]
    if not bad_cols:
        return DecodeResult(_interpolate(f, vecs, present, degree, plus), frozenset())  # type: ignore[arg-type]
    capacity = (len(present) - degree - 1) // 2
    if not correct or capacity == 0:
        why = "error correction is off" if not correct else "no redundancy to correct"
        raise ReconstructionError(
            f"inconsistent shares in {len(bad_cols)} of {length} values ({why}: "
            f"{len(present)} shares of a degree-{degree} sharing)"
        )
    suspects: set[int] = set()
    good = list(present)
    while bad_cols:
        for col in bad_cols[:_SAMPLE_COLUMNS]:
            ys = [vecs[j][col] for j in present]  # type: ignore[index]
            errs = berlekamp_welch(f, [j + 1 for j in present], ys, degree, capacity)
            if errs is None:
                raise ReconstructionError(
                    f"too many wrong shares to correct (at most {capacity} of {len(present)})"
                )
            suspects.update(present[i] for i in errs)
        if len(suspects) > capacity:
            raise ReconstructionError(
                f"parties {sorted(suspects)} sent wrong shares: "
                f"more than {capacity} can be corrected"
            )
        good = [j for j in present if j not in suspects]
        new_bad = _failing_columns(f, vecs, good, degree)  # type: ignore[arg-type]
        if new_bad and new_bad == bad_cols:
            raise ReconstructionError("decoding did not converge")
        bad_cols = new_bad
    return DecodeResult(_interpolate(f, vecs, good, degree, plus), frozenset(suspects))  # type: ignore[arg-type]


def _aggregate_consistent(
    f: PrimeField, vecs: dict[int, Sequence[int]], parties: Sequence[int], d: int
) -> bool:
    """Whether ``Σ_i w_i · column_i`` lies on a degree-d polynomial, for fresh random 64-bit
    weights ``w`` drawn after the shares arrived.

    Every parity check is linear, so consistent columns give a consistent combination; an
    inconsistent column makes a parity value of the combination ``Σ w_i r_i`` with some
    ``r_i ≠ 0``, which vanishes with probability at most 2^-64 over w. A False answer
    (or no redundancy to check) sends the caller to the per-column check, which also finds
    the columns to correct.
    """
    if len(parties) <= d + 1:
        return True
    length = len(vecs[parties[0]])
    sums = f.vec.wsums(random_bytes(8 * length), [vecs[j] for j in parties])
    agg = {j: [s] for j, s in zip(parties, sums, strict=True)}
    return not _failing_columns(f, agg, parties, d)


def _consecutive(parties: Sequence[int]) -> bool:
    return all(b == a + 1 for a, b in itertools.pairwise(parties))


def _failing_columns(
    f: PrimeField, vecs: dict[int, Sequence[int]], parties: Sequence[int], d: int
) -> list[int]:
    """Indices of columns whose shares from ``parties`` are not on one degree-d polynomial."""
    m = len(parties)
    if m <= d + 1:
        return []
    p = f.p
    bad: set[int] = set()
    if _consecutive(parties):
        # Finite differences on consecutive points are shift-invariant: the rows for 1..m work
        # for any run of consecutive evaluation points. A row value is a small multiple of p
        # when consistent, so the set of distinct values is tiny and checked once.
        for row in finite_difference_rows(m, d):
            acc = combine_raw([(w, vecs[parties[i]]) for i, w in row])
            if d == 1:
                # s_j − 2 s_{j+1} + s_{j+2} lies in (−2p, 2p): consistent means −p, 0 or p,
                # and list.count runs in C.
                if acc.count(0) + acc.count(p) + acc.count(-p) == len(acc):
                    continue
            elif all(v % p == 0 for v in set(acc)):
                continue
            bad.update(k for k, v in enumerate(acc) if v % p)
    else:
        xs = [j + 1 for j in parties]
        base = xs[: d + 1]
        for j, x in zip(parties[d + 1 :], xs[d + 1 :], strict=True):
            w = lagrange_weights(f, base, x)
            pred = combine(p, [(wi, vecs[parties[i]]) for i, wi in enumerate(w)])
            bad.update(k for k, (a, b) in enumerate(zip(pred, vecs[j], strict=True)) if a != b % p)
    return sorted(bad)


def combine_raw(weighted: Sequence[tuple[int, Sequence[int]]]) -> list[int]:
    """``Σ w · vec`` without reduction (small weights keep the ints small)."""
    if len(weighted) == 3 and [w for w, _ in weighted] == [1, -2, 1]:
        (_, a), (_, b), (_, c) = weighted
        return [x + z - 2 * y for x, y, z in zip(a, b, c, strict=True)]
    (w0, v0), *rest = weighted
    acc = [w0 * x for x in v0]
    for w, v in rest:
        acc = [a + w * x for a, x in zip(acc, v, strict=True)]
    return acc


def _interpolate(
    f: PrimeField,
    vecs: dict[int, Sequence[int]],
    parties: Sequence[int],
    d: int,
    plus: Sequence[int] | None = None,
) -> list[int]:
    use = parties[: d + 1]
    if use[0] == 0 and _consecutive(use):
        weights = small_weights0(d)
    else:
        weights = lagrange_weights(f, [j + 1 for j in use], 0)
    vectors = [vecs[j] for j in use]
    if plus is not None:
        weights, vectors = [*weights, 1], [*vectors, plus]
    return f.vec.lincomb(weights, vectors)


# --- Berlekamp–Welch for one column --------------------------------------------------------------


def berlekamp_welch(
    f: PrimeField, xs: Sequence[int], ys: Sequence[int], d: int, e: int
) -> list[int] | None:
    """Positions (indices into xs) of wrong values, or None if more than e errors.

    Solves ``Q(x_i) = y_i·E(x_i)`` with E monic of degree e and deg Q ≤ e + d; then
    ``f = Q / E`` and the errors are where ``f(x_i) ≠ y_i``.
    """
    p = f.p
    rows = []
    for x, y in zip(xs, ys, strict=True):
        # Unknowns: E_0..E_{e-1}, Q_0..Q_{e+d}; equation Σ Q_k x^k − y Σ E_k x^k = y x^e.
        row = [(-y * pow(x, k, p)) % p for k in range(e)]
        row += [pow(x, k, p) for k in range(e + d + 1)]
        row.append(y * pow(x, e, p) % p)
        rows.append(row)
    sol = _solve(rows, 2 * e + d + 1, p)
    if sol is None:
        return None
    e_poly = [*sol[:e], 1]
    q_poly = sol[e:]
    quot, rem = _poly_divmod(q_poly, e_poly, p)
    if any(rem) or len(_trim(quot)) > d + 1:
        return None
    errs = [i for i, (x, y) in enumerate(zip(xs, ys, strict=True)) if _eval(quot, x, p) != y % p]
    return errs if len(errs) <= e else None


def _solve(rows: list[list[int]], nvars: int, p: int) -> list[int] | None:
    """One solution of a (possibly under-determined) linear system mod p, or None."""
    m = [list(r) for r in rows]
    pivots: list[int] = []
    r = 0
    for c in range(nvars):
        piv = next((i for i in range(r, len(m)) if m[i][c] % p), None)
        if piv is None:
            continue
        m[r], m[piv] = m[piv], m[r]
        inv = pow(m[r][c], -1, p)
        m[r] = [v * inv % p for v in m[r]]
        for i in range(len(m)):
            if i != r and m[i][c]:
                k = m[i][c]
                m[i] = [(a - k * b) % p for a, b in zip(m[i], m[r], strict=True)]
        pivots.append(c)
        r += 1
        if r == len(m):
            break
    if any(all(v == 0 for v in row[:nvars]) and row[nvars] for row in m[r:]):
        return None
    sol = [0] * nvars
    for i, c in enumerate(pivots):
        sol[c] = m[i][nvars]
    return sol


def _trim(poly: list[int]) -> list[int]:
    out = list(poly)
    while out and out[-1] == 0:
        out.pop()
    return out


def _poly_divmod(num: list[int], den: list[int], p: int) -> tuple[list[int], list[int]]:
    num = _trim([v % p for v in num])
    den = _trim([v % p for v in den])
    if len(num) < len(den):
        return [], num
    inv_lead = pow(den[-1], -1, p)
    quot = [0] * (len(num) - len(den) + 1)
    rem = list(num)
    for i in range(len(quot) - 1, -1, -1):
        coef = rem[i + len(den) - 1] * inv_lead % p
        quot[i] = coef
        if coef:
            for j, dv in enumerate(den):
                rem[i + j] = (rem[i + j] - coef * dv) % p
    return quot, _trim(rem[: len(den) - 1])


def _eval(poly: Sequence[int], x: int, p: int) -> int:
    acc = 0
    for c in reversed(poly):
        acc = (acc * x + c) % p
    return acc
