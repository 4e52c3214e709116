"""Run expectations written inside ``tests/cases/**/*.stfl`` programs.

Three kinds of whole-line comments, read in file order:

``#> text``
    the program prints the line ``text`` (every printed line is listed, in order);
``#=> value``
    ``main`` returns ``value``, written in print format (``42``, ``1.5f64``, ``[1, 2]``);
    a program without it returns None (a script, or a ``-> None`` main);
``#! ARGS``
    command-line arguments for ``stoffel run`` (shell-split), e.g.
    ``#! --client-input 0=5 --client-input 1=7`` or ``#! --input n=10``. A program is run
    only if it has ``#>``/``#=>`` lines; one that needs inputs must give them with ``#!``.

A single space after the marker is part of the marker, not of the text.

Cases whose files carry no run expectations (the checker's ``tests/cases/semantics``
programs, and programs that need inputs) get them from a sidecar in this folder:
``tests/functional/expected/<path under tests/cases>.expect`` in the same syntax; the
sidecar's lines replace the case file's.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import attrs

CASES = Path(__file__).resolve().parent.parent / "cases"
SIDECARS = Path(__file__).resolve().parent / "expected"


@attrs.frozen
class RunExpectation:
    printed: tuple[str, ...]
    result: str | None
    args: tuple[str, ...]

    @property
    def runnable(self) -> bool:
        return bool(self.printed) or self.result is not None


def _after(line: str, marker: str) -> str | None:
    stripped = line.lstrip()
    if stripped == marker:
        return ""
    if stripped.startswith(marker + " "):
        return stripped[len(marker) + 1 :]
    return None


def read_expectation(path: Path) -> RunExpectation:
    printed: list[str] = []
    result: str | None = None
    args: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if (value := _after(line, "#=>")) is not None:
            result = value
        elif (text := _after(line, "#>")) is not None:
            printed.append(text)
        elif (extra := _after(line, "#!")) is not None:
            args.extend(shlex.split(extra))
    return RunExpectation(tuple(printed), result, tuple(args))


def sidecar_of(case: Path) -> Path:
    rel = case.resolve().relative_to(CASES)
    return SIDECARS / rel.with_suffix(".expect")


def expectation_for(case: Path) -> RunExpectation:
    sidecar = sidecar_of(case)
    return read_expectation(sidecar if sidecar.is_file() else case)


def run_cases() -> list[Path]:
    """Every valid program: ``tests/cases/valid/*``, ``tests/cases/semantics/valid_*`` and
    the multi-file cases under ``tests/cases/imports`` that have a run expectation."""
    imports = [p for p in sorted(CASES.glob("imports/*/main.stfl")) if sidecar_of(p).is_file()]
    return [
        *sorted(CASES.glob("valid/*.stfl")),
        *sorted(CASES.glob("semantics/valid_*.stfl")),
        *imports,
    ]
