"""``check``: parse, resolve and type/secrecy-check a program (shared by both commands)."""

from __future__ import annotations

import argparse
import sys

from stoffel.cli.common import (
    EXIT_ERRORS,
    EXIT_OK,
    print_diagnostics,
    print_json,
    source_path,
)
from stoffel.compiler.driver import check_file


def add_check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the .stfl program to check")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the diagnostics as one JSON object on stdout instead of text",
    )


def run_check(args: argparse.Namespace) -> int:
    path = source_path(args.file)
    diagnostics = check_file(path)
    has_errors = any(d.is_error for d in diagnostics)
    if args.json:
        print_json(diagnostics)
    else:
        print_diagnostics(diagnostics)
        if not has_errors:
            print(f"{path}: no errors", file=sys.stderr)
    return EXIT_ERRORS if has_errors else EXIT_OK
