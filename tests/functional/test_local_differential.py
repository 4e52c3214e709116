"""Differential: secret programs give the same result, printed lines and client outputs on
``clear`` (the reference) and ``local`` (real MPC among parties in one process), at -O0 and
-O2; and secret comparisons are right at the edges, through whole programs on ``local``."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from stoffel.api import RunResult, compile

from .directives import CASES as CASES_DIR
from .directives import expectation_for, run_cases
from .runner import run_case

COST_CASES = sorted((CASES_DIR / "cost").glob("*.stfl"))


def _secret_cases() -> list[Path]:
    out = []
    for case in [*run_cases(), *COST_CASES]:
        if expectation_for(case).runnable and compile(str(case), 0).touches_secrets():
            out.append(case)
    return out


SECRET_CASES = _secret_cases()


@pytest.mark.parametrize("opt", [0, 2], ids=lambda o: f"O{o}")
@pytest.mark.parametrize("case", SECRET_CASES, ids=lambda p: f"{p.parent.name}.{p.stem}")
def test_clear_and_local_agree(case: Path, opt: int) -> None:
    args = expectation_for(case).args
    clear = run_case(case, args, opt, "clear", 3, 1)
    local = run_case(case, args, opt, "local", 3, 1)
    assert local.backend == "local"
    _assert_same_output(case, clear, local)
    for key in ("multiplications", "comparisons", "openings"):
        assert local.stats[key] == clear.stats[key], key


@pytest.mark.slow
@pytest.mark.parametrize("nt", [(5, 1), (4, 1), (5, 2)], ids=lambda nt: f"n{nt[0]}t{nt[1]}")
@pytest.mark.parametrize("case", SECRET_CASES, ids=lambda p: f"{p.parent.name}.{p.stem}")
def test_clear_and_local_agree_other_networks(case: Path, nt: tuple[int, int]) -> None:
    args = expectation_for(case).args
    clear = run_case(case, args, 2, "clear", *nt)
    local = run_case(case, args, 2, "local", *nt)
    _assert_same_output(case, clear, local)


def _assert_same_output(case: Path, clear: RunResult, local: RunResult) -> None:
    if "Share.random" in case.read_text(encoding="utf-8"):
        # Random secrets differ between backends: the run must succeed on both (the values
        # reveal in range) with as many lines; their values are checked on `clear` with a
        # seed (test_run_cases) and by range (tests/unit/vm/test_builtins_random.py).
        assert len(local.printed) == len(clear.printed)
    else:
        assert (local.result_text, local.printed, local.outputs) == (
            clear.result_text,
            clear.printed,
            clear.outputs,
        )


def test_enough_secret_cases() -> None:
    assert len(SECRET_CASES) >= 25
    assert any(expectation_for(c).args for c in SECRET_CASES)  # `#!` inputs are honoured


# ------------------------------------------------------------------ comparisons at the edges
BIG = 2**62
MAX = 2**63 - 1
EDGES = [0, 1, -1, 7, BIG, -BIG, BIG - 1, -BIG + 1, MAX, -MAX]
OPS = ("<", "<=", ">", ">=", "==", "!=")


def _compare_program(pairs: list[tuple[int, int]]) -> str:
    body = [
        "def main() -> int64:",
        "  var xs: list[secret int64] = [" + ", ".join(str(a) for a, _ in pairs) + "]",
        "  var ys: list[secret int64] = [" + ", ".join(str(b) for _, b in pairs) + "]",
        "  var out: list[bool] = []",
        "  for i in 0..len(xs):",
        "    var a: secret int64 = xs[i]",
        "    var b: secret int64 = ys[i]",
        *(f"    out.append((a {op} b).reveal())" for op in OPS),
        "  for r in out:",
        "    print(r)",  # printing reads the reveals: everything is batched into one flush
        "  return 0",
        "",
    ]
    return "\n".join(body)


def _expected(pairs: list[tuple[int, int]]) -> list[str]:
    out = []
    for a, b in pairs:
        for got in (a < b, a <= b, a > b, a >= b, a == b, a != b):
            out.append("true" if got else "false")
    return out


@pytest.mark.parametrize("nt", [(3, 1), (5, 1)], ids=lambda nt: f"n{nt[0]}t{nt[1]}")
def test_secret_comparisons_at_the_edges_on_local(tmp_path: Path, nt: tuple[int, int]) -> None:
    pairs = list(itertools.product(EDGES, repeat=2))  # equal values on the diagonal
    path = tmp_path / "edges.stfl"
    path.write_text(_compare_program(pairs), encoding="utf-8")
    result = compile(str(path), 2).run({}, {}, "local", *nt)
    assert result.printed == _expected(pairs)
    assert result.stats["comparisons"] == 6 * len(pairs)


CONSTANT_EDGES = """\
def classify(x: secret int64) -> secret int64:
  var label: secret int64 = 0
  if x < 0:
    label = -1
  elif x == 0:
    label = 0
  elif x >= 4611686018427387904:
    label = 2
  else:
    label = 1
  return label

def main() -> int64:
  var xs: list[secret int64] = [-4611686018427387904, -1, 0, 1, 4611686018427387903,
    4611686018427387904, 9223372036854775807, -9223372036854775807]
  for x in xs:
    print(classify(x).reveal())
  return 0
"""


@pytest.mark.parametrize("opt", [0, 2], ids=lambda o: f"O{o}")
def test_comparisons_with_clear_constants_through_oblivious_ifs(tmp_path: Path, opt: int) -> None:
    path = tmp_path / "classify.stfl"
    path.write_text(CONSTANT_EDGES, encoding="utf-8")
    local = compile(str(path), opt).run({}, {}, "local", 3, 1)
    assert local.printed == ["-1", "-1", "0", "1", "1", "2", "2", "-1"]
    clear = compile(str(path), opt).run({}, {}, "clear", 3, 1)
    assert clear.printed == local.printed
