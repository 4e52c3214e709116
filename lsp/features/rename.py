"""Rename a user symbol everywhere it is referenced (across files); builtins refuse.

Reference spans may be wider than the name (a parenthesised use), so each edit covers
the name's own occurrence inside the reference's text.
"""

from __future__ import annotations

import os
import re
from typing import Final

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams

from stoffel.compiler.resolve.symbols import Reference, Symbol, SymbolKind
from stoffel.compiler.syntax.tokens import CONTEXTUAL, KEYWORDS
from stoffel.lsp.analysis import Analysis
from stoffel.lsp.feature import LanguageFeature
from stoffel.lsp.positions import from_position, to_position
from stoffel.lsp.references import all_references, uri_of
from stoffel.lsp.server import StoffelLanguageServer

_IDENTIFIER: Final[re.Pattern[str]] = re.compile(r"[^\W\d]\w*")
_REQUEST_FAILED: Final[int] = -32803  # LSP ErrorCodes.RequestFailed


def refuse(message: str) -> JsonRpcException:
    return JsonRpcException(message=message, code=_REQUEST_FAILED)


class Rename(LanguageFeature):
    def register(self) -> None:
        server = self.server

        @server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
        async def prepare_rename(params: lsp.PrepareRenameParams) -> lsp.Range | None:
            analysis = await server.analysis(params.text_document.uri)
            symbol, ref = _target(analysis, params.position)
            return _name_range(analysis.lines_of(ref.span.file), ref, symbol.name)

        @server.feature(lsp.TEXT_DOCUMENT_RENAME, lsp.RenameOptions(prepare_provider=True))
        async def rename(params: lsp.RenameParams) -> lsp.WorkspaceEdit:
            new = params.new_name
            if not _IDENTIFIER.fullmatch(new) or new in KEYWORDS or new in CONTEXTUAL:
                raise JsonRpcInvalidParams(f"'{new}' is not a valid StoffelLang identifier")
            analysis = await server.analysis(params.text_document.uri)
            symbol, _ = _target(analysis, params.position)
            changes: dict[str, list[lsp.TextEdit]] = {}
            for ref in await all_references(server, analysis, symbol):
                lines = analysis.lines_of(ref.span.file)
                edit_range = _name_range(lines, ref, symbol.name)
                changes.setdefault(uri_of(ref.span), []).append(
                    lsp.TextEdit(range=edit_range, new_text=new)
                )
            return lsp.WorkspaceEdit(changes=changes)


def _target(analysis: Analysis, position: lsp.Position) -> tuple[Symbol, Reference]:
    line, column = from_position(analysis.lines, position)
    index = analysis.checked.index
    symbol = index.symbol_at(analysis.path, line, column)
    if symbol is None:
        raise refuse("Nothing to rename here")
    if symbol.is_builtin or symbol.span is None:
        raise refuse(f"'{symbol.qualified_name}' is a builtin and cannot be renamed")
    if symbol.kind is SymbolKind.MODULE:
        raise refuse("Rename the module's file instead")
    ref = min(
        (
            r
            for r in index.references(symbol)
            if os.path.abspath(r.span.file) == analysis.path and _covers(r, line, column)
        ),
        key=lambda r: r.span.end - r.span.start,
    )
    return symbol, ref


def _covers(ref: Reference, line: int, column: int) -> bool:
    span = ref.span
    return (span.line, span.column) <= (line, column) <= (span.end_line, span.end_column)


def _name_range(lines: list[str], ref: Reference, name: str) -> lsp.Range:
    span = ref.span
    text = lines[span.line - 1] if span.line <= len(lines) else ""
    end = span.end_column if span.end_line == span.line else len(text) + 1
    piece = text[span.column - 1 : end - 1]
    offset = piece.rfind(name)
    column = span.column + max(0, offset)
    return lsp.Range(
        start=to_position(lines, span.line, column),
        end=to_position(lines, span.line, column + len(name)),
    )


def setup(server: StoffelLanguageServer) -> None:
    server.add_feature(Rename(server))
