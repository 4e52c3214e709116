"""One language server for the whole LSP suite (it is a subprocess over stdio, started
the way VS Code starts it), plus helpers to open documents and await diagnostics.

Tests share the server, so each test opens its own documents (a fresh URI, or the
workspace files at a version of its own) and closes what it changes.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator

import pytest_lsp
from lsprotocol import types as lsp
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .helpers import WORKSPACE


@pytest_lsp.fixture(
    scope="session",
    config=ClientServerConfig(server_command=[sys.executable, "-m", "stoffel.lsp"]),
)
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    lsp_client.published = []  # type: ignore[attr-defined]
    features = lsp_client.protocol.fm.features
    original = features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def recording(*args: object) -> object:
        lsp_client.published.append(args[-1])  # type: ignore[attr-defined]
        return original(*args)

    features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = recording
    lsp_client.initialize_result = await lsp_client.initialize_session(  # type: ignore[attr-defined]
        lsp.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=from_fs_path(str(WORKSPACE)),
            workspace_folders=[
                lsp.WorkspaceFolder(uri=from_fs_path(str(WORKSPACE)) or "", name="demo")
            ],
        )
    )
    yield
    await asyncio.wait_for(lsp_client.shutdown_session(), timeout=10)
