"""Document and workspace symbols, semantic tokens, formatting and folding."""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .helpers import (
    WORKSPACE,
    change_document,
    close_document,
    diagnostics,
    open_document,
    position_of,
    rng,
    uri_of,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

MAIN = (WORKSPACE / "main.stfl").read_text(encoding="utf-8")


def _doc(uri: str) -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(uri=uri)


async def _outline(client: LanguageClient, uri: str) -> list[lsp.DocumentSymbol]:
    result = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=_doc(uri))
    )
    assert result is not None
    return [s for s in result if isinstance(s, lsp.DocumentSymbol)]


async def test_document_symbols(client: LanguageClient) -> None:
    uri, _ = open_document(client, "main.stfl")
    symbols = await _outline(client, uri)
    assert [(s.name, s.kind) for s in symbols] == [
        ("total", lsp.SymbolKind.Function),
        ("main", lsp.SymbolKind.Function),
    ]
    assert symbols[0].detail == "(xs: list[int64]) -> int64"
    assert [c.name for c in symbols[1].children or []] == ["s", "doubled", "acct", "level", "clear"]
    assert symbols[0].selection_range.start == position_of(MAIN, "total")
    close_document(client, uri)


async def test_document_symbols_survive_a_syntax_error(client: LanguageClient) -> None:
    uri, _ = open_document(client, "main.stfl")
    line = position_of(MAIN, "  var sum").line
    version = change_document(client, uri, [(rng(line, 0, line, 0), "  var = = (\n")])
    assert await diagnostics(client, uri, version)
    names = [s.name for s in await _outline(client, uri)]
    assert names == ["total", "main"]
    close_document(client, uri)


async def test_workspace_symbols(client: LanguageClient) -> None:
    result = await client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query="acc"))
    assert result is not None
    found = {(s.name, s.location.uri) for s in result}  # may decode as SymbolInformation
    assert ("Account", uri_of("lib.stfl")) in found
    everything = await client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query=""))
    names = {s.name for s in everything or []}
    assert {"total", "main", "add", "scale", "Level", "Account"} <= names


async def test_semantic_tokens_mark_secret_values(client: LanguageClient) -> None:
    uri, _ = open_document(client, "main.stfl")
    result = await client.text_document_semantic_tokens_full_async(
        lsp.SemanticTokensParams(text_document=_doc(uri))
    )
    assert result is not None
    data = result.data
    lines = MAIN.split("\n")
    decoded: dict[tuple[int, str], tuple[int, int]] = {}
    line = start = 0
    for i in range(0, len(data), 5):
        delta_line, delta_start, length, kind, modifiers = data[i : i + 5]
        line += delta_line
        start = start + delta_start if delta_line == 0 else delta_start
        decoded[(line, lines[line][start : start + length])] = (kind, modifiers)
    from stoffel.lsp.features.semantic_tokens import TOKEN_MODIFIERS, TOKEN_TYPES

    secret = 1 << TOKEN_MODIFIERS.index("secret")
    declaration = 1 << TOKEN_MODIFIERS.index("declaration")
    s_line = position_of(MAIN, "var s:").line
    kind, modifiers = decoded[(s_line, "s")]
    assert TOKEN_TYPES[kind] == "variable" and modifiers & secret and modifiers & declaration
    kind, modifiers = decoded[(position_of(MAIN, "var sum").line, "sum")]
    assert TOKEN_TYPES[kind] == "variable" and not modifiers & secret
    kind, _ = decoded[(position_of(MAIN, "def total").line, "total")]
    assert TOKEN_TYPES[kind] == "function"
    kind, modifiers = decoded[(position_of(MAIN, "xs:").line, "xs")]
    assert TOKEN_TYPES[kind] == "parameter"
    close_document(client, uri)


async def test_formatting(client: LanguageClient) -> None:
    messy = "var x=1+2   # keep me\ndef f(a:int64)->int64:\n  return a*(x+1)\n"
    uri, _ = open_document(client, "messy.stfl", messy)
    options = lsp.FormattingOptions(tab_size=2, insert_spaces=True)
    edits = await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(text_document=_doc(uri), options=options)
    )
    assert edits is not None
    (edit,) = edits
    assert edit.range.start == lsp.Position(line=0, character=0)
    assert (
        edit.new_text
        == "var x = 1 + 2  # keep me\n\ndef f(a: int64) -> int64:\n  return a * (x + 1)\n"
    )
    close_document(client, uri)


async def test_formatting_refuses_syntax_errors(client: LanguageClient) -> None:
    uri, _ = open_document(client, "messy.stfl", "var x = (1 +\n")
    options = lsp.FormattingOptions(tab_size=2, insert_spaces=True)
    edits = await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(text_document=_doc(uri), options=options)
    )
    assert not edits
    close_document(client, uri)


async def test_folding_ranges(client: LanguageClient) -> None:
    text = "# one\n# two\nimport lib\nimport std.mpc\n" + MAIN.split("\n", 1)[1]
    uri, _ = open_document(client, "main.stfl", text)
    result = await client.text_document_folding_range_async(
        lsp.FoldingRangeParams(text_document=_doc(uri))
    )
    assert result is not None
    spans = {(r.start_line, r.end_line, r.kind) for r in result}
    main_line = position_of(text, "def main").line
    last = len(text.rstrip("\n").split("\n")) - 1
    assert (main_line, last, lsp.FoldingRangeKind.Region) in spans
    assert (0, 1, lsp.FoldingRangeKind.Comment) in spans
    assert (2, 3, lsp.FoldingRangeKind.Imports) in spans
    close_document(client, uri)
