"""``fmt``: rewrite StoffelLang files in canonical form (``stoffel fmt``).

Without flags the files are rewritten in place. ``--check`` writes nothing and exits 1
if any file is not formatted; ``--diff`` prints a unified diff instead of writing. A
file with syntax errors is never touched: its diagnostics are printed and the exit
code is 1. Bad paths are usage errors (exit 2), checked before any file is written.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from stoffel.cli.common import EXIT_ERRORS, EXIT_OK, print_diagnostics, source_path
from stoffel.compiler.fmt import format_source


def add_fmt_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", metavar="FILE", nargs="+", help="the .stfl files to format")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if any file would be reformatted",
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="write nothing; print a unified diff of the changes on stdout",
    )


def run_fmt(args: argparse.Namespace) -> int:
    paths = [source_path(raw) for raw in args.files]  # all usage errors before any write
    failed = False
    for path in paths:
        failed |= not _format_one(path, check=args.check, diff=args.diff)
    return EXIT_ERRORS if failed else EXIT_OK


def _format_one(path: Path, *, check: bool, diff: bool) -> bool:
    """Format one file; False when it has errors or (with ``--check``) would change."""
    original = path.read_text(encoding="utf-8")
    result = format_source(original, str(path))
    if result.text is None:
        print_diagnostics(list(result.diagnostics))
        print(f"{path}: not formatted (fix the errors first)", file=sys.stderr)
        return False
    if result.text == original:
        return True
    if diff:
        sys.stdout.writelines(
            difflib.unified_diff(
                original.splitlines(keepends=True),
                result.text.splitlines(keepends=True),
                fromfile=f"{path} (original)",
                tofile=f"{path} (formatted)",
            )
        )
    if check:
        print(f"would reformat {path}", file=sys.stderr)
        return False
    if not diff:
        path.write_text(result.text, encoding="utf-8")
        print(f"reformatted {path}", file=sys.stderr)
    return True
