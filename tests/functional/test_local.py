"""Secret programs give the same results on `local` (5 real parties in one process) as on
`clear`, and `local` is what `stoffel run` picks for them by default."""

from __future__ import annotations

from pathlib import Path

import pytest

from stoffel.api import compile, default_backend

from .directives import expectation_for, run_cases
from .runner import run_case

SECRET = [
    "secret_dot_product", "secret_if_max", "secret_gates", "secret_fixed_point",
    "valid_secret_if", "valid_millionaires", "valid_secret_auction", "client_io",
    "valid_client_io",
]  # fmt: skip
CASES = [c for c in run_cases() if c.stem in SECRET]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_local_matches_expectation(case: Path) -> None:
    exp = expectation_for(case)
    result = run_case(case, exp.args, 2, backend="local")
    assert result.printed == list(exp.printed)
    assert result.result_text == exp.result
    assert result.stats["bytes_per_party"] > 0
    assert result.outputs == run_case(case, exp.args, 2).outputs


def test_default_backend_choice() -> None:
    by_name = {c.stem: c for c in run_cases()}
    assert default_backend(compile(str(by_name["secret_dot_product"]))) == "local"
    assert default_backend(compile(str(by_name["fib_recursive"]))) == "clear"


def test_enough_cases() -> None:
    assert len(CASES) == len(SECRET)
