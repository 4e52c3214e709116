"""Diagnostics end to end: open, break and fix the syntax, secrecy notes, UTF-16
ranges, unsaved imported files, errors inside an imported file."""

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
    pos,
    rng,
)

pytestmark = pytest.mark.asyncio(loop_scope="session")

SECRET = "var s: secret int64 = ClientStore.take_share(0, 0)\nvar leaked: int64 = s\n"


async def test_clean_workspace_has_no_diagnostics(client: LanguageClient) -> None:
    uri, version = open_document(client, "main.stfl")
    assert await diagnostics(client, uri, version) == []
    close_document(client, uri)


async def test_breaking_then_fixing_the_syntax(client: LanguageClient) -> None:
    text = "def f(a: int64) -> int64:\n  return a + 1\n\nvar y = f(2)\n"
    uri, version = open_document(client, "typing.stfl", text)
    assert await diagnostics(client, uri, version) == []
    # Type an unfinished expression in the middle of the file.
    broken = change_document(client, uri, [(rng(1, 14, 1, 14), " * (")])
    found = await diagnostics(client, uri, broken)
    assert found, "an unfinished expression must be reported"
    assert all(d.code == "E001" and d.source == "stoffel" for d in found)
    assert found[0].severity == lsp.DiagnosticSeverity.Error
    assert found[0].range.start.line in (1, 2, 3)
    fixed = change_document(client, uri, [(rng(1, 14, 1, 18), "")])
    assert await diagnostics(client, uri, fixed) == []
    close_document(client, uri)


async def test_implicit_reveal_has_code_range_hint_and_secret_origin(
    client: LanguageClient,
) -> None:
    uri, version = open_document(client, "reveal.stfl", SECRET)
    (found,) = await diagnostics(client, uri, version)
    assert found.code == "E101"
    assert found.message.startswith("Cannot implicitly reveal 'secret int64' as 'int64'")
    assert "hint: call .reveal()" in found.message
    assert found.range == rng(1, 20, 1, 21)
    (origin,) = found.related_information or []
    assert origin.message == "'s' declared secret here"
    assert origin.location.uri == uri
    assert origin.location.range == rng(0, 4, 0, 5)
    close_document(client, uri)


async def test_ranges_count_utf16_units(client: LanguageClient) -> None:
    uri, version = open_document(client, "utf16.stfl", 'print("😀😀", missing)\n')
    (found,) = await diagnostics(client, uri, version)
    assert "undeclared identifier 'missing'" in found.message
    # Two astral characters are four UTF-16 units: `print("` 7 + 4 + `", ` 3.
    assert found.range.start == pos(0, 14)
    assert found.range.end == pos(0, 21)
    close_document(client, uri)


async def test_unsaved_imported_file_is_used(client: LanguageClient) -> None:
    main, main_version = open_document(client, "main.stfl")
    assert await diagnostics(client, main, main_version) == []
    library = (WORKSPACE / "lib.stfl").read_text(encoding="utf-8")
    lib, _ = open_document(client, "lib.stfl", library)
    before = mark(client)
    # Rename `add` in the unsaved library buffer: main.stfl's uses now fail.
    line = library.split("\n").index("def add(a: int64, b: int64) -> int64:")
    change_document(client, lib, [(rng(line, 4, line, 7), "plus")])
    found = await diagnostics(client, main, main_version, after=before)
    messages = [d.message for d in found]
    assert any(m.startswith("Use of undeclared function 'add'") for m in messages), messages
    close_document(client, lib)
    close_document(client, main)


async def test_errors_inside_an_imported_file_show_at_the_import(client: LanguageClient) -> None:
    lib, _ = open_document(
        client, "lib.stfl", "def add(a: int64, b: int64) -> int64:\n  return a +\n"
    )
    main, version = open_document(client, "main.stfl")
    found = await diagnostics(client, main, version)
    summary = [d for d in found if d.message.startswith("Imported module 'lib' has")]
    assert summary and summary[0].range.start.line == 0
    close_document(client, lib)
    close_document(client, main)
