"""Where the comments are: a small scanner that skips string literals.

The parser drops comments, so the formatter finds them in the text itself. A ``#``
inside a string (or an f-string, or a single-quoted string the scanner would reject)
is not a comment; everything else from ``#`` to the end of the line is.
"""

from __future__ import annotations

import re
from typing import Final

import attrs

_TOKENS: Final[re.Pattern[str]] = re.compile(
    r'"(?:[^"\\\n]|\\.)*"?'  # double-quoted (also the body of f"...")
    r"|'(?:[^'\\\n]|\\.)*'?"  # single-quoted: an error, but never a comment
    r"|#[^\n]*"
)


@attrs.frozen
class Comment:
    line: int  # 1-based
    column: int  # 1-based, in characters
    text: str  # from '#' to the end of the line, trailing whitespace removed
    own_line: bool  # nothing but whitespace before it on its line


def scan_comments(text: str) -> list[Comment]:
    found: list[Comment] = []
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    line = 0
    for match in _TOKENS.finditer(text):
        if not match.group().startswith("#"):
            continue
        start = match.start()
        while line + 1 < len(line_starts) and line_starts[line + 1] <= start:
            line += 1
        before = text[line_starts[line] : start]
        found.append(
            Comment(
                line=line + 1,
                column=start - line_starts[line] + 1,
                text=match.group().rstrip(),
                own_line=not before.strip(),
            )
        )
    return found


def code_lines(text: str, comments: list[Comment]) -> set[int]:
    """1-based numbers of the lines holding code (not blank, not only a comment)."""
    own = {c.line for c in comments if c.own_line}
    return {
        number
        for number, content in enumerate(text.split("\n"), start=1)
        if content.strip() and number not in own
    }
