"""Preprocessing: random sharings, double sharings, Beaver triples, random bits.

Interactive generation (semi-honest, n ≥ 2t+1):

* **RanSha / RanDouSha** — every party deals random sharings; the parties apply an
  ``(n−t) × n`` extractor (Vandermonde, or a 0/1 band for t = 1: every square column
  submatrix invertible), so each dealing round yields n−t sharings uniform to any t colluders.
* **Triples** — ``[a], [b]`` from RanSha; ``[ab]`` by re-sharing the local products (GRR,
  cheapest in randomness) or, as in DN07, with a double sharing ``([r]_t, [r]_2t)`` from
  RanDouSha: open ``[a]·[b] − [r]_2t`` (degree 2t) and add ``[r]_t``.
* **Random bits** — t+1 parties each deal a random bit; the XOR of t+1 bits (one honest) is
  uniform. ``x ⊕ y = x + y − 2xy`` costs one re-sharing multiplication per fold.
* **Bounded randoms** — every party deals a uniform integer below ``2^k``; the sum masks
  statistically (used as the high part of comparison/truncation masks).

:class:`TrustedDealer` hands out the same material without interaction. It sees every secret,
so it is for tests only.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from stoffel.runtime.context import PartyContext
from stoffel.runtime.protocols.open import open_vec
from stoffel.runtime.shamir import ShamirScheme, combine, small_weights0

Triples = tuple[list[int], list[int], list[int]]
#: Comparison/truncation masks: m rows of bit sharings, ``r_lo = Σ 2^i r_i``, bounded ``r_hi``.
Masks = tuple[list[list[int]], list[int], list[int]]


def _extract(ctx: PartyContext, received: Sequence[Sequence[int]], count: int) -> list[int]:
    """Apply the randomness extractor to the n dealt vectors; keep ``count`` outputs."""
    out: list[int] = []
    for row in ctx.field.vec.matmul(ctx.scheme.extractor(), received):
        out += row
    del out[count:]
    return out


def ransha(ctx: PartyContext, count: int, degree: int | None = None) -> list[int]:
    """``count`` random degree-d sharings (1 round)."""
    if count <= 0:
        return []
    batches = -(-count // (ctx.n - ctx.t))
    mine = ctx.scheme.deal_random(batches, degree)
    received = ctx.scatter_gather("ransha", mine)
    return _extract(ctx, received, count)


def randousha(ctx: PartyContext, count: int) -> tuple[list[int], list[int]]:
    """``count`` double sharings ``([r]_t, [r]_2t)`` of the same random r (1 round)."""
    if count <= 0:
        return [], []
    batches = -(-count // (ctx.n - ctx.t))
    secrets = ctx.field.random_vec(batches)
    low = ctx.scheme.deal(secrets, ctx.t)
    high = ctx.scheme.deal(secrets, 2 * ctx.t)
    received = ctx.scatter_gather("randousha", [lo + hi for lo, hi in zip(low, high, strict=True)])
    rt = _extract(ctx, [v[:batches] for v in received], count)
    r2t = _extract(ctx, [v[batches:] for v in received], count)
    return rt, r2t


def dn_mul(
    ctx: PartyContext, x: Sequence[int], y: Sequence[int], rt: Sequence[int], r2t: Sequence[int]
) -> list[int]:
    """Degree-reduction multiplication with double sharings (1 round, opens degree 2t)."""
    return open_vec(ctx, ctx.field.vec.muladd(x, y, r2t, -1), 2 * ctx.t, plus=rt)


def grr_mul(ctx: PartyContext, x: Sequence[int], y: Sequence[int]) -> list[int]:
    """Degree reduction by re-sharing (Gennaro–Rabin–Rabin), 1 round, no preprocessing.

    The local products of parties 0..2t are points of a degree-2t polynomial; each of them
    re-shares its product with degree t and everyone combines the sub-shares with the (small,
    integer) Lagrange weights of the points 1..2t+1. Parties beyond 2t+1 only receive.
    """
    if not x:
        return []
    senders = range(2 * ctx.t + 1)
    op = ctx.next_op()
    ctx.round()
    mine: list[int] | None = None
    if ctx.id in senders:
        shares = ctx.scheme.deal(ctx.field.vec.muladd(x, y))
        for j in ctx.others:
            ctx.send(j, op, "grr", shares[j])
        mine = shares[ctx.id]
    got = [mine if j == ctx.id else ctx.recv(j, op, "grr") for j in senders]
    return ctx.field.vec.lincomb(small_weights0(2 * ctx.t), got)  # type: ignore[arg-type]


def gen_triples(ctx: PartyContext, count: int, method: str = "grr") -> Triples:
    """``count`` Beaver triples: ``[a], [b]`` by RanSha, ``[ab]`` by re-sharing (``grr``, the
    default: 2 rounds) or by a double sharing (``dn07``: 3 rounds, more randomness)."""
    if count <= 0:
        return [], [], []
    ab = ransha(ctx, 2 * count)
    a, b = ab[:count], ab[count:]
    if method == "dn07":
        rt, r2t = randousha(ctx, count)
        return a, b, dn_mul(ctx, a, b, rt, r2t)
    return a, b, grr_mul(ctx, a, b)


def gen_bits(ctx: PartyContext, count: int) -> list[int]:
    """``count`` random bit sharings: XOR of bits dealt by parties 0..t."""
    if count <= 0:
        return []
    dealers = list(range(ctx.t + 1))
    op = ctx.next_op()
    ctx.round()
    mine: list[int] | None = None
    if ctx.id in dealers:
        shares = ctx.scheme.deal(ctx.field.random_bits(count))
        for j in ctx.others:
            ctx.send(j, op, "bits", shares[j])
        mine = shares[ctx.id]
    dealt = [mine if j == ctx.id else ctx.recv(j, op, "bits") for j in dealers]
    acc = dealt[0]
    for other in dealt[1:]:
        prod = grr_mul(ctx, acc, other)  # type: ignore[arg-type]
        acc = ctx.field.vec.lincomb([1, 1, -2], [acc, other, prod])  # a ⊕ b = a + b − 2ab
    return list(acc)  # type: ignore[arg-type]


def gen_bounded(ctx: PartyContext, count: int, nbits: int) -> list[int]:
    """Sharings of Σ_j u_j with u_j uniform in [0, 2^nbits) dealt by each party (1 round).

    The sum lies in [0, n·2^nbits); one honest u_j makes it statistically hide any value
    below ``2^(nbits − κ)``.
    """
    if count <= 0:
        return []
    mine = ctx.scheme.deal(ctx.field.random_bounded(count, nbits))
    received = ctx.scatter_gather("bounded", mine)
    return combine(ctx.p, [(1, v) for v in received])


def build_masks(p: int, flat_bits: Sequence[int], r_hi: list[int], count: int, m: int) -> Masks:
    """Arrange m·count bit sharings as m rows and add ``r_lo = Σ 2^i r_i`` (local work)."""
    rows = [list(flat_bits[i * count : (i + 1) * count]) for i in range(m)]
    r_lo = [0] * count
    for i, row in enumerate(rows):
        w = 1 << i
        r_lo = [acc + w * b for acc, b in zip(r_lo, row, strict=True)]
    return rows, [v % p for v in r_lo], r_hi


@dataclass
class Request:
    """How much of each kind of material to generate."""

    triples: int = 0
    bits: int = 0
    randoms: int = 0
    bounded: dict[int, int] = field(default_factory=dict)
    doubles: int = 0
    masks: dict[tuple[int, int], int] = field(default_factory=dict)

    def weight(self) -> int:
        """Rough cost in triple-equivalents (a bit costs about as much as a triple)."""
        masks = sum(m * k for (m, _), k in self.masks.items())
        return self.triples + self.bits + self.doubles // 2 + masks

    def split(self) -> tuple[Request, Request]:
        """(far, near) halves of the big items; small items stay near."""
        far = Request(
            self.triples // 2,
            self.bits // 2,
            doubles=self.doubles // 2,
            masks={key: k // 2 for key, k in self.masks.items()},
        )
        near = Request(
            self.triples - far.triples,
            self.bits - far.bits,
            self.randoms,
            dict(self.bounded),
            self.doubles - far.doubles,
            {key: k - far.masks[key] for key, k in self.masks.items()},
        )
        return far, near


@dataclass
class Material:
    """One party's generated preprocessing (what :meth:`InteractivePreproc.absorb` takes)."""

    a: list[int] = field(default_factory=list)
    b: list[int] = field(default_factory=list)
    c: list[int] = field(default_factory=list)
    bits: list[int] = field(default_factory=list)
    rand: list[int] = field(default_factory=list)
    bounded: dict[int, list[int]] = field(default_factory=dict)
    dt: list[int] = field(default_factory=list)
    d2t: list[int] = field(default_factory=list)
    masks: dict[tuple[int, int], Masks] = field(default_factory=dict)


def generate(ctx: PartyContext, req: Request) -> Material:
    """Run the interactive generation protocols for ``req`` (all parties together).

    Like material shares rounds: every bit (mask bits first, then plain bits) comes from one
    ``gen_bits`` call, and triples' ``a, b`` and plain randoms from one RanSha call, so a
    request costs ``(1 + t)`` rounds for bits, one per bounded shape, one for doubles, one
    for RanSha and one for the triples' re-sharing (those present only).
    """
    mat = Material()
    mask_items = [(key, k) for key, k in sorted(req.masks.items()) if k > 0]
    n_bits = sum(k * m for (m, _), k in mask_items) + max(req.bits, 0)
    flat = gen_bits(ctx, n_bits)
    pos = 0
    for (m, hi_bits), k in mask_items:
        mat.masks[(m, hi_bits)] = build_masks(
            ctx.p, flat[pos : pos + k * m], gen_bounded(ctx, k, hi_bits), k, m
        )
        pos += k * m
    mat.bits = flat[pos:]
    for nbits, k in sorted(req.bounded.items()):
        if k > 0:
            mat.bounded[nbits] = gen_bounded(ctx, k, nbits)
    if req.doubles > 0:
        mat.dt, mat.d2t = randousha(ctx, req.doubles)
    nt, nr = max(req.triples, 0), max(req.randoms, 0)
    rand = ransha(ctx, 2 * nt + nr)
    mat.rand = rand[2 * nt :]
    if nt > 0:
        mat.a, mat.b = rand[:nt], rand[nt : 2 * nt]
        mat.c = grr_mul(ctx, mat.a, mat.b)
    return mat


def merge(*reqs: Request) -> Request:
    """The union of several requests (what one operation consumes in all its steps)."""
    out = Request()
    for r in reqs:
        out.triples += r.triples
        out.bits += r.bits
        out.randoms += r.randoms
        out.doubles += r.doubles
        for key, k in r.bounded.items():
            out.bounded[key] = out.bounded.get(key, 0) + k
        for mkey, k in r.masks.items():
            out.masks[mkey] = out.masks.get(mkey, 0) + k
    return out


# --- sources ------------------------------------------------------------------------------------


@dataclass(slots=True)
class PreprocCounters:
    """How much material this party consumed (for the cost schema)."""

    triples: int = 0
    bits: int = 0
    randoms: int = 0
    bounded: int = 0
    doubles: int = 0
    #: Rounds and bytes spent generating material (kept out of the online figures).
    rounds: int = 0
    bytes_sent: int = 0


class PreprocSource(Protocol):
    used: PreprocCounters

    def reserve(self, ctx: PartyContext, req: Request) -> None: ...
    def has_triples(self, k: int) -> bool: ...
    def triples(self, ctx: PartyContext, k: int) -> Triples: ...
    def randoms(self, ctx: PartyContext, k: int) -> list[int]: ...
    def bits(self, ctx: PartyContext, k: int) -> list[int]: ...
    def bounded(self, ctx: PartyContext, k: int, nbits: int) -> list[int]: ...
    def doubles(self, ctx: PartyContext, k: int) -> tuple[list[int], list[int]]: ...
    def masks(self, ctx: PartyContext, k: int, m: int, hi_bits: int) -> Masks: ...


def _take(pool: list[int], k: int) -> list[int]:
    out = pool[:k]
    del pool[:k]
    return out


@dataclass
class InteractivePreproc:
    """Pools filled by the interactive protocols above.

    Pools are topped up on demand when short; since all parties consume identically, they
    decide to top up at the same point. :meth:`fill` runs an explicit offline phase.
    """

    used: PreprocCounters = field(default_factory=PreprocCounters)
    _a: list[int] = field(default_factory=list)
    _b: list[int] = field(default_factory=list)
    _c: list[int] = field(default_factory=list)
    _bits: list[int] = field(default_factory=list)
    _rand: list[int] = field(default_factory=list)
    _bounded: dict[int, list[int]] = field(default_factory=dict)
    _dt: list[int] = field(default_factory=list)
    _d2t: list[int] = field(default_factory=list)
    _masks: dict[tuple[int, int], Masks] = field(default_factory=dict)

    def fill(
        self,
        ctx: PartyContext,
        *,
        triples: int = 0,
        bits: int = 0,
        randoms: int = 0,
        bounded: dict[int, int] | None = None,
        doubles: int = 0,
        masks: dict[tuple[int, int], int] | None = None,
    ) -> None:
        self._fill(
            ctx, Request(triples, bits, randoms, dict(bounded or {}), doubles, dict(masks or {}))
        )

    def _fill(self, ctx: PartyContext, req: Request) -> None:
        ch = ctx.channel.stats
        before = (ch.rounds, ch.bytes_sent)
        try:
            self._generate(ctx, req)
        finally:
            self.used.rounds += ch.rounds - before[0]
            self.used.bytes_sent += ch.bytes_sent - before[1]

    def _generate(self, ctx: PartyContext, req: Request) -> None:
        helper = ctx.offline
        if helper is not None and req.weight() >= helper.min_weight:
            # Half of a large request is generated by this party's twin in the offline helper
            # process (the other core) while this process generates the rest.
            far, near = req.split()
            job = helper.request(ctx, far)
            self.absorb(generate(ctx, near))
            self.absorb(helper.collect(ctx, job))
            return
        self.absorb(generate(ctx, req))

    def absorb(self, mat: Material) -> None:
        """Append generated material to the pools (same order on every party)."""
        self._a += mat.a
        self._b += mat.b
        self._c += mat.c
        self._bits += mat.bits
        self._rand += mat.rand
        self._dt += mat.dt
        self._d2t += mat.d2t
        for nbits, vals in mat.bounded.items():
            self._bounded.setdefault(nbits, []).extend(vals)
        for key, (rows, lo, hi) in mat.masks.items():
            old = self._masks.get(key)
            if old is not None:
                rows = [x + y for x, y in zip(old[0], rows, strict=True)]
                lo, hi = old[1] + lo, old[2] + hi
            self._masks[key] = (rows, lo, hi)

    def reserve(self, ctx: PartyContext, req: Request) -> None:
        """Generate, in one go, whatever of ``req`` the pools lack (every party calls this
        at the same point with the same request, and pools agree, so shortfalls agree)."""
        masks = {}
        for key, k in req.masks.items():
            have = len(self._masks[key][1]) if key in self._masks else 0
            if k > have:
                masks[key] = k - have
        bounded = {}
        for nbits, k in req.bounded.items():
            have = len(self._bounded.get(nbits, ()))
            if k > have:
                bounded[nbits] = k - have
        short = Request(
            max(0, req.triples - len(self._a)),
            max(0, req.bits - len(self._bits)),
            max(0, req.randoms - len(self._rand)),
            bounded,
            max(0, req.doubles - len(self._dt)),
            masks,
        )
        if short.triples or short.bits or short.randoms or short.doubles or masks or bounded:
            self._fill(ctx, short)

    def has_triples(self, k: int) -> bool:
        """Triples for k products were generated beforehand (then Beaver uses them)."""
        return len(self._a) >= k

    @property
    def available(self) -> dict[str, int]:
        return {"triples": len(self._a), "bits": len(self._bits), "randoms": len(self._rand)}

    def triples(self, ctx: PartyContext, k: int) -> Triples:
        if len(self._a) < k:
            self.fill(ctx, triples=k - len(self._a))
        self.used.triples += k
        return _take(self._a, k), _take(self._b, k), _take(self._c, k)

    def randoms(self, ctx: PartyContext, k: int) -> list[int]:
        if len(self._rand) < k:
            self.fill(ctx, randoms=k - len(self._rand))
        self.used.randoms += k
        return _take(self._rand, k)

    def bits(self, ctx: PartyContext, k: int) -> list[int]:
        if len(self._bits) < k:
            self.fill(ctx, bits=k - len(self._bits))
        self.used.bits += k
        return _take(self._bits, k)

    def bounded(self, ctx: PartyContext, k: int, nbits: int) -> list[int]:
        pool = self._bounded.setdefault(nbits, [])
        if len(pool) < k:
            self.fill(ctx, bounded={nbits: k - len(pool)})
        self.used.bounded += k
        return _take(pool, k)

    def masks(self, ctx: PartyContext, k: int, m: int, hi_bits: int) -> Masks:
        key = (m, hi_bits)
        have = len(self._masks[key][1]) if key in self._masks else 0
        if have < k:
            self.fill(ctx, masks={key: k - have})
        rows, lo, hi = self._masks[key]
        self.used.bits += k * m
        self.used.bounded += k
        out = ([_take(r, k) for r in rows], _take(lo, k), _take(hi, k))
        return out

    def doubles(self, ctx: PartyContext, k: int) -> tuple[list[int], list[int]]:
        if len(self._dt) < k:
            self.fill(ctx, doubles=k - len(self._dt))
        self.used.doubles += k
        return _take(self._dt, k), _take(self._d2t, k)


class TrustedDealer:
    """Generates every party's preprocessing in the clear. **Tests only**: it knows all secrets."""

    def __init__(self, scheme: ShamirScheme) -> None:
        self.scheme = scheme
        self._lock = threading.Lock()
        self._batches: dict[tuple[str, int], tuple[list[list[list[int]]], set[int]]] = {}

    def _shared(self, kind: str, seq: int, party: int, make: object) -> list[list[int]]:
        with self._lock:
            key = (kind, seq)
            if key not in self._batches:
                self._batches[key] = (make(), set())  # type: ignore[operator]
            per_vec, taken = self._batches[key]
            taken.add(party)
            if len(taken) == self.scheme.n:
                del self._batches[key]
            return [vec_shares[party] for vec_shares in per_vec]

    def material(self, kind: str, seq: int, party: int, k: int, nbits: int = 0) -> list[list[int]]:
        s, f = self.scheme, self.scheme.field
        p = f.p

        def make() -> list[list[list[int]]]:
            if kind == "triples":
                a, b = f.random_vec(k), f.random_vec(k)
                c = [x * y % p for x, y in zip(a, b, strict=True)]
                return [s.deal(a), s.deal(b), s.deal(c)]
            if kind == "bits":
                return [s.deal(f.random_bits(k))]
            if kind == "randoms":
                return [s.deal(f.random_vec(k))]
            if kind == "bounded":
                return [s.deal(f.random_bounded(k, nbits))]
            if kind == "doubles":
                r = f.random_vec(k)
                return [s.deal(r, s.t), s.deal(r, 2 * s.t)]
            raise ValueError(kind)

        return self._shared(kind, seq, party, make)


@dataclass
class DealerPreproc:
    """Per-party view of a :class:`TrustedDealer` (no communication at all)."""

    dealer: TrustedDealer
    used: PreprocCounters = field(default_factory=PreprocCounters)
    _seq: int = 0

    def reserve(self, ctx: PartyContext, req: Request) -> None:
        """Nothing to do: the dealer hands material out on demand, without rounds."""

    def has_triples(self, k: int) -> bool:
        return False  # the dealer deals what the default protocol asks for

    def _get(self, ctx: PartyContext, kind: str, k: int, nbits: int = 0) -> list[list[int]]:
        self._seq += 1
        return self.dealer.material(kind, self._seq, ctx.id, k, nbits)

    def triples(self, ctx: PartyContext, k: int) -> Triples:
        self.used.triples += k
        a, b, c = self._get(ctx, "triples", k)
        return a, b, c

    def randoms(self, ctx: PartyContext, k: int) -> list[int]:
        self.used.randoms += k
        return self._get(ctx, "randoms", k)[0]

    def bits(self, ctx: PartyContext, k: int) -> list[int]:
        self.used.bits += k
        return self._get(ctx, "bits", k)[0]

    def bounded(self, ctx: PartyContext, k: int, nbits: int) -> list[int]:
        self.used.bounded += k
        return self._get(ctx, "bounded", k, nbits)[0]

    def doubles(self, ctx: PartyContext, k: int) -> tuple[list[int], list[int]]:
        self.used.doubles += k
        rt, r2t = self._get(ctx, "doubles", k)
        return rt, r2t

    def masks(self, ctx: PartyContext, k: int, m: int, hi_bits: int) -> Masks:
        return build_masks(ctx.p, self.bits(ctx, k * m), self.bounded(ctx, k, hi_bits), k, m)
