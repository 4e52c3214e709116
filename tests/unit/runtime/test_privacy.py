"""Privacy: nobody's view contains a secret, and t colluders' views do not depend on it.

The statistical tests run one batched protocol call on many independent elements: every
element uses fresh randomness, so the per-element views are independent samples. Two-sample
chi-square tests compare the colluders' view for two different secrets; a negative control
(t+1 colluders) shows the test does detect a dependence.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Sequence

from stoffel.runtime.field import BLS12_381, small_field
from stoffel.runtime.protocols import client, compare, mul
from stoffel.runtime.protocols.open import share_input

Q = 11  # small field for exhaustive-ish statistics
SAMPLES = 3000


def _tap(cl) -> list[list[tuple[str, list[int]]]]:
    """Record, per party, every received message as (kind, payload)."""
    logs: list[list[tuple[str, list[int]]]] = [[] for _ in cl.contexts]
    for ctx, log in zip(cl.contexts, logs, strict=True):
        orig = ctx.channel.recv

        def tap(src, session, op, kind, timeout, orig=orig, log=log):
            msg = orig(src, session, op, kind, timeout)
            log.append((kind, list(msg.payload)))
            return msg

        ctx.channel.recv = tap  # type: ignore[method-assign]
    return logs


def _chi2_two_sample(
    a: Sequence[tuple[int, ...]], b: Sequence[tuple[int, ...]]
) -> tuple[float, int]:
    ca, cb = Counter(a), Counter(b)
    cells = set(ca) | set(cb)
    na, nb = len(a), len(b)
    stat = 0.0
    for cell in cells:
        oa, ob = ca[cell], cb[cell]
        tot = oa + ob
        ea, eb = tot * na / (na + nb), tot * nb / (na + nb)
        stat += (oa - ea) ** 2 / ea + (ob - eb) ** 2 / eb
    return stat, max(len(cells) - 1, 1)


def _critical(df: int) -> float:
    # Wilson–Hilferty approximation of the chi-square quantile at z = 5 (p ≈ 3e-7).
    z = 5.0
    return df * (1 - 2 / (9 * df) + z * math.sqrt(2 / (9 * df))) ** 3


def _mul_views(make_cluster, secret: int, colluders: Sequence[int]) -> list[tuple[int, ...]]:
    """Per-element joint view of the colluders in input sharing + Beaver multiplication."""
    cl = make_cluster(3, 1, small_field(Q))
    logs = _tap(cl)

    def prog(ctx):
        x = share_input(ctx, 0, [secret] * SAMPLES if ctx.id == 0 else None, SAMPLES)
        y = share_input(ctx, 1, [3] * SAMPLES if ctx.id == 1 else None, SAMPLES)
        z = mul.beaver_mul(ctx, x, y)
        return x, y, z

    stored = cl.run(prog)
    views = []
    for k in range(SAMPLES):
        view: list[int] = []
        for j in colluders:
            view += [stored[j][0][k], stored[j][1][k], stored[j][2][k]]
            for _kind, payload in logs[j]:
                # Each message holds one value per element (opens hold d then e).
                width = len(payload) // SAMPLES
                view += [payload[w * SAMPLES + k] for w in range(width)]
        views.append(tuple(view))
    return views


def _max_ratio(views_a: list[tuple[int, ...]], views_b: list[tuple[int, ...]]) -> float:
    """Largest chi-square/critical ratio over all 1- and 2-dimensional projections."""
    dims = len(views_a[0])
    worst = 0.0
    for i, j in itertools.combinations_with_replacement(range(dims), 2):
        stat, df = _chi2_two_sample(
            [(v[i], v[j]) for v in views_a], [(v[i], v[j]) for v in views_b]
        )
        worst = max(worst, stat / _critical(df))
    return worst


def test_t_colluders_view_of_mul_is_independent_of_the_secret(make_cluster) -> None:
    a = _mul_views(make_cluster, 0, [2])
    b = _mul_views(make_cluster, 7, [2])
    assert _max_ratio(a, b) < 1.0


def test_negative_control_t_plus_1_colluders_are_detected(make_cluster) -> None:
    a = _mul_views(make_cluster, 0, [1, 2])
    b = _mul_views(make_cluster, 7, [1, 2])
    assert _max_ratio(a, b) > 5.0


def test_no_party_sees_or_stores_a_secret(make_cluster) -> None:
    cl = make_cluster(5, 1)
    logs = _tap(cl)
    secrets = BLS12_381.random_vec(20)
    small = [2**40 + 17, -(2**50) - 3]

    def prog(ctx):
        x = share_input(ctx, 0, secrets if ctx.id == 0 else None, 20)
        sq = mul.beaver_mul(ctx, x, x)
        s = share_input(ctx, 1, small if ctx.id == 1 else None, 2)
        c = compare.lt(ctx, s, [v for v in reversed(s)], 64)
        return x, sq, s, c

    stored = cl.run(prog)
    p = BLS12_381.p
    hidden = {*secrets, *(v * v % p for v in secrets), *(v % p for v in small)}
    for j, log in enumerate(logs):
        received = {v for _, payload in log for v in payload}
        assert not hidden & received, f"party {j} received a secret"
        kept = {v for vec in stored[j] for v in vec}
        assert not hidden & kept, f"party {j} stores a secret"


def test_comparison_openings_are_statistically_masked(make_cluster) -> None:
    """The masked opening's low bits are uniform and the zero test is a fair coin,
    whatever the operand."""
    count = 1000

    def openings(value: int) -> tuple[list[int], list[int]]:
        cl = make_cluster(3, 1, preprocessing="dealer")
        logs = _tap(cl)
        X = cl.share([value] * count)
        cl.run(lambda ctx: compare.ltz(ctx, X[ctx.id], 33))
        opens = [payload for kind, payload in logs[0] if kind == "open"]
        # party 0 received the shares of parties 1 and 2 (points 2 and 3): f(0) = 3·f(2) − 2·f(3).
        rebuilt = []
        for k in range(0, len(opens), 2):
            rebuilt.append(
                [(3 * a - 2 * b) % BLS12_381.p for a, b in zip(opens[k], opens[k + 1], strict=True)]
            )
        masked = rebuilt[0]
        zero_test = rebuilt[-1]
        return [c & 0xFF for c in masked], [int(z == 0) for z in zero_test]

    lo_a, g_a = openings(-5)
    lo_b, g_b = openings(2**31 - 1)
    stat, df = _chi2_two_sample([(v,) for v in lo_a], [(v,) for v in lo_b])
    assert stat < _critical(df)
    for g in (g_a, g_b):
        # Fair coin: 1000 flips, 6 standard deviations ≈ 95.
        assert abs(sum(g) - count / 2) < 95


def _client_views(make_cluster, secret: int) -> list[tuple[int, ...]]:
    """Party 1's view of a client's masked input: its mask share and the masked value."""
    cl = make_cluster(3, 1, small_field(Q), client_inputs={0: [secret] * SAMPLES})
    logs = _tap(cl)
    stored = cl.run(lambda ctx: client.client_input(ctx, {0: list(range(SAMPLES))})[0])
    masked = next(payload for kind, payload in logs[1] if kind == "masked")
    return [(stored[1][k], masked[k]) for k in range(SAMPLES)]


def test_client_input_view_is_independent_of_the_input(make_cluster) -> None:
    a = _client_views(make_cluster, 0)
    b = _client_views(make_cluster, 9)
    assert _max_ratio(a, b) < 1.0
