"""Snapshots of the disassembled bytecode (-O2) of every valid case program."""

from __future__ import annotations

from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from stoffel.compiler.codegen import compile_program
from stoffel.vm.disasm import disassemble

CASES_DIR = Path(__file__).resolve().parents[3] / "cases"
CASES = sorted(CASES_DIR.glob("valid/*.stfl")) + sorted(CASES_DIR.glob("semantics/valid_*.stfl"))


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_disassembly(case: Path, snapshot_text: SnapshotAssertion) -> None:
    assert disassemble(compile_program(case, 2).program) == snapshot_text
