"""``stoffel``: the developer command — check, run and format StoffelLang programs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from stoffel.cli.check import add_check_arguments, run_check
from stoffel.cli.common import ArgumentParser, run_cli
from stoffel.cli.fmt import add_fmt_arguments, run_fmt
from stoffel.cli.run import add_run_arguments, run_program

# (name, one-line help, description, add its arguments, handler)
COMMANDS = (
    (
        "check",
        "type- and secrecy-check a program",
        "Type- and secrecy-check a StoffelLang program and everything it imports.",
        add_check_arguments,
        run_check,
    ),
    (
        "run",
        "compile and run a program (on the local multi-party backend if it uses secrets)",
        "Compile (if needed) and run a .stfl or .stflb program.",
        add_run_arguments,
        run_program,
    ),
    (
        "fmt",
        "format programs in the canonical StoffelLang style",
        "Rewrite StoffelLang files in canonical form (comments are kept).",
        add_fmt_arguments,
        run_fmt,
    ),
)


def _parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="stoffel",
        description="The Stoffel developer tool for StoffelLang MPC programs.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, summary, description, add_arguments, handler in COMMANDS:
        command = commands.add_parser(name, help=summary, description=description)
        add_arguments(command)
        command.set_defaults(handler=handler)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)

    def body() -> int:
        parsed = _parser().parse_args(args)
        return parsed.handler(parsed)

    return run_cli("stoffel", body)


if __name__ == "__main__":
    sys.exit(main())
