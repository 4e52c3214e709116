"""The server's shortcuts must not change answers: chunked (and shifted) parsing gives
the parser's tree, and quick diagnostics equal a full check, on every test program."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.ast.printer import dump
from stoffel.compiler.driver import Compilation
from stoffel.compiler.source import SourceFile
from stoffel.compiler.syntax import parse_module
from stoffel.lsp import locate
from stoffel.lsp.analysis import Analysis
from stoffel.lsp.chunks import ChunkParser

_CASES = sorted((Path(__file__).resolve().parents[1] / "cases").rglob("*.stfl"))


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _positions(module: ast.Module) -> list[tuple[str, int, int, int, int]]:
    return [
        (type(n).__name__, n.span.line, n.span.column, n.span.end_line, n.span.end_column)
        for n in locate.walk(module)
    ]


@pytest.mark.parametrize("path", _CASES, ids=_id)
def test_chunked_parse_equals_the_parser(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    parser = ChunkParser()
    parser.parse(SourceFile(str(path), text))
    for edited in (text, "\n\n" + text, text.replace("\n", "\n\n", 1)):
        source = SourceFile(str(path), edited)
        module, problems = parser.parse(source)
        reference = parse_module(source)
        assert dump(module) == dump(reference.module)
        assert _positions(module) == _positions(reference.module)
        assert sorted((d.message, d.span.line if d.span else 0) for d in problems) == sorted(
            (d.message, d.span.line if d.span else 0) for d in reference.diagnostics
        )


def _edits(text: str, module: ast.Module) -> list[str]:
    """Edits inside function bodies: a new line, a changed line, a new error."""
    lines = text.split("\n")
    out: list[str] = []
    for stmt in module.body:
        if not isinstance(stmt, ast.FunctionDef) or not stmt.body:
            continue
        first = stmt.body[0].span
        indent = " " * (first.column - 1)
        row = first.line - 1
        out.append("\n".join([*lines[:row], f"{indent}var zz_new = 1", *lines[row:]]))
        out.append("\n".join([*lines[:row], lines[row] + "  # edited", *lines[row + 1 :]]))
        out.append("\n".join([*lines[:row], f"{indent}var zz_bad: int64 = True", *lines[row:]]))
    return out


def _shown(diagnostics: list) -> list[tuple[str, str, int, int, tuple[str, ...]]]:
    return [
        (
            d.code.value,
            d.message,
            d.span.line if d.span else 0,
            d.span.column if d.span else 0,
            tuple(n.message for n in d.notes),
        )
        for d in diagnostics
    ]


@pytest.mark.parametrize("path", _CASES, ids=_id)
def test_quick_diagnostics_equal_a_full_check(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    absolute = os.path.abspath(path)
    parser = ChunkParser()
    base = Analysis("file:///x", absolute, 1, text, {}, parser)
    base.warm()
    quick_runs = 0
    for number, edited in enumerate(_edits(text, base.module)):
        quick = Analysis(
            "file:///x", absolute, number + 2, edited, {}, parser, baseline=base.baseline()
        )
        quick.warm_diagnostics()
        quick_runs += quick.quick
        full = Analysis("file:///x", absolute, number + 2, edited, {}, ChunkParser())
        full.warm()
        assert _shown(quick.diagnostics) == _shown(full.diagnostics), (number, quick.quick)
        reference = Compilation(absolute, text=edited).diagnostics
        assert [(d.message, d.span.line if d.span else 0) for d in full.diagnostics] == [
            (d.message, d.span.line if d.span else 0) for d in reference
        ]


def test_an_edit_inside_a_function_takes_the_quick_path() -> None:
    text = (
        "def f(a: int64) -> int64:\n  return a + 1\n\n"
        "def g(s: secret int64) -> int64:\n  return s\n"
    )
    parser = ChunkParser()
    base = Analysis("file:///x", "/tmp/quick.stfl", 1, text, {}, parser)
    base.warm()
    assert [d.message for d in base.diagnostics] == [
        "Cannot implicitly reveal 'secret int64' as 'int64'"
    ]
    edited = text.replace("a + 1", "a + 2\n  var c = a * 2\n  var b: bool = 3")
    quick = Analysis(
        "file:///x", "/tmp/quick.stfl", 2, edited, {}, parser, baseline=base.baseline()
    )
    quick.warm_diagnostics()
    assert quick.quick
    assert [(d.message, d.span.line) for d in quick.diagnostics if d.span] == [
        ("Integer literal 3 cannot initialize 'bool' (allowed values are 0 or 1)", 4),
        ("Cannot implicitly reveal 'secret int64' as 'int64'", 7),
    ]
    assert quick.diagnostics[1].notes[0].message == "'s' declared secret here"


def test_a_change_of_effects_takes_the_full_check() -> None:
    text = "def f(a: int64) -> int64:\n  return a + 1\n"
    parser = ChunkParser()
    base = Analysis("file:///x", "/tmp/effects.stfl", 1, text, {}, parser)
    base.warm()
    edited = text.replace("  return", "  print(a)\n  return")
    full = Analysis(
        "file:///x", "/tmp/effects.stfl", 2, edited, {}, parser, baseline=base.baseline()
    )
    full.warm_diagnostics()
    assert not full.quick  # callers under a secret `if` may now be wrong
