"""The Compilation driver: lazy phases, overlays, sorting, and never raising."""

from __future__ import annotations

from pathlib import Path

import pytest

from stoffel.compiler.diagnostics import Code
from stoffel.compiler.driver import Compilation, check_file


def test_phases_are_lazy_and_cached(tmp_path: Path) -> None:
    path = tmp_path / "a.stfl"
    path.write_text("var x = 1\n")
    compilation = Compilation(path)
    assert "checked" not in compilation.__dict__
    assert compilation.parsed is compilation.parsed
    assert compilation.checked is compilation.checked
    assert compilation.diagnostics == []


def test_text_overrides_disk_and_overlays_replace_imports(tmp_path: Path) -> None:
    (tmp_path / "lib.stfl").write_text("def f() -> int64:\n  return 1\n")
    main = tmp_path / "main.stfl"
    main.write_text("import lib\nvar y: string = f()\n")
    assert [d.message for d in Compilation(main).diagnostics] == [
        "Type mismatch. Expected 'string', found 'int64'"
    ]
    overlay = {str(tmp_path / "lib.stfl"): 'def f() -> string:\n  return "x"\n'}
    assert Compilation(main, overlays=overlay).diagnostics == []
    assert Compilation(main, text="var z = 2\n").diagnostics == []


def test_diagnostics_are_sorted_and_deduplicated() -> None:
    compilation = Compilation("/v/t.stfl", text="var b = zz\nvar a = yy\nvar c: int8 = 300\n")
    lines = [d.span.line for d in compilation.diagnostics if d.span]
    assert lines == sorted(lines) == [1, 2, 3]


def test_syntax_errors_are_reported() -> None:
    compilation = Compilation("/v/t.stfl", text="var x = (1 +\nvar y: int8 = 300\n")
    codes = {d.code for d in compilation.diagnostics}
    assert Code.SYNTAX in codes


def test_missing_file_is_a_diagnostic_not_an_exception(tmp_path: Path) -> None:
    diagnostics = check_file(tmp_path / "nope.stfl")
    assert len(diagnostics) == 1 and diagnostics[0].span is not None
    assert diagnostics[0].message.startswith("Cannot read file")


def test_a_crash_becomes_a_located_e901(monkeypatch: pytest.MonkeyPatch) -> None:
    from stoffel.compiler.check import statements

    def boom(self: object, node: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(statements.StatementChecks, "visit_ExprStmt", boom)
    diagnostics = Compilation(
        "/v/t.stfl", text="var a = 1\nprint(a)\nvar b: int8 = 300\n"
    ).diagnostics
    internal = [d for d in diagnostics if d.code is Code.INTERNAL]
    assert len(internal) == 1 and internal[0].span is not None and internal[0].span.line == 2
    assert "ValueError: boom" in internal[0].message
    # Checking went on after the crash.
    assert any(d.code is Code.TYPE and d.span and d.span.line == 3 for d in diagnostics)


def test_files_with_syntax_errors_get_no_type_diagnostics() -> None:
    compilation = Compilation("/v/t.stfl", text="var x: int8 = 300\nvar y = (1 +\n")
    assert {d.code for d in compilation.diagnostics} == {Code.SYNTAX}
    assert compilation.checked.types  # types are still computed for the editor
