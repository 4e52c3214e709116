"""Little-endian primitives for the STFL format, with bounds-checked, context-aware reads.

Every read names *what* it reads; errors say what and where (byte offset plus the reader's
current context such as "function 'main' instruction 3"). Counts are checked against both a
hard limit and the bytes left (each item needs at least ``min_item`` bytes) *before* anything is
allocated, so a corrupted length field cannot make us allocate gigabytes.
"""

from __future__ import annotations

import io
import struct

from stoffel.vm.errors import BytecodeError

_U16 = struct.Struct("<H")
_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")


class Reader:
    __slots__ = ("context", "data", "pos")

    def __init__(self, data: bytes) -> None:
        self.data = bytes(data)
        self.pos = 0
        self.context = ""

    def error(self, message: str, back: int = 0) -> BytecodeError:
        where = f"byte offset {self.pos - back}"
        if self.context:
            where += f", in {self.context}"
        return BytecodeError(f"{message} ({where})")

    def remaining(self) -> int:
        return len(self.data) - self.pos

    def at_end(self) -> bool:
        return self.pos >= len(self.data)

    def raw(self, n: int, what: str) -> bytes:
        end = self.pos + n
        if end > len(self.data):
            raise self.error(f"truncated file: {what} needs {n} byte(s), {self.remaining()} left")
        chunk = self.data[self.pos : end]
        self.pos = end
        return chunk

    def u8(self, what: str) -> int:
        if self.pos >= len(self.data):
            raise self.error(f"truncated file: {what} needs 1 byte, 0 left")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def u16(self, what: str) -> int:
        return _U16.unpack(self.raw(2, what))[0]

    def u32(self, what: str) -> int:
        return _U32.unpack(self.raw(4, what))[0]

    def u64(self, what: str) -> int:
        return _U64.unpack(self.raw(8, what))[0]

    def int(self, size: int, signed: bool, what: str) -> int:
        return int.from_bytes(self.raw(size, what), "little", signed=signed)

    def _check_count(self, n: int, what: str, min_item: int, limit: int, width: int) -> int:
        if n > limit:
            raise self.error(f"{what} {n} exceeds the limit of {limit}", back=width)
        if n * min_item > self.remaining():
            raise self.error(
                f"truncated file: {what} {n} needs at least {n * min_item} byte(s), "
                f"{self.remaining()} left",
                back=width,
            )
        return n

    def count16(self, what: str, min_item: int) -> int:
        return self._check_count(self.u16(what), what, min_item, 0xFFFF, 2)

    def count32(self, what: str, min_item: int, limit: int = 1_000_000) -> int:
        return self._check_count(self.u32(what), what, min_item, limit, 4)

    def _text(self, n: int, what: str) -> str:
        data = self.raw(n, what)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise self.error(f"{what} is not valid UTF-8", back=n) from None

    def str16(self, what: str) -> str:
        return self._text(self.u16(what + " length"), what)

    def str32(self, what: str, limit: int) -> str:
        n = self.u32(what + " length")
        if n > limit:
            raise self.error(f"{what} length {n} exceeds the limit of {limit}", back=4)
        return self._text(n, what)


class Writer:
    __slots__ = ("buf",)

    def __init__(self) -> None:
        self.buf = io.BytesIO()

    def getvalue(self) -> bytes:
        return self.buf.getvalue()

    def raw(self, b: bytes) -> None:
        self.buf.write(b)

    def u8(self, v: int) -> None:
        self.int(v, 1, False)

    def u16(self, v: int) -> None:
        self.int(v, 2, False)

    def u32(self, v: int) -> None:
        self.int(v, 4, False)

    def u64(self, v: int) -> None:
        self.int(v, 8, False)

    def int(self, v: int, size: int, signed: bool) -> None:
        try:
            self.buf.write(v.to_bytes(size, "little", signed=signed))
        except OverflowError:
            kind = "signed" if signed else "unsigned"
            raise BytecodeError(f"value {v} does not fit in {size * 8}-bit {kind} field") from None

    def str16(self, s: str) -> None:
        data = s.encode("utf-8")
        self.u16(len(data))
        self.raw(data)

    def str32(self, s: str) -> None:
        data = s.encode("utf-8")
        self.u32(len(data))
        self.raw(data)
