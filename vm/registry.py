"""The builtin table: name → ``fn(vm, args) -> value``. Modules register with ``@builtin``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Builtin = Callable[[Any, list[Any]], Any]
BUILTINS: dict[str, Builtin] = {}


def builtin(*names: str) -> Callable[[Builtin], Builtin]:
    def register(fn: Builtin) -> Builtin:
        for name in names:
            BUILTINS[name] = fn
        return fn

    return register
