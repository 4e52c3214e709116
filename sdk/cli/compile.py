"""``stoffelc FILE``: compile to STFL bytecode (DESIGN §6).

    stoffelc FILE [-o OUT.stflb] [-O0..-O3] [--emit ir|ir-opt|disasm] [--no-source-map]
    stoffelc --disassemble F.stflb

Without ``--emit`` the program is written to ``OUT.stflb`` (default: FILE with the suffix
``.stflb``) and its source map to ``OUT.stflb.map``. With ``--emit`` the chosen form is
printed instead (and the binary is written only if ``-o`` is given).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from stoffel.cli.common import (
    EXIT_ERRORS,
    EXIT_OK,
    UsageError,
    add_opt_level,
    print_diagnostics,
    source_path,
)

EMITS = ("ast", "ir", "ir-opt", "disasm")


def add_compile_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", nargs="?", help="the .stfl program")
    parser.add_argument("-o", "--output", metavar="OUT.stflb", help="where to write bytecode")
    add_opt_level(parser)
    parser.add_argument(
        "--emit", choices=EMITS, help="print the syntax tree, IR, optimised IR or disassembly"
    )
    parser.add_argument("--disassemble", metavar="F.stflb", help="print a .stflb file as text")
    parser.add_argument(
        "--no-source-map",
        action="store_true",
        help="do not write OUT.stflb.map beside the bytecode",
    )


def run_compile(args: argparse.Namespace) -> int:
    if args.disassemble:
        return _disassemble(args.disassemble)
    if not args.file:
        raise UsageError("missing FILE (or --disassemble F.stflb)")
    from stoffel.compiler.codegen.api import CompileFailed, compile_program

    path = source_path(args.file)
    if args.emit == "ast":
        return _emit_ast(path)
    try:
        compiled = compile_program(path, args.opt_level)
    except CompileFailed as exc:
        print_diagnostics(exc.diagnostics)
        return EXIT_ERRORS
    if args.emit == "ir":
        print(compiled.ir, end="")
    elif args.emit == "ir-opt":
        print(compiled.ir_opt, end="")
    elif args.emit == "disasm":
        from stoffel.vm.disasm import disassemble

        print(disassemble(compiled.program), end="")
    if args.emit and not args.output:
        return EXIT_OK
    out = Path(args.output) if args.output else path.with_suffix(".stflb")
    out.write_bytes(compiled.binary)
    if not args.no_source_map:
        Path(str(out) + ".map").write_text(compiled.source_map.to_json(), encoding="utf-8")
    return EXIT_OK


def _emit_ast(path: Path) -> int:
    """The parsed syntax tree (syntax errors are reported, the recovered tree printed)."""
    from stoffel.compiler.ast.printer import dump
    from stoffel.compiler.source import SourceFile
    from stoffel.compiler.syntax import parse_module

    result = parse_module(SourceFile.read(path))
    errors = [d for d in result.diagnostics if d.is_error]
    print_diagnostics(errors)
    print(dump(result.module.body))
    return EXIT_ERRORS if errors else EXIT_OK


def _disassemble(raw: str) -> int:
    import sys

    from stoffel.vm.disasm import disassemble
    from stoffel.vm.errors import BytecodeError
    from stoffel.vm.isa import decode

    try:
        data = Path(raw).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read '{raw}': {exc.strerror or exc}") from None
    try:
        program = decode(data)
    except BytecodeError as exc:
        print(f"stoffelc: error: {raw}: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    print(disassemble(program), end="")
    return EXIT_OK
