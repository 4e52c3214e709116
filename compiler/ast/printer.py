"""A deterministic, span-free text dump of the AST, for snapshots and structural equality."""

from __future__ import annotations

import attrs

from stoffel.compiler.ast.nodes import Node

_SKIPPED = frozenset({"span", "name_span", "target_span", "text"})


def dump(node: Node | tuple | None, indent: int = 0) -> str:
    """Render ``node`` as an indented tree, one field per line, without positions."""
    lines: list[str] = []
    _dump_into(lines, node, indent)
    return "\n".join(lines)


def _dump_into(lines: list[str], value: object, depth: int, label: str = "") -> None:
    pad = "  " * depth
    prefix = f"{pad}{label}: " if label else pad
    if isinstance(value, Node):
        fields = [f for f in attrs.fields(type(value)) if f.name not in _SKIPPED]
        scalars = [f for f in fields if not _is_nested(getattr(value, f.name))]
        nested = [f for f in fields if _is_nested(getattr(value, f.name))]
        head = " ".join(f"{f.name}={getattr(value, f.name)!r}" for f in scalars)
        lines.append(f"{prefix}{type(value).__name__}" + (f" {head}" if head else ""))
        for f in nested:
            _dump_into(lines, getattr(value, f.name), depth + 1, f.name)
    elif isinstance(value, tuple):
        lines.append(f"{prefix}[" + ("]" if not value else ""))
        for item in value:
            _dump_into(lines, item, depth + 1)
        if value:
            lines.append(f"{pad}]")
    else:
        lines.append(f"{prefix}{value!r}")


def _is_nested(value: object) -> bool:
    return isinstance(value, Node) or (
        isinstance(value, tuple) and any(isinstance(v, Node) for v in value)
    )
