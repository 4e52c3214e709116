"""Inline expectations in ``tests/cases/**/*.stfl`` (puya-style, STYLE.md §2.9).

A trailing comment ``#~ E101:5 message`` says: an E101 diagnostic whose span starts on
this line at column 5, with exactly this message. A whole-line comment
``#~^ E001:3 message`` says the same of the nearest line above that is not itself such a
comment (for lines that cannot carry a trailing comment, or for several diagnostics on
one line). A file's markers list exactly the diagnostics it must produce.

Multi-file cases live in ``tests/cases/imports/<case>/``; there the entry point is
``main.stfl`` and the markers of every file in the case directory are expected.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs

CASES = Path(__file__).parent
_MARKER = re.compile(r"#~(?P<above>\^?)\s+(?P<code>[EW]\d{3}):(?P<column>\d+)\s+(?P<message>.*)$")


@attrs.frozen(order=True)
class Expected:
    file: str
    line: int
    column: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{Path(self.file).name}:{self.line}:{self.column} {self.code} {self.message}"


def markers(path: Path) -> list[Expected]:
    found: list[Expected] = []
    last_code_line = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _MARKER.search(line)
        whole_line = line.lstrip().startswith("#~^")
        if match:
            target = last_code_line if match["above"] else number
            found.append(
                Expected(
                    str(path.resolve()),
                    target,
                    int(match["column"]),
                    match["code"],
                    match["message"].rstrip(),
                )
            )
        if not whole_line:
            last_code_line = number
    return found


def entry_points() -> list[Path]:
    """Every standalone case file, plus ``main.stfl`` of each multi-file case."""
    entries = []
    for path in sorted(CASES.rglob("*.stfl")):
        rel = path.relative_to(CASES)
        if rel.parts[0] == "imports" and path.name != "main.stfl":
            continue
        entries.append(path)
    return entries


def expected_for(entry: Path) -> list[Expected]:
    rel = entry.relative_to(CASES)
    if rel.parts[0] == "imports":
        return sorted(e for f in sorted(entry.parent.rglob("*.stfl")) for e in markers(f))
    return sorted(markers(entry))


def case_id(entry: Path) -> str:
    return ".".join(entry.relative_to(CASES).with_suffix("").parts)
