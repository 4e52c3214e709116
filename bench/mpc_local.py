"""Benchmark the protocol layer (``local`` backend internals) against MPyC, in one run.

    .venv/bin/python bench/mpc_local.py                 # n=3 and n=5 (t=1), plus MPyC
    .venv/bin/python bench/mpc_local.py --no-mpyc       # ours only
    .venv/bin/python bench/mpc_local.py --reps 3        # medians of 3

Our side runs all n parties in this process (one thread each, real messages over the
in-memory hub). Inputs are secret-shared by party 0 first (as MPyC's bench does), then:

* preprocessing — the triples/bits/randoms the operation will consume (interactive protocols);
* online — the operation itself, until every party holds its result shares;
* the result is opened and checked against clear computation.

Configurations ("open" column): ``broadcast`` — every party decodes every opening (1 round,
the local backend's default); ``king`` — a rotating king decodes and sends the values
(2 rounds, 1/n of the decoding work); ``king+helper`` — as king, and half of the offline phase
runs in the helper process (:mod:`stoffel.runtime.offline`), i.e. on the second core.

"total" = preprocessing + online. MPyC has no separate offline phase, so its "op" time is
compared with both. MPyC runs from a separate virtualenv (``bench/.venv-mpyc``, created on
first use; it is not a dependency of the product) with all parties forked on this machine
(``../shared/bench/mpyc_bench.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from stoffel.runtime.cluster import LocalCluster
from stoffel.runtime.context import PartyContext
from stoffel.runtime.field import BLS12_381
from stoffel.runtime.protocols import compare, mul
from stoffel.runtime.protocols.open import open_vec, share_input

HERE = Path(__file__).resolve().parent
SHARED_BENCH = HERE.parent.parent / "shared" / "bench"
MPYC_VENV = HERE / ".venv-mpyc"
P = BLS12_381.p

# (our op, size, MPyC bench name)
CASES = [
    ("mul", 100_000, "mul_f255_np"),
    ("lt32", 10_000, "lt_int32_np"),
    ("dot", 10_000, "dot_f255_np"),
]


def _inputs(op: str, size: int) -> tuple[list[int], list[int]]:
    rng = random.Random(1)
    if op == "lt32":
        return (
            [rng.randrange(-(2**31), 2**31) for _ in range(size)],
            [rng.randrange(-(2**31), 2**31) for _ in range(size)],
        )
    return BLS12_381.random_vec(size), BLS12_381.random_vec(size)


def _expected(op: str, a: list[int], b: list[int]) -> list[int]:
    if op == "mul":
        return [x * y % P for x, y in zip(a, b, strict=True)]
    if op == "lt32":
        return [int(x < y) for x, y in zip(a, b, strict=True)]
    return [sum(x * y for x, y in zip(a, b, strict=True)) % P]


def _timed(cl: LocalCluster, fn: Callable[[PartyContext], object]) -> tuple[float, list[object]]:
    t0 = time.perf_counter()
    out = cl.run(fn)
    return time.perf_counter() - t0, out


def run_ours(op: str, size: int, n: int, t: int, mode: str) -> dict[str, object]:
    # "king+helper": king openings, and half of the offline phase in the helper process.
    helper = mode.endswith("+helper")
    cl = LocalCluster(
        n, t, BLS12_381, timeout=600, open_mode=mode.split("+")[0], offline_workers=int(helper)
    )
    a, b = _inputs(op, size)
    t_in, shared = _timed(
        cl,
        lambda c: (
            share_input(c, 0, a if c.id == 0 else None, size),
            share_input(c, 0, b if c.id == 0 else None, size),
        ),
    )
    if op == "mul":
        need = {"triples": size}
        online = lambda c: mul.beaver_mul(c, *shared[c.id])  # noqa: E731
    elif op == "lt32":
        # Per comparison: a mask of 32 bits (+ 41-bit high part), a sign bit, one ρ and the
        # 33 triples of the zero-test product.
        need = {"triples": 33 * size, "bits": size, "randoms": size, "masks": {(32, 41): size}}
        online = lambda c: compare.lt(c, *shared[c.id], 32)  # noqa: E731
    else:
        need = {"doubles": 1}
        online = lambda c: mul.dot(c, [shared[c.id][0]], [shared[c.id][1]])  # noqa: E731

    def pre(c: PartyContext) -> None:
        c.preproc.fill(c, **need)  # type: ignore[attr-defined, arg-type]

    t_pre, _ = _timed(cl, pre)
    bytes_before = cl.contexts[0].channel.stats.bytes_sent
    rounds_before = cl.contexts[0].channel.stats.rounds
    t_on, res = _timed(cl, online)
    rounds = cl.contexts[0].channel.stats.rounds - rounds_before
    sent = cl.contexts[0].channel.stats.bytes_sent - bytes_before
    t_open, opened = _timed(cl, lambda c: open_vec(c, res[c.id]))  # type: ignore[arg-type]
    ok = opened[0] == _expected(op, a, b)
    cl.close()
    return {
        "op": op,
        "n": size,
        "parties": n,
        "threshold": t,
        "open_mode": mode,
        "input_s": t_in,
        "pre_s": t_pre,
        "online_s": t_on,
        "total_s": t_pre + t_on,
        "open_s": t_open,
        "online_rounds": rounds,
        "online_bytes_party0": sent,
        "correct": ok,
    }


def ensure_mpyc() -> Path:
    py = MPYC_VENV / "bin" / "python"
    if not py.exists():
        print("creating", MPYC_VENV, "(MPyC, gmpy2, numpy) ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(MPYC_VENV)], check=True)
        subprocess.run(
            [str(py), "-m", "pip", "install", "--quiet", "mpyc", "gmpy2", "numpy"], check=True
        )
    return py


def run_mpyc(py: Path, bench: str, size: int, m: int, t: int) -> dict[str, object]:
    cmd = [
        str(py),
        str(SHARED_BENCH / "mpyc_bench.py"),
        f"-M{m}",
        f"-T{t}",
        "--no-log",
        "--bench",
        bench,
        "--size",
        str(size),
    ]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    for line in p.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"no RESULT from {' '.join(cmd)}:\n{p.stdout[-1500:]}\n{p.stderr[-1500:]}")


def _median(rows: list[dict[str, object]], key: str) -> float:
    return statistics.median(float(r[key]) for r in rows)  # type: ignore[arg-type]


def _print_row(
    op: str, size: int, n: int, mode: str, row: dict[str, object], mp: float | None
) -> None:
    pre, on, tot = (float(row[k]) for k in ("pre_s", "online_s", "total_s"))  # type: ignore[arg-type]
    ok = "y" if row["correct"] else "N"
    text = f"{op:5} {size:>7} {n:>2} {mode:11} | {pre:7.3f}s {on:7.3f}s {tot:7.3f}s "
    text += f"{row['online_rounds']:>4} {ok}  | "
    if mp is not None:
        text += f"{mp:7.3f}s | {mp / on:5.2f}× {mp / tot:5.2f}×"
    else:
        text += "       – |"
    if op != "dot":
        text += f"   ({size / on:,.0f}/s online, {size / tot:,.0f}/s total)"
    print(text, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--parties", type=int, nargs="*", default=[3, 5])
    ap.add_argument("--only", choices=[c[0] for c in CASES])
    ap.add_argument("--no-mpyc", action="store_true")
    ap.add_argument("--open-modes", nargs="*", default=["broadcast", "king", "king+helper"])
    ap.add_argument("--out", default=str(HERE / "mpc_local_results.json"))
    args = ap.parse_args()
    cases = [c for c in CASES if args.only in (None, c[0])]
    py = None if args.no_mpyc else ensure_mpyc()
    results = []
    print(
        f"{'op':5} {'N':>7} {'n':>2} {'open':11} | {'pre':>8} {'online':>8} {'total':>8} "
        f"{'rnds':>4} ok | {'MPyC op':>8} | online× total×",
        flush=True,
    )
    for op, size, mbench in cases:
        for n in args.parties:
            mp = None
            if py is not None:
                runs = [run_mpyc(py, mbench, size, n, 1) for _ in range(args.reps)]
                mp = _median(runs, "op_s")
                results.append(
                    {
                        "op": op,
                        "size": size,
                        "parties": n,
                        "threshold": 1,
                        "mpyc_bench": mbench,
                        "mpyc_op_s": mp,
                        "mpyc_input_s": _median(runs, "input_s"),
                        "mpyc_correct": all(r["correct"] for r in runs),
                    }
                )
            for mode in args.open_modes:
                ours = [run_ours(op, size, n, 1, mode) for _ in range(args.reps)]
                row: dict[str, object] = {
                    "op": op,
                    "size": size,
                    "parties": n,
                    "threshold": 1,
                    "open_mode": mode,
                    **{k: _median(ours, k) for k in ("pre_s", "online_s", "total_s", "input_s")},
                    "open_s": _median(ours, "open_s"),
                    "online_rounds": ours[0]["online_rounds"],
                    "online_bytes_party0": ours[0]["online_bytes_party0"],
                    "correct": all(r["correct"] for r in ours),
                }
                if mp is not None:
                    row["mpyc_op_s"] = mp
                    row["online_speedup"] = mp / float(row["online_s"])  # type: ignore[arg-type]
                    row["total_speedup"] = mp / float(row["total_s"])  # type: ignore[arg-type]
                results.append(row)
                _print_row(op, size, n, mode, row, mp)
    meta = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "reps": args.reps}
    Path(args.out).write_text(json.dumps({**meta, "results": results}, indent=1) + "\n")
    print("wrote", args.out)


if __name__ == "__main__":
    main()
