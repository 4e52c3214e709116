"""Shamir secret sharing of degree d among n parties, over a :class:`PrimeField`.

Party ``j`` (0-based) holds the evaluation at ``α_j = j + 1``. With consecutive integer points,
the Lagrange weights at 0 for the first d+1 parties are *small signed integers*
(``λ_i = (−1)^(i−1)·C(d+1, i)``) and the parity checks of the Reed–Solomon code are finite
differences (``Σ (−1)^i C(d+1, i) s_{j+i} ≡ 0``), so the hot paths multiply 255-bit shares by
small ints only.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from functools import cache
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


@cache
def _extension_rows(first: int, d: int, last: int) -> list[list[int]]:
    """Weights giving f(k) for k = first+d+1 .. last from f(first), …, f(first+d), for any
    polynomial f of degree ≤ d: the Lagrange basis on consecutive integer nodes evaluated at
    an integer, which is an integer (a product of binomial coefficients)."""
    nodes = range(first, first + d + 1)
    rows = []
    for k in range(first + d + 1, last + 1):
        row = []
        for j in nodes:
            w = Fraction(1)
            for m in nodes:
                if m != j:
                    w *= Fraction(k - m, j - m)
            assert w.denominator == 1
            row.append(int(w))
        rows.append(row)
    return rows


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
        if d >= self.n:
            coeffs = [self.field.random_vec(len(secrets)) for _ in range(d)]
            return self.deal_with(secrets, coeffs)
        # Given f(0) = s, uniform values f(1..d) are exactly a uniform choice of the d free
        # coefficients (the Vandermonde map is a bijection); the remaining shares are fixed
        # combinations of f(0..d) with small integer weights.
        values = [secrets, *(self.field.random_vec(len(secrets)) for _ in range(d))]
        return values[1:] + self.field.vec.matmul(_extension_rows(0, d, self.n), values)

    def deal_with(self, secrets: Sequence[int], coeffs: Sequence[Sequence[int]]) -> list[list[int]]:
        """Evaluate ``s + c_1 x + … + c_d x^d`` at 1..n (inputs reduced mod p)."""
        terms = [secrets, *coeffs]
        rows = [[x**k for k in range(len(terms))] for x in self.points]
        return self.field.vec.matmul(rows, terms)

    def deal_random(self, count: int, degree: int | None = None) -> list[list[int]]:
        """``count`` sharings of uniformly random secrets (the dealer never needs the secret).

        A degree-d polynomial is fixed by its values at d+1 points, and uniform values there
        mean uniform coefficients; so the first d+1 parties' shares are drawn directly and the
        rest are fixed combinations of them (small integer weights).
        """
        d = self.t if degree is None else degree
        drawn = [self.field.random_vec(count) for _ in range(min(d + 1, self.n))]
        if len(drawn) == self.n:
            return drawn
        return drawn + self.field.vec.matmul(_extension_rows(1, d, self.n), drawn)

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
