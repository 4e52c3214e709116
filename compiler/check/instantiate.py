"""Per-instantiation checks of generic functions (spec §2.3, §3.3).

A generic body is checked once with its type variables as ``TypeVar`` (compatible with
anything). That is enough while the type arguments are clear, but a secret argument can
turn clear-looking operations into secret ones: ``a == b`` on ``T = secret int64`` is a
``secret bool``, so returning it as ``bool`` is an implicit reveal the single check
cannot see. So every call of a user generic whose type arguments contain a secret
(``secret int64``, ``list[secret int64]``, ``Share``) requests a second check of the body
with the type variables substituted.

That check runs in a *scratch* checker: a fresh ``Checker`` with its own
``CheckedProgram`` and resolution index, placed in the scope the generic was defined
in. Only its diagnostics are kept (each with a note pointing at the call site); the
tables the lowering and the language server read stay exactly as the generic check
left them. Instantiations are memoised by (function, type arguments) before checking,
so recursion and repeated calls check a body once per instantiation.
"""

from __future__ import annotations

import attrs

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.builtins import Builtins
from stoffel.compiler.check.context import FunctionContext
from stoffel.compiler.check.declarations import DeclarationChecks
from stoffel.compiler.check.facts import FunctionInfo
from stoffel.compiler.check.secrecy import _first_effect
from stoffel.compiler.diagnostics import Diagnostic, Note
from stoffel.compiler.resolve.modules import ModuleInfo
from stoffel.compiler.resolve.symbols import Scope, Signature, Symbol, SymbolKind, name_span
from stoffel.compiler.source import Span
from stoffel.compiler.types.types import (
    Type,
    TypeVar,
    contains_secret,
    substitute,
)

# Polymorphic recursion (``f[T]`` calling ``f`` on ``list[T]``) would request ever larger
# instantiations; past this many nested instantiations the chain is not followed.
MAX_DEPTH = 8
# A safety valve against combinatorial growth (many generics × many secret types).
MAX_INSTANTIATIONS = 500

InstanceKey = tuple[ast.FunctionDef, tuple[Type, ...]]


@attrs.frozen
class DefinitionSite:
    """Where a generic body was checked: what its names resolve against."""

    scope: Scope
    prefixes: dict[str, dict[str, Symbol]]
    module: ModuleInfo | None


@attrs.frozen
class Request:
    """A call that instantiates a generic with secret type arguments."""

    function: Symbol
    node: ast.FunctionDef
    arguments: tuple[Type, ...]  # one per type parameter; unbound ones stay ``TypeVar``
    notes: tuple[Note, ...]  # innermost call site first

    @property
    def key(self) -> InstanceKey:
        return (self.node, self.arguments)

    @property
    def bindings(self) -> dict[str, Type]:
        return dict(zip(self.node.type_params, self.arguments, strict=True))


def instance_name(node: ast.FunctionDef, arguments: tuple[Type, ...]) -> str:
    return f"{node.name}[{', '.join(map(str, arguments))}]"


def _inside(node: ast.Node | None, outer: ast.FunctionDef) -> bool:
    if node is None:
        return False
    inner, span = node.span, outer.span
    return inner.file == span.file and span.start <= inner.start and inner.end <= span.end


def _without_notes(diagnostic: Diagnostic) -> Diagnostic:
    return attrs.evolve(diagnostic, notes=())


class InstantiationChecks(DeclarationChecks):
    objects: dict[str, Symbol]
    deferred_calls: list[tuple[Symbol, str, Span]]

    def __init__(self, builtins: Builtins, modules: list[ast.Module]) -> None:
        super().__init__(builtins, modules)
        self.definition_sites: dict[ast.FunctionDef, DefinitionSite] = {}
        self.requests: list[Request] = []
        # Set on a scratch checker only: the instantiation whose body it checks.
        self.instance: Request | None = None

    # ------------------------------------------------------------- recording

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if node.type_params and node.body is not None:
            self.definition_sites[node] = DefinitionSite(self.scope, self.prefixes, self.module)
        super().visit_FunctionDef(node)

    def invoke(
        self,
        node: ast.Call,
        symbol: Symbol,
        name: str,
        span: Span,
        receiver: tuple[ast.Expr, Type] | None,
        expected: Type | None,
    ) -> Type:
        returns = super().invoke(node, symbol, name, span, receiver, expected)
        definition = symbol.node
        info = self.result.calls.get(node)
        if (
            symbol.kind is SymbolKind.FUNCTION
            and isinstance(definition, ast.FunctionDef)
            and definition.type_params
            and definition.body is not None
            and info is not None
            and any(contains_secret(t) for t in info.type_args.values())
        ):
            arguments = tuple(info.type_args.get(p, TypeVar(p)) for p in definition.type_params)
            note = Note(
                message=f"in the instantiation {instance_name(definition, arguments)} called here",
                span=node.span,
            )
            outer = self.instance.notes if self.instance is not None else ()
            self.requests.append(Request(symbol, definition, arguments, (note, *outer)))
        return returns

    # ------------------------------------------------ the scratch checker's view

    def resolve_type(self, node: ast.TypeExpr | None, type_params: tuple[str, ...] = ()) -> Type:
        resolved = super().resolve_type(node, type_params)
        if self.instance is None:
            return resolved
        return substitute(resolved, self.instance.bindings)

    def refine_untyped(self, symbol: Symbol, found: Type, slot: Type, line: int) -> Type:
        # Local inference mutates the variable's symbol; a scratch check may only do so
        # for the variables it declared itself, never for ones the real check owns.
        if self.instance is not None and self.index.node_symbols.get(symbol.node) is not symbol:
            return slot
        return super().refine_untyped(symbol, found, slot, line)

    def check_instance(self, request: Request, site: DefinitionSite) -> None:
        """Check ``request.node``'s body with its type variables substituted."""
        node, bindings = request.node, request.bindings
        generic = request.function.signature
        assert generic is not None and node.body is not None
        signature = Signature(
            tuple(attrs.evolve(p, type=substitute(p.type, bindings)) for p in generic.params),
            substitute(generic.returns, bindings),
            generic.type_params,
        )
        self.instance = request
        self.scope, self.prefixes, self.module = site.scope, site.prefixes, site.module
        info = FunctionInfo(request.function, node, signature)
        self.function = FunctionContext(info, signature.returns)
        with self.new_scope("function", node.span):
            for name in node.type_params:
                self.scope.names[name] = Symbol(name, SymbolKind.TYPE_PARAM, None)
            for param, declared in zip(node.params, signature.params, strict=True):
                skip = 1 if param.variadic else 0
                self.declare(
                    Symbol(
                        param.name,
                        SymbolKind.PARAMETER,
                        name_span(param.span, param.name, skip=skip),
                        type=declared.type,
                        node=param,
                        module=self.module_path(),
                    )
                )
            self.block(node.body)

    # ---------------------------------------------------------------- driver

    def finish_instantiations(self) -> None:
        """Check every requested instantiation once; runs after ``finish_effects`` so
        that calls under a secret condition are judged against the final effect facts."""
        seen: set[InstanceKey] = set()
        # What the generic check reported is no news about an instantiation.
        known = {_without_notes(d) for d in self.diagnostics}
        pending = list(self.requests)
        while pending and len(seen) < MAX_INSTANTIATIONS:
            request = pending.pop(0)
            site = self.definition_sites.get(request.node)
            if request.key in seen or site is None or len(request.notes) > MAX_DEPTH:
                continue
            seen.add(request.key)
            scratch = self.scratch()
            scratch.check_instance(request, site)
            scratch.judge_deferred_calls(self.result.functions)
            for diagnostic in scratch.diagnostics:
                if _without_notes(diagnostic) not in known:
                    self.report(attrs.evolve(diagnostic, notes=diagnostic.notes + request.notes))
            pending.extend(scratch.requests)

    def scratch(self) -> InstantiationChecks:
        """A fresh checker sharing only read-only state with this one."""
        scratch = type(self)(self.builtins, self.result.modules)
        scratch.exports = self.exports
        # Objects declared inside function bodies are redeclared by the scratch walk.
        scratch.objects = {
            name: symbol
            for name, symbol in self.objects.items()
            if not any(_inside(symbol.node, generic) for generic in self.definition_sites)
        }
        return scratch

    def judge_deferred_calls(self, functions: dict[Symbol, FunctionInfo]) -> None:
        """Calls to user functions under a secret condition, with the real effect facts."""
        for symbol, name, span in self.deferred_calls:
            info = functions.get(symbol)
            if info is not None and not info.effect_free:
                self.effectful_call(name, _first_effect(info, functions), span)
