"""Printing and type names exactly as DESIGN §4 "Formatting" says."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from stoffel.vm.values import ArrayRef, Closure, IntV, ObjectRef, Pending, SecretVal

#: Lists show at most this many elements, then ``...(N more)``.
MAX_LIST_SHOWN = 16
#: Guard against self-referencing containers.
MAX_DEPTH = 32


def format_float(x: float) -> str:
    """Rust ``Display`` for f64 (shortest round-trip digits, never exponent notation)."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    s = format(Decimal(repr(x)), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def _quote(s: str) -> str:
    # Rust Debug-style quoting for strings nested in containers.
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + out.replace("\t", "\\t").replace("\r", "\\r") + '"'


def format_value(v: Any, nested: bool = False, depth: int = 0) -> str:
    return _format(v, nested, depth, set())


def _format(v: Any, nested: bool, depth: int, path: set[int]) -> str:
    """``path`` holds the containers being printed, so a cycle prints as ``[...]``/``{...}``."""
    t = type(v)
    if t is Pending:
        v = v.get()
        t = type(v)
    if t is int:
        return str(v)
    if t is bool:
        return "true" if v else "false"
    if t is str:
        return _quote(v) if nested else v
    if v is None:
        return "()"
    if t is IntV:
        return f"{v.value}{v.kind.suffix}"
    if t is float:
        return format_float(v) + "f64"
    if t is SecretVal:
        return f"Share({v.ty.describe()})"
    if depth >= MAX_DEPTH:
        return "..."
    if t is ArrayRef:
        if id(v) in path:
            return "[...]"
        path.add(id(v))
        items = v.items
        shown = [_format(x, True, depth + 1, path) for x in items[:MAX_LIST_SHOWN]]
        path.discard(id(v))
        if len(items) > MAX_LIST_SHOWN:
            shown.append(f"...({len(items) - MAX_LIST_SHOWN} more)")
        return "[" + ", ".join(shown) + "]"
    if t is ObjectRef:
        if id(v) in path:
            return "{...}"
        path.add(id(v))
        parts = [
            f"{_format(k, False, depth + 1, path)}: {_format(x, True, depth + 1, path)}"
            for k, x in v.fields.items()
            if k != "__type"
        ]
        path.discard(id(v))
        return "{" + ", ".join(parts) + "}"
    if t is Closure:
        return f"Closure({v.function})"
    return repr(v)


def type_name(v: Any) -> str:
    """``type(v)`` names (DESIGN §4)."""
    t = type(v)
    if t is Pending:
        v = v.get()
        t = type(v)
    if t is int:
        return "int64"
    if t is IntV:
        return v.kind.name
    if t is float:
        return "float"
    if t is bool:
        return "boolean"
    if t is str:
        return "string"
    if v is None:
        return "nil"
    if t is ArrayRef:
        return "array"
    if t is ObjectRef:
        return "object"
    if t is Closure:
        return "function"
    if t is SecretVal:
        return "share"
    return "foreign"


def runtime_type(v: Any) -> str:
    """Receiver type for method dispatch: an object's ``__type``, ``Share`` for shares."""
    if type(v) is ObjectRef:
        tn = v.fields.get("__type")
        if isinstance(tn, str):
            return tn
        return "Object"
    if type(v) is SecretVal:
        return "Share"
    return type_name(v)
