"""Helpers the emitted code calls that the VM's builtin table does not (yet) provide.

The ISA has no conversion opcode, and clear arithmetic is same-width only, so a widening
``int32 → int64`` or ``int → float`` needs a function. The emitter calls ``__cast(value,
kind)``; runners (``stoffel run``, the SDK) register this native with the VM.
"""

from __future__ import annotations

import math
from typing import Any

from stoffel.vm.errors import VMError
from stoffel.vm.values import KIND_BY_SUFFIX, IntV, Pending, unwrap


def cast(vm: Any, args: list[Any]) -> Any:
    if len(args) != 2:
        raise VMError(f"__cast expects 2 argument(s), got {len(args)}")
    value, kind = args[0], unwrap(args[1])
    if type(value) is Pending:
        value = value.get()
    value = unwrap(value)
    raw = value.value if type(value) is IntV else value
    if kind == "f64":
        return float(raw)
    if kind == "bool":
        return bool(raw)
    if type(raw) is float:
        if not math.isfinite(raw):
            raise VMError("Integer overflow in CAST operation")
        raw = int(raw)
    if type(raw) is bool:
        raw = int(raw)
    if type(raw) is not int:
        return value  # handles and shares pass through unchanged
    k = KIND_BY_SUFFIX.get(kind) if kind != "i64" else None
    if k is None and kind != "i64":
        return value
    bits, signed = (64, True) if k is None else (k.bits, k.signed)
    lo = -(1 << (bits - 1)) if signed else 0
    hi = (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1
    if not lo <= raw <= hi:
        raise VMError(f"Integer overflow in CAST operation: {raw} does not fit {kind}")
    return raw if k is None else IntV(raw, k)


NATIVES = {"__cast": cast}
