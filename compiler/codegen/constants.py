"""The constant pool: deduplicated in first-use order, IR constants → VM values."""

from __future__ import annotations

import math
from typing import Any

from stoffel.compiler.ssa import ir
from stoffel.vm.values import KIND_BY_SUFFIX, IntV


def vm_value(c: ir.Const) -> Any:
    """The VM's value for an IR constant: int64 is a plain int, other widths IntV."""
    kind = c.type.kind
    if c.type.is_int and kind != "i64":
        return IntV(int(c.value), KIND_BY_SUFFIX[kind])  # type: ignore[arg-type]
    return c.value


def _key(v: Any) -> tuple[Any, ...]:
    if type(v) is IntV:
        return ("IntV", v.kind.suffix, v.value)
    if type(v) is float:
        return ("float", math.copysign(1.0, v), repr(v))
    return (type(v).__name__, v)


class ConstantPool:
    def __init__(self) -> None:
        self.values: list[Any] = []
        self._index: dict[tuple[Any, ...], int] = {}

    def index(self, value: Any) -> int:
        key = _key(value)
        found = self._index.get(key)
        if found is None:
            found = self._index[key] = len(self.values)
            self.values.append(value)
        return found
