"""Document symbols (an outline from the tree, so it survives syntax errors) and
workspace symbols (top-level definitions of open documents and workspace files)."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types as lsp
from pygls.uris import from_fs_path

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.source import Span
from stoffel.lsp import locate
from stoffel.lsp.feature import LanguageFeature
from stoffel.lsp.positions import to_range
from stoffel.lsp.references import workspace_files
from stoffel.lsp.server import StoffelLanguageServer

K = lsp.SymbolKind


class Symbols(LanguageFeature):
    def register(self) -> None:
        server = self.server

        @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
        async def document_symbol(params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
            uri = params.text_document.uri
            text = server.workspace.get_text_document(uri).source
            module = await server.parse(server.path_of(uri), text)
            return outline(module.body, text.split("\n"))

        @server.feature(lsp.WORKSPACE_SYMBOL)
        async def workspace_symbol(params: lsp.WorkspaceSymbolParams) -> list[lsp.WorkspaceSymbol]:
            return await self.workspace_symbols(params.query)

    async def workspace_symbols(self, query: str) -> list[lsp.WorkspaceSymbol]:
        server = self.server
        texts = {server.path_of(u): d.source for u, d in server.workspace.text_documents.items()}
        for path in workspace_files(server):
            if path not in texts:
                try:
                    texts[path] = Path(path).read_text(encoding="utf-8")
                except OSError:
                    continue
        found: list[lsp.WorkspaceSymbol] = []
        for path, text in sorted(texts.items()):
            module = await server.parse(path, text)
            lines = text.split("\n")
            for symbol in outline(module.body, lines):
                if _matches(query, symbol.name):
                    found.append(
                        lsp.WorkspaceSymbol(
                            name=symbol.name,
                            kind=symbol.kind,
                            location=lsp.Location(
                                uri=from_fs_path(path) or path, range=symbol.selection_range
                            ),
                            container_name=Path(path).name,
                        )
                    )
        return found


def _matches(query: str, name: str) -> bool:
    """Subsequence match, case-insensitive (VS Code's own filter is fuzzy too)."""
    letters = iter(name.lower())
    return all(ch in letters for ch in query.lower())


def _symbol(
    name: str,
    kind: lsp.SymbolKind,
    span: Span,
    name_span: Span,
    lines: list[str],
    detail: str | None = None,
    children: list[lsp.DocumentSymbol] | None = None,
) -> lsp.DocumentSymbol:
    whole = to_range(lines, span)
    selection = to_range(lines, name_span)
    if not (whole.start.line, whole.start.character) <= (
        selection.start.line,
        selection.start.character,
    ):
        selection = lsp.Range(start=whole.start, end=whole.start)
    return lsp.DocumentSymbol(
        name=name,
        kind=kind,
        range=whole,
        selection_range=selection,
        detail=detail,
        children=children or None,
    )


def _name_of(node: ast.Node, name: str) -> Span:
    """The span of ``name`` at the start of ``node`` (fields, members, params)."""
    from stoffel.compiler.resolve.symbols import name_span

    return name_span(node.span, name)


def outline(body: tuple[ast.Stmt, ...], lines: list[str]) -> list[lsp.DocumentSymbol]:
    found: list[lsp.DocumentSymbol] = []
    for stmt in body:
        match stmt:
            case ast.FunctionDef():
                children = [
                    _symbol(
                        p.name,
                        K.Variable,
                        p.span,
                        _name_of(p, p.name) if not p.variadic else p.span,
                        lines,
                    )
                    for p in stmt.params
                ]
                children += _locals(stmt.body or (), lines)
                found.append(
                    _symbol(
                        stmt.name,
                        K.Function,
                        stmt.span,
                        stmt.name_span,
                        lines,
                        detail=_signature(stmt),
                        children=children,
                    )
                )
            case ast.ObjectDef():
                fields = [
                    _symbol(f.name, K.Field, f.span, _name_of(f, f.name), lines)
                    for f in stmt.fields
                ]
                found.append(
                    _symbol(stmt.name, K.Struct, stmt.span, stmt.name_span, lines, children=fields)
                )
            case ast.EnumDef():
                members = [
                    _symbol(m.name, K.EnumMember, m.span, _name_of(m, m.name), lines)
                    for m in stmt.members
                ]
                found.append(
                    _symbol(stmt.name, K.Enum, stmt.span, stmt.name_span, lines, children=members)
                )
            case ast.VarDecl():
                found.append(_symbol(stmt.name, K.Variable, stmt.span, stmt.name_span, lines))
            case ast.TypeAlias():
                found.append(_symbol(stmt.name, K.TypeParameter, stmt.span, stmt.name_span, lines))
            case ast.BuiltinObject():
                methods = outline(stmt.methods, lines)
                found.append(
                    _symbol(stmt.name, K.Module, stmt.span, stmt.span, lines, children=methods)
                )
    return found


def _locals(body: tuple[ast.Stmt, ...], lines: list[str]) -> list[lsp.DocumentSymbol]:
    found: list[lsp.DocumentSymbol] = []
    for stmt in body:
        for node in locate.walk(stmt):
            if isinstance(node, ast.VarDecl):
                found.append(_symbol(node.name, K.Variable, node.span, node.name_span, lines))
            elif isinstance(node, ast.FunctionDef):
                found.append(_symbol(node.name, K.Function, node.span, node.name_span, lines))
    return found


def _signature(node: ast.FunctionDef) -> str:
    from stoffel.compiler.fmt.headers import function

    return function(node).removeprefix(f"def {node.name}").removesuffix(":")


def setup(server: StoffelLanguageServer) -> None:
    server.add_feature(Symbols(server))
