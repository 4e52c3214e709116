"""Every program under tests/cases: exact diagnostics, and AST snapshots of valid ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from stoffel.compiler.ast.printer import dump
from stoffel.compiler.diagnostics import Code
from stoffel.compiler.driver import Compilation

from .expectations import Expected, case_id, entry_points, expected_for

ENTRIES = entry_points()
VALID = [e for e in ENTRIES if not expected_for(e)]


def _actual(compilation: Compilation) -> list[Expected]:
    return sorted(
        Expected(
            str(Path(d.span.file).resolve()) if d.span else "<nowhere>",
            d.span.line if d.span else 0,
            d.span.column if d.span else 0,
            d.code.value,
            d.message,
        )
        for d in compilation.diagnostics
    )


@pytest.mark.parametrize("entry", ENTRIES, ids=case_id)
def test_diagnostics_match_markers(entry: Path) -> None:
    compilation = Compilation(entry)
    actual = _actual(compilation)
    assert all(d.code is not Code.INTERNAL for d in compilation.diagnostics), actual
    assert [str(a) for a in actual] == [str(e) for e in expected_for(entry)]


@pytest.mark.parametrize("entry", VALID, ids=case_id)
def test_valid_program_ast(entry: Path, snapshot_text: SnapshotAssertion) -> None:
    assert dump(Compilation(entry).parsed.body) == snapshot_text


def test_corpus_is_large_enough() -> None:
    assert len(ENTRIES) >= 80
    assert len(VALID) >= 30
