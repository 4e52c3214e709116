"""Shamir secret sharing of degree d among n parties, over a :class:`PrimeField`.

Party ``j`` (0-based) holds the evaluation at ``α_j = j + 1``. With consecutive integer points,
the Lagrange weights at 0 for the first d+1 parties are *small signed integers*
(``λ_i = (−1)^(i−1)·C(d+1, i)``) and the parity checks of the Reed–Solomon code are finite
differences (``Σ (−1)^i C(d+1, i) s_{j+i} ≡ 0``), so the hot paths multiply 255-bit shares by
small ints only.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import comb

from stoffel.runtime.errors import ParameterError
from stoffel.runtime.field import PrimeField
from stoffel.runtime.kernels import kernels_for


def lagrange_weights(f: PrimeField, xs: Sequence[int], at: int = 0) -> list[int]:
    """Lagrange basis weights for points ``xs`` evaluated at ``at`` (residues mod p)."""
    p = f.p
    out = []
    for i, xi in enumerate(xs):
        num, den = 1, 1
        for j, xj in enumerate(xs):
            if i != j:
                num = num * (at - xj) % p
                den = den * (xi - xj) % p
        out.append(num * f.inv(den) % p)
    return out


def small_weights0(d: int) -> list[int]:
    """Integer Lagrange weights at 0 for the points 1..d+1 (exact, not reduced)."""
    return [(-1) ** (i - 1) * comb(d + 1, i) for i in range(1, d + 2)]


def finite_difference_rows(n: int, d: int) -> list[list[tuple[int, int]]]:
    """Parity checks of the degree-d RS code on points 1..n as (party, coefficient) lists.

    The (d+1)-th finite difference of a degree-d polynomial vanishes, which gives the
    ``n − d − 1`` independent checks spanning the dual code.
    """
    rows = []
    for j in range(n - d - 1):
        rows.append([(j + i, (-1) ** i * comb(d + 1, i)) for i in range(d + 2)])
    return rows


def combine(p: int, weighted: Sequence[tuple[int, Sequence[int]]]) -> list[int]:
    """``Σ w · vec`` element-wise mod p (w may be small/signed)."""
    if not weighted:
        raise ValueError("nothing to combine")
    return kernels_for(p).lincomb([w for w, _ in weighted], [v for _, v in weighted])


class ShamirScheme:
    """Degree-t Shamir sharing for n parties over field ``f``."""

    def __init__(self, f: PrimeField, n: int, t: int) -> None:
        if t < 0 or n < 1:
            raise ParameterError(f"invalid parties/threshold n={n}, t={t}")
        if n < 2 * t + 1:
            raise ParameterError(
                f"n = {n} parties need n >= 2t+1 = {2 * t + 1} for threshold t = {t}"
            )
        if n >= f.p:
            raise ParameterError(f"field of order {f.p} too small for {n} parties")
        self.field = f
        self.n = n
        self.t = t
        self.points = list(range(1, n + 1))

    @property
    def robust(self) -> bool:
        """Error correction of degree-t openings is possible (n ≥ 3t+1)."""
        return self.n >= 3 * self.t + 1

    def deal(self, secrets: Sequence[int], degree: int | None = None) -> list[list[int]]:
        """Share each secret with a fresh random polynomial; returns one vector per party."""
        d = self.t if degree is None else degree
        if d < 2 or d >= self.n:
            coeffs = [self.field.random_vec(len(secrets)) for _ in range(d)]
            return self.deal_with(secrets, coeffs)
        # Given f(0) = s, uniform values f(1..d) are exactly a uniform choice of the d free
        # coefficients (the Vandermonde map is a bijection); the remaining shares follow from
        # the vanishing (d+1)-th finite difference — small integer weights, no Horner.
        pts = [self.field.vec.reduce(secrets)]
        pts += [self.field.random_vec(len(secrets)) for _ in range(d)]
        self._extend(pts, d, self.n + 1)
        return pts[1:]

    def deal_with(self, secrets: Sequence[int], coeffs: Sequence[Sequence[int]]) -> list[list[int]]:
        """Evaluate ``s + c_1 x + … + c_d x^d`` at 1..n (inputs reduced mod p)."""
        vec = self.field.vec
        if not coeffs:
            base = vec.reduce(secrets)
            return [list(base) for _ in self.points]
        if len(coeffs) == 1:
            # Degree 1 on consecutive points: f(x+1) = f(x) + c, one addition per share.
            c = coeffs[0]
            out = [vec.add(secrets, c)]
            for _ in self.points[1:]:
                out.append(vec.add(out[-1], c))
            return out
        terms = [secrets, *coeffs]
        return [vec.lincomb([x**k for k in range(len(terms))], terms) for x in self.points]

    def deal_random(self, count: int, degree: int | None = None) -> list[list[int]]:
        """``count`` sharings of uniformly random secrets (the dealer never needs the secret).

        A degree-d polynomial is fixed by its values at d+1 points, and uniform values there
        mean uniform coefficients; so the first d+1 parties' shares are drawn directly and the
        rest follow from the vanishing (d+1)-th finite difference (small integer weights).
        """
        d = self.t if degree is None else degree
        out = [self.field.random_vec(count) for _ in range(min(d + 1, self.n))]
        self._extend(out, d, self.n)
        return out

    def _extend(self, values: list[list[int]], d: int, total: int) -> None:
        """Append evaluations of degree-d polynomials at the next consecutive points, from
        the last d+1: ``f(k) = Σ_i (−1)^(i+1) C(d+1, i) f(k−i)`` (the (d+1)-th finite
        difference vanishes), until there are ``total``."""
        weights = small_weights0(d)
        while len(values) < total:
            values.append(self.field.vec.lincomb(weights, values[-(d + 1) :][::-1]))

    def extractor(self) -> list[list[int]]:
        """``(n − t) × n`` matrix turning n dealt sharings into n − t random ones.

        Each output must stay uniform when any t dealers are corrupt: every square submatrix
        on n − t columns must be invertible. For t = 1 the bidiagonal 0/1 matrix has that
        property (removing one column leaves a unit triangular block matrix) and costs only
        additions; otherwise the Vandermonde matrix is used.
        """
        rows = self.n - self.t
        if self.t == 1:
            return [[1 if j in (k, k + 1) else 0 for j in range(self.n)] for k in range(rows)]
        return self.vandermonde(rows)

    def deal_points(self, secret: int, degree: int | None = None) -> list[int]:
        """Scalar convenience: shares of one secret, one per party."""
        return [v[0] for v in self.deal([secret], degree)]

    def vandermonde(self, rows: int) -> list[list[int]]:
        """``rows × n`` matrix ``M[k][j] = α_j^k`` with small integer entries.

        Every ``rows × rows`` column submatrix is an invertible Vandermonde matrix, which is
        what randomness extraction against t semi-honest dealers needs (``rows = n − t``).
        """
        return [[x**k for x in self.points] for k in range(rows)]
