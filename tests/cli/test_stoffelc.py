"""``stoffelc`` / ``stoffel check`` end to end: exit codes, text and JSON output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stoffel.cli import stoffel, stoffelc

CLEAN = "def main() -> int64:\n  var x: secret int64 = 5\n  return x.reveal()\n"
LEAK = "def main() -> int64:\n  var x: secret int64 = 5\n  var y: int64 = x\n  return y\n"


@pytest.fixture
def write(tmp_path: Path):
    def _write(text: str, name: str = "prog.stfl") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write


def test_clean_program_exits_zero(write, capsys) -> None:
    assert stoffelc.main(["check", str(write(CLEAN))]) == 0
    assert "no errors" in capsys.readouterr().err


def test_errors_exit_one_with_rust_style_text(write, capsys) -> None:
    path = write(LEAK)
    assert stoffelc.main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert "error[E101]: Cannot implicitly reveal 'secret int64' as 'int64'" in err
    assert f"  --> {path}:3:18" in err
    assert "3 |   var y: int64 = x" in err
    assert err.rstrip().endswith("error: aborting due to previous error")


def test_json_output_is_one_object(write, capsys) -> None:
    path = write(LEAK)
    assert stoffelc.main(["check", "--json", str(path)]) == 1
    payload = json.loads(capsys.readouterr().out)
    (diag,) = payload["diagnostics"]
    assert diag["code"] == "E101"
    assert (diag["file"], diag["line"], diag["column"]) == (str(path), 3, 18)
    assert diag["end_line"] == 3 and diag["end_column"] == 19
    assert set(diag) == {
        "severity", "code", "message", "file", "line", "column",
        "end_line", "end_column", "hint", "notes",
    }  # fmt: skip


def test_json_clean_is_empty_list(write, capsys) -> None:
    assert stoffel.main(["check", "--json", str(write(CLEAN))]) == 0
    assert json.loads(capsys.readouterr().out) == {"diagnostics": []}


@pytest.mark.parametrize(
    "argv, message",
    [
        (["check"], "the following arguments are required: FILE"),
        (["check", "missing.stfl"], "cannot read 'missing.stfl': no such file"),
        (["check", "prog.txt"], "is not a StoffelLang source file"),
        (["check", "--bogus", "x.stfl"], "unrecognized arguments: --bogus"),
    ],
)
def test_usage_errors_exit_two(argv, message, capsys) -> None:
    assert stoffelc.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("stoffelc: error:")
    assert message in err
    assert "Traceback" not in err


def test_stoffel_requires_a_command(capsys) -> None:
    assert stoffel.main([]) == 2
    assert "required: COMMAND" in capsys.readouterr().err


def test_emit_ast(write, capsys) -> None:
    assert stoffelc.main([str(write("var x = 1\n")), "--emit", "ast"]) == 0
    assert "VarDecl name='x'" in capsys.readouterr().out


def test_console_script_runs_out_of_process(write) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "stoffel.cli.stoffelc", "check", str(write(LEAK))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "error[E101]" in result.stderr
    assert "Traceback" not in result.stderr
