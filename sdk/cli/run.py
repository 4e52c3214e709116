"""``stoffel run``: compile a program and run it (DESIGN §6).

    stoffel run PATH [--input NAME=VALUE]... [--client-input C=V]... [--backend clear|local]
                [--parties N] [--threshold T] [-O N] [--trace] [--json]

Exit codes: 0 success, 1 compile errors, 2 usage, 3 run-time error. Run-time errors show the
StoffelLang location and a short call stack, never a Python traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from stoffel.api import CompileError, RunError, RunResult, compile, load
from stoffel.cli.common import (
    EXIT_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    add_opt_level,
    print_diagnostics,
    source_path,
)

EXIT_RUNTIME = 3
MAX_FRAMES_SHOWN = 5


class _UsageProblem(Exception):
    pass


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH", help="the .stfl program (or a compiled .stflb)")
    parser.add_argument(
        "--input",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help='a main parameter, as a StoffelLang literal (5, -2, 1.5, true, "text", [1, 2])',
    )
    parser.add_argument(
        "--client-input",
        action="append",
        default=[],
        metavar="C=V",
        help="append V (an integer, true/false, or a raw fixed-point integer) to client C's inputs",
    )
    parser.add_argument(
        "--backend",
        choices=["clear", "local", "tcp"],
        default=None,
        help="execution backend (default: local if the program touches secrets, else clear)",
    )
    parser.add_argument("--protocol", choices=["honeybadger"], default="honeybadger")
    parser.add_argument("--parties", type=int, default=5, metavar="N", help="parties (5)")
    parser.add_argument("--threshold", type=int, default=1, metavar="T", help="threshold (1)")
    add_opt_level(parser)
    parser.add_argument("--trace", action="store_true", help="print each VM instruction")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")


# ---------------------------------------------------------------------------------- literals
def parse_literal(text: str) -> Any:
    """A StoffelLang literal: integers (any radix), floats, bools, strings, lists."""
    value, rest = _literal(text.strip())
    if rest.strip():
        raise ValueError(f"unexpected '{rest.strip()}' in literal {text!r}")
    return value


def _literal(s: str) -> tuple[Any, str]:
    s = s.lstrip()
    if s.startswith("["):
        items: list[Any] = []
        s = s[1:].lstrip()
        if s.startswith("]"):
            return items, s[1:]
        while True:
            item, s = _literal(s)
            items.append(item)
            s = s.lstrip()
            if s.startswith(","):
                s = s[1:]
            elif s.startswith("]"):
                return items, s[1:]
            else:
                raise ValueError("expected ',' or ']' in a list literal")
    if s.startswith('"'):
        decoder = json.JSONDecoder()
        value, end = decoder.raw_decode(s)
        return value, s[end:]
    end = 0
    while end < len(s) and s[end] not in ",]":
        end += 1
    word, rest = s[:end].strip(), s[end:]
    if word in ("true", "True"):
        return True, rest
    if word in ("false", "False"):
        return False, rest
    try:
        return int(word.replace("_", ""), 0), rest
    except ValueError:
        pass
    try:
        return float(word), rest
    except ValueError:
        raise ValueError(f"not a literal: {word!r}") from None


def _pairs(items: list[str], what: str) -> list[tuple[str, str]]:
    out = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise _UsageProblem(f"{what} expects NAME=VALUE, got '{item}'")
        out.append((name.strip(), value))
    return out


def _client_inputs(items: list[str]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for client, raw in _pairs(items, "--client-input"):
        try:
            c = int(client, 0)
            v = raw.strip()
            value = {"true": 1, "false": 0, "True": 1, "False": 0}.get(v)
            value = int(v.replace("_", ""), 0) if value is None else value
        except ValueError:
            raise _UsageProblem(
                f"--client-input {client}={raw}: expected an integer client and an integer or "
                "true/false value"
            ) from None
        out.setdefault(c, []).append(value)
    return out


# ---------------------------------------------------------------------------------- running
def run_program(args: argparse.Namespace) -> int:
    printed_live = not args.json
    try:
        binary = args.path.endswith(".stflb")
        path = args.path if binary else source_path(args.path)
        inputs = {}
        for name, raw in _pairs(args.input, "--input"):
            try:
                inputs[name] = parse_literal(raw)
            except ValueError as exc:
                raise _UsageProblem(f"--input {name}: {exc}") from None
        clients = _client_inputs(args.client_input)
        if args.backend == "tcp":
            raise _UsageProblem("the tcp backend is not available yet (use clear or local)")
        program = load(path) if binary else compile(str(path), args.opt_level)
        trace = (lambda line: print(line, file=sys.stderr)) if args.trace else None
        echo = (lambda line: print(line, flush=True)) if printed_live else None
        result = program.run(
            inputs, clients, args.backend, args.parties, args.threshold, trace=trace, echo=echo
        )
    except CompileError as exc:
        return _compile_failed(exc, args.json)
    except RunError as exc:
        if exc.kind == "usage":
            return _usage(str(exc), args.json)
        return _runtime_failed(exc, args.json)
    except _UsageProblem as exc:
        return _usage(str(exc), args.json)
    except Exception as exc:  # UsageError from source_path and friends
        if type(exc).__name__ == "UsageError":
            return _usage(str(exc), args.json)
        raise
    _report(result, args)
    return EXIT_OK


def _report(result: RunResult, args: argparse.Namespace) -> None:
    if args.json:
        doc = {
            "result": result.result,
            "printed": result.printed,
            "outputs": result.outputs,
            "stats": result.stats,
        }
        print(json.dumps(doc))
        return
    if result.result_text is not None:
        print(f"result: {result.result_text}")
    if result.backend == "local":
        from stoffel.runtime.backends.local import error_correction_note

        note = error_correction_note(args.parties, args.threshold)
        if note.startswith("error correction off"):
            print(f"note: {note}", file=sys.stderr)


def _error_json(
    kind: str,
    message: str,
    file: str | None,
    line: int | None,
    column: int | None,
    printed: list[str],
) -> None:
    err = {"kind": kind, "message": message, "file": file, "line": line, "column": column}
    print(json.dumps({"error": err, "printed": printed}))


def _usage(message: str, as_json: bool) -> int:
    if as_json:
        _error_json("usage", message, None, None, None, [])
    else:
        print(f"stoffel run: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _compile_failed(exc: CompileError, as_json: bool) -> int:
    errors = [d for d in exc.diagnostics if d.is_error]
    if as_json:
        first = errors[0] if errors else None
        span = first.span if first is not None else None
        _error_json(
            "compile",
            first.message if first else str(exc),
            span.file if span else None,
            span.line if span else None,
            span.column if span else None,
            [],
        )
    else:
        print_diagnostics(exc.diagnostics)
    return EXIT_ERRORS


def _runtime_failed(exc: RunError, as_json: bool) -> int:
    loc = exc.location
    if as_json:
        _error_json(
            "runtime",
            exc.message,
            loc.file if loc else None,
            loc.line if loc else None,
            loc.column if loc else None,
            exc.printed,
        )
        return EXIT_RUNTIME
    lines = [f"error: {exc.message}"]
    if loc is not None:
        lines.append(f"  --> {loc.file}:{loc.line}:{loc.column}")
    if exc.frames:
        lines.append("call stack (innermost first):")
        for f in exc.frames[:MAX_FRAMES_SHOWN]:
            where = f" at {f.file}:{f.line}:{f.column}" if f.line is not None else ""
            lines.append(f"  {f.function}{where}")
        if len(exc.frames) > MAX_FRAMES_SHOWN:
            lines.append(f"  ... {len(exc.frames) - MAX_FRAMES_SHOWN} more")
    print("\n".join(lines), file=sys.stderr)
    return EXIT_RUNTIME
