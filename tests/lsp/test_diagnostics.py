"""Diagnostics end to end: open, break and fix the syntax, secrecy notes, imports."""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .helpers import change_document, close_document, diagnostics, open_document, rng

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_clean_workspace_has_no_diagnostics(client: LanguageClient) -> None:
    uri, version = open_document(client, "main.stfl")
    assert await diagnostics(client, uri, version) == []
    close_document(client, uri)
