"""Field access on lists, strings and None: accepted by the checker (as upstream), well-typed
IR under verification, and a located run-time error in the VM — never an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

from stoffel.cli import stoffel

PROGRAMS = {
    "list_read": ("var xs = [1, 2]\nvar d = xs.len\nprint(d)\n", 2, 9),
    "string_read": ('var s = "ab"\nprint(s.x)\n', 2, 7),
    "none_read": ("print(print().x)\n", 1, 7),
    "list_write": ("var xs = [1]\nxs.len = 3\n", 2, 1),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_runs_into_a_located_runtime_error(name: str, tmp_path: Path, capsys) -> None:
    source, line, column = PROGRAMS[name]
    path = tmp_path / f"{name}.stfl"
    path.write_text(source, encoding="utf-8")
    assert stoffel.main(["run", str(path), "--backend", "clear"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert f"--> {path}:{line}:{column}" in err
    assert "internal error" not in err
