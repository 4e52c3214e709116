"""Every program under tests/cases: formatting is idempotent and keeps the AST."""

from __future__ import annotations

from pathlib import Path

import pytest

from stoffel.compiler.ast.printer import dump
from stoffel.compiler.fmt import format_source
from stoffel.compiler.source import SourceFile
from stoffel.compiler.syntax import parse_module

_ROOT = Path(__file__).resolve().parents[4]
_CASES = sorted((_ROOT / "tests" / "cases").rglob("*.stfl"))


def _id(path: Path) -> str:
    return str(path.relative_to(_ROOT / "tests" / "cases"))


def test_corpus_is_found() -> None:
    assert len(_CASES) > 50


@pytest.mark.parametrize("path", _CASES, ids=_id)
def test_idempotent_and_same_ast(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    parsed = parse_module(SourceFile(str(path), text))
    if parsed.has_errors:
        pytest.skip("the program has syntax errors")
    first = format_source(text, str(path))
    assert first.text is not None, first.diagnostics
    assert dump(parse_module(SourceFile(str(path), first.text)).module) == dump(parsed.module)
    assert format_source(first.text, str(path)).text == first.text
    assert _comments(first.text) == _comments(text)


def _comments(text: str) -> list[str]:
    from stoffel.compiler.fmt.comments import scan_comments

    return [c.text for c in scan_comments(text)]
