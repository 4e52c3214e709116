"""Go to definition (into imported files), find references and rename across files."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.uris import to_fs_path
from pytest_lsp import LanguageClient

from .helpers import WORKSPACE, close_document, diagnostics, open_document, position_of, uri_of

pytestmark = pytest.mark.asyncio(loop_scope="session")

MAIN = (WORKSPACE / "main.stfl").read_text(encoding="utf-8")
LIB = (WORKSPACE / "lib.stfl").read_text(encoding="utf-8")


def _doc(uri: str) -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(uri=uri)


async def _definition(
    client: LanguageClient, uri: str, position: lsp.Position
) -> list[lsp.Location]:
    result = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=_doc(uri), position=position)
    )
    assert isinstance(result, list)
    return result


async def test_definition_in_an_imported_file(client: LanguageClient) -> None:
    uri, _ = open_document(client, "main.stfl")
    (found,) = await _definition(client, uri, position_of(MAIN, "add(sum", offset=1))
    assert found.uri == uri_of("lib.stfl")
    assert found.range.start == position_of(LIB, "add(a")
    (field,) = await _definition(client, uri, position_of(MAIN, "acct.owner", offset=6))
    assert field.uri == uri_of("lib.stfl") and field.range.start == position_of(LIB, "owner")
    close_document(client, uri)


async def test_definition_of_a_local_and_of_an_import(client: LanguageClient) -> None:
    uri, _ = open_document(client, "main.stfl")
    (local,) = await _definition(client, uri, position_of(MAIN, "scale(s,", offset=6))
    assert local.uri == uri and local.range.start == position_of(MAIN, "s: secret")
    (module,) = await _definition(client, uri, position_of(MAIN, "import lib", offset=8))
    assert module.uri == uri_of("lib.stfl")
    close_document(client, uri)


async def test_definition_of_builtins_is_in_the_stdlib(client: LanguageClient) -> None:
    uri, _ = open_document(client, "main.stfl")
    (found,) = await _definition(client, uri, position_of(MAIN, "take_share", offset=2))
    assert found.uri.endswith("/std/mpc.stfl")
    declared = Path(to_fs_path(found.uri) or "").read_text(encoding="utf-8").split("\n")
    start, end = found.range.start, found.range.end
    assert declared[start.line][start.character : end.character] == "take_share"
    close_document(client, uri)


async def test_references_across_files(client: LanguageClient) -> None:
    # Asked from the library: the uses are in main.stfl, which the library does not import.
    uri, version = open_document(client, "lib.stfl")
    await diagnostics(client, uri, version)
    result = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=_doc(uri),
            position=position_of(LIB, "add(a", offset=1),
            context=lsp.ReferenceContext(include_declaration=True),
        )
    )
    assert result is not None
    where = sorted((loc.uri.rsplit("/", 1)[-1], loc.range.start.line) for loc in result)
    main_lines = [i for i, text in enumerate(MAIN.split("\n")) if "add(" in text]
    assert where == sorted(
        [("lib.stfl", position_of(LIB, "add(a").line)] + [("main.stfl", n) for n in main_lines]
    )
    close_document(client, uri)


async def test_references_without_declaration(client: LanguageClient) -> None:
    uri, _ = open_document(client, "main.stfl")
    result = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=_doc(uri),
            position=position_of(MAIN, "var sum", offset=5),
            context=lsp.ReferenceContext(include_declaration=False),
        )
    )
    assert result is not None and len(result) == 3  # `sum = add(sum, x)` twice, `return sum`
    close_document(client, uri)


async def test_rename_across_files(client: LanguageClient) -> None:
    uri, _ = open_document(client, "main.stfl")
    position = position_of(MAIN, "scale(s", offset=2)
    prepared = await client.text_document_prepare_rename_async(
        lsp.PrepareRenameParams(text_document=_doc(uri), position=position)
    )
    assert prepared == lsp.Range(
        start=position_of(MAIN, "scale(s"), end=position_of(MAIN, "(s, 2)")
    )
    edit = await client.text_document_rename_async(
        lsp.RenameParams(text_document=_doc(uri), position=position, new_name="multiply")
    )
    assert edit is not None and edit.changes is not None
    assert set(edit.changes) == {uri_of("main.stfl"), uri_of("lib.stfl")}
    (lib_edit,) = edit.changes[uri_of("lib.stfl")]
    assert lib_edit.new_text == "multiply"
    assert lib_edit.range.start == position_of(LIB, "scale")
    close_document(client, uri)


async def test_rename_of_a_qualified_use(client: LanguageClient) -> None:
    uri, _ = open_document(client, "main.stfl")
    edit = await client.text_document_rename_async(
        lsp.RenameParams(
            text_document=_doc(uri),
            position=position_of(MAIN, "lib.add", offset=5),
            new_name="plus",
        )
    )
    assert edit is not None and edit.changes is not None
    main_edits = edit.changes[uri_of("main.stfl")]
    lines = MAIN.split("\n")
    for change in main_edits:
        start, end = change.range.start, change.range.end
        assert lines[start.line][start.character : end.character] == "add"
    assert len(main_edits) == 2
    close_document(client, uri)


@pytest.mark.parametrize("needle", ["ClientStore", "reveal", "print"])
async def test_rename_refuses_builtins(client: LanguageClient, needle: str) -> None:
    text = MAIN + "print(1)\n"
    uri, _ = open_document(client, "main.stfl", text)
    with pytest.raises(JsonRpcException, match="builtin"):
        await client.text_document_rename_async(
            lsp.RenameParams(
                text_document=_doc(uri), position=position_of(text, needle, offset=1), new_name="x"
            )
        )
    close_document(client, uri)


async def test_rename_refuses_bad_names(client: LanguageClient) -> None:
    uri, _ = open_document(client, "main.stfl")
    with pytest.raises(JsonRpcException, match="not a valid"):
        await client.text_document_rename_async(
            lsp.RenameParams(
                text_document=_doc(uri),
                position=position_of(MAIN, "var sum", offset=5),
                new_name="while",
            )
        )
    close_document(client, uri)
