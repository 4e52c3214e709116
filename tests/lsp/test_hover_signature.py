"""Hover (type, secrecy, signatures) and signature help (active parameter)."""

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
    pos,
    position_of,
    rng,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

MAIN = (WORKSPACE / "main.stfl").read_text(encoding="utf-8")


async def _hover(client: LanguageClient, uri: str, position: lsp.Position) -> str:
    result = await client.text_document_hover_async(
        lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=position)
    )
    assert result is not None
    assert isinstance(result.contents, lsp.MarkupContent)
    return result.contents.value


async def test_hover_shows_type_and_secrecy(client: LanguageClient) -> None:
    uri, _ = open_document(client, "main.stfl")
    text = await _hover(client, uri, position_of(MAIN, "doubled", occurrence=1, offset=2))
    assert "var doubled: secret int64" in text
    assert "secret value of type `secret int64`" in text
    text = await _hover(client, uri, position_of(MAIN, "sum = add", offset=1))
    assert "var sum: int64" in text and "clear value" in text
    close_document(client, uri)


async def test_hover_shows_a_function_signature(client: LanguageClient) -> None:
    uri, _ = open_document(client, "main.stfl")
    text = await _hover(client, uri, position_of(MAIN, "scale(s, 2)", offset=1))
    assert "def scale(s: secret int64, k: int64) -> secret int64" in text
    assert "cost" not in text  # no cost model yet: no invented numbers
    close_document(client, uri)


async def test_hover_on_an_expression(client: LanguageClient) -> None:
    uri, _ = open_document(client, "main.stfl")
    text = await _hover(client, uri, position_of(MAIN, "(s, 2)", offset=4))
    assert "expression: `int64` (clear)" in text
    close_document(client, uri)


async def _signature(client: LanguageClient, uri: str, position: lsp.Position) -> lsp.SignatureHelp:
    result = await client.text_document_signature_help_async(
        lsp.SignatureHelpParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=position
        )
    )
    assert result is not None
    return result


@pytest.mark.parametrize(
    ("typed", "label", "active"),
    [
        ("add(1, ", "add(a: int64, b: int64) -> int64", 1),
        ("scale(", "scale(s: secret int64, k: int64) -> secret int64", 0),
        ("lib.add(total([1]), ", "add(a: int64, b: int64) -> int64", 1),
        ("Share.mul(", "Share.mul(", 0),
        ("s.mul(", "Share.mul(", 1),
        ("Account(owner: 1, ", "Account(owner: int64, balance: secret int64)", 1),
        ("print(1, 2, 3, ", "print(*values) -> void", 0),
    ],
)
async def test_signature_help(client: LanguageClient, typed: str, label: str, active: int) -> None:
    uri, version = open_document(client, "main.stfl")
    await diagnostics(client, uri, version)
    end = position_of(MAIN, "  return total")
    change_document(client, uri, [(rng(end.line, 0, end.line, 0), f"  {typed}\n")])
    result = await _signature(client, uri, pos(end.line, 2 + len(typed)))
    (signature,) = result.signatures
    assert signature.label.startswith(label)
    assert result.active_parameter == active
    close_document(client, uri)
