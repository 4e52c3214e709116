"""The static cost model on small programs: trip counts, calls, the scheduler's rounds, and
honest ``exact: false`` where a count is not static."""

from __future__ import annotations

from pathlib import Path

import pytest

from stoffel.compiler.codegen.api import compile_program
from stoffel.compiler.cost import Cost, ProgramCost, program_cost


def _cost(tmp_path: Path, source: str, opt: int = 2, n: int = 5, t: int = 1) -> ProgramCost:
    path = tmp_path / "prog.stfl"
    path.write_text(source, encoding="utf-8")
    return program_cost(compile_program(path, opt).module, n, t)


NESTED = """\
def main() -> int64:
  var x: secret int64 = 2
  var total: secret int64 = 0
  for i in 0..4:
    for j in 0..i:
      total = total + x * x
  return total.reveal()
"""


@pytest.mark.parametrize("opt", [0, 1, 2, 3])
def test_nested_loop_trip_counts_multiply(tmp_path: Path, opt: int) -> None:
    total = _cost(tmp_path, NESTED, opt).total
    assert total.exact
    assert total.multiplications == 0 + 1 + 2 + 3
    assert total.openings == 1
    # Independent products of every iteration share one round; then the opening.
    assert total.rounds == 2


CHAIN = """\
def main() -> int64:
  var x: secret int64 = 2
  var acc: secret int64 = 1
  for i in 0..5:
    acc = acc * x
  return acc.reveal()
"""


def test_dependent_products_take_one_round_each(tmp_path: Path) -> None:
    total = _cost(tmp_path, CHAIN).total
    assert (total.rounds, total.multiplications, total.exact) == (6, 5, True)


REVEALS = """\
def main() -> int64:
  var s: secret int64 = 1
  for i in 0..3:
    print(s.reveal())
  return 0
"""


def test_a_read_reveal_flushes_every_iteration(tmp_path: Path) -> None:
    total = _cost(tmp_path, REVEALS).total
    assert (total.rounds, total.openings) == (3, 3)


UNKNOWN_LOOP = """\
def main(n: int64) -> int64:
  var s: secret int64 = 3
  var acc: secret int64 = 0
  for i in 0..n:
    acc = acc + s * s
  return acc.reveal()
"""


def test_a_loop_bound_from_an_input_is_marked_not_exact(tmp_path: Path) -> None:
    total = _cost(tmp_path, UNKNOWN_LOOP).total
    assert not total.exact
    assert total.multiplications == 1  # per iteration
    assert any("line 4" in n and "one iteration" in n for n in total.notes)
    assert total.as_dict()["exact"] is False


BRANCH = """\
def main() -> int64:
  var a: secret int64 = 3
  var b: secret int64 = 4
  if (a < b).reveal():
    print((a * b).reveal())
  else:
    print(0)
  return 0
"""


def test_a_branch_on_a_revealed_value_counts_the_costlier_arm(tmp_path: Path) -> None:
    total = _cost(tmp_path, BRANCH).total
    assert not total.exact
    assert any("line 4" in n and "costlier arm" in n for n in total.notes)
    assert total.comparisons == 1
    assert total.multiplications == 65 + 1  # the comparison's products, then the arm's


CALLS = """\
def sq(x: secret int64) -> secret int64:
  return x * x

def sum_squares(xs: list[secret int64]) -> secret int64:
  var acc: secret int64 = 0
  for x in xs:
    acc = acc + sq(x)
  return acc

def main() -> int64:
  return sum_squares([1, 2, 3, 4, 5]).reveal()
"""


def test_calls_cost_their_body_per_call_and_functions_are_listed(tmp_path: Path) -> None:
    cost = _cost(tmp_path, CALLS, opt=0)
    assert cost.total.exact and cost.total.multiplications == 5
    assert set(cost.functions) == {"sq", "sum_squares", "main"}
    assert cost.functions["sq"].multiplications == 1 and cost.functions["sq"].exact
    # On its own, sum_squares's list length is unknown: one iteration, said so.
    alone = cost.functions["sum_squares"]
    assert not alone.exact and alone.multiplications == 1


def test_clear_recursion_costs_nothing(tmp_path: Path) -> None:
    src = (
        "def fib(n: int64) -> int64:\n  if n < 2:\n    return n\n"
        "  return fib(n - 1) + fib(n - 2)\n\n"
        "def main() -> int64:\n  return fib(10)\n"
    )
    total = _cost(tmp_path, src).total
    assert total.exact and total.rounds == total.multiplications == 0
    assert total.instructions > 100


def test_schema_and_parameters(tmp_path: Path) -> None:
    doc = _cost(tmp_path, NESTED, n=3, t=1).as_dict()
    assert (doc["parties"], doc["threshold"]) == (3, 1)
    keys = list(doc["total"])  # type: ignore[arg-type]
    assert keys[:8] == [
        "rounds",
        "multiplications",
        "comparisons",
        "openings",
        "random_bits",
        "bytes_per_party",
        "instructions",
        "preprocessing",
    ]
    # At n = 3 products use degree reduction: one double sharing (a random share) each,
    # generated on demand in one RanDouSha round for the batch.
    assert doc["total"]["preprocessing"] == {  # type: ignore[index]
        "rounds": 1,
        "triples": 0,
        "random_bits": 0,
        "random_shares": 6,
    }
    # Bytes scale with n − 1: each of the 6 products sends 1 element, the opening 1.
    assert doc["total"]["bytes_per_party"] == (6 * 1 + 1) * 32 * 2  # type: ignore[index]


def test_bad_parties_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="2t\\+1"):
        _cost(tmp_path, NESTED, n=4, t=2)


def test_cost_record_helpers() -> None:
    c = Cost()
    c.inexact("x")
    c.inexact("x")
    assert c.notes == ["x"] and c.copy().notes is not c.notes
