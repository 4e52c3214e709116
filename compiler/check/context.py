"""The checker's shared state: scopes, diagnostics, dispatch, the secret-branch region.

The checker is split by concern into mixins (``expressions``, ``operators``, ``calls``,
``statements``, ``secrecy``, ``declarations``) that all extend ``CheckerBase``; dispatch
is ``visit_<ClassName>`` (STYLE §1.8). Expression visitors take the expected type (for
literal adaptation) and return the expression's type, which ``expr`` records.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import attrs

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.builtins import Builtins
from stoffel.compiler.check.facts import CheckedProgram, FunctionInfo
from stoffel.compiler.check.suggest import did_you_mean
from stoffel.compiler.check.typeexpr import TypeResolver
from stoffel.compiler.diagnostics import (
    CompilerPanic,
    Diagnostic,
    Note,
    StoffelError,
    semantic_error,
    tag_span,
    type_error,
)
from stoffel.compiler.resolve.modules import ModuleInfo
from stoffel.compiler.resolve.symbols import (
    TYPE_KINDS,
    Reference,
    ResolutionIndex,
    Scope,
    Symbol,
    SymbolKind,
)
from stoffel.compiler.source import Span
from stoffel.compiler.types.types import UNKNOWN, Type


@attrs.define
class FunctionContext:
    info: FunctionInfo
    returns: Type


@attrs.define
class SecretRegion:
    """We are inside a branch of an ``if`` on a secret condition."""

    condition: ast.Expr
    loop_depth: int = 0  # loops entered before the region: jumping out of them leaks
    locals: set[Symbol] = attrs.field(factory=set)  # declared inside: freely assignable


class CheckerBase:
    def __init__(self, builtins: Builtins, modules: list[ast.Module]) -> None:
        self.builtins = builtins
        self.index = ResolutionIndex()
        self.result = CheckedProgram(modules=modules, index=self.index)
        self.diagnostics: list[Diagnostic] = []
        self.scope: Scope = Scope("builtins", None, names=dict(builtins.scope.names))
        self.function: FunctionContext | None = None
        self.loop_depth = 0
        self.region: SecretRegion | None = None
        self.module: ModuleInfo | None = None
        # Import prefixes visible in the current module: "utils.math" → its exports.
        self.prefixes: dict[str, dict[str, Symbol]] = {}
        self.exports: dict[str, dict[str, Symbol]] = {}  # module path → exported symbols
        self.types_resolver = TypeResolver(
            self.lookup_qualified, self.report, self.type_names, self._on_type_use
        )

    # ------------------------------------------------------------------ reporting

    def report(self, diagnostic: Diagnostic) -> None:
        if diagnostic not in self.diagnostics:
            self.diagnostics.append(diagnostic)

    def type_error(self, message: str, span: Span | None, hint: str | None = None) -> None:
        self.report(type_error(message, span, hint))

    def semantic_error(
        self,
        message: str,
        span: Span | None,
        hint: str | None = None,
        notes: tuple[Note, ...] = (),
    ) -> None:
        self.report(semantic_error(message, span, hint, notes))

    @contextmanager
    def guarded(self, span: Span | None) -> Iterator[None]:
        """Run one statement's check; a crash becomes an E901 there and checking goes on."""
        try:
            with tag_span(span):
                yield
        except StoffelError as exc:
            self.report(exc.diagnostic)
        except CompilerPanic as exc:
            self.report(exc.to_diagnostic())

    # --------------------------------------------------------------------- scopes

    def lookup(self, name: str) -> Symbol | None:
        return self.scope.lookup(name)

    def lookup_qualified(self, name: str) -> Symbol | None:
        """A name that may be qualified by an import prefix (``m.Point``)."""
        if "." in name:
            prefix, member = name.rsplit(".", 1)
            exports = self.prefixes.get(prefix)
            return exports.get(member) if exports is not None else None
        return self.lookup(name)

    def type_names(self) -> list[str]:
        return [n for n, s in self.scope.visible().items() if s.kind in TYPE_KINDS]

    def _on_type_use(self, node: ast.NamedType, symbol: Symbol) -> None:
        self.index.use(node, node.span, symbol)

    def resolve_type(self, node: ast.TypeExpr | None, type_params: tuple[str, ...] = ()) -> Type:
        return self.types_resolver.resolve(node, type_params)

    @contextmanager
    def new_scope(self, kind: str, span: Span | None) -> Iterator[Scope]:
        scope = Scope(kind, self.scope, span)
        self.index.scopes.append(scope)
        saved, self.scope = self.scope, scope
        try:
            yield scope
        finally:
            self.scope = saved

    def declare(self, symbol: Symbol, scope: Scope | None = None) -> bool:
        """Declare in ``scope`` (default: current); report a clash with a non-builtin."""
        target = scope or self.scope
        existing = target.names.get(symbol.name)
        self.index.define(symbol)
        if symbol.node is not None:
            self.index.node_symbols[symbol.node] = symbol
        if existing is not None and not existing.is_builtin and existing is not symbol:
            self.report_redeclared(symbol, existing)
            return False
        target.names[symbol.name] = symbol
        if self.region is not None:
            self.region.locals.add(symbol)
        return True

    def report_redeclared(self, symbol: Symbol, existing: Symbol) -> None:
        first, second = existing.span, symbol.span
        if first and second and first.file == second.file and second.start < first.start:
            # Hoisted definitions are declared early; blame whichever comes later.
            symbol, existing = existing, symbol
        where = existing.span
        hint = f"Original declaration was here: {where}" if where else None
        notes = (Note(message="original declaration", span=where),) if where else ()
        self.semantic_error(
            f"Symbol '{symbol.name}' already declared in this scope", symbol.span, hint, notes
        )

    def use(self, node: ast.Node, span: Span, symbol: Symbol) -> None:
        self.index.use(node, span, symbol)

    def undeclared_identifier(self, name: str, span: Span) -> None:
        candidates = [
            n for n, s in self.scope.visible().items() if s.kind not in (SymbolKind.MODULE,)
        ]
        candidates += ["True", "False", "None"]  # `true`/`nil` are plain identifiers
        self.semantic_error(
            f"Use of undeclared identifier '{name}'", span, hint=did_you_mean(name, candidates)
        )

    # ------------------------------------------------------------------- dispatch

    def expr(self, node: ast.Expr, expected: Type | None = None) -> Type:
        method = getattr(self, f"visit_{type(node).__name__}", None)
        if method is None:
            raise CompilerPanic(f"no checker for expression {type(node).__name__}", node.span)
        with tag_span(node.span):
            result: Type = method(node, expected)
        self.result.types[node] = result
        return result

    def stmt(self, node: ast.Stmt) -> None:
        method = getattr(self, f"visit_{type(node).__name__}", None)
        with self.guarded(node.span):
            if method is None:
                raise CompilerPanic(f"no checker for statement {type(node).__name__}", node.span)
            method(node)

    def block(self, body: tuple[ast.Stmt, ...] | None) -> None:
        for stmt in body or ():
            self.stmt(stmt)

    def visit_ErrorExpr(self, node: ast.ErrorExpr, expected: Type | None) -> Type:
        return UNKNOWN

    def visit_ErrorStmt(self, node: ast.ErrorStmt) -> None:
        pass

    def function_locals(self) -> set[Symbol]:
        found: set[Symbol] = set()
        scope = self.scope
        while scope is not None and scope.kind in ("function", "for"):
            found.update(scope.names.values())
            scope = scope.parent
        return found

    def is_function_local(self, expr: ast.Expr) -> bool:
        """Is ``expr`` (``xs``, ``xs[i]``, ``p.f``…) rooted in a local variable of the
        current function? Mutating such a value is invisible to callers."""
        while isinstance(expr, ast.Attribute | ast.Index):
            expr = expr.value
        if self.function is None or not isinstance(expr, ast.Name):
            return False
        symbol = self.index.node_symbols.get(expr)
        return (
            symbol is not None
            and symbol.kind is SymbolKind.VARIABLE
            and symbol in self.function_locals()
        )

    def references_to(self, symbol: Symbol) -> list[Reference]:
        return self.index.references(symbol)
