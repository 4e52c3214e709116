"""Wire encoding of field-element vectors: fixed-width little-endian, concatenated.

The in-memory channel can pass payloads as tuples (each party still gets its own immutable
copy); the networked backend and ``serialize=True`` runs use these functions so the byte
counts and formats are the real ones.
"""

from __future__ import annotations

from collections.abc import Sequence

from stoffel.runtime.errors import ProtocolMismatch
from stoffel.runtime.kernels import from_bytes


def encode_vec(values: Sequence[int], width: int) -> bytes:
    return b"".join([v.to_bytes(width, "little") for v in values])


def decode_vec(data: bytes, width: int) -> list[int]:
    if len(data) % width:
        raise ProtocolMismatch(f"payload of {len(data)} bytes is not a multiple of {width}")
    return from_bytes(data, width)
