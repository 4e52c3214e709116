"""Move a parsed chunk to other lines without parsing it again.

When lines are inserted above a top-level chunk, its text is unchanged but every
position in it moves. Copying the tree with shifted spans is several times cheaper
than parsing it again. Nodes are copied, never changed in place: older analyses still
hold the original tree (nodes are compared by identity).
"""

from __future__ import annotations

from typing import TypeVar

import attrs

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.diagnostics import Diagnostic, Note
from stoffel.compiler.source import Span

_N = TypeVar("_N", bound=ast.Node)
_FIELDS: dict[type, tuple[str, ...]] = {}


def shift_span(span: Span, lines: int, chars: int) -> Span:
    moved = object.__new__(Span)
    for name, value in (
        ("file", span.file),
        ("start", span.start + chars),
        ("end", span.end + chars),
        ("line", span.line + lines),
        ("column", span.column),
        ("end_line", span.end_line + lines),
        ("end_column", span.end_column),
    ):
        object.__setattr__(moved, name, value)
    return moved


def shift_node(node: _N, lines: int, chars: int) -> _N:
    cls = type(node)
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in attrs.fields(cls))
    copy = object.__new__(cls)
    for name in names:
        value = getattr(node, name)
        if isinstance(value, Span):
            value = shift_span(value, lines, chars)
        elif isinstance(value, ast.Node):
            value = shift_node(value, lines, chars)
        elif isinstance(value, tuple) and value and isinstance(value[0], ast.Node):
            value = tuple(shift_node(v, lines, chars) for v in value)
        object.__setattr__(copy, name, value)
    return copy


def shift_diagnostic(diagnostic: Diagnostic, lines: int, chars: int) -> Diagnostic:
    def move(span: Span | None) -> Span | None:
        return shift_span(span, lines, chars) if span is not None else None

    notes = tuple(Note(message=n.message, span=move(n.span)) for n in diagnostic.notes)
    return attrs.evolve(diagnostic, span=move(diagnostic.span), notes=notes)
