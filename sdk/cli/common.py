"""Pieces shared by the ``stoffel`` and ``stoffelc`` command lines."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import NoReturn, TextIO

from stoffel.compiler.diagnostics import Diagnostic
from stoffel.compiler.render import diagnostics_to_json, render_all
from stoffel.compiler.source import SourceFile

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """A mistake in the command line: reported in one line, exit code 2."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse that raises ``UsageError`` instead of exiting, so callers control output."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}\n(run '{self.prog} --help' for usage)")


def add_opt_level(parser: argparse.ArgumentParser) -> None:
    """``-O N`` (0..3, default 2), shared by ``stoffelc`` and ``stoffel run``."""
    parser.add_argument(
        "-O",
        dest="opt_level",
        type=int,
        choices=range(4),
        default=2,
        metavar="N",
        help="optimisation level: -O0 .. -O3 (default -O2)",
    )


def wants_colour(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    return stream.isatty() and "NO_COLOR" not in os.environ


def source_path(raw: str) -> Path:
    """Validate a ``.stfl`` path given on the command line."""
    path = Path(raw)
    if path.suffix != ".stfl":
        raise UsageError(f"'{raw}' is not a StoffelLang source file (expected a .stfl file)")
    if not path.is_file():
        raise UsageError(f"cannot read '{raw}': no such file")
    return path


@cache
def _read_source(path: str) -> SourceFile | None:
    try:
        return SourceFile.read(path)
    except OSError:
        return None


def print_diagnostics(diagnostics: list[Diagnostic], stream: TextIO | None = None) -> None:
    stream = stream or sys.stderr  # looked up per call, so redirection (and capsys) works
    if diagnostics:
        print(render_all(diagnostics, _read_source, colour=wants_colour(stream)), file=stream)


def print_json(diagnostics: list[Diagnostic]) -> None:
    print(json.dumps(diagnostics_to_json(diagnostics), indent=2))


def run_cli(prog: str, body: Callable[[], int]) -> int:
    """Run a command body: usage errors exit 2, a crash is reported as a tool bug."""
    try:
        return body()
    except UsageError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: never a bare traceback
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        print(
            f"{prog}: internal error: {type(exc).__name__}: {exc}\n"
            f"  at {frame.filename}:{frame.lineno} in {frame.name}\n"
            "This is a bug in Stoffel, not in your program; please report it.",
            file=sys.stderr,
        )
        return EXIT_ERRORS
