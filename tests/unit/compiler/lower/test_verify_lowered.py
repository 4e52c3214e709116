"""Every program the checker accepts lowers to IR the verifier accepts, and stays valid
after every single pass at every -O level (the pass manager verifies under pytest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stoffel.compiler.driver import Compilation
from stoffel.compiler.lower import lower_program
from stoffel.compiler.passes import PassManager
from stoffel.compiler.passes.manager import verify_requested
from stoffel.compiler.passes.pipelines import optimize
from stoffel.compiler.ssa.verify import verify_module

ROOT = Path(__file__).resolve().parents[4]
PROGRAMS = sorted(
    p
    for pattern in ("tests/cases/**/*.stfl", "tests/functional/**/*.stfl", "examples/**/*.stfl")
    for p in ROOT.glob(pattern)
    if "error" not in p.stem
)


def _lowered(path: Path):  # type: ignore[no-untyped-def]
    compilation = Compilation(path)
    if compilation.has_errors:
        pytest.skip("not a valid program on its own (an imported module or an error case)")
    return lower_program(compilation.checked, compilation.parsed)


def _id(p: Path) -> str:
    return str(p.relative_to(ROOT))


@pytest.mark.parametrize("path", PROGRAMS, ids=_id)
def test_lowered_program_verifies_after_each_pass(path: Path) -> None:
    verify_module(_lowered(path).module)
    for level in (1, 2, 3):
        optimize(_lowered(path).module, level, verify_each=True)


def test_enough_programs_verified() -> None:
    assert len(PROGRAMS) >= 57


def test_pass_managers_verify_under_pytest(monkeypatch: pytest.MonkeyPatch) -> None:
    assert verify_requested()
    assert PassManager([]).verify_each
    monkeypatch.setenv("STOFFEL_VERIFY_IR", "0")
    assert not PassManager([]).verify_each
    assert PassManager([], verify_each=True).verify_each
    monkeypatch.delenv("STOFFEL_VERIFY_IR")
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    assert not verify_requested()
    monkeypatch.setenv("STOFFEL_VERIFY_IR", "1")
    assert verify_requested()
