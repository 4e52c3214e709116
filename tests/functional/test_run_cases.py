"""Every valid program of tests/cases runs on `clear` with its hand-written expectation, at
-O0 and at -O2, and both levels agree (issue item 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stoffel.runtime.backends.clear import ClearBackend

from .directives import expectation_for, run_cases
from .runner import run_case

CASES = run_cases()


@pytest.fixture(autouse=True)
def _seeded_clear_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    """Programs that draw random secrets (valid_share_api reveals a random secret bool)
    print the same lines on every run: the clear backend's generator is seeded."""
    original = ClearBackend.__init__

    def init(self: ClearBackend, *args: Any, seed: int | None = None, **kw: Any) -> None:
        original(self, *args, seed=0 if seed is None else seed, **kw)

    monkeypatch.setattr(ClearBackend, "__init__", init)


def _id(p: Path) -> str:
    return f"{p.parent.name}/{p.stem}"


def _params() -> list[object]:
    return [pytest.param(case, id=_id(case)) for case in CASES]


@pytest.mark.parametrize("case", _params())
@pytest.mark.parametrize("opt_level", [0, 2])
def test_case_runs_with_expected_output(case: Path, opt_level: int) -> None:
    exp = expectation_for(case)
    assert exp.runnable, f"{case} has no run expectation (add #> / #=> or a sidecar)"
    result = run_case(case, exp.args, opt_level)
    assert result.printed == list(exp.printed)
    assert result.result_text == exp.result


@pytest.mark.parametrize("case", _params())
def test_levels_agree(case: Path) -> None:
    exp = expectation_for(case)
    runs = [run_case(case, exp.args, level) for level in (0, 1, 2, 3)]
    seen = {(tuple(r.printed), repr(r.result), repr(r.outputs)) for r in runs}
    assert len(seen) == 1


def test_every_valid_case_is_covered() -> None:
    assert len(CASES) >= 60
