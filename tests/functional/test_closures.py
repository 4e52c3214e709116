"""Closures and upvalues end to end (bytecode.md §1.4): nested functions write through to
their enclosing function's variables, create_closure captures copies, set_upvalue persists
in the closure, and a closure finds the script globals its function uses. Each program in
``programs/`` carries its hand-worked output as ``#>``/``#=>`` lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from stoffel.api import compile

from .directives import read_expectation
from .runner import run_case

PROGRAMS = sorted((Path(__file__).resolve().parent / "programs").glob("closures_*.stfl"))


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.stem)
@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_closure_programs(path: Path, level: int) -> None:
    exp = read_expectation(path)
    assert exp.runnable
    result = run_case(path, exp.args, level)
    assert result.printed == list(exp.printed)
    assert result.result_text == exp.result


def test_enough_programs() -> None:
    assert len(PROGRAMS) >= 3


def test_on_the_local_backend() -> None:
    path = PROGRAMS[0]
    exp = read_expectation(path)
    assert run_case(path, exp.args, 2, backend="local").printed == list(exp.printed)


def test_upvalue_names_in_the_binary() -> None:
    """Function records list their upvalue names; the closure over a globals user carries
    ``__globals``."""
    program = compile(str(PROGRAMS[0].with_name("closures_globals.stfl")), 0)
    functions = {f.name: f for f in program.decoded.functions}
    assert functions["add_total"].upvalues == ["__globals"]
    write = compile(str(PROGRAMS[0].with_name("closures_write_through.stfl")), 0)
    functions = {f.name: f for f in write.decoded.functions}
    assert functions["bump"].upvalues == ["n"]
    assert functions["inner"].upvalues == ["x"]
