"""``stoffel``: the developer command — check, run and format StoffelLang programs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from stoffel.cli.check import add_check_arguments, run_check
from stoffel.cli.common import ArgumentParser, run_cli
from stoffel.cli.fmt import add_fmt_arguments, run_fmt
from stoffel.cli.run import add_run_arguments, run_program


def _parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="stoffel",
        description="The Stoffel developer tool for StoffelLang MPC programs.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    check = commands.add_parser(
        "check",
        help="type- and secrecy-check a program",
        description="Type- and secrecy-check a StoffelLang program and everything it imports.",
    )
    add_check_arguments(check)
    check.set_defaults(handler=run_check)
    run = commands.add_parser(
        "run",
        help="compile and run a program (on the local multi-party backend if it uses secrets)",
        description="Compile (if needed) and run a .stfl or .stflb program.",
    )
    add_run_arguments(run)
    run.set_defaults(handler=run_program)
    fmt = commands.add_parser(
        "fmt",
        help="format programs in the canonical StoffelLang style",
        description="Rewrite StoffelLang files in canonical form (comments are kept).",
    )
    add_fmt_arguments(fmt)
    fmt.set_defaults(handler=run_fmt)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)

    def body() -> int:
        parsed = _parser().parse_args(args)
        return parsed.handler(parsed)

    return run_cli("stoffel", body)


if __name__ == "__main__":
    sys.exit(main())
