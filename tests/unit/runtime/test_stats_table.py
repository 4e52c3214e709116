"""``local`` reports exactly what the cost table says, op by op; ``clear`` charges the same.

Online rounds and bytes are measured on ``local``'s channels; preprocessing (material and the
rounds of generating it on demand) is counted apart, in ``stats.preprocessing``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from stoffel.runtime import backend as B
from stoffel.runtime.backends.clear import ClearBackend
from stoffel.runtime.backends.local import create_local_run

COUNT = 3
#: name -> (call on a backend with operand shares a, b, the expected table cost)
Cost = Callable[[int, int], B.OpCost]  # (n, t) -> the table's cost
OPS: dict[str, tuple[Callable[[Any, list[bytes], list[bytes]], object], Cost]] = {
    "open": (lambda be, a, b: be.open(a), lambda n, t: B.OPEN_COST),
    "mul": (lambda be, a, b: be.mul(a, b), lambda n, t: B.mul_cost(n, t)),
    "select": (lambda be, a, b: be.select(b, a, a), lambda n, t: B.mul_cost(n, t)),
    "lt64": (lambda be, a, b: be.lt(a, b, 64), lambda n, t: B.lt_cost(65, t, n)),
    "le32": (lambda be, a, b: be.le(a, b, 32), lambda n, t: B.lt_cost(33, t, n)),
    "lt7": (lambda be, a, b: be.lt(a, b, 7), lambda n, t: B.lt_cost(8, t, n)),
    "eq64": (lambda be, a, b: be.eq(a, b, 64), lambda n, t: B.eqz_cost(65, t, n)),
    "eqz8": (lambda be, a, b: be.eqz(a, 8), lambda n, t: B.eqz_cost(9, t, n)),
    "trunc16": (
        lambda be, a, b: be.truncate(a, 16, 64),
        lambda n, t: B.truncate_cost(16, t, n),
    ),
    "trunc_all": (lambda be, a, b: be.truncate(a, 70, 64), lambda n, t: B.lt_cost(65, t, n)),
    "fixed_mul": (
        lambda be, a, b: be.fixed_mul(a, b, 16),
        lambda n, t: B.fixed_mul_cost(16, t, n),
    ),
    "div_const": (
        lambda be, a, b: be.div_const(a, [3, -7, 1 << 40], 64),
        lambda n, t: B.div_const_cost(65, t, n),
    ),
    "dot": (lambda be, a, b: be.dot([a], [b]), lambda n, t: B.dot_cost()),
    "random": (lambda be, a, b: be.random(COUNT), lambda n, t: B.RANDOM_COST),
}


def _expected(cost: B.OpCost, n: int, count: int = COUNT) -> dict[str, object]:
    stats = B.CostStats()
    B.charge(stats, cost, count, 32, n)
    return stats.as_dict()


def _local_stats(op: str, n: int, t: int) -> dict[str, object]:
    run = create_local_run(n_parties=n, threshold=t)
    call = OPS[op][0]

    def party(be: Any) -> dict[str, object]:
        a = [be.constant(v) for v in (5, -3, 1 << 20)]
        b = [be.constant(v) for v in (1, 1, 0)]
        call(be, a, b)
        return be.stats.as_dict()  # type: ignore[no-any-return]

    try:
        return run.run_parties(party)[0]
    finally:
        run.close()


def _count(op: str) -> int:
    return 1 if op == "dot" else COUNT


# (3,1) and (5,1) multiply by degree reduction, (4,1) with Beaver triples (mul.uses_dn).
@pytest.mark.parametrize("nt", [(3, 1), (5, 1), (4, 1)], ids=lambda nt: f"n{nt[0]}t{nt[1]}")
@pytest.mark.parametrize("op", sorted(OPS))
def test_local_stats_equal_the_table(op: str, nt: tuple[int, int]) -> None:
    n, t = nt
    assert _local_stats(op, n, t) == _expected(OPS[op][1](n, t), n, _count(op))


@pytest.mark.parametrize("op", sorted(set(OPS) - {"dot"}))
@pytest.mark.parametrize("nt", [(5, 2), (4, 1)], ids=lambda nt: f"n{nt[0]}t{nt[1]}")
def test_clear_charges_the_table(op: str, nt: tuple[int, int]) -> None:
    n, t = nt
    be = ClearBackend(n_parties=n, threshold=t)
    a = [be.constant(v) for v in (5, -3, 1 << 20)]
    b = [be.constant(v) for v in (1, 1, 0)]
    OPS[op][0](be, a, b)
    assert be.stats.as_dict() == _expected(OPS[op][1](n, t), n)


def test_preprocessing_rounds_stay_out_of_online_rounds() -> None:
    # A 64-bit comparison: 9 online rounds whatever the preprocessing; generating its
    # material on demand takes 4 + t more (bits 1 + t, bounded, RanDouSha, RanSha for ρ).
    stats = _local_stats("lt64", 3, 1)
    assert stats["rounds"] == 9
    assert stats["preprocessing"]["rounds"] == 5  # type: ignore[index]


def test_dealer_preprocessing_has_no_rounds() -> None:
    run = create_local_run(n_parties=3, threshold=1, preprocessing="dealer")

    def party(be: Any) -> dict[str, object]:
        a = [be.constant(2)]
        be.lt(a, a, 64)
        return be.stats.as_dict()  # type: ignore[no-any-return]

    try:
        stats = run.run_parties(party)[0]
    finally:
        run.close()
    assert stats["rounds"] == 9 and stats["preprocessing"]["rounds"] == 0  # type: ignore[index]
