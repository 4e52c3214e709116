"""Go to definition (also into imported files, and from an ``import`` to the file) and
find references (across the files that import the definition's file)."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from lsprotocol import types as lsp
from pygls.uris import from_fs_path

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.resolve.modules import import_target
from stoffel.lsp import locate
from stoffel.lsp.feature import LanguageFeature
from stoffel.lsp.positions import from_position, to_range
from stoffel.lsp.references import all_references, uri_of
from stoffel.lsp.server import StoffelLanguageServer

_STDLIB_PREFIX = "<stdlib>/"
_FILE_START = lsp.Range(
    start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)
)


class Navigation(LanguageFeature):
    def register(self) -> None:
        server = self.server

        @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
        async def definition(params: lsp.DefinitionParams) -> list[lsp.Location] | None:
            analysis = await server.analysis(params.text_document.uri)
            line, column = from_position(analysis.lines, params.position)
            symbol = analysis.checked.index.symbol_at(analysis.path, line, column)
            if symbol is not None and symbol.span is not None:
                lines = analysis.lines_of(symbol.span.file)
                return [lsp.Location(uri=uri_of(symbol.span), range=to_range(lines, symbol.span))]
            if symbol is not None and symbol.is_builtin:
                found = stdlib_location(symbol.node)
                return [found] if found is not None else None
            path = locate.path_at(analysis.module, line, column)
            if path and isinstance(path[0], ast.Import):
                target, _, _ = import_target(path[0], analysis.path)
                if os.path.exists(target) or analysis.module_of(target) is not None:
                    return [lsp.Location(uri=from_fs_path(target) or target, range=_FILE_START)]
            return None

        @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
        async def references(params: lsp.ReferenceParams) -> list[lsp.Location] | None:
            analysis = await server.analysis(params.text_document.uri)
            line, column = from_position(analysis.lines, params.position)
            symbol = analysis.checked.index.symbol_at(analysis.path, line, column)
            if symbol is None:
                return None
            refs = await all_references(server, analysis, symbol)
            return [
                lsp.Location(
                    uri=uri_of(r.span), range=to_range(analysis.lines_of(r.span.file), r.span)
                )
                for r in refs
                if params.context.include_declaration or not r.is_definition
            ]


def stdlib_location(node: ast.Node | None) -> lsp.Location | None:
    """Where a builtin is declared in the stdlib's ``.stfl`` files (when they are files)."""
    if node is None or not node.span.file.startswith(_STDLIB_PREFIX):
        return None
    resource = resources.files("stoffel.stdlib").joinpath(node.span.file[len(_STDLIB_PREFIX) :])
    path = Path(str(resource))
    if not path.is_file():  # e.g. inside a zipped wheel: nothing to open
        return None
    span = node.name_span if isinstance(node, ast.FunctionDef) else node.span
    lines = path.read_text(encoding="utf-8").split("\n")
    return lsp.Location(uri=from_fs_path(str(path)) or str(path), range=to_range(lines, span))


def setup(server: StoffelLanguageServer) -> None:
    server.add_feature(Navigation(server))
