"""Quick fixes: explicit reveal, did-you-mean, missing return."""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .helpers import close_document, diagnostics, open_document

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _fixes(client: LanguageClient, name: str, text: str) -> tuple[str, list[lsp.CodeAction]]:
    uri, version = open_document(client, name, text)
    found = await diagnostics(client, uri, version)
    assert found
    result = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=found[0].range,
            context=lsp.CodeActionContext(diagnostics=found),
        )
    )
    close_document(client, uri)
    return uri, [a for a in result or [] if isinstance(a, lsp.CodeAction)]


def _apply(text: str, edits: list[lsp.TextEdit]) -> str:
    lines = text.split("\n")
    for edit in sorted(
        edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    ):
        start, end = edit.range.start, edit.range.end
        head = "\n".join([*lines[: start.line], lines[start.line][: start.character]])
        tail = "\n".join([lines[end.line][end.character :], *lines[end.line + 1 :]])
        lines = (head + edit.new_text + tail).split("\n")
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "var s: secret int64 = ClientStore.take_share(0, 0)\nvar leaked: int64 = s\n",
            "var s: secret int64 = ClientStore.take_share(0, 0)\nvar leaked: int64 = s.reveal()\n",
        ),
        (
            "var s: secret int64 = ClientStore.take_share(0, 0)\nvar b: bool = s > 1\n",
            "var s: secret int64 = ClientStore.take_share(0, 0)\nvar b: bool = (s > 1).reveal()\n",
        ),
    ],
)
async def test_wrap_in_reveal(client: LanguageClient, source: str, expected: str) -> None:
    uri, actions = await _fixes(client, "fix_reveal.stfl", source)
    (action,) = [a for a in actions if "reveal" in a.title]
    assert action.kind == lsp.CodeActionKind.QuickFix
    assert action.edit is not None and action.edit.changes is not None
    assert _apply(source, list(action.edit.changes[uri])) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("var count = 1\nprint(cuont)\n", "var count = 1\nprint(count)\n"),
        ("var x = 1\nprnt(x)\n", "var x = 1\nprint(x)\n"),
    ],
)
async def test_apply_did_you_mean(client: LanguageClient, source: str, expected: str) -> None:
    uri, actions = await _fixes(client, "fix_name.stfl", source)
    (action,) = [a for a in actions if a.title.startswith("Change to")]
    assert action.edit is not None and action.edit.changes is not None
    assert _apply(source, list(action.edit.changes[uri])) == expected


async def test_add_missing_return(client: LanguageClient) -> None:
    source = "def f(a: int64) -> secret int64:\n  if a > 0:\n    return a\n"
    uri, actions = await _fixes(client, "fix_return.stfl", source)
    (action,) = [a for a in actions if a.title.startswith("Add 'return")]
    assert action.edit is not None and action.edit.changes is not None
    fixed = _apply(source, list(action.edit.changes[uri]))
    assert fixed == "def f(a: int64) -> secret int64:\n  if a > 0:\n    return a\n  return 0\n"
