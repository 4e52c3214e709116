"""The clear reference backend: results a real backend reconstructs, costs as documented."""

from __future__ import annotations

import pytest

from stoffel.runtime.backend import (
    BLS12_381_R,
    COMPARE_BITS,
    BackendError,
    Capability,
    CostStats,
    MpcBackend,
    eqz_cost,
    fixed_encode,
    from_field_signed,
    lt_cost,
    to_field,
    truncate_cost,
)
from stoffel.runtime.backends import create_backend
from stoffel.runtime.backends.clear import ClearBackend

P = BLS12_381_R


@pytest.fixture
def be() -> ClearBackend:
    return ClearBackend()


def sh(be: ClearBackend, *xs: int) -> list[bytes]:
    return [be.constant(x) for x in xs]


def signed(be: ClearBackend, shares: list[bytes]) -> list[int]:
    return [from_field_signed(v, P) for v in be.open(shares)]


def test_protocol_conformance_and_identity(be: ClearBackend) -> None:
    assert isinstance(be, MpcBackend)
    assert isinstance(create_backend("clear"), ClearBackend)
    assert (be.n_parties, be.threshold, be.party_id) == (5, 1, 0)
    assert Capability.MULTIPLICATION in be.capabilities
    assert be.share_size == 32 and len(be.constant(1)) == 32
    with pytest.raises(BackendError, match="2t\\+1"):
        ClearBackend(n_parties=2, threshold=1)
    with pytest.raises(ValueError):
        create_backend("nope")


def test_local_ops_cost_nothing(be: ClearBackend) -> None:
    a, b = sh(be, 5, -3)
    out = [be.add(a, b), be.sub(a, b), be.neg(a), be.add_const(a, 10), be.mul_const(b, -4)]
    assert be.stats == CostStats()
    assert signed(be, out) == [2, 8, -5, 15, 12]


def test_open_is_one_round_per_batch(be: ClearBackend) -> None:
    assert be.open(sh(be, *range(10))) == list(range(10))
    assert be.open(sh(be, -1)) == [P - 1]
    s = be.stats
    assert (s.rounds, s.openings) == (2, 11)
    assert s.bytes_per_party == 11 * 32 * 4


def test_mul_batch(be: ClearBackend) -> None:
    out = be.mul(sh(be, 2, -3, 4), sh(be, 5, 6, -7))
    assert signed(be, out) == [10, -18, -28]
    s = be.stats
    # n = 5, t = 1 multiplies by degree reduction: a double sharing (random share) each.
    assert s.multiplications == 3 and s.preprocessing.random_shares == 3
    assert s.rounds == 2  # one for the batch of multiplications, one for the opening
    with pytest.raises(BackendError, match="differ in length"):
        be.mul(sh(be, 1), sh(be, 1, 2))


def test_comparisons(be: ClearBackend) -> None:
    a, b = sh(be, -5, 3, 3), sh(be, 3, 3, -5)
    assert be.open(be.lt(a, b, 64)) == [1, 0, 0]
    assert be.open(be.le(a, b, 64)) == [1, 1, 0]
    assert be.open(be.eq(a, b, 64)) == [0, 1, 0]
    assert be.open(be.eqz(sh(be, 0, 7), 64)) == [1, 0]
    cost = lt_cost(COMPARE_BITS)
    assert cost.rounds == 2 + 7 and cost.comparisons == 1
    assert be.stats.comparisons == 3 + 3 + 3 + 2
    assert be.stats.random_bits == 9 * COMPARE_BITS + 2 * COMPARE_BITS
    assert eqz_cost(COMPARE_BITS).rounds == 8


def test_round_count_does_not_grow_with_batch_size() -> None:
    small, big = ClearBackend(), ClearBackend()
    small.lt(sh(small, 1), sh(small, 2), 64)
    big.lt(sh(big, *range(100)), sh(big, *range(100)), 64)
    assert small.stats.rounds == big.stats.rounds
    assert big.stats.comparisons == 100


def test_select_truncate_fixed_and_division(be: ClearBackend) -> None:
    assert signed(be, be.select(sh(be, 1, 0), sh(be, 10, 10), sh(be, 20, 20))) == [10, 20]
    assert signed(be, be.truncate(sh(be, 1000, -1000), 3, 64)) == [125, -125]
    assert truncate_cost(16).rounds == 2 + 5  # masked open, 18-factor product, open
    x, y = fixed_encode(1.5), fixed_encode(-2.25)
    assert signed(be, be.fixed_mul([be.constant(x)], [be.constant(y)], 16)) == [
        fixed_encode(-3.375)
    ]
    assert signed(be, be.div_const(sh(be, 7, -7, 7), [2, 2, -2], 64)) == [3, -3, -3]
    with pytest.raises(BackendError, match="Division by zero"):
        be.div_const(sh(be, 1), [0], 64)


def test_randomness_is_preprocessing(be: ClearBackend) -> None:
    r = be.random(3)
    bits = be.open(be.random_bits(8))
    assert len(r) == 3 and set(bits) <= {0, 1}
    pre = be.stats.preprocessing
    assert (pre.random_shares, pre.random_bits) == (3, 8)


def test_client_io() -> None:
    be = ClearBackend(client_inputs={0: [5, -6]})
    be.set_client_inputs(2, [1])
    got = be.client_input([(0, 1), (2, 0), (0, 0)])
    assert signed(be, got) == [-6, 1, 5]
    assert be.stats.rounds == 3 and be.stats.preprocessing.random_shares == 3
    assert be.stats.preprocessing.rounds == 1
    be.output_to_client([1, 1], got[:2])
    assert be.client_outputs() == {1: [P - 6, 1]}
    assert be.client_counts() == (3, 2, 1)
    with pytest.raises(BackendError, match="index 5 is out of range"):
        be.client_input([(0, 5)])
    with pytest.raises(BackendError, match="no inputs from client 9"):
        be.client_input([(9, 0)])


def test_field_helpers(be: ClearBackend) -> None:
    assert to_field(-1, P) == P - 1 and from_field_signed(P - 1, P) == -1
    assert be.field_from_bytes(be.field_to_bytes(-2)) == P - 2
    assert be.interpolate_local([be.constant(4)] * 5) == 4
    with pytest.raises(BackendError, match="inconsistent"):
        be.interpolate_local(sh(be, 1, 2))
    with pytest.raises(BackendError, match="malformed share"):
        be.open([b"\x00"])


def test_stats_schema_order() -> None:
    keys = list(CostStats().as_dict())
    assert keys == [
        "rounds",
        "multiplications",
        "comparisons",
        "openings",
        "random_bits",
        "bytes_per_party",
        "instructions",
        "preprocessing",
    ]
    assert list(CostStats().as_dict()["preprocessing"]) == [  # type: ignore[call-overload]
        "rounds",
        "triples",
        "random_bits",
        "random_shares",
    ]
