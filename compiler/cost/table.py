"""The per-operation cost table of the runtime, restated for the compiler.

DESIGN §1 forbids the compiler from importing the runtime, so this module repeats the table
of ``runtime/backend.py`` (``COSTS``, ``lt_cost``, ``eqz_cost``, ``truncate_cost``…) and
``tests/unit/compiler/cost/test_table.py`` proves the two equal for every width the VM uses.
Change both together.

Costs are keyed by the VM scheduler's *group key* (``vm/secrets.py``): every pending
interactive operation with the same key in one flush layer is one batched backend call,
which costs ``rounds`` once and everything else per element.
"""

from __future__ import annotations

import math

import attrs

#: Comparisons take 64-bit operands and compute on ``a - b`` with 65 bits (DESIGN §4).
COMPARE_BITS = 65
#: Secret fixed point: fractional bits (DESIGN §4).
FIXED_FRAC_BITS = 16
#: Bytes of one serialised share: a BLS12-381 scalar (DESIGN §5).
SHARE_SIZE = 32


@attrs.frozen
class OpCost:
    """One batched call: ``rounds`` once per call, the rest per element (runtime's OpCost)."""

    rounds: int = 0
    multiplications: int = 0
    comparisons: int = 0
    openings: int = 0
    random_bits: int = 0
    sent_elements: int = 0  # field elements each party sends per element
    triples: int = 0
    pre_random_bits: int = 0
    random_shares: int = 0

    def __add__(self, other: OpCost) -> OpCost:
        pairs = zip(attrs.astuple(self), attrs.astuple(other), strict=True)
        return OpCost(*(a + b for a, b in pairs))


def _log2(k: int) -> int:
    return max(1, math.ceil(math.log2(max(k, 2))))


def lt_cost(k: int = COMPARE_BITS) -> OpCost:
    return OpCost(2 + _log2(k), 2 * k, 1, 1, k, 1 + 4 * k, 2 * k, k, 1)


def eqz_cost(k: int = COMPARE_BITS) -> OpCost:
    return OpCost(1 + _log2(k), k - 1, 1, 1, k, 1 + 2 * (k - 1), k - 1, k, 1)


def truncate_cost(m: int) -> OpCost:
    return OpCost(2 + _log2(m), 2 * m, 0, 1, m, 1 + 4 * m, 2 * m, m, 1)


OPEN_COST = OpCost(rounds=1, openings=1, sent_elements=1)
MUL_COST = OpCost(rounds=1, multiplications=1, sent_elements=2, triples=1)
SELECT_COST = MUL_COST
RANDOM_COST = OpCost(random_shares=1)
CLIENT_INPUT_COST = OpCost(rounds=1, sent_elements=1, random_shares=1)
CLIENT_OUTPUT_COST = OpCost(rounds=1, sent_elements=1)


def fixed_mul_cost(frac: int = FIXED_FRAC_BITS) -> OpCost:
    return MUL_COST + truncate_cost(frac)


def div_const_cost(k: int = COMPARE_BITS) -> OpCost:
    return truncate_cost(k) + MUL_COST


#: A scheduler group key: ``("mul",)``, ``("lt", 64)``, ``("trunc", 16)``…
Key = tuple[str, ...] | tuple[str, int]


def key_cost(key: Key) -> OpCost:
    """What one element of group ``key`` costs; mirrors ``Scheduler._run_group`` plus the
    backend's charge for that call (the backend passes ``bits + 1`` to the tables)."""
    kind = key[0]
    if kind == "open":
        return OPEN_COST
    if kind == "mul":
        return MUL_COST
    if kind == "select":
        return SELECT_COST
    if kind in ("lt", "le"):
        return lt_cost(int(key[1]) + 1)
    if kind in ("eq", "eqz"):
        return eqz_cost(int(key[1]) + 1)
    if kind == "trunc":
        return truncate_cost(int(key[1]))
    if kind == "fixmul":
        return fixed_mul_cost(int(key[1]))
    if kind == "divc":
        return div_const_cost(int(key[1]) + 1)
    if kind == "input":
        return CLIENT_INPUT_COST
    if kind == "output":
        return CLIENT_OUTPUT_COST
    if kind == "random":
        return RANDOM_COST
    raise KeyError(f"no cost for scheduler key {key!r}")
