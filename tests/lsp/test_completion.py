"""Completion: scope names, keywords, signatures, members after `.`, types after `:`,
and names that survive a syntax error in the middle of typing."""

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


async def _complete(
    client: LanguageClient, uri: str, position: lsp.Position
) -> dict[str, lsp.CompletionItem]:
    result = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=position)
    )
    assert isinstance(result, lsp.CompletionList)
    return {item.label: item for item in result.items}


async def _typed(client: LanguageClient, typed: str) -> tuple[str, dict[str, lsp.CompletionItem]]:
    """Open main.stfl, type ``typed`` on a new line at the end of ``main``, complete."""
    uri, version = open_document(client, "main.stfl")
    await diagnostics(client, uri, version)
    end = position_of(MAIN, "  return total")
    change_document(client, uri, [(rng(end.line, 0, end.line, 0), f"  {typed}\n")])
    items = await _complete(client, uri, pos(end.line, 2 + len(typed)))
    return uri, items


async def test_locals_parameters_functions_keywords_and_namespaces(client: LanguageClient) -> None:
    uri, items = await _typed(client, "var y = ")
    for name in ("s", "doubled", "acct", "total", "main", "add", "scale", "print", "Share", "lib"):
        assert name in items, name
    assert items["var"].kind == lsp.CompletionItemKind.Keyword
    assert items["add"].detail == "def add(a: int64, b: int64) -> int64"
    assert items["s"].kind == lsp.CompletionItemKind.Variable
    assert items["s"].detail == "var s: secret int64"
    assert items["Share"].kind == lsp.CompletionItemKind.Module
    close_document(client, uri)


async def test_parameters_inside_a_function(client: LanguageClient) -> None:
    uri, version = open_document(client, "main.stfl")
    await diagnostics(client, uri, version)
    items = await _complete(client, uri, position_of(MAIN, "sum = add", offset=6))
    assert {"xs", "x", "sum"} <= items.keys()
    close_document(client, uri)


async def test_object_fields_after_dot(client: LanguageClient) -> None:
    uri, items = await _typed(client, "var o = acct.")
    assert {"owner", "balance"} <= items.keys()
    assert items["balance"].detail == "Account.balance: secret int64"
    close_document(client, uri)


async def test_builtin_namespace_after_dot(client: LanguageClient) -> None:
    uri, items = await _typed(client, "var r = Share.")
    assert {"open", "mul", "from_clear", "random"} <= items.keys()
    assert items["mul"].detail.startswith("def Share.mul(")
    close_document(client, uri)
    uri, items = await _typed(client, "var n = Mpc.")
    assert "party_id" in items
    close_document(client, uri)


async def test_imported_module_after_dot(client: LanguageClient) -> None:
    uri, items = await _typed(client, "var r = lib.")
    assert {"add", "scale", "Account", "Level"} <= items.keys()
    close_document(client, uri)


async def test_enum_members_after_dot(client: LanguageClient) -> None:
    uri, items = await _typed(client, "var r = Level.")
    assert set(items) == {"Low", "High"}
    close_document(client, uri)


async def test_types_after_colon(client: LanguageClient) -> None:
    uri, items = await _typed(client, "var t: ")
    assert {"int64", "secret", "bool", "Account", "Share", "list"} <= items.keys()
    assert "print" not in items
    close_document(client, uri)


async def test_completion_survives_a_syntax_error(client: LanguageClient) -> None:
    uri, version = open_document(client, "main.stfl")
    await diagnostics(client, uri, version)
    end = position_of(MAIN, "  return total")
    broken = change_document(
        client, uri, [(rng(end.line, 0, end.line, 0), "  var oops = (1 +\n  \n")]
    )
    assert await diagnostics(client, uri, broken)  # the syntax error is reported ...
    items = await _complete(client, uri, pos(end.line + 1, 2))
    for name in ("total", "main", "s", "doubled", "add"):  # ... and names are still offered
        assert name in items, name
    close_document(client, uri)
