"""Import paths that the operating system cannot even look up are 'not found', not a crash."""

from __future__ import annotations

from pathlib import Path

from stoffel.compiler.diagnostics import Code
from stoffel.compiler.driver import Compilation, check_file


def test_nul_byte_in_quoted_import_is_module_not_found(tmp_path: Path) -> None:
    path = tmp_path / "main.stfl"
    path.write_text('import "a\x00b.stfl"\nvar x = 1\n', encoding="utf-8")
    (diagnostic,) = check_file(path)
    assert diagnostic.code is Code.SEMANTIC
    assert diagnostic.message.startswith("Module 'a\x00b.stfl' not found.")
    assert (diagnostic.span.line, diagnostic.span.column) == (1, 1)


def test_nul_byte_in_entry_path_is_a_located_error() -> None:
    (diagnostic,) = Compilation("bad\x00name.stfl").diagnostics
    assert diagnostic.code is Code.SYNTAX
    assert diagnostic.message == "Cannot read file 'bad\x00name.stfl': embedded null byte"
