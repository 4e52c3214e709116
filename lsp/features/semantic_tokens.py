"""Semantic tokens: every resolved name, typed by what it denotes, with a custom
``secret`` modifier on secret values (so themes can mark secret data apart from
clear data), plus the standard ``declaration``, ``readonly`` and ``defaultLibrary``."""

from __future__ import annotations

import os
from typing import Final

from lsprotocol import types as lsp

from stoffel.compiler.resolve.symbols import SymbolKind
from stoffel.compiler.types.types import is_secret
from stoffel.lsp.analysis import Analysis
from stoffel.lsp.feature import LanguageFeature
from stoffel.lsp.positions import to_position
from stoffel.lsp.server import StoffelLanguageServer

TOKEN_TYPES: Final[list[str]] = [
    "variable", "parameter", "function", "method", "struct", "property", "enum",
    "enumMember", "type", "namespace", "typeParameter",
]  # fmt: skip
TOKEN_MODIFIERS: Final[list[str]] = ["declaration", "readonly", "defaultLibrary", "secret"]
LEGEND: Final = lsp.SemanticTokensLegend(token_types=TOKEN_TYPES, token_modifiers=TOKEN_MODIFIERS)
_TYPE_OF: Final[dict[SymbolKind, str]] = {
    SymbolKind.VARIABLE: "variable",
    SymbolKind.PARAMETER: "parameter",
    SymbolKind.FUNCTION: "function",
    SymbolKind.BUILTIN_FUNCTION: "function",
    SymbolKind.BUILTIN_METHOD: "method",
    SymbolKind.OBJECT: "struct",
    SymbolKind.FIELD: "property",
    SymbolKind.ENUM: "enum",
    SymbolKind.ENUM_MEMBER: "enumMember",
    SymbolKind.TYPE_ALIAS: "type",
    SymbolKind.BUILTIN_TYPE: "type",
    SymbolKind.BUILTIN_OBJECT: "namespace",
    SymbolKind.MODULE: "namespace",
    SymbolKind.TYPE_PARAM: "typeParameter",
}


def _bit(name: str) -> int:
    return 1 << TOKEN_MODIFIERS.index(name)


class SemanticTokens(LanguageFeature):
    def register(self) -> None:
        @self.server.feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, LEGEND)
        async def full(params: lsp.SemanticTokensParams) -> lsp.SemanticTokens:
            analysis = await self.server.analysis(params.text_document.uri)
            return lsp.SemanticTokens(data=encode(analysis))


def tokens(analysis: Analysis) -> list[tuple[int, int, int, int, int]]:
    """(line, start, length, type, modifiers) in LSP units, sorted, one per name."""
    found: dict[tuple[int, int], tuple[int, int, int, int, int]] = {}
    lines = analysis.lines
    for ref in analysis.checked.index.refs:
        span = ref.span
        if span.line != span.end_line or os.path.abspath(span.file) != analysis.path:
            continue
        kind = _TYPE_OF.get(ref.symbol.kind)
        if kind is None:
            continue
        symbol = ref.symbol
        text = lines[span.line - 1][span.column - 1 : span.end_column - 1]
        offset = text.rfind(symbol.name)  # a parenthesised use is wider than its name
        if offset < 0:
            continue
        start = to_position(lines, span.line, span.column + offset)
        end = to_position(lines, span.line, span.column + offset + len(symbol.name))
        modifiers = 0
        if ref.is_definition:
            modifiers |= _bit("declaration")
        if symbol.kind in (
            SymbolKind.ENUM_MEMBER,
            SymbolKind.FUNCTION,
            SymbolKind.BUILTIN_FUNCTION,
        ):
            modifiers |= _bit("readonly")
        if symbol.is_builtin:
            modifiers |= _bit("defaultLibrary")
        if symbol.signature is None and is_secret(symbol.type):
            modifiers |= _bit("secret")
        key = (start.line, start.character)
        found[key] = (
            start.line,
            start.character,
            end.character - start.character,
            TOKEN_TYPES.index(kind),
            modifiers,
        )
    return [found[k] for k in sorted(found)]


def encode(analysis: Analysis) -> list[int]:
    data: list[int] = []
    previous_line, previous_start, previous_end = 0, 0, -1
    for line, start, length, kind, modifiers in tokens(analysis):
        if line == previous_line and start < previous_end:
            continue  # overlapping tokens are not allowed
        delta_start = start - previous_start if line == previous_line else start
        data.extend([line - previous_line, delta_start, length, kind, modifiers])
        previous_line, previous_start, previous_end = line, start, start + length
    return data


def setup(server: StoffelLanguageServer) -> None:
    server.add_feature(SemanticTokens(server))
