"""Generated and mutated programs through the whole pipeline: whatever the checker accepts
must compile without an internal error, and -O0 and -O2 must behave the same (same printed
lines and result, or the same run-time error). Inputs for clients 0..2 are provided."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stoffel.api import NATIVES, to_json
from stoffel.compiler.codegen.api import compile_program
from stoffel.compiler.driver import Compilation
from stoffel.runtime.backends.clear import ClearBackend
from stoffel.vm.errors import VMError
from stoffel.vm.interpreter import VM


def _load_strategies() -> Any:
    # tests/fuzz is not a package we can import relatively from here; load it by path.
    path = Path(__file__).resolve().parent.parent / "fuzz" / "strategies.py"
    spec = importlib.util.spec_from_file_location("_fuzz_strategies", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_S = _load_strategies()
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
PATH = Path("/nonexistent/fuzz.stfl")


def _outcome(source: str, opt_level: int) -> tuple[Any, ...]:
    compiled = compile_program(PATH, opt_level, text=source)
    backend = ClearBackend(client_inputs={0: [1, 2, 3], 1: [4, 5, 6], 2: [7, 8, 9]})
    vm = VM(compiled.binary, backend=backend, natives=NATIVES, budget=50_000)
    try:
        return ("ok", tuple(vm.printed), repr(to_json(vm.reveal(vm.run("main")))))
    except VMError as exc:
        return ("error", tuple(vm.printed), exc.message.split(" (")[0])


def _check(source: str) -> None:
    if Compilation(PATH, text=source).has_errors:
        return
    low, high = _outcome(source, 0), _outcome(source, 2)
    if "budget" in low[-1] or "budget" in high[-1]:
        return  # a loop that does not finish within the budget ends at different points
    assert low == high


@FUZZ
@given(st.one_of(_S.programs, _S.mutated_sources(_S.corpus())))
def test_checked_programs_compile_and_levels_agree(source: str) -> None:
    _check(source)
