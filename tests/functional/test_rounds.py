"""Rounds of communication (DESIGN §2 item 5, §4): independent reveals share one round once
round scheduling hoists them (-O1+); a loop of independent secret multiplications costs the
rounds of a single iteration, because the VM defers pending secret work across iterations."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from stoffel.cli.common import ArgumentParser
from stoffel.cli.run import add_run_arguments, run_program

TEN_REVEALS = "\n".join(
    ["def main() -> int64:"]
    + [f"  var s{i}: secret int64 = {i + 1}" for i in range(10)]
    + [line for i in range(10) for line in (f"  var c{i} = s{i}.reveal()", f"  print(c{i})")]
    + ["  return 0", ""]
)


def _loop(n: int) -> str:
    return (
        "def main() -> int64:\n"
        "  var a: secret int64 = 3\n"
        "  var b: secret int64 = 4\n"
        "  var acc: secret int64 = 0\n"
        f"  for i in 0..{n}:\n"
        "    acc = acc + a * b\n"
        "  return acc.reveal()\n"
    )


def _stats(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    parser = ArgumentParser(prog="stoffel run")
    add_run_arguments(parser)
    code = run_program(parser.parse_args([str(path), "--json", "--backend", "clear", *extra]))
    doc = json.loads(capsys.readouterr().out)
    assert code == 0, doc
    return doc  # type: ignore[no-any-return]


Make = Callable[[str], Path]


def test_ten_reveals_take_one_round_at_o2(
    tmp_program: Make, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = _stats(tmp_program(TEN_REVEALS), capsys, "-O", "2")
    assert doc["printed"] == [str(i) for i in range(1, 11)]
    assert doc["stats"]["rounds"] == 1  # type: ignore[index]
    assert doc["stats"]["openings"] == 10  # type: ignore[index]


def test_ten_reveals_take_ten_rounds_at_o0(
    tmp_program: Make, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = _stats(tmp_program(TEN_REVEALS), capsys, "-O", "0")
    assert doc["printed"] == [str(i) for i in range(1, 11)]
    assert doc["stats"]["rounds"] == 10  # type: ignore[index]


@pytest.mark.parametrize("opt_level", ["0", "2"])
def test_loop_of_multiplications_costs_one_iteration(
    tmp_program: Make, capsys: pytest.CaptureFixture[str], opt_level: str
) -> None:
    many = _stats(tmp_program(_loop(1000)), capsys, "-O", opt_level)
    one = _stats(tmp_program(_loop(1)), capsys, "-O", opt_level)
    assert many["result"] == 12000
    assert many["stats"]["multiplications"] == 1000  # type: ignore[index]
    assert many["stats"]["rounds"] == one["stats"]["rounds"] == 2  # type: ignore[index]
