"""Helpers for the LSP end-to-end tests: documents, edits, awaiting diagnostics."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

from lsprotocol import types as lsp
from pygls.uris import from_fs_path
from pytest_lsp import LanguageClient

WORKSPACE = Path(__file__).parent / "workspaces" / "demo"
_versions = itertools.count(1)


def uri_of(name: str) -> str:
    return from_fs_path(str(WORKSPACE / name)) or name


def open_document(client: LanguageClient, name: str, text: str | None = None) -> tuple[str, int]:
    """Open ``name`` (in the demo workspace) with ``text`` (default: the file's own)."""
    uri = uri_of(name)
    version = next(_versions)
    content = text if text is not None else (WORKSPACE / name).read_text(encoding="utf-8")
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(
                uri=uri, language_id="stoffel", version=version, text=content
            )
        )
    )
    return uri, version


def close_document(client: LanguageClient, uri: str) -> None:
    client.text_document_did_close(
        lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
    )


def change_document(
    client: LanguageClient, uri: str, changes: list[tuple[lsp.Range | None, str]]
) -> int:
    """Send incremental edits (``None`` range = whole text); returns the new version."""
    version = next(_versions)
    events: list[lsp.TextDocumentContentChangeEvent] = [
        lsp.TextDocumentContentChangeWholeDocument(text=text)
        if rng is None
        else lsp.TextDocumentContentChangePartial(range=rng, text=text)
        for rng, text in changes
    ]
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=events,
        )
    )
    return version


def mark(client: LanguageClient) -> int:
    """How many diagnostics notifications have arrived so far (see ``after``)."""
    return len(client.published)  # type: ignore[attr-defined]


async def diagnostics(
    client: LanguageClient, uri: str, version: int, after: int = 0, timeout: float = 15
) -> list[lsp.Diagnostic]:
    """The diagnostics published for ``uri`` at ``version`` (waits for them), counting
    only notifications after the ``after``-th."""
    published: list[lsp.PublishDiagnosticsParams] = client.published  # type: ignore[attr-defined]
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        for params in reversed(published[after:]):
            if params.uri == uri and params.version == version:
                return list(params.diagnostics)
        await asyncio.sleep(0.01)
    raise AssertionError(f"no diagnostics for {uri} at version {version}")


def pos(line: int, character: int) -> lsp.Position:
    return lsp.Position(line=line, character=character)


def rng(line: int, start: int, end_line: int, end: int) -> lsp.Range:
    return lsp.Range(start=pos(line, start), end=pos(end_line, end))


def position_of(text: str, needle: str, occurrence: int = 0, offset: int = 0) -> lsp.Position:
    """The position of the ``occurrence``-th ``needle`` in ``text`` (plus ``offset`` chars)."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index)
    column = index - (text.rfind("\n", 0, index) + 1)
    return pos(line, column)
