"""Assignability between types (spec §3.2–3.3): safe widening, clear → secret, no reveal.

``mismatch(src, dst)`` answers whether a value of type ``src`` may flow where ``dst`` is
expected. It returns None when it may, else a ``Mismatch`` kind that callers turn into
the context's wording (initialiser, assignment, argument, return).
"""

from __future__ import annotations

import enum

from stoffel.compiler.types.types import (
    DictT,
    Fix,
    Float,
    Generic,
    Int,
    ListT,
    Nil,
    Obj,
    Secret,
    Type,
    TypeVar,
    Unknown,
    widens,
)


class Mismatch(enum.Enum):
    INTEGER = "integer"  # two integer types that do not widen safely
    REVEAL = "reveal"  # a secret value where a clear one is expected
    OTHER = "other"


def _is_dynamic(t: Type) -> bool:
    # ``Object`` is what batch_open and friends return: a value of any runtime type.
    return isinstance(t, Unknown | TypeVar) or t == Obj("Object")


def mismatch(src: Type, dst: Type) -> Mismatch | None:
    if _is_dynamic(src) or _is_dynamic(dst) or src == dst:
        return None
    if isinstance(dst, Secret):
        if isinstance(src, Secret):
            return _clear_mismatch(src.inner, dst.inner)
        if src == Obj("Share"):
            return None
        return _clear_mismatch(src, dst.inner)
    if dst == Obj("Share"):
        return None if isinstance(src, Secret) else Mismatch.OTHER
    if isinstance(src, Secret):
        return Mismatch.REVEAL if _clear_mismatch(src.inner, dst) is None else Mismatch.OTHER
    return _clear_mismatch(src, dst)


def _clear_mismatch(src: Type, dst: Type) -> Mismatch | None:
    if _is_dynamic(src) or _is_dynamic(dst) or src == dst:
        return None
    if isinstance(src, Int) and isinstance(dst, Int):
        return None if widens(src, dst) else Mismatch.INTEGER
    if isinstance(src, Fix | Float) and isinstance(dst, Fix | Float):
        return None  # clear fix64 shares the float representation (DESIGN §4)
    if isinstance(src, ListT) and isinstance(dst, ListT):
        return None if mismatch(src.elem, dst.elem) is None else Mismatch.OTHER
    if isinstance(src, DictT) and isinstance(dst, DictT):
        ok = mismatch(src.key, dst.key) is None and mismatch(src.value, dst.value) is None
        return None if ok else Mismatch.OTHER
    if isinstance(src, Nil) and isinstance(dst, Obj | Generic):
        return None  # objects and handles may be None before they are set
    if isinstance(src, Generic) and isinstance(dst, Generic | Obj) and src.name == dst.name:
        return None
    if isinstance(src, Obj) and isinstance(dst, Generic) and src.name == dst.name:
        return None
    return Mismatch.OTHER


def join(a: Type, b: Type) -> Type | None:
    """The common type of two list elements / branches, or None when there is none."""
    if mismatch(a, b) is None:
        return b if not _is_dynamic(b) else a
    if mismatch(b, a) is None:
        return a
    return None
