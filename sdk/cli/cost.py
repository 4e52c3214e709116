"""``stoffelc --cost``: the static MPC cost of a program (DESIGN §2 item 8, schema §6).

    stoffelc --cost [--parties N] [--threshold T] [--json] [-O N] FILE

Plain output is one table row per function and the total; ``--json`` prints one object
``{"functions": {name: cost}, "total": cost, "parties": n, "threshold": t}``. Inexact
figures (loop bounds or branches the compiler cannot know) are marked and explained.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from stoffel.cli.common import EXIT_ERRORS, EXIT_OK, UsageError, print_diagnostics, source_path

COLUMNS = (
    ("rounds", "rounds"),
    ("multiplications", "mults"),
    ("comparisons", "cmps"),
    ("openings", "opens"),
    ("random_bits", "rbits"),
    ("bytes_per_party", "bytes/party"),
    ("instructions", "instrs"),
)


def add_cost_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cost", action="store_true", help="print the static MPC cost per function and in total"
    )
    parser.add_argument("--parties", type=int, default=5, metavar="N", help="parties (5)")
    parser.add_argument("--threshold", type=int, default=1, metavar="T", help="threshold (1)")
    parser.add_argument("--json", action="store_true", help="with --cost: one JSON object")


def run_cost(args: argparse.Namespace) -> int:
    n, t = args.parties, args.threshold
    if t < 0 or n < 2 * t + 1:
        raise UsageError(f"n = {n} parties need n >= 2t+1 = {2 * t + 1} for threshold t = {t}")
    if not args.file:
        raise UsageError("missing FILE")
    from stoffel.compiler.codegen.api import CompileFailed, compile_program
    from stoffel.compiler.cost import program_cost

    path = source_path(args.file)
    try:
        compiled = compile_program(path, args.opt_level)
    except CompileFailed as exc:
        print_diagnostics(exc.diagnostics)
        return EXIT_ERRORS
    doc = program_cost(compiled.module, n, t).as_dict()
    if args.json:
        print(json.dumps(doc))
    else:
        print(render_table(doc))
    return EXIT_OK


def render_table(doc: dict[str, Any]) -> str:
    """A fixed-width table: one row per function, then the total, then the notes."""
    rows: list[tuple[str, dict[str, Any]]] = sorted(doc["functions"].items())
    rows.append(("total", doc["total"]))
    name_w = max(len("function"), *(len(name) + 1 for name, _ in rows))
    head = ["function".ljust(name_w)] + [label.rjust(max(len(label), 8)) for _, label in COLUMNS]
    lines = [
        f"cost at n = {doc['parties']} parties, t = {doc['threshold']} (online phase; "
        "* = not exact, see notes)",
        "  ".join(head),
    ]
    notes: list[str] = []
    for name, cost in rows:
        mark = "" if cost["exact"] else "*"
        cells = [(name + mark).ljust(name_w)]
        cells += [str(cost[key]).rjust(max(len(label), 8)) for key, label in COLUMNS]
        lines.append("  ".join(cells))
        notes += [f"  {name}: {note}" for note in cost.get("notes", [])]
    total_pre = doc["total"]["preprocessing"]
    lines.append(
        f"preprocessing (total): {total_pre['triples']} triples, "
        f"{total_pre['random_bits']} random bits, {total_pre['random_shares']} random shares"
    )
    if notes:
        lines.append("notes:")
        lines += notes
    return "\n".join(lines)
