"""``stoffelc``: the StoffelLang compiler command (DESIGN.md §6).

stoffelc check [--json] FILE
stoffelc FILE [-o OUT.stflb] [-O0..-O3] [--emit ast|ir|ir-opt|disasm] [--no-source-map]
stoffelc --disassemble F.stflb
stoffelc --cost [--parties N --threshold T] [--json] FILE
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from stoffel.cli.check import add_check_arguments, run_check
from stoffel.cli.common import (
    EXIT_ERRORS,
    EXIT_OK,
    ArgumentParser,
    print_diagnostics,
    run_cli,
    source_path,
)
from stoffel.cli.compile import add_compile_arguments, run_compile
from stoffel.cli.cost import add_cost_arguments, run_cost

DESCRIPTION = """\
Compile StoffelLang programs to STFL bytecode.

  stoffelc FILE                  write FILE.stflb (and its source map FILE.stflb.map)
  stoffelc FILE --emit ir        print the SSA IR (also: ast, ir-opt, disasm)
  stoffelc --disassemble F.stflb print a bytecode file as text
  stoffelc --cost [--json] FILE  static MPC cost per function and in total
                                 (--parties N --threshold T, default 5 and 1)
  stoffelc check [--json] FILE   type- and secrecy-check FILE and its imports;
                                 exit 0 when clean, 1 on errors, 2 on bad usage
"""


def _check_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="stoffelc check",
        description="Type- and secrecy-check a StoffelLang program and everything it imports.",
    )
    add_check_arguments(parser)
    return parser


def _compile_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="stoffelc",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_compile_arguments(parser)
    add_cost_arguments(parser)
    return parser


def _emit_ast(raw_path: str) -> int:
    from stoffel.compiler.ast.printer import dump
    from stoffel.compiler.source import SourceFile
    from stoffel.compiler.syntax import parse_module

    result = parse_module(SourceFile.read(source_path(raw_path)))
    syntax_errors = [d for d in result.diagnostics if d.is_error]
    print_diagnostics(syntax_errors)
    print(dump(result.module.body))
    return EXIT_ERRORS if syntax_errors else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)

    def body() -> int:
        if args and args[0] == "check":
            return run_check(_check_parser().parse_args(args[1:]))
        parsed = _compile_parser().parse_args(args)
        if parsed.cost:
            return run_cost(parsed)
        if parsed.emit == "ast":
            return _emit_ast(parsed.file or "")
        return run_compile(parsed)

    return run_cli("stoffelc", body)


if __name__ == "__main__":
    sys.exit(main())
