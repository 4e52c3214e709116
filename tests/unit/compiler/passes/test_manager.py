"""PassManager: order validation, fixpoint and its cap, verification after each pass."""

from __future__ import annotations

from typing import ClassVar

import pytest

from stoffel.compiler.passes import (
    DCE,
    ConstFold,
    Pass,
    PassManager,
    PassOrderError,
    RoundSchedule,
    validate_pass_order,
)
from stoffel.compiler.passes.manager import DumpToDirectory, PassVerifyError
from stoffel.compiler.ssa.ir import Function, Instr, Var
from stoffel.compiler.ssa.parser import parse_module

SIMPLE = """
fn @main(%a:clear.i64) -> clear.i64 {
entry:
  %0:clear.i64 = add 1:i64, 2:i64
  %1:clear.i64 = mul %0, 3:i64
  ret %1
}
"""


class AlwaysChanges(Pass):
    """A buggy pass that claims a change every time."""

    def __init__(self) -> None:
        self.calls = 0

    def run(self, fn: Function) -> bool:
        self.calls += 1
        return True


class BreaksIR(Pass):
    def run(self, fn: Function) -> bool:
        fn.entry.instrs.insert(0, Instr("add", [Var("ghost", fn.params[0].type)] * 2, fn.params[0]))
        return True


class NeedsConstFold(Pass):
    required_predecessors: ClassVar = (ConstFold,)


class AfterDCE(Pass):
    must_follow: ClassVar = (DCE,)


def test_order_validation() -> None:
    validate_pass_order([ConstFold, NeedsConstFold, DCE, AfterDCE, RoundSchedule])
    with pytest.raises(PassOrderError, match="needs ConstFold"):
        validate_pass_order([NeedsConstFold, ConstFold])
    with pytest.raises(PassOrderError, match="must come after DCE"):
        validate_pass_order([AfterDCE, DCE])
    with pytest.raises(PassOrderError, match="must be the last"):
        validate_pass_order([RoundSchedule, DCE])
    with pytest.raises(PassOrderError):
        PassManager([RoundSchedule, DCE])


def test_runs_to_a_fixpoint() -> None:
    module = parse_module(SIMPLE)
    manager = PassManager([ConstFold, DCE], verify_each=True)
    assert manager.run(module)
    assert manager.iterations["main"] == 2  # one round that changes, one that confirms
    assert manager.hit_cap == []
    assert not PassManager([ConstFold, DCE]).run(module)


def test_fixpoint_cap_stops_a_pass_that_never_settles() -> None:
    module = parse_module(SIMPLE)
    spinner = AlwaysChanges()
    manager = PassManager([spinner], max_iterations=7)
    manager.run(module)
    assert spinner.calls == 7
    assert manager.hit_cap == ["main"]


def test_verify_each_names_the_guilty_pass() -> None:
    module = parse_module(SIMPLE)
    with pytest.raises(PassVerifyError, match="after BreaksIR"):
        PassManager([ConstFold, BreaksIR], verify_each=True).run(module)


def test_dump_after_sees_each_changing_pass() -> None:
    seen: list[tuple[int, str]] = []
    manager = PassManager(
        [ConstFold, DCE], dump_after=lambda n, p, fn: seen.append((n, type(p).__name__))
    )
    manager.run(parse_module(SIMPLE))
    assert seen == [(1, "ConstFold")]


def test_dump_to_directory_writes_numbered_files(tmp_path) -> None:
    module = parse_module(SIMPLE)
    dump = DumpToDirectory(tmp_path)
    dump.initial(module)
    PassManager([ConstFold, DCE], dump_after=dump).run(module)
    files = sorted(p.name for p in (tmp_path / "main").iterdir())
    assert files == ["000.ssa.ir", "001.const_fold.ir"]
    assert "ret 9:i64" in (tmp_path / "main" / "001.const_fold.ir").read_text()
