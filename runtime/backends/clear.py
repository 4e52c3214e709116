"""The ``clear`` reference backend: secrets held in the clear (DESIGN §5).

A "share" is simply the field element itself (32 bytes, little-endian). Every result equals what
a correct real backend reconstructs, and every call is charged to :class:`CostStats` exactly as
the cost table in :mod:`stoffel.runtime.backend` says, so cost numbers match a real run.
"""

from __future__ import annotations

import random as _random
from collections.abc import Sequence

from stoffel.runtime.backend import (
    BLS12_381_R,
    CLIENT_INPUT_COST,
    CLIENT_OUTPUT_COST,
    OPEN_COST,
    RANDOM_COST,
    BackendError,
    Capability,
    CostStats,
    charge,
    div_const_cost,
    eqz_cost,
    fixed_mul_cost,
    from_field_signed,
    lt_cost,
    mul_cost,
    random_bit_cost,
    truncate_bits_cost,
)
from stoffel.runtime.backends.linear import LinearShareOps

_SHARE_SIZE = 32


class ClearBackend(LinearShareOps):
    """Reference :class:`~stoffel.runtime.backend.MpcBackend`; see the module docstring."""

    name = "clear"
    protocol_name = "honeybadger"
    curve = "bls12-381"
    field_name = "bls12-381-fr"
    share_size = _SHARE_SIZE
    capabilities = (
        Capability.MULTIPLICATION
        | Capability.CLIENT_INPUT
        | Capability.CLIENT_OUTPUT
        | Capability.RANDOMNESS
        | Capability.FIELD_OPEN
        | Capability.COMPARISON
        | Capability.TRUNCATION
    )

    def __init__(
        self,
        *,
        n_parties: int = 5,
        threshold: int = 1,
        party_id: int = 0,
        instance_id: int = 0,
        modulus: int = BLS12_381_R,
        client_inputs: dict[int, list[int]] | None = None,
        seed: int | None = None,
    ) -> None:
        if n_parties < 2 * threshold + 1:
            raise BackendError(f"n = {n_parties} parties need n >= 2t+1 for t = {threshold}")
        self.n_parties = n_parties
        self.threshold = threshold
        self.party_id = party_id
        self.instance_id = instance_id
        self.modulus = modulus
        self.stats = CostStats()
        # Client inputs as field residues, per client index, in order.
        self._inputs: dict[int, list[int]] = {
            c: [v % modulus for v in vs] for c, vs in (client_inputs or {}).items()
        }
        self._outputs: dict[int, list[int]] = {}
        self._rng = _random.Random(seed)

    # --- plumbing ------------------------------------------------------------------------------
    def _signed(self, s: bytes) -> int:
        return from_field_signed(self._dec(s), self.modulus)

    def _charge(self, cost: object, count: int) -> None:
        charge(self.stats, cost, count, _SHARE_SIZE, self.n_parties)  # type: ignore[arg-type]

    @staticmethod
    def _same_len(a: Sequence[object], b: Sequence[object]) -> None:
        if len(a) != len(b):
            raise BackendError(f"batch operands differ in length ({len(a)} vs {len(b)})")

    def is_ready(self) -> bool:
        return True

    # --- local ---------------------------------------------------------------------------------
    def interpolate_local(self, shares: Sequence[bytes]) -> int:
        # Every "share" already is the secret; consistency is what a real backend checks.
        values = {self._dec(s) for s in shares}
        if len(values) != 1:
            raise BackendError("inconsistent shares for interpolation")
        return values.pop()

    # --- interactive ---------------------------------------------------------------------------
    def open(self, shares: Sequence[bytes]) -> list[int]:
        out = [self._dec(s) for s in shares]
        self._charge(OPEN_COST, len(out))
        return out

    def mul(self, a: Sequence[bytes], b: Sequence[bytes]) -> list[bytes]:
        self._same_len(a, b)
        out = [self._enc(self._dec(x) * self._dec(y)) for x, y in zip(a, b, strict=True)]
        self._charge(mul_cost(self.n_parties, self.threshold), len(out))
        return out

    def lt(self, a: Sequence[bytes], b: Sequence[bytes], bits: int) -> list[bytes]:
        self._same_len(a, b)
        out = [self._enc(int(self._signed(x) < self._signed(y))) for x, y in zip(a, b, strict=True)]
        self._charge(lt_cost(bits + 1, self.threshold, self.n_parties), len(out))
        return out

    def le(self, a: Sequence[bytes], b: Sequence[bytes], bits: int) -> list[bytes]:
        self._same_len(a, b)
        out = [
            self._enc(int(self._signed(x) <= self._signed(y))) for x, y in zip(a, b, strict=True)
        ]
        self._charge(lt_cost(bits + 1, self.threshold, self.n_parties), len(out))
        return out

    def eq(self, a: Sequence[bytes], b: Sequence[bytes], bits: int) -> list[bytes]:
        self._same_len(a, b)
        out = [self._enc(int(self._dec(x) == self._dec(y))) for x, y in zip(a, b, strict=True)]
        self._charge(eqz_cost(bits + 1, self.threshold, self.n_parties), len(out))
        return out

    def eqz(self, a: Sequence[bytes], bits: int) -> list[bytes]:
        out = [self._enc(int(self._dec(x) == 0)) for x in a]
        self._charge(eqz_cost(bits + 1, self.threshold, self.n_parties), len(out))
        return out

    def select(self, c: Sequence[bytes], a: Sequence[bytes], b: Sequence[bytes]) -> list[bytes]:
        self._same_len(c, a)
        self._same_len(a, b)
        out = []
        for cs, x, y in zip(c, a, b, strict=True):
            cv, xv, yv = self._dec(cs), self._dec(x), self._dec(y)
            out.append(self._enc(cv * (xv - yv) + yv))
        self._charge(mul_cost(self.n_parties, self.threshold), len(out))
        return out

    def truncate(self, a: Sequence[bytes], m: int, bits: int) -> list[bytes]:
        out = [self._enc(self._signed(x) >> m) for x in a]
        self._charge(truncate_bits_cost(m, bits + 1, self.threshold, self.n_parties), len(out))
        return out

    def fixed_mul(self, a: Sequence[bytes], b: Sequence[bytes], frac: int) -> list[bytes]:
        self._same_len(a, b)
        out = [
            self._enc((self._signed(x) * self._signed(y)) >> frac)
            for x, y in zip(a, b, strict=True)
        ]
        self._charge(fixed_mul_cost(frac, self.threshold, self.n_parties), len(out))
        return out

    def div_const(self, a: Sequence[bytes], divisors: Sequence[int], bits: int) -> list[bytes]:
        self._same_len(a, divisors)
        out = []
        for x, d in zip(a, divisors, strict=True):
            if d == 0:
                raise BackendError("Division by zero")
            v = self._signed(x)
            q = abs(v) // abs(d)
            out.append(self._enc(q if (v < 0) == (d < 0) else -q))
        self._charge(div_const_cost(bits + 1, self.threshold, self.n_parties), len(out))
        return out

    def random(self, count: int) -> list[bytes]:
        out = [self._enc(self._rng.randrange(self.modulus)) for _ in range(count)]
        self._charge(RANDOM_COST, count)
        return out

    def random_bits(self, count: int) -> list[bytes]:
        out = [self._enc(self._rng.getrandbits(1)) for _ in range(count)]
        self._charge(random_bit_cost(self.threshold), count)
        return out

    def client_input(self, requests: Sequence[tuple[int, int]]) -> list[bytes]:
        out = []
        for client, index in requests:
            values = self._inputs.get(client)
            if values is None:
                raise BackendError(f"no inputs from client {client}")
            if not 0 <= index < len(values):
                raise BackendError(
                    f"client {client} has {len(values)} input(s); index {index} is out of range"
                )
            out.append(self._enc(values[index]))
        self._charge(CLIENT_INPUT_COST, len(out))
        return out

    def set_client_inputs(self, client: int, values: Sequence[int]) -> None:
        """Test/CLI hook: the clear values client ``client`` submits, in order."""
        self._inputs[client] = [v % self.modulus for v in values]

    def client_counts(self) -> tuple[int, int, int]:
        n_in = len(self._inputs)
        n_out = len(self._outputs)
        return len(set(self._inputs) | set(self._outputs)), n_in, n_out

    def output_to_client(self, clients: Sequence[int], shares: Sequence[bytes]) -> None:
        self._same_len(clients, shares)
        for c, s in zip(clients, shares, strict=True):
            self._outputs.setdefault(c, []).append(self._dec(s))
        self._charge(CLIENT_OUTPUT_COST, len(shares))

    def client_outputs(self) -> dict[int, list[int]]:
        return {c: list(v) for c, v in self._outputs.items()}

    # --- field bytes ---------------------------------------------------------------------------
    def field_to_bytes(self, x: int) -> bytes:
        return self._enc(x)

    def field_from_bytes(self, data: bytes) -> int:
        return int.from_bytes(data, "little") % self.modulus
