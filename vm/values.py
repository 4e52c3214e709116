"""Run-time value representation, chosen for interpreter speed.

* ``int64`` is a plain Python ``int`` (the hot path tests ``type(x) is int``); other integer
  widths are :class:`IntV` (value plus :class:`IntKind`).
* ``Float`` (also clear fix64) is ``float``; ``Bool`` is ``bool``; ``String`` is ``str``;
  ``Unit`` is ``None``.
* Objects and arrays are handles: :class:`ObjectRef` (a dict) and :class:`ArrayRef` (a list).
* :class:`Closure`, :class:`SecretVal` (a share, maybe pending) and :class:`Pending` (a revealed
  value whose opening has not been flushed yet) complete the set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stoffel.runtime.backend import ShareType

if TYPE_CHECKING:
    from stoffel.vm.secrets import Node


@dataclass(frozen=True, slots=True)
class IntKind:
    name: str  # type() name, e.g. "int32"
    suffix: str  # print suffix, e.g. "i32"
    tag: int  # constant-pool tag
    bits: int
    signed: bool

    @property
    def lo(self) -> int:
        return -(1 << (self.bits - 1)) if self.signed else 0

    @property
    def hi(self) -> int:
        return (1 << (self.bits - 1)) - 1 if self.signed else (1 << self.bits) - 1


I64 = IntKind("int64", "i64", 1, 64, True)
I32 = IntKind("int32", "i32", 2, 32, True)
I16 = IntKind("int16", "i16", 3, 16, True)
I8 = IntKind("int8", "i8", 4, 8, True)
U8 = IntKind("uint8", "u8", 5, 8, False)
U16 = IntKind("uint16", "u16", 6, 16, False)
U32 = IntKind("uint32", "u32", 7, 32, False)
U64 = IntKind("uint64", "u64", 8, 64, False)
INT_KINDS: tuple[IntKind, ...] = (I64, I32, I16, I8, U8, U16, U32, U64)
KIND_BY_TAG = {k.tag: k for k in INT_KINDS}
KIND_BY_SUFFIX = {k.suffix: k for k in INT_KINDS}
I64_MIN = -(1 << 63)
I64_MAX = (1 << 63) - 1


class IntV:
    """A clear integer of a width other than int64 (int64 values are plain ``int``)."""

    __slots__ = ("kind", "value")

    def __init__(self, value: int, kind: IntKind) -> None:
        self.value = value
        self.kind = kind

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IntV) and other.kind is self.kind and other.value == self.value

    def __hash__(self) -> int:
        return hash((self.value, self.kind.tag))

    def __repr__(self) -> str:
        return f"{self.value}{self.kind.suffix}"


def make_int(value: int, kind: IntKind) -> int | IntV:
    """The run-time value of an integer of ``kind`` (int64 stays a plain int)."""
    return value if kind is I64 else IntV(value, kind)


class ArrayRef:
    """An array handle; identity semantics (two handles are equal only if they are one)."""

    __slots__ = ("items",)

    def __init__(self, items: list[Any] | None = None) -> None:
        self.items: list[Any] = items if items is not None else []

    def __repr__(self) -> str:
        return f"ArrayRef({self.items!r})"


class ObjectRef:
    """An object (also a dict) handle; ``__type`` names its runtime type for dispatch."""

    __slots__ = ("fields",)

    def __init__(self, fields: dict[Any, Any] | None = None) -> None:
        self.fields: dict[Any, Any] = fields if fields is not None else {}

    def __repr__(self) -> str:
        return f"ObjectRef({self.fields!r})"


class Closure:
    """A function plus *copies* of captured values; ``set_upvalue`` writes persist here."""

    __slots__ = ("function", "upvalues")

    def __init__(self, function: str, upvalues: dict[str, Any]) -> None:
        self.function = function
        self.upvalues = upvalues


class SecretVal:
    """A share. ``data`` is the backend's bytes, or ``None`` while ``node`` is pending."""

    __slots__ = ("data", "node", "ty")

    def __init__(self, ty: ShareType, data: bytes | None, node: Node | None = None) -> None:
        self.ty = ty
        self.data = data
        self.node = node


class Pending:
    """A clear value produced by an opening that has not been flushed yet.

    ``resolve`` is installed by the scheduler; reading through :func:`unwrap` flushes.
    """

    __slots__ = ("error", "ready", "scheduler", "value")

    def __init__(self, scheduler: Any) -> None:
        self.scheduler = scheduler
        self.ready = False
        self.value: Any = None
        self.error: Exception | None = None

    def get(self) -> Any:
        if not self.ready:
            self.scheduler.flush()
        if self.error is not None:
            raise self.error
        return self.value


def unwrap(v: Any) -> Any:
    """The clear value of ``v``, flushing pending secret work if needed."""
    return v.get() if type(v) is Pending else v


def deep_unwrap(v: Any) -> Any:
    """Resolve pending values inside containers too (in place), then return ``v``."""
    v = unwrap(v)
    seen: set[int] = set()
    stack = [v]
    while stack:
        cur = stack.pop()
        if id(cur) in seen:
            continue
        seen.add(id(cur))
        if type(cur) is ArrayRef:
            items = cur.items
            for i, x in enumerate(items):
                if type(x) is Pending:
                    items[i] = x = x.get()
                if type(x) is ArrayRef or type(x) is ObjectRef:
                    stack.append(x)
        elif type(cur) is ObjectRef:
            fields = cur.fields
            for k, x in fields.items():
                if type(x) is Pending:
                    fields[k] = x = x.get()
                if type(x) is ArrayRef or type(x) is ObjectRef:
                    stack.append(x)
    return v
