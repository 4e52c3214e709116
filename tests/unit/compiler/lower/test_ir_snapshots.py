"""Snapshots of the IR the lowering produces for every valid case program, before and after
the -O2 pipeline (the canonical text form, STYLE §8.2), and that the text parses back."""

from __future__ import annotations

from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from stoffel.compiler.codegen import compile_program
from stoffel.compiler.ssa.parser import parse_module
from stoffel.compiler.ssa.printer import print_module

CASES_DIR = Path(__file__).resolve().parents[3] / "cases"
CASES = sorted(CASES_DIR.glob("valid/*.stfl")) + sorted(CASES_DIR.glob("semantics/valid_*.stfl"))


def _id(p: Path) -> str:
    return f"{p.parent.name}-{p.stem}"


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_optimised_ir(case: Path, snapshot_text: SnapshotAssertion) -> None:
    assert compile_program(case, 2).ir_opt == snapshot_text


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_ir_text_round_trips(case: Path) -> None:
    compiled = compile_program(case, 0)
    assert print_module(parse_module(compiled.ir)) == compiled.ir


def test_enough_programs() -> None:
    assert len(CASES) >= 30
