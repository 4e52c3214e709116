"""Names at a position, from the checker's scopes or, failing that, from the tree.

The tree-level fallback keeps completion useful while the user is typing through a
syntax error: the parser recovers, so top-level definitions and the enclosing
function's parameters and ``var``s are still in the (possibly partial) AST even when
the checker has no scope for the position.
"""

from __future__ import annotations

import os

from lsprotocol import types as lsp

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.resolve.symbols import Symbol, SymbolKind
from stoffel.lsp import locate
from stoffel.lsp.analysis import Analysis

_EXPORT_KINDS = frozenset(
    {SymbolKind.FUNCTION, SymbolKind.OBJECT, SymbolKind.ENUM, SymbolKind.TYPE_ALIAS}
)
Named = tuple[str, lsp.CompletionItemKind, str | None]


def _declared(stmt: ast.Stmt) -> Named | None:
    match stmt:
        case ast.FunctionDef(name=name, params=params):
            shown = ", ".join(p.name for p in params)
            return name, lsp.CompletionItemKind.Function, f"def {name}({shown})"
        case ast.VarDecl(name=name):
            return name, lsp.CompletionItemKind.Variable, None
        case ast.ObjectDef(name=name):
            return name, lsp.CompletionItemKind.Struct, f"object {name}"
        case ast.EnumDef(name=name):
            return name, lsp.CompletionItemKind.Enum, f"enum {name}"
        case ast.TypeAlias(name=name):
            return name, lsp.CompletionItemKind.TypeParameter, None
    return None


def function_around(module: ast.Module, line: int) -> ast.FunctionDef | None:
    """The top-level ``def`` whose region (up to the next top-level statement) has ``line``."""
    body = module.body
    for index, stmt in enumerate(body):
        following = body[index + 1].span.line if index + 1 < len(body) else 1 << 30
        if isinstance(stmt, ast.FunctionDef) and stmt.span.line < line < following:
            return stmt
    return None


def fallback_names(analysis: Analysis, line: int, column: int) -> list[Named]:
    found: list[Named] = []
    module = analysis.module
    function = function_around(module, line)
    if function is not None:
        for param in function.params:
            found.append((param.name, lsp.CompletionItemKind.Variable, "parameter"))
        for node in locate.walk(function):
            if isinstance(node, ast.VarDecl) and node.span.line <= line:
                found.append((node.name, lsp.CompletionItemKind.Variable, None))
            elif isinstance(node, ast.For) and node.span.line <= line:
                found.extend((t, lsp.CompletionItemKind.Variable, None) for t in node.targets)
    for stmt in module.body:
        declared = _declared(stmt)
        if declared is not None:
            found.append(declared)
    return found


def module_exports(analysis: Analysis, path: str) -> list[Symbol]:
    module = analysis.module_of(path)
    top = set(map(id, module.body)) if module is not None else set()
    path = os.path.abspath(path)
    return [
        s
        for s in analysis.checked.index.symbols
        if s.module is not None
        and os.path.abspath(s.module) == path
        and (s.kind in _EXPORT_KINDS or (s.kind is SymbolKind.VARIABLE and id(s.node) in top))
    ]


def resolve_receiver(
    analysis: Analysis, receiver: str, line: int, column: int
) -> Symbol | list[Symbol] | None:
    """What ``receiver`` (a dotted name before ``.``) denotes: a symbol, or a module's
    exports when it is an import prefix."""
    for edge in analysis.compilation.program.entry.imports:
        if edge.prefix == receiver:
            return module_exports(analysis, edge.target.path)
    first, *rest = receiver.split(".")
    symbol = lookup(analysis, first, line, column)
    for part in rest:
        if symbol is None:
            return None
        owner = _object_of(analysis, symbol)
        symbol = owner.members.get(part) if owner is not None else None
    return symbol


def visible(analysis: Analysis, line: int, column: int) -> dict[str, Symbol]:
    """Names in scope at a position; the file's module scope when no scope covers it
    (the analysis may be of an older, shorter text)."""
    index = analysis.checked.index
    found = index.visible_at(analysis.path, line, column)
    if found:
        return found
    for scope in index.scopes:
        if (
            scope.kind == "module"
            and scope.span is not None
            and os.path.abspath(scope.span.file) == analysis.path
        ):
            return scope.visible()
    return {}


def lookup(analysis: Analysis, name: str, line: int, column: int) -> Symbol | None:
    index = analysis.checked.index
    visible_names = visible(analysis, line, column)
    if name in visible_names:
        return visible_names[name]
    # No scope for the position (stale analysis, syntax error): the nearest definition
    # of the name above the position in this file, else any.
    best: Symbol | None = None
    for symbol in index.symbols:
        if symbol.name != name or symbol.span is None:
            continue
        here = os.path.abspath(symbol.span.file) == analysis.path
        if (
            here
            and symbol.span.line <= line
            and (best is None or symbol.span.line >= best.span.line)
        ):  # type: ignore[union-attr]
            best = symbol
        elif best is None:
            best = symbol
    return best


def _object_of(analysis: Analysis, symbol: Symbol) -> Symbol | None:
    name = getattr(symbol.type, "name", None)
    if name is None:
        return None
    return next(
        (
            s
            for s in analysis.checked.index.symbols
            if s.kind is SymbolKind.OBJECT and s.name == name
        ),
        None,
    )
