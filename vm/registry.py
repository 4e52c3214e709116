"""The builtin table: name → ``fn(vm, args) -> value``. Modules register with ``@builtin``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stoffel.vm.errors import VMError
from stoffel.vm.format import type_name
from stoffel.vm.values import IntV, unwrap

Builtin = Callable[[Any, list[Any]], Any]
BUILTINS: dict[str, Builtin] = {}


def builtin(*names: str) -> Callable[[Builtin], Builtin]:
    def register(fn: Builtin) -> Builtin:
        for name in names:
            BUILTINS[name] = fn
        return fn

    return register


def int_arg(v: Any, fn: str) -> int:
    """An integer argument of builtin ``fn`` as a Python int (clear ints of any width)."""
    v = unwrap(v)
    if type(v) is int:
        return v
    if type(v) is IntV:
        return v.value
    raise VMError(f"{fn}: expected an integer, found {type_name(v)}")
