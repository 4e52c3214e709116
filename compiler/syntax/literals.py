"""Literal decoding shared by the scanner (which reports problems) and the AST builder
(which needs the values): string escapes, integer forms, f-string pieces (spec §1.2)."""

from __future__ import annotations

import re
from typing import Final

import attrs

ESCAPES: Final[dict[str, str]] = {"n": "\n", "t": "\t", "\\": "\\", '"': '"'}
INT_SUFFIXES: Final[frozenset[str]] = frozenset(
    {"i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"}
)
MAX_INT: Final[int] = (1 << 128) - 1
_BASES: Final[dict[str, tuple[int, str]]] = {
    "x": (16, "0123456789abcdefABCDEF"),
    "b": (2, "01"),
    "o": (8, "01234567"),
}
_INTERPOLATION: Final[re.Pattern[str]] = re.compile(r"\s*([^\W\d]\w*(?:\s*\.\s*[^\W\d]\w*)*)\s*$")


@attrs.frozen
class Problem:
    """A literal error at character ``offset`` relative to the literal's start."""

    offset: int
    length: int
    message: str
    hint: str | None = None


def decode_string(raw: str) -> tuple[str, list[Problem]]:
    """Decode a quoted literal (either quote; possibly unterminated) into its value."""
    quote = raw[0]
    out: list[str] = []
    problems: list[Problem] = []
    i, n = 1, len(raw)
    while i < n:
        ch = raw[i]
        if ch == quote:
            return "".join(out), problems
        if ch == "\\" and i + 1 < n:
            esc = raw[i + 1]
            if esc in ESCAPES:
                out.append(ESCAPES[esc])
            else:
                problems.append(
                    Problem(
                        i,
                        2,
                        f"Invalid escape sequence: \\{esc}",
                        'Valid escape sequences are \\n, \\t, \\\\ and \\"',
                    )
                )
                out.append(esc)
            i += 2
            continue
        out.append(ch)
        i += 1
    problems.append(
        Problem(0, n, "Unterminated string literal", f"Add the closing {quote} on the same line")
    )
    return "".join(out), problems


def parse_int(text: str) -> tuple[int, str | None, Problem | None]:
    """(value, suffix, problem) for an integer token's text."""
    if text.isdigit() and len(text) < 39:  # the common case; 38 digits < 2**128
        return int(text), None, None
    body, suffix = text, None
    cut = _suffix_start(text)
    if cut is not None:
        body, suffix = text[:cut], text[cut:]
    invalid = Problem(
        0,
        len(text),
        f"Invalid integer literal '{text}'",
        "Write a decimal, 0x hex, 0b binary or 0o octal number, optionally suffixed "
        "i8..i64 or u8..u64",
    )
    if suffix is not None and suffix not in INT_SUFFIXES:
        return 0, None, invalid
    digits = body.replace("_", "")
    base = 10
    allowed = "0123456789"
    if len(digits) > 1 and digits[0] == "0" and digits[1] in "xXbBoO":
        base, allowed = _BASES[digits[1].lower()]
        digits = digits[2:]
    if not digits or any(c not in allowed for c in digits):
        return 0, suffix, invalid
    value = int(digits, base)
    if value > MAX_INT:
        return (
            0,
            suffix,
            Problem(0, len(text), f"Integer literal '{text}' is too large (max 128 bits)"),
        )
    return value, suffix, None


def _suffix_start(text: str) -> int | None:
    """Where an ``i``/``u`` width suffix starts (no digit of any base is an i or u)."""
    for i, ch in enumerate(text):
        if ch in "iu":
            return i
    return None


@attrs.frozen
class FPiece:
    """One f-string part: literal text, or an interpolated dotted name (with offsets)."""

    text: str
    offset: int
    is_name: bool = False


def split_fstring(raw: str) -> tuple[list[FPiece], list[Problem]]:
    """Split ``f"…"`` into literal and ``{a.b}`` pieces; offsets are relative to ``raw``."""
    value_start = 2
    body_end = len(raw)
    if len(raw) >= 3 and raw.endswith('"') and not _escaped_quote(raw):
        body_end = len(raw) - 1
    pieces: list[FPiece] = []
    problems: list[Problem] = []
    text: list[str] = []
    text_start = value_start
    i = value_start
    while i < body_end:
        ch = raw[i]
        if ch == "\\" and i + 1 < body_end:
            text.append(ESCAPES.get(raw[i + 1], raw[i + 1]))
            i += 2
        elif ch == "{" and raw.startswith("{{", i):
            text.append("{")
            i += 2
        elif ch == "}" and raw.startswith("}}", i):
            text.append("}")
            i += 2
        elif ch == "}":
            problems.append(Problem(i, 1, "Single '}' in f-string; use '}}' for a literal brace"))
            i += 1
        elif ch == "{":
            close = raw.find("}", i + 1, body_end)
            if close < 0:
                problems.append(
                    Problem(
                        i,
                        1,
                        "Unclosed '{' in f-string",
                        "Close the interpolation with '}', or write '{{' for a literal brace",
                    )
                )
                break
            if text:
                pieces.append(FPiece("".join(text), text_start))
                text = []
            inner = raw[i + 1 : close]
            match = _INTERPOLATION.match(inner)
            if match is None:
                problems.append(
                    Problem(
                        i,
                        close + 1 - i,
                        f"f-string interpolation '{{{inner}}}' must be a variable or dotted "
                        "field access",
                        "Bind the expression to a variable first, then interpolate the variable",
                    )
                )
            else:
                pieces.append(FPiece(match.group(1), i + 1 + match.start(1), is_name=True))
            i = close + 1
            text_start = i
        else:
            text.append(ch)
            i += 1
    if text:
        pieces.append(FPiece("".join(text), text_start))
    return pieces, problems


def _escaped_quote(raw: str) -> bool:
    """True when the final quote is escaped (an unterminated f-string)."""
    backslashes = len(raw) - 1 - len(raw[:-1].rstrip("\\"))
    return backslashes % 2 == 1
