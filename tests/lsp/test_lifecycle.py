"""What the server advertises, and diagnostics on save."""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .helpers import (
    WORKSPACE,
    change_document,
    close_document,
    diagnostics,
    mark,
    open_document,
    uri_of,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_capabilities(client: LanguageClient) -> None:
    result: lsp.InitializeResult = client.initialize_result  # type: ignore[attr-defined]
    capabilities = result.capabilities
    assert result.server_info is not None and result.server_info.name == "stoffel-lsp"
    sync = capabilities.text_document_sync
    assert isinstance(sync, lsp.TextDocumentSyncOptions)
    assert sync.change == lsp.TextDocumentSyncKind.Incremental
    assert capabilities.completion_provider is not None
    assert set(capabilities.completion_provider.trigger_characters or []) >= {".", ":"}
    assert capabilities.signature_help_provider is not None
    assert capabilities.hover_provider and capabilities.definition_provider
    assert capabilities.references_provider and capabilities.document_symbol_provider
    assert capabilities.workspace_symbol_provider and capabilities.document_formatting_provider
    assert capabilities.folding_range_provider
    assert isinstance(capabilities.rename_provider, lsp.RenameOptions)
    assert capabilities.rename_provider.prepare_provider
    assert isinstance(capabilities.code_action_provider, lsp.CodeActionOptions)
    tokens = capabilities.semantic_tokens_provider
    assert isinstance(tokens, lsp.SemanticTokensOptions | lsp.SemanticTokensRegistrationOptions)
    assert "secret" in tokens.legend.token_modifiers
    assert {"variable", "parameter", "function"} <= set(tokens.legend.token_types)


async def test_diagnostics_on_save(client: LanguageClient) -> None:
    uri, version = open_document(client, "saved.stfl", "var x: int64 = True\n")
    first = await diagnostics(client, uri, version)
    before = mark(client)
    client.text_document_did_save(
        lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
    )
    again = await diagnostics(client, uri, version, after=before)
    assert [d.message for d in again] == [d.message for d in first]
    assert again and again[0].code == "E101"
    close_document(client, uri)


async def test_an_imported_file_changed_on_disk(client: LanguageClient) -> None:
    library = WORKSPACE / "watched_lib.stfl"
    library.write_text("def helper(a: int64) -> int64:\n  return a\n", encoding="utf-8")
    try:
        text = "import watched_lib\nvar x = helper(1)\n"
        uri, version = open_document(client, "watching.stfl", text)
        assert await diagnostics(client, uri, version) == []
        library.write_text("def other(a: int64) -> int64:\n  return a\n", encoding="utf-8")
        before = mark(client)
        client.workspace_did_change_watched_files(
            lsp.DidChangeWatchedFilesParams(
                changes=[
                    lsp.FileEvent(uri=uri_of("watched_lib.stfl"), type=lsp.FileChangeType.Changed)
                ]
            )
        )
        found = await diagnostics(client, uri, version, after=before)
        assert [d.message.split("\n")[0] for d in found] == ["Use of undeclared function 'helper'"]
        close_document(client, uri)
    finally:
        library.unlink()


async def test_rapid_changes_publish_the_last_version(client: LanguageClient) -> None:
    uri, version = open_document(client, "rapid.stfl", "var x = 1\n")
    await diagnostics(client, uri, version)
    before = mark(client)
    versions = [change_document(client, uri, [(None, f"var x = {n}\n")]) for n in range(2, 7)]
    assert await diagnostics(client, uri, versions[-1], after=before) == []
    published = [p.version for p in client.published[before:] if p.uri == uri]  # type: ignore[attr-defined]
    assert published[-1] == versions[-1]  # nothing older arrives after the newest
    close_document(client, uri)
