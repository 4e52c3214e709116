"""Conditions of unknown static type (a dynamic field, the reveal of a raw Share) compile to
well-typed IR; the VM checks at run time that the value really is a bool."""

from __future__ import annotations

from pathlib import Path

from stoffel.cli import stoffel


def _run(tmp_path: Path, source: str, capsys) -> tuple[int, str, str]:
    path = tmp_path / "prog.stfl"
    path.write_text(source, encoding="utf-8")
    code = stoffel.main(["run", str(path), "--backend", "clear"])
    out, err = capsys.readouterr()
    return code, out, err


def test_unknown_bool_condition_runs(tmp_path: Path, capsys) -> None:
    source = 'var d = {"a": True}\nif d["a"]:\n  print("yes")\nwhile d["a"]:\n  d["a"] = False\n'
    code, out, _ = _run(tmp_path, source, capsys)
    assert (code, out) == (0, "yes\n")


def test_unknown_non_bool_condition_is_a_located_runtime_error(tmp_path: Path, capsys) -> None:
    source = "var s = Share.from_clear(1)\nif reveal(s):\n  print(1)\n"
    code, out, err = _run(tmp_path, source, capsys)
    assert code == 3
    assert out == ""
    assert "--> " in err and "prog.stfl:2:" in err
    assert "internal error" not in err
