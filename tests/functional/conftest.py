"""Fixtures of the functional tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def tmp_program(tmp_path: Path):  # type: ignore[no-untyped-def]
    def make(source: str, name: str = "prog.stfl") -> Path:
        path = tmp_path / name
        path.write_text(source, encoding="utf-8")
        return path

    return make
