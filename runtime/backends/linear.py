"""Local (communication-free) operations on field-encoded shares, shared by every backend.

Shamir sharing is linear, so adding shares, negating them and scaling by public constants
are the same field operations whether a "share" is one party's point (``local``) or the
secret itself (``clear``). A backend mixes this in and provides ``modulus`` and
``share_size``.
"""

from __future__ import annotations

from stoffel.runtime.backend import BackendError


class LinearShareOps:
    modulus: int
    share_size: int

    def _enc(self, x: int) -> bytes:
        return (x % self.modulus).to_bytes(self.share_size, "little")

    def _dec(self, s: bytes) -> int:
        if len(s) != self.share_size:
            raise BackendError(f"malformed share: {len(s)} bytes, expected {self.share_size}")
        return int.from_bytes(s, "little")

    def constant(self, value: int) -> bytes:
        return self._enc(value)

    def add(self, a: bytes, b: bytes) -> bytes:
        return self._enc(self._dec(a) + self._dec(b))

    def sub(self, a: bytes, b: bytes) -> bytes:
        return self._enc(self._dec(a) - self._dec(b))

    def neg(self, a: bytes) -> bytes:
        return self._enc(-self._dec(a))

    def add_const(self, a: bytes, c: int) -> bytes:
        return self._enc(self._dec(a) + c)

    def mul_const(self, a: bytes, c: int) -> bytes:
        return self._enc(self._dec(a) * c)
