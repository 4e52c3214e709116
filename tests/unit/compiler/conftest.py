"""Compile-and-run helpers for lowering and codegen unit tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from stoffel.api import RunResult, compile
from stoffel.compiler.codegen import CompiledProgram, compile_program

Runner = Callable[..., RunResult]
Compiler = Callable[..., CompiledProgram]


@pytest.fixture
def run_src(tmp_path: Path) -> Runner:
    def run(source: str, opt_level: int = 0, clients: dict[int, list[int]] | None = None,
            **inputs: object) -> RunResult:  # fmt: skip
        path = tmp_path / "prog.stfl"
        path.write_text(source, encoding="utf-8")
        return compile(str(path), opt_level).run(inputs, clients or {}, "clear")

    return run


@pytest.fixture
def compile_src(tmp_path: Path) -> Compiler:
    def build(source: str, opt_level: int = 0) -> CompiledProgram:
        path = tmp_path / "prog.stfl"
        path.write_text(source, encoding="utf-8")
        return compile_program(path, opt_level)

    return build
