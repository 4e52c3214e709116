"""Prime-field arithmetic on plain Python ints, vectorised over lists.

Shares of a batch are ``list[int]`` of residues in ``[0, p)``. Measurements on this machine
(``spec/mpc.md`` §2.3) show that at 255 bits Python ints beat gmpy2 and numpy object arrays once
conversions are counted, so vectors stay lists of ints; whole-vector operations go through
:attr:`PrimeField.vec` (:mod:`stoffel.runtime.kernels`: C when built, else Python).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain

from stoffel.runtime.backend import BLS12_381_R
from stoffel.runtime.errors import ParameterError
from stoffel.runtime.kernels import FieldKernels, from_bytes, kernels_for
from stoffel.runtime.randomness import random_bytes

#: Unsigned struct formats of exactly 1, 2, 4 and 8 bytes (for :meth:`PrimeField.random_bounded`).
_NATIVE_UINT: dict[int, str] = {memoryview(bytes(8)).cast(fmt).itemsize: fmt for fmt in "BHILQ"}

#: Bits of every byte value, least significant first.
_BYTE_BITS: list[tuple[int, ...]] = [tuple((b >> i) & 1 for i in range(8)) for b in range(256)]

#: Goldilocks prime; handy as a mid-size test field.
GOLDILOCKS = 2**64 - 2**32 + 1
#: A Mersenne prime for fast small-field tests.
M31 = 2**31 - 1


@dataclass(frozen=True)
class PrimeField:
    """GF(p) for an odd prime p. The field is a parameter of every protocol."""

    p: int
    name: str = ""
    bits: int = field(init=False)
    byte_len: int = field(init=False)
    #: Whole-vector operations mod p.
    vec: FieldKernels = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.p < 3 or self.p % 2 == 0 or pow(2, self.p - 1, self.p) != 1:
            raise ParameterError(f"field modulus {self.p} is not an odd prime")
        object.__setattr__(self, "bits", self.p.bit_length())
        object.__setattr__(self, "byte_len", (self.p.bit_length() + 7) // 8)
        object.__setattr__(self, "vec", kernels_for(self.p))

    # --- scalars -------------------------------------------------------------------------------
    def encode(self, x: int) -> int:
        """Signed integer to residue (negatives become p − |x|)."""
        return x % self.p

    def decode_signed(self, x: int) -> int:
        """Residue to signed integer: x > (p−1)/2 means x − p."""
        return x - self.p if x > (self.p - 1) // 2 else x

    def inv(self, x: int) -> int:
        if x % self.p == 0:
            raise ZeroDivisionError("inverse of zero in GF(p)")
        return pow(x, -1, self.p)

    def batch_inv(self, xs: Sequence[int]) -> list[int]:
        """Montgomery's trick: one modular inverse for the whole batch."""
        p = self.p
        prefix = [1] * (len(xs) + 1)
        acc = 1
        for i, x in enumerate(xs):
            acc = acc * x % p
            prefix[i + 1] = acc
        inv_acc = self.inv(acc)
        out = [0] * len(xs)
        for i in range(len(xs) - 1, -1, -1):
            out[i] = prefix[i] * inv_acc % p
            inv_acc = inv_acc * xs[i] % p
        return out

    # --- randomness ----------------------------------------------------------------------------
    def random_vec(self, count: int) -> list[int]:
        """``count`` uniform residues from a cryptographic source.

        Bytes from :func:`~stoffel.runtime.randomness.random_bytes` are masked to the bit
        length of p and rejected when ≥ p (acceptance > 1/2 for any p), so the output is
        exactly uniform.
        """
        if count <= 0:
            return []
        p, nbytes = self.p, self.byte_len
        # Clearing the excess high bits byte-wise (one C-level translate over a strided slice)
        # is cheaper than masking every int.
        top = bytes(b & ((1 << (self.bits - 8 * (nbytes - 1))) - 1) for b in range(256))
        out: list[int] = []
        while len(out) < count:
            need = count - len(out)
            # Over-draw by the expected rejection rate plus a margin, so one pass usually wins.
            draw = need * (1 << self.bits) // p + 16 + need // 64
            raw = bytearray(random_bytes(draw * nbytes))
            raw[nbytes - 1 :: nbytes] = raw[nbytes - 1 :: nbytes].translate(top)
            out += from_bytes(bytes(raw), nbytes, p)
        del out[count:]
        return out

    def random_bounded(self, count: int, bound_bits: int) -> list[int]:
        """``count`` uniform integers in ``[0, 2**bound_bits)`` (not reduced; caller decides)."""
        if count <= 0:
            return []
        nbytes = (bound_bits + 7) // 8
        mask = (1 << bound_bits) - 1
        buf = random_bytes(count * nbytes)
        fmt = _NATIVE_UINT.get(nbytes)
        if fmt is not None:
            # Machine-word widths: memoryview.cast splits the buffer in C (the per-element slice
            # + from_bytes below dominated the 64-bit weights of every aggregate opening check).
            # The byte order is irrelevant for uniform bytes.
            vals = memoryview(buf).cast(fmt).tolist()
            if bound_bits == 8 * nbytes:
                return vals
            return [v & mask for v in vals]
        fb = int.from_bytes
        return [fb(buf[i : i + nbytes], "little") & mask for i in range(0, count * nbytes, nbytes)]

    def random_bits(self, count: int) -> list[int]:
        """``count`` uniform bits (0/1 ints) from a cryptographic source."""
        if count <= 0:
            return []
        # One table lookup per random byte; shifting one big int per bit would be quadratic.
        out = list(chain.from_iterable(map(_BYTE_BITS.__getitem__, random_bytes((count + 7) // 8))))
        del out[count:]
        return out

    # --- vectors -------------------------------------------------------------------------------
    def add_vec(self, a: Sequence[int], b: Sequence[int]) -> list[int]:
        return self.vec.add(a, b)

    def sub_vec(self, a: Sequence[int], b: Sequence[int]) -> list[int]:
        return self.vec.sub(a, b)

    def mul_vec(self, a: Sequence[int], b: Sequence[int]) -> list[int]:
        return self.vec.muladd(a, b)

    def scale_vec(self, a: Sequence[int], c: int) -> list[int]:
        return self.vec.lincomb([c], [a])

    def add_const_vec(self, a: Sequence[int], c: int) -> list[int]:
        p = self.p
        return [(x + c) % p for x in a]

    # --- bytes ---------------------------------------------------------------------------------
    def to_bytes(self, x: int) -> bytes:
        return (x % self.p).to_bytes(self.byte_len, "little")

    def from_bytes(self, data: bytes) -> int:
        return int.from_bytes(data, "little") % self.p


#: The default field (DESIGN §5): the BLS12-381 scalar field.
BLS12_381 = PrimeField(BLS12_381_R, "bls12-381-fr")


def small_field(p: int = 97) -> PrimeField:
    """A small prime field for exhaustive/statistical privacy tests."""
    return PrimeField(p, f"gf{p}")


def sqrt_mod(x: int, p: int) -> int | None:
    """A square root of ``x`` modulo the odd prime ``p`` (Tonelli–Shanks), or None when
    ``x`` is not a square. Returns the smaller of the two roots, so results are canonical."""
    x %= p
    if x == 0:
        return 0
    if pow(x, (p - 1) // 2, p) != 1:
        return None
    q, s = p - 1, 0
    while q % 2 == 0:
        q, s = q // 2, s + 1
    z = 2
    while pow(z, (p - 1) // 2, p) != p - 1:  # any non-residue
        z += 1
    m, c, t, r = s, pow(z, q, p), pow(x, q, p), pow(x, (q + 1) // 2, p)
    while t != 1:
        i, t2 = 0, t
        while t2 != 1:
            t2, i = t2 * t2 % p, i + 1
        b = pow(c, 1 << (m - i - 1), p)
        m, c, t, r = i, b * b % p, t * b * b % p, r * b % p
    return min(r, p - r)
