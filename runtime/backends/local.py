"""The ``local`` backend (DESIGN §5): n parties in one process, real messages in memory.

:class:`LocalCluster` owns the hub; :func:`create_local_backends` returns one
:class:`LocalBackend` per party, each with its own context (shares, preprocessing, counters).
The VM drives each backend from its own thread (:meth:`LocalRun.run_parties` does that), since
every interactive call blocks until the round completes on all parties.

Accounting: ``rounds`` and ``bytes_per_party`` are measured on the channel (all sub-rounds of a
protocol, preprocessing included when it runs on demand); the per-element counters follow
the cost table of :mod:`stoffel.runtime.backend`; ``preprocessing`` counts material consumed.

Extras beyond :class:`~stoffel.runtime.backend.MpcBackend`: :meth:`LocalBackend.preprocess`
(explicit offline phase), :meth:`LocalBackend.dot`, :meth:`LocalBackend.fixed_div_const`,
:attr:`LocalBackend.faults` and :attr:`LocalBackend.error_correction`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import TypeVar

from stoffel.runtime.backend import (
    CLIENT_INPUT_COST,
    CLIENT_OUTPUT_COST,
    OPEN_COST,
    RANDOM_BIT_COST,
    RANDOM_COST,
    BackendError,
    Capability,
    CostStats,
    OpCost,
    div_const_cost,
    dot_cost,
    eqz_cost,
    fixed_mul_cost,
    lt_cost,
    mul_cost,
    truncate_bits_cost,
    truncate_cost,
)
from stoffel.runtime.backends.linear import LinearShareOps
from stoffel.runtime.cluster import LocalCluster, PreprocMode
from stoffel.runtime.context import DEFAULT_TIMEOUT, PartyContext
from stoffel.runtime.errors import MpcError, ParameterError
from stoffel.runtime.field import BLS12_381, PrimeField
from stoffel.runtime.protocols import client as client_proto
from stoffel.runtime.protocols import compare, fixed, mul
from stoffel.runtime.protocols.open import open_vec
from stoffel.runtime.protocols.preprocessing import InteractivePreproc
from stoffel.runtime.robust import decode_batch

T = TypeVar("T")

_CAPS = (
    Capability.MULTIPLICATION
    | Capability.CLIENT_INPUT
    | Capability.CLIENT_OUTPUT
    | Capability.RANDOMNESS
    | Capability.FIELD_OPEN
    | Capability.COMPARISON
    | Capability.TRUNCATION
)


class LocalBackend(LinearShareOps):
    """One party of a :class:`LocalRun`; implements ``MpcBackend``."""

    name = "local"
    protocol_name = "honeybadger"
    curve = "bls12-381"
    capabilities = _CAPS

    def __init__(self, run: LocalRun, ctx: PartyContext) -> None:
        self._run = run
        self._ctx = ctx
        f = ctx.field
        self.field_name = f.name or f"gf{f.p}"
        self.modulus = f.p
        self.share_size = f.byte_len
        self.party_id = ctx.id
        self.n_parties = ctx.n
        self.threshold = ctx.t
        self.instance_id = run.instance_id
        self.stats = CostStats()
        self._sent_outputs: dict[int, int] = {}

    # --- extras ----------------------------------------------------------------------------------
    @property
    def context(self) -> PartyContext:
        return self._ctx

    @property
    def error_correction(self) -> bool:
        """Robust reconstruction corrects wrong shares (n ≥ 3t+1); otherwise it only detects."""
        return self._ctx.robust

    @property
    def faults(self) -> dict[int, int]:
        """Parties whose shares failed reconstruction on this party, with counts."""
        return dict(self._ctx.faults)

    def preprocess(
        self,
        *,
        triples: int = 0,
        bits: int = 0,
        randoms: int = 0,
        comparisons: int = 0,
        compare_bits: int = 64,
    ) -> None:
        """Explicit offline phase; all parties call it together with the same arguments.

        ``comparisons`` adds what that many ``lt``/``le`` calls on ``compare_bits``-bit
        operands consume (mask bits, sign bit, ρ, the zero-test product's triples).
        """
        pre = self._ctx.preproc
        if not isinstance(pre, InteractivePreproc):
            return  # the trusted dealer hands material out on demand
        m = compare_bits  # a − b has compare_bits + 1 bits; the mask covers the low m bits
        masks = {(m, 1 + compare.KAPPA): comparisons} if comparisons else None
        # The comparisons' products: double sharings with DN, else triples (mul.uses_dn).
        products = (m + 1) * comparisons
        dn = mul.uses_dn(self.n_parties, self.threshold)
        self._measured(
            lambda: pre.fill(
                self._ctx,
                doubles=products if dn else 0,
                triples=triples + (0 if dn else products),
                bits=bits + comparisons,
                randoms=randoms + comparisons,
                masks=masks,
            )
        )

    def is_ready(self) -> bool:
        return True

    # --- plumbing --------------------------------------------------------------------------------
    def _decs(self, shares: Sequence[bytes]) -> list[int]:
        size = self.share_size
        if any(len(s) != size for s in shares):
            raise BackendError(f"malformed share: expected {size} bytes")
        fb = int.from_bytes
        return [fb(s, "little") for s in shares]

    def _encs(self, values: Sequence[int]) -> list[bytes]:
        size = self.share_size
        return [v.to_bytes(size, "little") for v in values]

    @staticmethod
    def _same_len(*vecs: Sequence[object]) -> None:
        if len({len(v) for v in vecs}) > 1:
            raise BackendError(
                "batch operands differ in length (" + " vs ".join(str(len(v)) for v in vecs) + ")"
            )

    def _measured(self, fn: Callable[[], T], cost: OpCost | None = None, count: int = 0) -> T:
        """Run a protocol step; charge the table's per-element counts, and the rounds and
        bytes measured on the channel, split into online and (on-demand) preprocessing, plus
        the preprocessing material actually consumed."""
        ch = self._ctx.channel.stats
        used = self._ctx.preproc.used
        before = (
            ch.rounds,
            ch.bytes_sent,
            used.rounds,
            used.bytes_sent,
            used.triples,
            used.bits,
            used.randoms + used.doubles,
        )
        try:
            out = fn()
        except MpcError:
            raise
        except (ValueError, ZeroDivisionError) as exc:
            raise BackendError(str(exc)) from exc
        s = self.stats
        if cost is not None and count > 0:
            s.multiplications += cost.multiplications * count
            s.comparisons += cost.comparisons * count
            s.openings += cost.openings * count
            s.random_bits += cost.random_bits * count
        pre_rounds = used.rounds - before[2]
        s.rounds += ch.rounds - before[0] - pre_rounds
        s.bytes_per_party += ch.bytes_sent - before[1] - (used.bytes_sent - before[3])
        s.preprocessing.rounds += pre_rounds
        s.preprocessing.triples += used.triples - before[4]
        s.preprocessing.random_bits += used.bits - before[5]
        # A double sharing (for a product or a dot) counts as one random share.
        s.preprocessing.random_shares += used.randoms + used.doubles - before[6]
        return out

    # --- local -----------------------------------------------------------------------------------
    def interpolate_local(self, shares: Sequence[bytes]) -> int:
        if len(shares) != self.n_parties:
            raise BackendError(f"need one share per party ({self.n_parties}), got {len(shares)}")
        vals = [[v] for v in self._decs(shares)]
        try:
            res = decode_batch(self._ctx.field, vals, self.threshold, correct=self._ctx.robust)
        except MpcError as exc:
            raise BackendError(str(exc)) from exc
        return res.values[0]

    # --- interactive -----------------------------------------------------------------------------
    def open(self, shares: Sequence[bytes]) -> list[int]:
        x = self._decs(shares)
        return self._measured(lambda: open_vec(self._ctx, x), OPEN_COST, len(x))

    def mul(self, a: Sequence[bytes], b: Sequence[bytes]) -> list[bytes]:
        self._same_len(a, b)
        x, y = self._decs(a), self._decs(b)
        return self._encs(
            self._measured(
                lambda: mul.secure_mul(self._ctx, x, y),
                mul_cost(self.n_parties, self.threshold),
                len(x),
            )
        )

    def _cmp(
        self,
        fn: Callable[..., list[int]],
        a: Sequence[bytes],
        b: Sequence[bytes],
        bits: int,
        cost: OpCost,
    ) -> list[bytes]:
        self._same_len(a, b)
        self._check_bits(bits)
        x, y = self._decs(a), self._decs(b)
        return self._encs(self._measured(lambda: fn(self._ctx, x, y, bits), cost, len(x)))

    @staticmethod
    def _check_bits(bits: int) -> None:
        if not 1 <= bits <= 64:
            raise BackendError(f"comparison operands must have 1..64 bits, got {bits}")

    def lt(self, a: Sequence[bytes], b: Sequence[bytes], bits: int) -> list[bytes]:
        return self._cmp(compare.lt, a, b, bits, lt_cost(bits + 1, self.threshold, self.n_parties))

    def le(self, a: Sequence[bytes], b: Sequence[bytes], bits: int) -> list[bytes]:
        return self._cmp(compare.le, a, b, bits, lt_cost(bits + 1, self.threshold, self.n_parties))

    def eq(self, a: Sequence[bytes], b: Sequence[bytes], bits: int) -> list[bytes]:
        return self._cmp(compare.eq, a, b, bits, eqz_cost(bits + 1, self.threshold, self.n_parties))

    def eqz(self, a: Sequence[bytes], bits: int) -> list[bytes]:
        self._check_bits(bits)
        x = self._decs(a)
        return self._encs(
            self._measured(
                lambda: compare.eqz(self._ctx, x, bits + 1),
                eqz_cost(bits + 1, self.threshold, self.n_parties),
                len(x),
            )
        )

    def select(self, c: Sequence[bytes], a: Sequence[bytes], b: Sequence[bytes]) -> list[bytes]:
        self._same_len(c, a, b)
        cc, x, y = self._decs(c), self._decs(a), self._decs(b)
        return self._encs(
            self._measured(
                lambda: mul.select(self._ctx, cc, x, y),
                mul_cost(self.n_parties, self.threshold),
                len(x),
            )
        )

    def truncate(self, a: Sequence[bytes], m: int, bits: int) -> list[bytes]:
        x = self._decs(a)
        k = bits + 1
        if m <= 0:
            return list(a)

        def go() -> list[int]:
            if m < k:
                return compare.trunc(self._ctx, x, m, k)
            # |x| < 2^(k-1) ≤ 2^m: the floor is −1 for negatives and 0 otherwise.
            p = self.modulus
            return [(-v) % p for v in compare.ltz(self._ctx, x, k)]

        return self._encs(
            self._measured(go, truncate_bits_cost(m, k, self.threshold, self.n_parties), len(x))
        )

    def fixed_mul(self, a: Sequence[bytes], b: Sequence[bytes], frac: int) -> list[bytes]:
        self._same_len(a, b)
        x, y = self._decs(a), self._decs(b)
        return self._encs(
            self._measured(
                lambda: fixed.fixed_mul(self._ctx, x, y, frac),
                fixed_mul_cost(frac, self.threshold, self.n_parties),
                len(x),
            )
        )

    def div_const(self, a: Sequence[bytes], divisors: Sequence[int], bits: int) -> list[bytes]:
        self._same_len(a, divisors)
        if any(d == 0 for d in divisors):
            raise BackendError("Division by zero")
        x = self._decs(a)
        return self._encs(
            self._measured(
                lambda: fixed.div_const(self._ctx, x, list(divisors), bits),
                div_const_cost(bits + 1, self.threshold, self.n_parties),
                len(x),
            )
        )

    def fixed_div_const(self, a: Sequence[bytes], divisor: Fraction | float | int) -> list[bytes]:
        """Fixed-point ``a / divisor`` (clear divisor), rounded to nearest."""
        if divisor == 0:
            raise BackendError("Division by zero")
        x = self._decs(a)
        return self._encs(
            self._measured(
                lambda: fixed.fixed_div_const(self._ctx, x, divisor),
                truncate_cost(64, self.threshold, self.n_parties),
                len(x),
            )
        )

    def dot(self, a: Sequence[Sequence[bytes]], b: Sequence[Sequence[bytes]]) -> list[bytes]:
        """Inner products of paired vectors; one opening for all of them."""
        xs = [self._decs(v) for v in a]
        ys = [self._decs(v) for v in b]
        return self._encs(self._measured(lambda: mul.dot(self._ctx, xs, ys), dot_cost(), len(xs)))

    def random(self, count: int) -> list[bytes]:
        return self._encs(
            self._measured(lambda: self._ctx.preproc.randoms(self._ctx, count), RANDOM_COST, count)
        )

    def random_bits(self, count: int) -> list[bytes]:
        return self._encs(
            self._measured(lambda: self._ctx.preproc.bits(self._ctx, count), RANDOM_BIT_COST, count)
        )

    def client_input(self, requests: Sequence[tuple[int, int]]) -> list[bytes]:
        wanted: dict[int, list[int]] = {}
        for c, i in requests:
            cs = self._run.cluster.clients.get(c)
            if cs is None:
                raise BackendError(f"no inputs from client {c}")
            if not 0 <= i < len(cs.inputs):
                raise BackendError(
                    f"client {c} has {len(cs.inputs)} input(s); index {i} is out of range"
                )
            wanted.setdefault(c, []).append(i)
        got = self._measured(
            lambda: client_proto.client_input(self._ctx, wanted), CLIENT_INPUT_COST, len(requests)
        )
        pos = dict.fromkeys(got, 0)
        out = []
        for c, _ in requests:
            out.append(got[c][pos[c]])
            pos[c] += 1
        return self._encs(out)

    def set_client_inputs(self, client: int, values: Sequence[int]) -> None:
        """What client ``client`` will submit (its own endpoint holds them, not the parties).

        Every party's VM may call this with the same values; the client is registered once.
        """
        self._run.set_client_inputs(client, values)

    def client_counts(self) -> tuple[int, int, int]:
        clients = self._run.cluster.clients
        n_in = sum(1 for cs in clients.values() if cs.inputs)
        n_out = sum(1 for cs in clients.values() if cs.outputs or cs.output_batches)
        return len(clients), n_in, max(n_out, len(self._sent_outputs))

    def output_to_client(self, clients: Sequence[int], shares: Sequence[bytes]) -> None:
        self._same_len(clients, shares)
        by_client: dict[int, list[int]] = {}
        for c, s in zip(clients, shares, strict=True):
            by_client.setdefault(c, []).append(self._dec(s))
        for c in by_client:
            self._run.ensure_client(c)

        def go() -> None:
            for c, vals in sorted(by_client.items()):
                client_proto.output_to_client(self._ctx, c, vals)
                self._sent_outputs[c] = self._sent_outputs.get(c, 0) + 1

        self._measured(go, CLIENT_OUTPUT_COST, len(shares))

    def client_outputs(self) -> dict[int, list[int]]:
        """What the clients reconstructed; waits until they processed every batch we sent."""
        return self._run.wait_outputs(dict(self._sent_outputs), self._ctx.timeout)

    # --- field bytes -----------------------------------------------------------------------------
    def field_to_bytes(self, x: int) -> bytes:
        return self._enc(x)

    def field_from_bytes(self, data: bytes) -> int:
        return int.from_bytes(data, "little") % self.modulus


class LocalRun:
    """A cluster plus one :class:`LocalBackend` per party."""

    def __init__(self, cluster: LocalCluster, instance_id: int = 0) -> None:
        self.cluster = cluster
        self.instance_id = instance_id
        self.backends = [LocalBackend(self, ctx) for ctx in cluster.contexts]
        self._lock = threading.Lock()

    def ensure_client(self, index: int) -> None:
        with self._lock:
            if index not in self.cluster.clients:
                self.cluster.add_client(index)

    def set_client_inputs(self, index: int, values: Sequence[int]) -> None:
        p = self.cluster.field.p
        with self._lock:
            if index not in self.cluster.clients:
                self.cluster.add_client(index, values)
            else:
                self.cluster.clients[index].inputs = [v % p for v in values]

    def wait_outputs(self, sent: dict[int, int], timeout: float) -> dict[int, list[int]]:
        deadline = time.monotonic() + timeout
        clients = self.cluster.clients
        while any(clients[c].output_batches < k for c, k in sent.items()):
            if self.cluster.client_errors:
                raise BackendError(f"client failed: {self.cluster.client_errors[0]}")
            if time.monotonic() > deadline:
                raise BackendError("timed out waiting for clients to receive their outputs")
            time.sleep(0.001)
        return {c: list(cs.outputs) for c, cs in clients.items() if cs.outputs}

    def run_parties(self, fn: Callable[[LocalBackend], T]) -> list[T]:
        """Run ``fn(backend)`` for every party in its own thread; results in party order."""
        return self.cluster.run_each([lambda _ctx, b=b: fn(b) for b in self.backends])

    def close(self) -> None:
        self.cluster.close()


def create_local_run(
    *,
    n_parties: int = 5,
    threshold: int = 1,
    modulus: int | None = None,
    field: PrimeField | None = None,
    instance_id: int = 0,
    timeout: float = DEFAULT_TIMEOUT,
    preprocessing: PreprocMode = "interactive",
    serialize: bool = False,
    client_inputs: dict[int, Sequence[int]] | None = None,
    open_mode: str = "broadcast",
    offline_helper: bool = False,
) -> LocalRun:
    """Build the n party backends of one local run (``n ≥ 2t+1`` or :class:`ParameterError`).

    ``open_mode="king"`` opens through a rotating king (2 rounds, 1/n of the decoding work);
    the default ``broadcast`` has every party decode every opening (1 round).
    ``preprocessing="dealer"`` is the trusted dealer: tests only. ``offline_helper=True``
    generates half of every large offline request in a helper process on another core
    (:mod:`stoffel.runtime.offline`).
    """
    if n_parties < 2 * threshold + 1 or threshold < 0:
        raise ParameterError(
            f"n = {n_parties} parties need n >= 2t+1 = {2 * threshold + 1} "
            f"for threshold t = {threshold}"
        )
    f = field or (PrimeField(modulus) if modulus and modulus != BLS12_381.p else BLS12_381)
    cluster = LocalCluster(
        n_parties,
        threshold,
        f,
        timeout=timeout,
        preprocessing=preprocessing,
        serialize=serialize,
        session=f"local-{instance_id}-{time.monotonic_ns():x}",
        client_inputs=client_inputs,
        open_mode=open_mode,
        offline_workers=1 if offline_helper else 0,
    )
    return LocalRun(cluster, instance_id)


def create_local_backends(**options: object) -> list[LocalBackend]:
    """Convenience: just the backends (the run stays reachable through them)."""
    return create_local_run(**options).backends  # type: ignore[arg-type]


def error_correction_note(n: int, t: int) -> str:
    """One line for the CLI/log: whether robust reconstruction corrects errors."""
    if n >= 3 * t + 1:
        return (
            f"error correction on (n = {n} >= 3t+1 = {3 * t + 1}): "
            f"up to {t} wrong parties corrected"
        )
    return (
        f"error correction off (n = {n} < 3t+1 = {3 * t + 1}): "
        "wrong shares are detected, not corrected"
    )
