"""The MPC backend interface (DESIGN.md §5) and the cost schema (DESIGN.md §6).

The VM talks to every execution backend (``clear``, ``local``, later ``tcp``) only through
:class:`MpcBackend`. Two rules shape it:

* **Byte-oriented shares.** A share is an opaque ``bytes`` value in the backend's own wire
  encoding (for Shamir: this party's field element, 32 bytes little-endian). The VM never looks
  inside; it carries the :class:`ShareType` next to the bytes.
* **Batch-oriented rounds.** Every operation that needs communication takes *vectors* and is one
  call for the whole vector; its round cost does not grow with the vector length. The VM's
  pending-secret scheduler collects independent work and submits it in as few calls as it can.
  Local operations (no communication) are scalar calls.

Clear values crossing the boundary are Python ``int`` field residues in ``[0, p)``. Signed
integers are encoded as ``x mod p`` (negatives are ``p - |x|``); mapping back (``x > (p-1)/2``
means ``x - p``) and width checks are the VM's job. Fixed point (k = 64, f = 16) is the integer
``round(x * 2**16)`` in the same encoding.

Cost accounting (what each call adds to :class:`CostStats`; see :data:`OPEN_COST` and the
``*_cost`` functions). Counts are per element, rounds per call. The top level is the
**online** phase; ``preprocessing`` holds the material consumed and the rounds of generating
it on demand (``pre rds``: each call generates all it consumes in one go, before its online
step; 0 when it was generated beforehand). ``κ = 40`` is the statistical security parameter;
comparisons take 64-bit operands and compute on ``a - b`` with ``k = 65`` bits.

==================  ===============  ======  ====  =====  =====  ==========================  =======
operation           rounds           mults   cmps  opens  rbits  preprocessing per element   pre rds
==================  ===============  ======  ====  =====  =====  ==========================  =======
open                1                0       0     1      0      –                           0
mul (DN)            1                1       0     0      0      1 double sharing            1
mul (Beaver)        1                1       0     0      0      1 triple                    2
lt / le (k bits)    2+⌈log2(k+1)⌉    k       1     1      k      k triples, k bits, 1 share  4+t
eq / eqz (k bits)   1+⌈log2 k⌉       k-1     1     1      k      k-1 triples, k bits         4+t
select              as mul
truncate (m bits)   2+⌈log2(m+2)⌉    m+1     0     1      m+1    m+1 triples, m+1 bits, 1    4+t
fixed_mul           mul then truncate(f); preprocessing generated together                   4+t
div_const (k bits)  lt(k), mul, truncate(2(k−1)), mul                                        5+t
dot                 1                0       0     0      0      1 double sharing            1
random / rand. bit  0                0       0     0      0/1    1 share / 1 bit             1 / 1+t
client_input        2                0       0     0      0      1 share (the mask)          1
output_to_client    1                0       0     0      0      –                           0
==================  ===============  ======  ====  =====  =====  ==========================  =======

(``k`` is ``bits + 1`` of the call: comparisons work on ``a - b``; with 64-bit operands k = 65.
``truncate`` by m ≥ k bits is a sign test and costs ``lt(k)``. Every secret product — in
``mul``, ``select`` and inside comparisons — is DN (one opened value, one double sharing,
counted as a random share) unless ``3t+1 ≤ n < 4t+1``, where it is Beaver (two opened values,
one triple) to keep error correction; see :func:`uses_dn`. The pre-rounds column is for DN;
with Beaver a comparison's also is 4+t, an equality test's 4+t and a product's 2.)

``bytes_per_party`` counts what one party sends online: each opened element costs
``share_size * (n - 1)`` bytes (send your share to everyone; Beaver multiplication opens two
values per element, counted here in bytes but not in ``openings``). ``instructions`` is
filled in by the VM.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

#: BLS12-381 scalar field order, the default field (DESIGN §5).
BLS12_381_R = 0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001

#: Statistical security parameter for masked openings in comparisons (DESIGN §4).
KAPPA = 40
#: Operand width of secret comparisons: 64-bit operands, ``a - b`` needs 65 bits.
COMPARE_BITS = 65
#: Secret fixed point: total bits k and fractional bits f (DESIGN §4).
FIXED_TOTAL_BITS = 64
FIXED_FRAC_BITS = 16


class BackendError(Exception):
    """A backend could not perform an operation (unsupported, protocol failure, timeout).

    The VM turns it into a run-time error at the instruction that needed the result.
    """


class Capability(enum.Flag):
    """What a backend can do; upstream's capability bit set plus our protocol ops."""

    NONE = 0
    MULTIPLICATION = enum.auto()
    CLIENT_INPUT = enum.auto()
    CLIENT_OUTPUT = enum.auto()
    RANDOMNESS = enum.auto()
    FIELD_OPEN = enum.auto()
    OPEN_IN_EXP = enum.auto()
    ELLIPTIC_CURVES = enum.auto()
    CONSENSUS = enum.auto()
    RESERVATION = enum.auto()
    PREPROC_PERSISTENCE = enum.auto()
    COMPARISON = enum.auto()
    TRUNCATION = enum.auto()


#: Names used by ``Mpc.has_capability`` / ``Mpc.capabilities`` (upstream spelling).
CAPABILITY_NAMES: dict[Capability, str] = {
    Capability.MULTIPLICATION: "multiplication",
    Capability.CLIENT_INPUT: "client-input",
    Capability.CLIENT_OUTPUT: "client-output",
    Capability.RANDOMNESS: "randomness",
    Capability.FIELD_OPEN: "field-open",
    Capability.OPEN_IN_EXP: "open-in-exponent",
    Capability.ELLIPTIC_CURVES: "elliptic-curves",
    Capability.CONSENSUS: "consensus",
    Capability.RESERVATION: "reservation",
    Capability.PREPROC_PERSISTENCE: "preproc-persistence",
    Capability.COMPARISON: "comparison",
    Capability.TRUNCATION: "truncation",
}


class ShareKind(enum.Enum):
    INT = 0  # on-disk ShareType tag 0
    FIXED = 1  # tag 1
    UINT = 2  # tag 2


@dataclass(frozen=True, slots=True)
class ShareType:
    """Upstream ``ShareType``: ``SecretInt{bits}``, ``SecretUInt{bits}`` or fixed point.

    A secret bool is ``SecretInt`` with 1 bit. ``frac`` is only meaningful for ``FIXED``.
    """

    kind: ShareKind
    bits: int
    frac: int = 0

    @property
    def is_fixed(self) -> bool:
        return self.kind is ShareKind.FIXED

    @property
    def is_bool(self) -> bool:
        return self.kind is ShareKind.INT and self.bits == 1

    def describe(self) -> str:
        """Upstream Debug form, used by ``print`` (``SecretInt { bit_length: 64 }``)."""
        if self.kind is ShareKind.INT:
            return f"SecretInt {{ bit_length: {self.bits} }}"
        if self.kind is ShareKind.UINT:
            return f"SecretUInt {{ bit_length: {self.bits} }}"
        return (
            "SecretFixedPoint { precision: FixedPointPrecision { "
            f"total_bits: {self.bits}, fractional_bits: {self.frac} }} }}"
        )


SECRET_INT64 = ShareType(ShareKind.INT, 64)
SECRET_BOOL = ShareType(ShareKind.INT, 1)
SECRET_FIX64 = ShareType(ShareKind.FIXED, FIXED_TOTAL_BITS, FIXED_FRAC_BITS)


@dataclass(slots=True)
class Preprocessing:
    """Material consumed, and the rounds spent generating it when it was made on demand."""

    rounds: int = 0
    triples: int = 0
    random_bits: int = 0
    random_shares: int = 0


@dataclass(slots=True)
class CostStats:
    """The cost schema of DESIGN §6; one object per run (per party for ``local``).

    The top-level counters are the **online** phase only; whatever preprocessing costs
    (material and the rounds of generating it) is in ``preprocessing``.
    """

    rounds: int = 0
    multiplications: int = 0
    comparisons: int = 0
    openings: int = 0
    random_bits: int = 0
    bytes_per_party: int = 0
    instructions: int = 0
    preprocessing: Preprocessing = field(default_factory=Preprocessing)

    def as_dict(self) -> dict[str, object]:
        """JSON form, keys in schema order."""
        return {
            "rounds": self.rounds,
            "multiplications": self.multiplications,
            "comparisons": self.comparisons,
            "openings": self.openings,
            "random_bits": self.random_bits,
            "bytes_per_party": self.bytes_per_party,
            "instructions": self.instructions,
            "preprocessing": {
                "rounds": self.preprocessing.rounds,
                "triples": self.preprocessing.triples,
                "random_bits": self.preprocessing.random_bits,
                "random_shares": self.preprocessing.random_shares,
            },
        }


@dataclass(frozen=True, slots=True)
class OpCost:
    """Cost of one batched call: ``rounds`` and ``pre_rounds`` once per call, the rest per
    element. ``pre_rounds`` is what generating the call's preprocessing on demand costs
    (all of it in one go, before the online step; 0 when it was generated beforehand)."""

    rounds: int = 0
    multiplications: int = 0
    comparisons: int = 0
    openings: int = 0
    random_bits: int = 0
    # Field elements each party sends per element (drives bytes_per_party).
    sent_elements: int = 0
    triples: int = 0
    pre_random_bits: int = 0
    random_shares: int = 0
    pre_rounds: int = 0


def _log2(k: int) -> int:
    return max(1, math.ceil(math.log2(max(k, 2))))


def _bit_rounds(t: int) -> int:
    # Random bits: t+1 parties deal bits (1 round), then t XOR folds of one re-sharing each.
    return 1 + t


def uses_dn(n: int, t: int) -> bool:
    """Products by degree reduction with double sharings (DN) unless 3t+1 ≤ n < 4t+1, where
    only Beaver keeps error correction (``protocols/mul.py``: ``uses_dn``)."""
    return n >= 4 * t + 1 or n < 3 * t + 1


def _products(count: int, n: int, t: int) -> dict[str, int]:
    """What ``count`` secret products add: DN opens one value and uses a double sharing
    (counted as a random share); Beaver opens two and uses a triple."""
    if uses_dn(n, t):
        return {"sent_elements": count, "random_shares": count}
    return {"sent_elements": 2 * count, "triples": count}


def _product_pre_rounds(n: int, t: int) -> int:
    # DN: one RanDouSha round. Beaver: RanSha for a, b (shared with any ρ) and one re-sharing.
    return 1 if uses_dn(n, t) else 2


def _masked_pre_rounds(t: int, n: int, mask_keys: int = 1, rho: bool = True) -> int:
    """On-demand generation for masked openings: all bits at once (1 + t rounds), one
    bounded-random round per mask shape, then the products' material; with DN a separate
    RanSha round for ρ, with Beaver ρ joins the triples' RanSha."""
    extra = 1 if rho and uses_dn(n, t) else 0
    return _bit_rounds(t) + mask_keys + _product_pre_rounds(n, t) + extra


def _op(products: int, n: int, t: int, **fields: int) -> OpCost:
    prod = _products(products, n, t)
    for key, v in prod.items():
        fields[key] = fields.get(key, 0) + v
    return OpCost(multiplications=products, **fields)


def lt_cost(k: int = COMPARE_BITS, t: int = 1, n: int = 5) -> OpCost:
    """``[x < 0]`` on k bits: masked open, ``[c < r]`` over k−1 mask bits as one product of
    k+1 factors (k multiplications, ⌈log2(k+1)⌉ rounds), then open that product."""
    return _op(
        k,
        n,
        t,
        rounds=2 + _log2(k + 1),
        comparisons=1,
        openings=1,
        random_bits=k,  # k−1 mask bits and the sign bit
        sent_elements=2,
        pre_random_bits=k,
        random_shares=1,  # ρ
        pre_rounds=_masked_pre_rounds(t, n),
    )


def eqz_cost(k: int = COMPARE_BITS, t: int = 1, n: int = 5) -> OpCost:
    """Zero test on k bits: open a masked value, then a log-depth AND tree over k bit tests."""
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
    """Exact truncation by m bits (floor): masked open plus ``[c < r]`` on the low m bits."""
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
    """``truncate`` of a k-bit operand: by m ≥ k bits it is only a sign test."""
    return truncate_cost(m, t, n) if m < k else lt_cost(k, t, n)


def _plus(a: OpCost, b: OpCost, pre_rounds: int) -> OpCost:
    """Sequential composition; preprocessing is generated for both parts together."""
    s = OpCost(*(x + y for x, y in zip(_fields(a), _fields(b), strict=True)))
    return OpCost(*_fields(s)[:-1], pre_rounds)


def _fields(c: OpCost) -> tuple[int, ...]:
    return (
        c.rounds,
        c.multiplications,
        c.comparisons,
        c.openings,
        c.random_bits,
        c.sent_elements,
        c.triples,
        c.pre_random_bits,
        c.random_shares,
        c.pre_rounds,
    )


def mul_cost(n: int = 5, t: int = 1) -> OpCost:
    return _op(1, n, t, rounds=1, pre_rounds=_product_pre_rounds(n, t))


OPEN_COST = OpCost(rounds=1, openings=1, sent_elements=1)
#: Beaver multiplication (used when triples were generated beforehand, and for 3t+1 ≤ n < 4t+1).
MUL_COST = OpCost(rounds=1, multiplications=1, sent_elements=2, triples=1, pre_rounds=2)
SELECT_COST = MUL_COST
RANDOM_COST = OpCost(random_shares=1, pre_rounds=1)
# Client input: masks to the client, masked values back (2 rounds); the masks are RanSha.
CLIENT_INPUT_COST = OpCost(rounds=2, sent_elements=1, random_shares=1, pre_rounds=1)
CLIENT_OUTPUT_COST = OpCost(rounds=1, sent_elements=1)


def random_bit_cost(t: int = 1) -> OpCost:
    return OpCost(random_bits=1, pre_random_bits=1, pre_rounds=_bit_rounds(t))


RANDOM_BIT_COST = random_bit_cost(1)


def fixed_mul_cost(frac: int = FIXED_FRAC_BITS, t: int = 1, n: int = 5) -> OpCost:
    return _plus(mul_cost(n, t), truncate_cost(frac, t, n), _masked_pre_rounds(t, n))


def div_const_shift(k: int) -> int:
    """Shift of the magic-number division of a (k−1)-bit operand: 2(k−1), enough for any
    divisor of up to k−1 bits, and fixed so that the cost does not depend on the divisor."""
    return 2 * (k - 1)


def div_const_cost(k: int = COMPARE_BITS, t: int = 1, n: int = 5) -> OpCost:
    """Sign test, |a|, magic-number product truncated by ``div_const_shift(k)``, sign back."""
    body = _plus(lt_cost(k, t, n), mul_cost(n, t), 0)
    body = _plus(body, truncate_cost(div_const_shift(k), t, n), 0)
    body = _plus(body, mul_cost(n, t), _masked_pre_rounds(t, n, mask_keys=2))
    # The sign test inside is part of the division, not a user-level comparison.
    return OpCost(body.rounds, body.multiplications, 0, *_fields(body)[3:])


def dot_cost() -> OpCost:
    """One inner product: local products summed, one degree reduction by a double sharing
    (counted as a random share)."""
    return OpCost(rounds=1, sent_elements=1, random_shares=1, pre_rounds=1)


def charge(stats: CostStats, cost: OpCost, count: int, share_size: int, n_parties: int) -> None:
    """Add one batched call of ``count`` elements to ``stats`` (no-op for an empty batch)."""
    if count <= 0:
        return
    stats.rounds += cost.rounds
    stats.multiplications += cost.multiplications * count
    stats.comparisons += cost.comparisons * count
    stats.openings += cost.openings * count
    stats.random_bits += cost.random_bits * count
    stats.bytes_per_party += cost.sent_elements * count * share_size * max(n_parties - 1, 0)
    stats.preprocessing.rounds += cost.pre_rounds
    stats.preprocessing.triples += cost.triples * count
    stats.preprocessing.random_bits += cost.pre_random_bits * count
    stats.preprocessing.random_shares += cost.random_shares * count


@runtime_checkable
class MpcBackend(Protocol):
    """One party's view of an MPC engine.

    Every method with a ``Sequence`` argument is **one round trip group for the whole batch**
    (see the module docstring for its cost); the results are in input order. Methods raise
    :class:`BackendError` for unsupported operations. All clear ints are field residues.
    """

    # Identity and configuration.
    name: str  # execution backend: "clear", "local", "tcp"
    protocol_name: str  # "honeybadger"
    curve: str  # "bls12-381"
    field_name: str
    modulus: int  # the field order p
    share_size: int  # bytes per serialised share
    party_id: int
    n_parties: int
    threshold: int
    instance_id: int
    capabilities: Capability
    stats: CostStats

    def is_ready(self) -> bool: ...

    # --- local share algebra: no communication, scalar -------------------------------------
    def constant(self, value: int) -> bytes:
        """Share a public constant (local: every party knows it; no round)."""
        ...

    def add(self, a: bytes, b: bytes) -> bytes: ...
    def sub(self, a: bytes, b: bytes) -> bytes: ...
    def neg(self, a: bytes) -> bytes: ...
    def add_const(self, a: bytes, c: int) -> bytes: ...
    def mul_const(self, a: bytes, c: int) -> bytes: ...

    def interpolate_local(self, shares: Sequence[bytes]) -> int:
        """Reconstruct from shares already held locally (one per party, in party order)."""
        ...

    # --- interactive, batched -----------------------------------------------------------------
    def open(self, shares: Sequence[bytes]) -> list[int]:
        """Reveal to all parties; field residues in [0, p)."""
        ...

    def mul(self, a: Sequence[bytes], b: Sequence[bytes]) -> list[bytes]:
        """Element-wise secret × secret (Beaver triples)."""
        ...

    def lt(self, a: Sequence[bytes], b: Sequence[bytes], bits: int) -> list[bytes]:
        """Shares of ``[a_i < b_i]`` (0/1) for signed operands of ``bits`` ≤ 64 bits."""
        ...

    def le(self, a: Sequence[bytes], b: Sequence[bytes], bits: int) -> list[bytes]:
        """Shares of ``[a_i <= b_i]``; costs one ``lt`` (``1 - lt(b, a)``)."""
        ...

    def eq(self, a: Sequence[bytes], b: Sequence[bytes], bits: int) -> list[bytes]:
        """Shares of ``[a_i == b_i]``."""
        ...

    def eqz(self, a: Sequence[bytes], bits: int) -> list[bytes]:
        """Shares of ``[a_i == 0]``."""
        ...

    def select(self, c: Sequence[bytes], a: Sequence[bytes], b: Sequence[bytes]) -> list[bytes]:
        """``c ? a : b`` computed as ``c·(a−b)+b`` for bit shares ``c``."""
        ...

    def truncate(self, a: Sequence[bytes], m: int, bits: int) -> list[bytes]:
        """Exact signed ``floor(a / 2**m)``; ``bits`` bounds the operand width."""
        ...

    def fixed_mul(self, a: Sequence[bytes], b: Sequence[bytes], frac: int) -> list[bytes]:
        """Fixed-point product: ``floor(a·b / 2**frac)`` (mul then truncate)."""
        ...

    def div_const(self, a: Sequence[bytes], divisors: Sequence[int], bits: int) -> list[bytes]:
        """Signed integer division by clear non-zero constants, truncating toward zero."""
        ...

    def random(self, count: int) -> list[bytes]:
        """Uniformly random field elements (from preprocessing; no online round)."""
        ...

    def random_bits(self, count: int) -> list[bytes]:
        """Random bits shared as field elements 0/1 (preprocessing)."""
        ...

    def client_input(self, requests: Sequence[tuple[int, int]]) -> list[bytes]:
        """Shares of client inputs ``(client_index, input_index)`` (masked-input protocol)."""
        ...

    def set_client_inputs(self, client: int, values: Sequence[int]) -> None:
        """The clear values client ``client`` submits, in order (``--client-input C=V``);
        integers, 0/1 for bools, raw scaled integers for fixed point (98304 means 1.5)."""
        ...

    def client_counts(self) -> tuple[int, int, int]:
        """``(clients, input clients, output clients)``."""
        ...

    def output_to_client(self, clients: Sequence[int], shares: Sequence[bytes]) -> None:
        """Send each share's value to its client (only the client learns it)."""
        ...

    def client_outputs(self) -> dict[int, list[int]]:
        """Values delivered to clients so far, field residues, keyed by client index."""
        ...

    # --- field element bytes (for Share.open_field, Field.*) ------------------------------------
    def field_to_bytes(self, x: int) -> bytes: ...
    def field_from_bytes(self, data: bytes) -> int: ...


def to_field(x: int, p: int) -> int:
    """Encode a signed integer as a field residue (negatives become p − |x|)."""
    return x % p


def from_field_signed(x: int, p: int) -> int:
    """Decode a residue to a signed integer: ``x > (p−1)/2`` means ``x − p``."""
    return x - p if x > (p - 1) // 2 else x


def fixed_encode(x: float, frac: int = FIXED_FRAC_BITS) -> int:
    """Fixed-point encoding: ``round(x · 2**frac)`` (Python's round: half to even)."""
    return round(x * (1 << frac))
