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
    """One batched call: ``rounds`` and ``pre_rounds`` once per call, the rest per element
    (the runtime's OpCost; ``pre_rounds`` = generating the call's preprocessing on demand)."""

    rounds: int = 0
    multiplications: int = 0
    comparisons: int = 0
    openings: int = 0
    random_bits: int = 0
    sent_elements: int = 0  # field elements each party sends per element
    triples: int = 0
    pre_random_bits: int = 0
    random_shares: int = 0
    pre_rounds: int = 0

    def then(self, other: OpCost, pre_rounds: int) -> OpCost:
        """Sequential composition; the preprocessing of both is generated together."""
        pairs = zip(attrs.astuple(self), attrs.astuple(other), strict=True)
        return attrs.evolve(OpCost(*(a + b for a, b in pairs)), pre_rounds=pre_rounds)


def _log2(k: int) -> int:
    return max(1, math.ceil(math.log2(max(k, 2))))


def uses_dn(n: int, t: int) -> bool:
    return n >= 4 * t + 1 or n < 3 * t + 1


def _products(count: int, n: int, t: int) -> dict[str, int]:
    if uses_dn(n, t):
        return {"sent_elements": count, "random_shares": count}
    return {"sent_elements": 2 * count, "triples": count}


def _product_pre_rounds(n: int, t: int) -> int:
    return 1 if uses_dn(n, t) else 2


def _masked_pre_rounds(t: int, n: int, mask_keys: int = 1, rho: bool = True) -> int:
    extra = 1 if rho and uses_dn(n, t) else 0
    return 1 + t + mask_keys + _product_pre_rounds(n, t) + extra


def _op(products: int, n: int, t: int, **fields: int) -> OpCost:
    for key, v in _products(products, n, t).items():
        fields[key] = fields.get(key, 0) + v
    return OpCost(multiplications=products, **fields)


def lt_cost(k: int = COMPARE_BITS, t: int = 1, n: int = 5) -> OpCost:
    return _op(
        k,
        n,
        t,
        rounds=2 + _log2(k + 1),
        comparisons=1,
        openings=1,
        random_bits=k,
        sent_elements=2,
        pre_random_bits=k,
        random_shares=1,
        pre_rounds=_masked_pre_rounds(t, n),
    )


def eqz_cost(k: int = COMPARE_BITS, t: int = 1, n: int = 5) -> OpCost:
    return _op(
        k - 1,
        n,
        t,
        rounds=1 + _log2(k),
        comparisons=1,
        openings=1,
        random_bits=k,
        sent_elements=1,
        pre_random_bits=k,
        pre_rounds=_masked_pre_rounds(t, n, rho=False),
    )


def truncate_cost(m: int, t: int = 1, n: int = 5) -> OpCost:
    return _op(
        m + 1,
        n,
        t,
        rounds=2 + _log2(m + 2),
        openings=1,
        random_bits=m + 1,
        sent_elements=2,
        pre_random_bits=m + 1,
        random_shares=1,
        pre_rounds=_masked_pre_rounds(t, n),
    )


def truncate_bits_cost(m: int, k: int, t: int = 1, n: int = 5) -> OpCost:
    return truncate_cost(m, t, n) if m < k else lt_cost(k, t, n)


def mul_cost(n: int = 5, t: int = 1) -> OpCost:
    return _op(1, n, t, rounds=1, pre_rounds=_product_pre_rounds(n, t))


OPEN_COST = OpCost(rounds=1, openings=1, sent_elements=1)
MUL_COST = OpCost(rounds=1, multiplications=1, sent_elements=2, triples=1, pre_rounds=2)
SELECT_COST = MUL_COST
RANDOM_COST = OpCost(random_shares=1, pre_rounds=1)
CLIENT_INPUT_COST = OpCost(rounds=2, sent_elements=1, random_shares=1, pre_rounds=1)
CLIENT_OUTPUT_COST = OpCost(rounds=1, sent_elements=1)


def random_bit_cost(t: int = 1) -> OpCost:
    return OpCost(random_bits=1, pre_random_bits=1, pre_rounds=1 + t)


def fixed_mul_cost(frac: int = FIXED_FRAC_BITS, t: int = 1, n: int = 5) -> OpCost:
    return mul_cost(n, t).then(truncate_cost(frac, t, n), _masked_pre_rounds(t, n))


def div_const_shift(k: int) -> int:
    return 2 * (k - 1)


def div_const_cost(k: int = COMPARE_BITS, t: int = 1, n: int = 5) -> OpCost:
    body = lt_cost(k, t, n).then(mul_cost(n, t), 0)
    body = body.then(truncate_cost(div_const_shift(k), t, n), 0)
    body = body.then(mul_cost(n, t), _masked_pre_rounds(t, n, mask_keys=2))
    return attrs.evolve(body, comparisons=0)


def dot_cost() -> OpCost:
    return OpCost(rounds=1, sent_elements=1, random_shares=1, pre_rounds=1)


#: A scheduler group key: ``("mul",)``, ``("lt", 64)``, ``("trunc", 16)``…
Key = tuple[str, ...] | tuple[str, int]


def key_cost(key: Key, t: int = 1, n: int = 5) -> OpCost:
    """What one element of group ``key`` costs; mirrors ``Scheduler._run_group`` plus the
    backend's charge for that call (the backend passes ``bits + 1`` to the tables) at
    ``n`` parties, threshold ``t`` (they pick the multiplication protocol; see ``uses_dn``)."""
    kind = key[0]
    if kind == "open":
        return OPEN_COST
    if kind in ("mul", "select"):
        return mul_cost(n, t)
    if kind in ("lt", "le"):
        return lt_cost(int(key[1]) + 1, t, n)
    if kind in ("eq", "eqz"):
        return eqz_cost(int(key[1]) + 1, t, n)
    if kind == "trunc":
        return truncate_bits_cost(int(key[1]), COMPARE_BITS, t, n)
    if kind == "fixmul":
        return fixed_mul_cost(int(key[1]), t, n)
    if kind == "divc":
        return div_const_cost(int(key[1]) + 1, t, n)
    if kind == "input":
        return CLIENT_INPUT_COST
    if kind == "output":
        return CLIENT_OUTPUT_COST
    if kind == "random":
        return RANDOM_COST
    raise KeyError(f"no cost for scheduler key {key!r}")
