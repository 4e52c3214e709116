"""Written types → semantic types (spec §3.1), with the errors for names that are not types."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.suggest import did_you_mean
from stoffel.compiler.diagnostics import Diagnostic, semantic_error, type_error
from stoffel.compiler.resolve.symbols import TYPE_KINDS, Symbol, SymbolKind
from stoffel.compiler.types.types import (
    HANDLE_NAMES,
    INT64,
    SCALAR_NAMES,
    UNKNOWN,
    DictT,
    Fix,
    Float,
    Generic,
    Int,
    ListT,
    Obj,
    Secret,
    Type,
    TypeVar,
)

Lookup = Callable[[str], Symbol | None]
Report = Callable[[Diagnostic], None]

_NOT_A_TYPE = {
    SymbolKind.FUNCTION: "function",
    SymbolKind.BUILTIN_FUNCTION: "function",
    SymbolKind.VARIABLE: "variable",
    SymbolKind.PARAMETER: "variable",
    SymbolKind.MODULE: "module",
}


class TypeResolver:
    def __init__(
        self,
        lookup: Lookup,
        report: Report,
        type_names: Callable[[], Iterable[str]],
        on_use: Callable[[ast.NamedType, Symbol], None] | None = None,
    ) -> None:
        self.lookup = lookup
        self.report = report
        self.type_names = type_names
        self.on_use = on_use

    def resolve(self, node: ast.TypeExpr | None, type_params: Iterable[str] = ()) -> Type:
        if node is None:
            return UNKNOWN
        params = frozenset(type_params)
        if isinstance(node, ast.SecretType):
            return self._secret(node, self.resolve(node.inner, params))
        if isinstance(node, ast.GenericType):
            args = tuple(self.resolve(a, params) for a in node.args)
            if node.name in ("list", "List") and len(args) == 1:
                return ListT(args[0])
            if node.name in ("dict", "Dict") and len(args) == 2:
                return DictT(args[0], args[1])
            base = self._named(node.name, node, params)
            return Generic(node.name, args) if base != UNKNOWN else UNKNOWN
        if isinstance(node, ast.NamedType):
            return self._named(node.name, node, params)
        return UNKNOWN

    def _secret(self, node: ast.SecretType, inner: Type) -> Type:
        if isinstance(inner, Float):
            self.report(
                type_error(
                    "secret float64 is not supported by the current MPC protocol",
                    node.span,
                    hint="use 'secret fix64' for secret fractional values",
                )
            )
            return Secret(Fix(64))
        if isinstance(inner, Secret | Obj | ListT | DictT | Generic) or inner == UNKNOWN:
            return inner  # handles are never secret-register values (§3.1)
        return Secret(inner)

    def _named(self, name: str, node: ast.TypeExpr, params: frozenset[str]) -> Type:
        if name in params:
            return TypeVar(name)
        symbol = self.lookup(name)
        if symbol is not None and symbol.kind in TYPE_KINDS:
            if self.on_use is not None and isinstance(node, ast.NamedType):
                self.on_use(node, symbol)
            if symbol.kind is SymbolKind.ENUM:
                return INT64
            return symbol.type
        if name in SCALAR_NAMES:
            return SCALAR_NAMES[name]
        if name in HANDLE_NAMES:
            return Obj(name)
        if symbol is not None and symbol.kind in _NOT_A_TYPE:
            what = _NOT_A_TYPE[symbol.kind]
            self.report(semantic_error(f"'{name}' is a {what}, not a type", node.span))
            return UNKNOWN
        candidates = [*SCALAR_NAMES, *HANDLE_NAMES, *self.type_names()]
        self.report(
            semantic_error(
                f"Undefined type '{name}'", node.span, hint=did_you_mean(name, candidates)
            )
        )
        return UNKNOWN


def int_range_text(t: Int) -> str:
    return f"{t.min}..={t.max}"
