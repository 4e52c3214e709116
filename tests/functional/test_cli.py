"""`stoffel run` and `stoffelc FILE` behaviour (DESIGN §6): output forms, JSON, exit codes,
input conversion, source-located run-time errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from stoffel.cli.common import ArgumentParser, run_cli
from stoffel.cli.compile import add_compile_arguments, run_compile
from stoffel.cli.run import add_run_arguments, parse_literal, run_program
from stoffel.vm.isa import decode

Make = Callable[..., Path]
Capsys = pytest.CaptureFixture[str]


def stoffel_run(*argv: str) -> int:
    parser = ArgumentParser(prog="stoffel run")
    add_run_arguments(parser)
    return run_cli("stoffel", lambda: run_program(parser.parse_args(list(argv))))


def stoffelc(*argv: str) -> int:
    parser = ArgumentParser(prog="stoffelc")
    add_compile_arguments(parser)
    return run_cli("stoffelc", lambda: run_compile(parser.parse_args(list(argv))))


HELLO = 'def main() -> int64:\n  print("hi", 1)\n  return 41 + 1\n'
FAILS = (
    "def f(x: int64) -> int64:\n  return 10 / x\n\n"
    'def main() -> int64:\n  print("before")\n  return f(0)\n'
)


def test_plain_output(tmp_program: Make, capsys: Capsys) -> None:
    assert stoffel_run(str(tmp_program(HELLO))) == 0
    assert capsys.readouterr().out == "hi 1\nresult: 42\n"


def test_none_result_prints_no_result_line(tmp_program: Make, capsys: Capsys) -> None:
    assert stoffel_run(str(tmp_program('print("x")\n'))) == 0
    assert capsys.readouterr().out == "x\n"


def test_json_output(tmp_program: Make, capsys: Capsys) -> None:
    assert stoffel_run(str(tmp_program(HELLO)), "--json") == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["result"] == 42 and doc["printed"] == ["hi 1"] and doc["outputs"] == {}
    assert set(doc["stats"]) >= {"rounds", "multiplications", "instructions", "preprocessing"}


def test_runtime_error_has_location_and_stack(tmp_program: Make, capsys: Capsys) -> None:
    path = tmp_program(FAILS)
    assert stoffel_run(str(path)) == 3
    out = capsys.readouterr()
    assert out.out == "before\n"
    assert "error: Division by zero" in out.err
    assert f"--> {path}:2:10" in out.err
    assert "main at" in out.err and "Traceback" not in out.err


def test_runtime_error_json(tmp_program: Make, capsys: Capsys) -> None:
    path = tmp_program(FAILS)
    assert stoffel_run(str(path), "--json") == 3
    doc = json.loads(capsys.readouterr().out)
    assert doc == {
        "error": {
            "kind": "runtime",
            "message": "Division by zero",
            "file": str(path),
            "line": 2,
            "column": 10,
        },
        "printed": ["before"],
    }


def test_overflow_is_a_runtime_error(tmp_program: Make, capsys: Capsys) -> None:
    src = "def main() -> int64:\n  var x = 9223372036854775807\n  return x + 1\n"
    assert stoffel_run(str(tmp_program(src)), "--json") == 3
    assert "overflow" in json.loads(capsys.readouterr().out)["error"]["message"]


def test_compile_error_exit_1(tmp_program: Make, capsys: Capsys) -> None:
    path = tmp_program("def main() -> int64:\n  return nope\n")
    assert stoffel_run(str(path), "--json") == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["error"]["kind"] == "compile" and doc["error"]["line"] == 2
    assert stoffel_run(str(path)) == 1
    assert "error[E" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["--input", "nope"],
        ["--client-input", "x=1"],
        ["--parties", "2", "--threshold", "1"],
        ["--backend", "tcp"],
        ["--input", "q=1"],
    ],
)
def test_usage_errors_exit_2(tmp_program: Make, capsys: Capsys, argv: list[str]) -> None:
    assert stoffel_run(str(tmp_program(HELLO)), *argv) == 2


def test_missing_file_is_usage(capsys: Capsys) -> None:
    assert stoffel_run("/nonexistent/x.stfl") == 2


def test_inputs_are_converted_to_parameter_types(tmp_program: Make, capsys: Capsys) -> None:
    src = (
        "def main(n: int32, xs: list[int64], f: float, ok: bool, s: string, k: secret int64)"
        " -> string:\n"
        "  print(n, xs, f, ok, s, k.reveal())\n"
        "  return s\n"
    )
    argv = [
        "--input",
        "n=7",
        "--input",
        "xs=[1, -2]",
        "--input",
        "f=1.5",
        "--input",
        "ok=True",
        "--input",
        's="a b"',
        "--input",
        "k=-3",
        "--backend",
        "clear",
    ]
    assert stoffel_run(str(tmp_program(src)), *argv) == 0
    assert capsys.readouterr().out == "7i32 [1, -2] 1.5f64 true a b -3\nresult: a b\n"


def test_parse_literal() -> None:
    assert parse_literal("0x10") == 16
    assert parse_literal("[1, [2, 3], []]") == [1, [2, 3], []]
    assert parse_literal('"q\\"x"') == 'q"x'
    assert parse_literal("false") is False
    with pytest.raises(ValueError):
        parse_literal("[1 2]")


def test_local_backend_is_the_default_for_secrets(tmp_program: Make, capsys: Capsys) -> None:
    src = "def main() -> int64:\n  var a: secret int64 = 6\n  return (a * a).reveal()\n"
    assert stoffel_run(str(tmp_program(src)), "--json", "--parties", "4") == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["result"] == 36
    assert doc["stats"]["bytes_per_party"] > 0


def test_client_outputs_reported(tmp_program: Make, capsys: Capsys) -> None:
    src = (
        "def main() -> None:\n"
        "  var a: secret int64 = ClientStore.take_share(0, 0)\n"
        "  discard MpcOutput.send_to_client(1, a + 1)\n"
    )
    argv = ["--json", "--backend", "clear", "--client-input", "0=41"]
    assert stoffel_run(str(tmp_program(src)), *argv) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["result"] is None and doc["outputs"] == {"1": [42]}


# ------------------------------------------------------------------------------------ stoffelc
def test_stoffelc_writes_bytecode_and_map(tmp_program: Make) -> None:
    path = tmp_program(HELLO)
    assert stoffelc(str(path), "-O0") == 0
    out = path.with_suffix(".stflb")
    assert decode(out.read_bytes()).functions[0].name == "main"
    assert json.loads(Path(str(out) + ".map").read_text())["version"] == 1


def test_stoffelc_output_and_no_map(tmp_program: Make, tmp_path: Path) -> None:
    out = tmp_path / "o.stflb"
    assert stoffelc(str(tmp_program(HELLO)), "-o", str(out), "--no-source-map") == 0
    assert out.is_file() and not Path(str(out) + ".map").exists()


@pytest.mark.parametrize(
    ("emit", "marker"),
    [("ir", "fn @main"), ("ir-opt", "fn @main"), ("disasm", ".function main"),
     ("ast", "FunctionDef")],
)  # fmt: skip
def test_stoffelc_emit(tmp_program: Make, capsys: Capsys, emit: str, marker: str) -> None:
    path = tmp_program(HELLO)
    assert stoffelc(str(path), "--emit", emit) == 0
    assert marker in capsys.readouterr().out
    assert not path.with_suffix(".stflb").exists()


def test_stoffelc_disassemble(tmp_program: Make, capsys: Capsys) -> None:
    path = tmp_program(HELLO)
    stoffelc(str(path))
    capsys.readouterr()
    assert stoffelc("--disassemble", str(path.with_suffix(".stflb"))) == 0
    assert "CALL print" in capsys.readouterr().out


def test_stoffelc_bad_bytecode(tmp_path: Path, capsys: Capsys) -> None:
    bad = tmp_path / "bad.stflb"
    bad.write_bytes(b"NOPE")
    assert stoffelc("--disassemble", str(bad)) == 1
    assert "magic" in capsys.readouterr().err


def test_stoffelc_compile_error(tmp_program: Make, capsys: Capsys) -> None:
    assert stoffelc(str(tmp_program("var x: int64 = True\n"))) == 1
    assert "error[E101]" in capsys.readouterr().err


def test_run_a_compiled_binary(tmp_program: Make, capsys: Capsys) -> None:
    path = tmp_program(FAILS)
    assert stoffelc(str(path)) == 0
    assert stoffel_run(str(path.with_suffix(".stflb"))) == 3
    err = capsys.readouterr().err
    assert f"--> {path}:2:10" in err  # the source map beside the binary


def test_run_binary_converts_inputs_from_type_metadata(tmp_program: Make, capsys: Capsys) -> None:
    src = "def main(n: int32, xs: list[int64]) -> int64:\n  print(n)\n  return len(xs)\n"
    path = tmp_program(src)
    assert stoffelc(str(path)) == 0
    capsys.readouterr()
    argv = [str(path.with_suffix(".stflb")), "--input", "n=3", "--input", "xs=[1, 2]"]
    assert stoffel_run(*argv) == 0
    assert capsys.readouterr().out == "3i32\nresult: 2\n"


def test_trace_goes_to_stderr(tmp_program: Make, capsys: Capsys) -> None:
    assert stoffel_run(str(tmp_program(HELLO)), "--trace") == 0
    out = capsys.readouterr()
    assert out.out == "hi 1\nresult: 42\n"
    assert "main@0:" in out.err and "CALL print" in out.err
