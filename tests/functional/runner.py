"""Compile a case program and run it on a backend, with its ``#!`` arguments."""

from __future__ import annotations

from pathlib import Path

from stoffel.api import Program, RunResult, compile
from stoffel.cli.common import ArgumentParser
from stoffel.cli.run import add_run_arguments, parse_literal


def run_case(
    path: Path,
    args: tuple[str, ...],
    opt_level: int,
    backend: str = "clear",
    parties: int = 5,
    threshold: int = 1,
) -> RunResult:
    """Run ``path`` with ``#!`` arguments (only --input and --client-input are honoured)."""
    parser = ArgumentParser(prog="test")
    add_run_arguments(parser)
    ns = parser.parse_args([str(path), *args])
    inputs = {k: parse_literal(v) for k, _, v in (i.partition("=") for i in ns.input)}
    clients: dict[int, list[int]] = {}
    for item in ns.client_input:
        c, _, v = item.partition("=")
        value = {"true": 1, "false": 0}.get(v)
        clients.setdefault(int(c), []).append(int(v) if value is None else value)
    program: Program = compile(str(path), opt_level)
    return program.run(inputs, clients, backend, parties, threshold)
