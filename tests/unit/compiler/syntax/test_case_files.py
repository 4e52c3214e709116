"""The programs in tests/cases/syntax: their E001 markers match what the parser reports.

(The shared runner in tests/cases checks every diagnostic of the whole pipeline; this
keeps the parser's own part of that contract next to the parser's tests.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stoffel.compiler.source import SourceFile
from stoffel.compiler.syntax import parse_module

CASES = Path(__file__).resolve().parents[3] / "cases" / "syntax"
MARKER = re.compile(r"#~(?P<above>\^?)\s+(?P<code>E\d{3}):(?P<column>\d+)\s+(?P<message>.*)$")
FILES = sorted(CASES.glob("*.stfl"))


def markers(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    last_code_line = 0
    for number, line in enumerate(text.splitlines(), start=1):
        match = MARKER.search(line)
        if match and match["code"] == "E001":
            target = last_code_line if match["above"] else number
            found.append((target, int(match["column"]), match["message"].rstrip()))
        if not line.lstrip().startswith("#~^"):
            last_code_line = number
    return sorted(found)


def test_there_are_enough_case_programs() -> None:
    assert len(FILES) >= 25
    assert sum(1 for f in FILES if not markers(f.read_text(encoding="utf-8"))) >= 8


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_case_file_syntax_markers(path: Path) -> None:
    source = SourceFile.read(path)
    result = parse_module(source)
    actual = sorted((d.span.line, d.span.column, d.message) for d in result.diagnostics)
    assert actual == markers(source.text)
