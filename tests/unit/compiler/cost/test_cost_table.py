"""The compiler's copy of the cost table equals the runtime's (DESIGN §1 keeps the compiler
from importing the runtime, so the table is restated in compiler/cost/table.py)."""

from __future__ import annotations

import attrs
import pytest

from stoffel.compiler.cost import table
from stoffel.runtime import backend


def _same(mine: table.OpCost, theirs: backend.OpCost) -> None:
    for f in attrs.fields(table.OpCost):
        assert getattr(mine, f.name) == getattr(theirs, f.name), f.name


@pytest.mark.parametrize("nt", [(3, 1), (4, 1), (5, 1), (5, 2), (7, 2), (7, 3), (13, 3)])
@pytest.mark.parametrize("k", [2, 3, 8, 9, 17, 33, 64, 65])
def test_width_dependent_costs(k: int, nt: tuple[int, int]) -> None:
    n, t = nt
    _same(table.lt_cost(k, t, n), backend.lt_cost(k, t, n))
    _same(table.eqz_cost(k, t, n), backend.eqz_cost(k, t, n))
    _same(table.truncate_cost(k, t, n), backend.truncate_cost(k, t, n))
    _same(table.truncate_bits_cost(k, 17, t, n), backend.truncate_bits_cost(k, 17, t, n))
    _same(table.fixed_mul_cost(k, t, n), backend.fixed_mul_cost(k, t, n))
    _same(table.div_const_cost(k, t, n), backend.div_const_cost(k, t, n))
    _same(table.mul_cost(n, t), backend.mul_cost(n, t))
    _same(table.random_bit_cost(t), backend.random_bit_cost(t))
    assert table.div_const_shift(k) == backend.div_const_shift(k)
    assert table.uses_dn(n, t) == backend.uses_dn(n, t)


def test_fixed_costs_and_constants() -> None:
    for name in (
        "OPEN_COST",
        "MUL_COST",
        "SELECT_COST",
        "RANDOM_COST",
        "CLIENT_INPUT_COST",
        "CLIENT_OUTPUT_COST",
    ):
        _same(getattr(table, name), getattr(backend, name))
    assert table.COMPARE_BITS == backend.COMPARE_BITS
    assert table.FIXED_FRAC_BITS == backend.FIXED_FRAC_BITS
    assert table.lt_cost() == table.lt_cost(backend.COMPARE_BITS)
    _same(table.dot_cost(), backend.dot_cost())


def test_share_size_is_the_default_field() -> None:
    assert (backend.BLS12_381_R.bit_length() + 7) // 8 == table.SHARE_SIZE


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (("lt", 64), backend.lt_cost(65)),
        (("le", 32), backend.lt_cost(33)),
        (("eq", 1), backend.eqz_cost(2)),
        (("trunc", 16), backend.truncate_cost(16)),
        (("trunc", 70), backend.lt_cost(65)),
        (("fixmul", 16), backend.fixed_mul_cost(16)),
        (("divc", 64), backend.div_const_cost(65)),
        (("mul",), backend.mul_cost(5, 1)),
        (("select",), backend.mul_cost(5, 1)),
        (("open",), backend.OPEN_COST),
    ],
)
def test_group_keys_charge_what_the_backend_charges(
    key: table.Key, expected: backend.OpCost
) -> None:
    _same(table.key_cost(key), expected)
