"""Vector kernels over GF(p): the C extension when it is built, else the same in Python.

The protocols spend their time in a handful of whole-vector operations: linear combinations
(interpolation, dealing, randomness extraction), element-wise products, weighted sums for
batched consistency checks, and decoding fixed-width bytes. :func:`kernels_for` returns an
object with those operations for one modulus. ``stoffel.runtime._fieldkernels`` (C, built by
``pip install``; CPython 3.11) does each in one pass without creating intermediate ints; the
:class:`PyKernels` fallback gives identical results and is what the tests compare it with.

``STOFFEL_FIELD_KERNELS=python`` forces the fallback (benchmarks and tests use it).

Every result is a list of canonical residues in ``[0, p)``; inputs may be any ints.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Sequence
from functools import cache
from typing import Protocol

try:
    from stoffel.runtime import _fieldkernels as _native
except ImportError:  # not built (other Python version, no compiler): the Python kernels
    _native = None

#: Whether the C kernels are in use.
NATIVE: bool = _native is not None and os.environ.get("STOFFEL_FIELD_KERNELS") != "python"


class FieldKernels(Protocol):
    def lincomb(self, weights: Sequence[int], vectors: Sequence[Sequence[int]]) -> list[int]:
        """``[Σ_k w_k · v_k[i] mod p for each i]``."""
        ...

    def matmul(
        self, rows: Sequence[Sequence[int]], vectors: Sequence[Sequence[int]]
    ) -> list[list[int]]:
        """One :meth:`lincomb` per row of weights, reading every vector once."""
        ...

    def muladd(
        self, a: Sequence[int], b: Sequence[int], c: Sequence[int] | None = None, sign: int = 1
    ) -> list[int]:
        """``[a_i · b_i + sign · c_i mod p]`` (``sign`` ±1; no ``c``: the products)."""
        ...

    def dot(self, a: Sequence[int], b: Sequence[int]) -> int:
        """``Σ a_i · b_i mod p``."""
        ...

    def wsums(self, w: bytes, vectors: Sequence[Sequence[int]]) -> list[int]:
        """``[Σ_i w_i · v_k[i] mod p for each vector k]``, ``w_i`` the i-th 8-byte
        little-endian word of ``w`` (random weights of a batched consistency check)."""
        ...

    def add(self, a: Sequence[int], b: Sequence[int]) -> list[int]: ...

    def sub(self, a: Sequence[int], b: Sequence[int]) -> list[int]: ...

    def reduce(self, a: Sequence[int]) -> list[int]: ...


class PyKernels:
    """The kernels as list comprehensions over Python ints (the reference and fallback)."""

    def __init__(self, p: int) -> None:
        self.p = p

    def lincomb(self, weights: Sequence[int], vectors: Sequence[Sequence[int]]) -> list[int]:
        if len(weights) != len(vectors):
            raise ValueError(f"vectors differ in length ({len(weights)} vs {len(vectors)})")
        if not weights:
            raise ValueError("nothing to combine")
        p = self.p
        # Weights near p are small negative numbers: keeping them small keeps the ints small.
        ws = [w % p for w in weights]
        ws = [w - p if p - w < w else w for w in ws]
        acc = [ws[0] * x for x in vectors[0]] if ws[0] != 1 else list(vectors[0])
        for w, v in zip(ws[1:], vectors[1:], strict=True):
            if w == 1:
                acc = [a + x for a, x in zip(acc, v, strict=True)]
            elif w == -1:
                acc = [a - x for a, x in zip(acc, v, strict=True)]
            else:
                acc = [a + w * x for a, x in zip(acc, v, strict=True)]
        return [a % p for a in acc]

    def matmul(
        self, rows: Sequence[Sequence[int]], vectors: Sequence[Sequence[int]]
    ) -> list[list[int]]:
        if not vectors:
            raise ValueError("nothing to combine")
        return [self.lincomb(row, vectors) for row in rows]

    def muladd(
        self, a: Sequence[int], b: Sequence[int], c: Sequence[int] | None = None, sign: int = 1
    ) -> list[int]:
        p = self.p
        if c is None:
            return [x * y % p for x, y in zip(a, b, strict=True)]
        if sign < 0:
            return [(x * y - z) % p for x, y, z in zip(a, b, c, strict=True)]
        return [(x * y + z) % p for x, y, z in zip(a, b, c, strict=True)]

    def dot(self, a: Sequence[int], b: Sequence[int]) -> int:
        if len(a) != len(b):
            raise ValueError(f"vectors differ in length ({len(a)} vs {len(b)})")
        return sum(map(operator.mul, a, b)) % self.p

    def wsums(self, w: bytes, vectors: Sequence[Sequence[int]]) -> list[int]:
        if len(w) % 8:
            raise ValueError(f"{len(w)} weight bytes are not a multiple of 8")
        ws = from_bytes(w, 8)
        p = self.p
        out = []
        for v in vectors:
            if len(v) != len(ws):
                raise ValueError(f"vectors differ in length ({len(ws)} vs {len(v)})")
            out.append(sum(map(operator.mul, ws, v)) % p)
        return out

    def add(self, a: Sequence[int], b: Sequence[int]) -> list[int]:
        p = self.p
        return [(x + y) % p for x, y in zip(a, b, strict=True)]

    def sub(self, a: Sequence[int], b: Sequence[int]) -> list[int]:
        p = self.p
        return [(x - y) % p for x, y in zip(a, b, strict=True)]

    def reduce(self, a: Sequence[int]) -> list[int]:
        p = self.p
        return [x % p for x in a]


@cache
def kernels_for(p: int, *, native: bool | None = None) -> FieldKernels:
    """The kernels for modulus ``p`` (an odd prime; the C ones need ``p < 2^256``)."""
    use_native = NATIVE if native is None else native and _native is not None
    if use_native and p < 2**256:
        return _native.Field(p, pow(-p, -1, 2**64), pow(2, 512, p))  # type: ignore[union-attr, no-any-return]
    return PyKernels(p)


def from_bytes(data: bytes, width: int, bound: int | None = None) -> list[int]:
    """The little-endian ``width``-byte chunks of ``data`` as ints, dropping any that are not
    below ``bound`` when one is given (rejection sampling). ``len(data)`` must be a multiple
    of ``width``."""
    if len(data) % width:
        raise ValueError(f"{len(data)} bytes are not a multiple of {width}")
    if NATIVE and width <= 32:
        if bound is not None and bound >= 1 << (8 * width):
            bound = None  # every chunk is below it
        return _native.from_bytes(data, width, bound)  # type: ignore[union-attr, no-any-return]
    fb = int.from_bytes
    vals = [fb(data[i : i + width], "little") for i in range(0, len(data), width)]
    return vals if bound is None else [v for v in vals if v < bound]
