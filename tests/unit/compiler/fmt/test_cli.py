"""``stoffel fmt``: in-place rewrite, --check, --diff, refusal on syntax errors, usage."""

from __future__ import annotations

from pathlib import Path

import pytest

from stoffel.cli.stoffel import main


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "prog.stfl"
    path.write_text(text, encoding="utf-8")
    return path


def test_rewrites_in_place(tmp_path: Path) -> None:
    path = _write(tmp_path, "var x=1\n")
    assert main(["fmt", str(path)]) == 0
    assert path.read_text() == "var x = 1\n"
    assert main(["fmt", "--check", str(path)]) == 0


def test_check_reports_without_writing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "var x=1\n")
    assert main(["fmt", "--check", str(path)]) == 1
    assert path.read_text() == "var x=1\n"
    assert "would reformat" in capsys.readouterr().err


def test_diff_prints_unified_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "var x=1\n")
    assert main(["fmt", "--diff", str(path)]) == 0
    out = capsys.readouterr().out
    assert "-var x=1" in out and "+var x = 1" in out
    assert path.read_text() == "var x=1\n"


def test_syntax_errors_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "var = 1\n")
    assert main(["fmt", str(path)]) == 1
    assert "error[E001]" in capsys.readouterr().err
    assert path.read_text() == "var = 1\n"


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert main(["fmt", str(tmp_path / "missing.stfl")]) == 2
    assert main(["fmt"]) == 2
