"""Semantic types of StoffelLang (spec/language.md §3.1).

Types are frozen values compared structurally. ``str(t)`` is the spelling used in
diagnostics (§3.4 end): ``int64``, ``secret int64``, ``list[int64]``, ``<unknown>``…
Secrecy is a wrapper, ``Secret(inner)``, around a clear scalar (int, bool, fix, float);
opaque runtime handles such as ``Share`` are ``Obj`` values and are never ``Secret``.
"""

from __future__ import annotations

import attrs


@attrs.frozen
class Type:
    def __str__(self) -> str:  # pragma: no cover - every subclass overrides
        return "<type>"


@attrs.frozen
class Int(Type):
    bits: int = 64
    signed: bool = True

    def __str__(self) -> str:
        return f"{'int' if self.signed else 'uint'}{self.bits}"

    @property
    def min(self) -> int:
        return -(1 << (self.bits - 1)) if self.signed else 0

    @property
    def max(self) -> int:
        return (1 << (self.bits - 1)) - 1 if self.signed else (1 << self.bits) - 1


@attrs.frozen
class Float(Type):
    def __str__(self) -> str:
        return "float"


@attrs.frozen
class Fix(Type):
    bits: int = 64

    def __str__(self) -> str:
        return f"fix{self.bits}"


@attrs.frozen
class Bool(Type):
    def __str__(self) -> str:
        return "bool"


@attrs.frozen
class String(Type):
    def __str__(self) -> str:
        return "string"


@attrs.frozen
class Nil(Type):
    """The value ``None`` (and ``-> None``)."""

    def __str__(self) -> str:
        return "None"


@attrs.frozen
class Void(Type):
    """What a function without a return value returns."""

    def __str__(self) -> str:
        return "void"


@attrs.frozen
class Unknown(Type):
    """Compatible with everything: untyped parameters, dynamic values, error recovery."""

    def __str__(self) -> str:
        return "<unknown>"


@attrs.frozen
class ListT(Type):
    elem: Type

    def __str__(self) -> str:
        return f"list[{self.elem}]"


@attrs.frozen
class DictT(Type):
    key: Type
    value: Type

    def __str__(self) -> str:
        return f"dict[{self.key}, {self.value}]"


@attrs.frozen
class Secret(Type):
    inner: Type

    def __str__(self) -> str:
        return f"secret {self.inner}"


@attrs.frozen
class Obj(Type):
    """A user object, an opaque handle (``Share``, ``Closure``…) or a builtin object name."""

    name: str

    def __str__(self) -> str:
        return self.name


@attrs.frozen
class TypeVar(Type):
    """A generic parameter inside a generic function's signature."""

    name: str

    def __str__(self) -> str:
        return self.name


@attrs.frozen
class Generic(Type):
    """A user generic type ``Name[T, ...]``; its arguments are not checked further."""

    name: str
    args: tuple[Type, ...]

    def __str__(self) -> str:
        return f"{self.name}[{', '.join(map(str, self.args))}]"


INT64 = Int(64, True)
UINT8 = Int(8, False)
FLOAT = Float()
FIX64 = Fix(64)
BOOL = Bool()
STRING = String()
NIL = Nil()
VOID = Void()
UNKNOWN = Unknown()
SHARE = Obj("Share")
BYTES = ListT(Int(8, False))

# Spellings of the builtin scalar types (§3.1).
SCALAR_NAMES: dict[str, Type] = {
    **{name: INT64 for name in ("int64", "int", "i64")},
    **{n: Int(b, True) for b in (8, 16, 32) for n in (f"int{b}", f"i{b}")},
    **{n: Int(b, False) for b in (8, 16, 32, 64) for n in (f"uint{b}", f"u{b}")},
    **{name: FLOAT for name in ("float", "float64", "f64")},
    **{name: FIX64 for name in ("fix64", "fixed", "fixed64")},
    **{name: Fix(32) for name in ("fix32", "fixed32")},
    "bool": BOOL,
    "string": STRING,
    "None": NIL,
    "void": VOID,
    "bytes": BYTES,
    "ByteArray": BYTES,
}

HANDLE_NAMES = ("Share", "Object", "Closure", "AvssShare", "RbcResult")

SUFFIX_TYPES: dict[str, Int] = {
    "i8": Int(8, True),
    "i16": Int(16, True),
    "i32": Int(32, True),
    "i64": INT64,
    "u8": Int(8, False),
    "u16": Int(16, False),
    "u32": Int(32, False),
    "u64": Int(64, False),
}


def clear(t: Type) -> Type:
    """The clear version of ``t`` (``secret int64`` → ``int64``)."""
    return t.inner if isinstance(t, Secret) else t


def is_secret(t: Type) -> bool:
    return isinstance(t, Secret) or t == SHARE


def secret_of(t: Type) -> Type:
    """``secret t``; handles and already secret types stay as they are."""
    if isinstance(t, Secret | Obj | Unknown | ListT | DictT):
        return t
    return Secret(t)


def is_numeric(t: Type) -> bool:
    return isinstance(clear(t), Int | Float | Fix)


def is_integer(t: Type) -> bool:
    return isinstance(clear(t), Int)


def is_unknown(t: Type) -> bool:
    return isinstance(t, Unknown | TypeVar)


def widens(src: Int, dst: Int) -> bool:
    """Safe integer widening (§3.2)."""
    if src.signed == dst.signed:
        return src.bits <= dst.bits
    return not src.signed and dst.signed and src.bits < dst.bits


def substitute(t: Type, bindings: dict[str, Type]) -> Type:
    """Replace type variables in ``t`` by their bindings (unbound ones become unknown)."""
    if isinstance(t, TypeVar):
        return bindings.get(t.name, UNKNOWN)
    if isinstance(t, ListT):
        return ListT(substitute(t.elem, bindings))
    if isinstance(t, DictT):
        return DictT(substitute(t.key, bindings), substitute(t.value, bindings))
    if isinstance(t, Secret):
        inner = substitute(t.inner, bindings)
        return inner if isinstance(inner, Secret) else secret_of(inner)
    return t


def contains_secret(t: Type) -> bool:
    """Does ``t`` hold a secret anywhere (``secret int64``, ``list[Share]``…)?"""
    if isinstance(t, Secret) or t == SHARE:
        return True
    if isinstance(t, ListT):
        return contains_secret(t.elem)
    if isinstance(t, DictT):
        return contains_secret(t.key) or contains_secret(t.value)
    if isinstance(t, Generic):
        return any(contains_secret(a) for a in t.args)
    return False
