"""Symbols, scopes and the name-resolution index.

Every declared name is a ``Symbol`` (kind, definition span, type). The checker records
each use of a name as a ``Reference`` (the exact span of the name and the symbol it
binds to) in a ``ResolutionIndex``; the language server answers go-to-definition,
references, rename, hover and completion from that index:

* ``index.symbol_at(file, line, column)`` – the symbol under a position (use or definition)
* ``index.references(symbol)`` – every reference span, the definition included
* ``index.symbols`` – all symbols in declaration order; ``index.scopes`` – the scopes
  with their spans, for completion (``index.visible_at(file, line, column)``).

Scopes follow upstream (spec §2.4): the global scope, one scope per function body and
one per ``for`` loop; ``if``/``while`` blocks open none.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator

import attrs

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.source import Span
from stoffel.compiler.types.types import Type, Unknown


class SymbolKind(enum.StrEnum):
    VARIABLE = "variable"
    PARAMETER = "parameter"
    FUNCTION = "function"
    BUILTIN_FUNCTION = "builtin function"
    BUILTIN_METHOD = "builtin method"
    OBJECT = "object"
    FIELD = "field"
    ENUM = "enum"
    ENUM_MEMBER = "enum member"
    TYPE_ALIAS = "type alias"
    BUILTIN_TYPE = "builtin type"
    BUILTIN_OBJECT = "builtin object"
    MODULE = "module"
    TYPE_PARAM = "type parameter"


CALLABLE_KINDS = frozenset(
    {SymbolKind.FUNCTION, SymbolKind.BUILTIN_FUNCTION, SymbolKind.BUILTIN_METHOD}
)
TYPE_KINDS = frozenset(
    {
        SymbolKind.OBJECT,
        SymbolKind.ENUM,
        SymbolKind.TYPE_ALIAS,
        SymbolKind.BUILTIN_TYPE,
        SymbolKind.BUILTIN_OBJECT,
        SymbolKind.TYPE_PARAM,
    }
)


@attrs.frozen
class ParamInfo:
    name: str
    type: Type
    default: ast.Expr | None = None
    variadic: bool = False


@attrs.frozen
class Signature:
    """A function's declared signature; ``type_params`` name the generic variables."""

    params: tuple[ParamInfo, ...]
    returns: Type
    type_params: tuple[str, ...] = ()

    def __str__(self) -> str:
        parts = [f"{'*' if p.variadic else ''}{p.name}: {p.type}" for p in self.params]
        generic = f"[{', '.join(self.type_params)}]" if self.type_params else ""
        return f"{generic}({', '.join(parts)}) -> {self.returns}"


@attrs.define(eq=False)
class Symbol:
    """A declared name. Identity matters: two symbols are the same only if they are."""

    name: str
    kind: SymbolKind
    span: Span | None  # the defining name (None for names without source, e.g. handles)
    type: Type = attrs.field(factory=Unknown)
    node: ast.Node | None = None
    module: str | None = None  # file path of the defining module; None for builtins
    signature: Signature | None = None  # functions
    owner: str | None = None  # builtin object of a builtin method, object of a field
    value: int | None = None  # enum members
    vm_symbol: str | None = None  # builtins: the VM function name
    members: dict[str, Symbol] = attrs.field(factory=dict)  # fields, enum members, methods

    @property
    def qualified_name(self) -> str:
        return f"{self.owner}.{self.name}" if self.owner else self.name

    @property
    def is_builtin(self) -> bool:
        return self.module is None


@attrs.define(eq=False)
class Scope:
    kind: str  # "builtins", "module", "function", "for"
    parent: Scope | None
    span: Span | None = None
    names: dict[str, Symbol] = attrs.field(factory=dict)

    def lookup(self, name: str) -> Symbol | None:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        return None

    def visible(self) -> dict[str, Symbol]:
        """All names visible here, inner scopes shadowing outer ones."""
        chain: list[Scope] = []
        scope: Scope | None = self
        while scope is not None:
            chain.append(scope)
            scope = scope.parent
        found: dict[str, Symbol] = {}
        for s in reversed(chain):
            found.update(s.names)
        return found


@attrs.frozen
class Reference:
    span: Span
    symbol: Symbol
    is_definition: bool = False


def _contains(span: Span, line: int, column: int) -> bool:
    return (span.line, span.column) <= (line, column) <= (span.end_line, span.end_column)


@attrs.define
class ResolutionIndex:
    symbols: list[Symbol] = attrs.field(factory=list)
    refs: list[Reference] = attrs.field(factory=list)
    scopes: list[Scope] = attrs.field(factory=list)
    # The symbol each resolved node denotes (Name, Attribute, NamedType, Keyword, decls).
    node_symbols: dict[ast.Node, Symbol] = attrs.field(factory=dict)

    def define(self, symbol: Symbol) -> None:
        self.symbols.append(symbol)
        if symbol.span is not None:
            self.refs.append(Reference(symbol.span, symbol, is_definition=True))

    def use(self, node: ast.Node, span: Span, symbol: Symbol) -> None:
        if self.node_symbols.get(node) is symbol:
            return  # the same use seen twice (a type resolved again): one reference
        self.node_symbols[node] = symbol
        self.refs.append(Reference(span, symbol))

    def symbol_at(self, file: str, line: int, column: int) -> Symbol | None:
        """The symbol whose use or definition covers the position (the narrowest)."""
        hits = [r for r in self.refs if r.span.file == file and _contains(r.span, line, column)]
        if not hits:
            return None
        return min(hits, key=lambda r: r.span.end - r.span.start).symbol

    def references(self, symbol: Symbol) -> list[Reference]:
        return [r for r in self.refs if r.symbol is symbol]

    def visible_at(self, file: str, line: int, column: int) -> dict[str, Symbol]:
        """Names visible at a position, for completion."""
        best: Scope | None = None
        for scope in self.scopes:
            if scope.span is None or scope.span.file != file:
                continue
            if _contains(scope.span, line, column) and (
                best is None
                or best.span is None
                or scope.span.end - scope.span.start < best.span.end - best.span.start
            ):
                best = scope
        return best.visible() if best is not None else {}

    def __iter__(self) -> Iterator[Symbol]:
        return iter(self.symbols)


def name_span(span: Span, name: str, *, from_end: bool = False, skip: int = 0) -> Span:
    """The span of ``name`` at the start (or end) of ``span``, on one line."""
    if from_end:
        return attrs.evolve(
            span,
            start=span.end - len(name),
            line=span.end_line,
            column=max(1, span.end_column - len(name)),
        )
    return attrs.evolve(
        span,
        start=span.start + skip,
        end=span.start + skip + len(name),
        column=span.column + skip,
        end_line=span.line,
        end_column=span.column + skip + len(name),
    )
