"""The builtin scope, built from the stdlib declarations (``stoffel.stdlib``, spec §4).

The stdlib files are parsed once per process and cached. Builtin functions become
``BUILTIN_FUNCTION`` symbols; each ``builtin object`` becomes a ``BUILTIN_OBJECT``
symbol whose ``members`` are its ``BUILTIN_METHOD`` symbols.
"""

from __future__ import annotations

import functools

import attrs

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.signatures import signature_of, vm_symbol_of
from stoffel.compiler.check.typeexpr import TypeResolver
from stoffel.compiler.diagnostics import Diagnostic
from stoffel.compiler.resolve.symbols import Scope, Symbol, SymbolKind
from stoffel.compiler.source import SourceFile
from stoffel.compiler.types.types import Obj
from stoffel.stdlib import stdlib_sources


@attrs.frozen
class Builtins:
    scope: Scope
    objects: dict[str, Symbol]
    diagnostics: tuple[Diagnostic, ...]

    def callable_names(self) -> list[str]:
        """Every callable, including ``Obj.method`` names (for did-you-mean)."""
        names = [n for n, s in self.scope.names.items() if s.kind is SymbolKind.BUILTIN_FUNCTION]
        for obj in self.objects.values():
            names.extend(f"{obj.name}.{m}" for m in obj.members)
        return names


@functools.cache
def load_builtins() -> Builtins:
    from stoffel.compiler.syntax.parser import parse_module

    scope = Scope("builtins", None)
    objects: dict[str, Symbol] = {}
    problems: list[Diagnostic] = []
    modules: list[ast.Module] = []
    for path, text in stdlib_sources():
        result = parse_module(SourceFile(path, text))
        problems.extend(result.diagnostics)
        modules.append(result.module)
    # Types first, so that signatures can name any handle.
    for module in modules:
        for stmt in module.body:
            if isinstance(stmt, ast.BuiltinType | ast.BuiltinObject):
                symbol = Symbol(
                    stmt.name,
                    SymbolKind.BUILTIN_OBJECT
                    if isinstance(stmt, ast.BuiltinObject)
                    else SymbolKind.BUILTIN_TYPE,
                    None,
                    type=Obj(stmt.name),
                    node=stmt,
                )
                existing = scope.names.get(stmt.name)
                if existing is not None and isinstance(stmt, ast.BuiltinObject):
                    existing.kind = SymbolKind.BUILTIN_OBJECT
                    symbol = existing
                scope.names[stmt.name] = symbol
                if isinstance(stmt, ast.BuiltinObject):
                    objects[stmt.name] = symbol
    resolver = TypeResolver(scope.lookup, problems.append, lambda: scope.names)
    for module in modules:
        for stmt in module.body:
            if isinstance(stmt, ast.FunctionDef):
                scope.names[stmt.name] = _function(stmt, resolver, None)
            elif isinstance(stmt, ast.BuiltinObject):
                owner = objects[stmt.name]
                for method in stmt.methods:
                    owner.members[method.name] = _function(method, resolver, stmt.name)
    return Builtins(scope, objects, tuple(problems))


def _function(node: ast.FunctionDef, resolver: TypeResolver, owner: str | None) -> Symbol:
    return Symbol(
        node.name,
        SymbolKind.BUILTIN_METHOD if owner else SymbolKind.BUILTIN_FUNCTION,
        None,
        node=node,
        signature=signature_of(node, resolver),
        owner=owner,
        vm_symbol=vm_symbol_of(node, owner),
    )
