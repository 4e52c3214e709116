"""Token kinds: the terminal names the grammar declares, and their human names.

Error messages must never show lark's terminal names (``RPAR``, ``Token('NAME', 'x')``),
so every terminal has a display form here (spec/language.md §3.4 "Expected X, found Y").
"""

from __future__ import annotations

from typing import Final

from lark import Token

KEYWORDS: Final[dict[str, str]] = {
    word.lower(): word
    for word in [
        "VAR",
        "DEF",
        "MAIN",
        "BUILTIN",
        "TYPE",
        "OBJECT",
        "ENUM",
        "IF",
        "ELSE",
        "ELIF",
        "WHILE",
        "FOR",
        "IN",
        "BREAK",
        "CONTINUE",
        "PASS",
        "RETURN",
        "SECRET",
        "DISCARD",
        "IMPORT",
        "AS",
        "AND",
        "OR",
        "XOR",
        "NOT",
        "SHL",
        "SHR",
        "MOD",
    ]
}
KEYWORDS.update({"True": "TRUE", "False": "FALSE", "None": "NONE"})

# Identifiers the parser treats specially in some positions (spec §1.2).
CONTEXTUAL: Final[frozenset[str]] = frozenset(
    [
        "assert",
        "match",
        "case",
        "let",
        "proc",
        "try",
        "except",
        "finally",
        "raise",
        "with",
        "yield",
        "lambda",
        "del",
        "global",
        "nonlocal",
    ]
)

# Longest known operator first: `a*-1` lexes as `*` `-` (DESIGN.md §3). `&&`, `||`, `!`
# and the other non-operators are tokens of their own so that the parser can name them.
OPERATORS: Final[dict[str, str]] = {
    "==": "EQEQ",
    "!=": "NOTEQ",
    "<=": "LE",
    ">=": "GE",
    "+=": "PLUSEQ",
    "-=": "MINUSEQ",
    "*=": "STAREQ",
    "/=": "SLASHEQ",
    "%=": "PERCENTEQ",
    "->": "_ARROW",
    "..": "_DOTDOT",
    ".}": "PRAGMA_CLOSE",
    "{.": "PRAGMA_OPEN",
    "&&": "ANDAND",
    "||": "OROR",
    "**": "BADOP",
    "//": "BADOP",
    "<": "LT",
    ">": "GT",
    "=": "_EQUAL",
    "+": "PLUS",
    "-": "MINUS",
    "*": "STAR",
    "/": "SLASH",
    "%": "PERCENT",
    "!": "BANG",
    "&": "BADOP",
    "|": "BADOP",
    "^": "BADOP",
    "~": "BADOP",
    "?": "BADOP",
    ".": "_DOT",
    ":": "_COLON",
    ",": "_COMMA",
    "(": "LPAR",
    ")": "RPAR",
    "[": "LSQB",
    "]": "RSQB",
    "{": "LBRACE",
    "}": "RBRACE",
}

OPENERS: Final[frozenset[str]] = frozenset({"LPAR", "LSQB", "LBRACE"})
CLOSERS: Final[frozenset[str]] = frozenset({"RPAR", "RSQB", "RBRACE"})
LAYOUT: Final[frozenset[str]] = frozenset({"_NEWLINE", "_INDENT", "_DEDENT"})
AUG_ASSIGN: Final[frozenset[str]] = frozenset(
    {"PLUSEQ", "MINUSEQ", "STAREQ", "SLASHEQ", "PERCENTEQ"}
)

_FIXED_NAMES: Final[dict[str, str]] = {
    **{kind: f"'{text}'" for text, kind in OPERATORS.items() if kind != "BADOP"},
    **{kind: f"'{word}'" for word, kind in KEYWORDS.items()},
    "ASSERT": "'assert'",
    "MATCH": "'match'",
    "CASE": "'case'",
    "NAME": "identifier",
    "INT": "integer literal",
    "FLOAT": "float literal",
    "STRING": "string literal",
    "FSTRING": "f-string",
    "BADOP": "operator",
    "_NEWLINE": "newline",
    "_INDENT": "indented block",
    "_DEDENT": "dedent",
    "$END": "end of file",
    "ERROR_LINE": "statement",
}


def expected_name(kind: str) -> str:
    """How to say "expected <kind>" to a user."""
    return _FIXED_NAMES.get(kind, kind.lower().strip("_"))


def found_name(token: Token) -> str:
    """How to say "found <token>" to a user: the kind, plus the text when it helps."""
    kind = token.type
    if kind in ("NAME", "INT", "FLOAT"):
        return f"{_FIXED_NAMES[kind]} '{token.value}'"
    if kind in ("STRING", "FSTRING"):
        return _FIXED_NAMES[kind]
    if kind == "BADOP":
        return f"'{token.value}'"
    if kind == "_NEWLINE" and token.value == "":
        return "end of file"
    if kind == "_INDENT":
        return "indent"
    return _FIXED_NAMES.get(kind, repr(str(token.value)))


def make_token(kind: str, value: str, like: Token, *, at_end: bool = False) -> Token:
    """A synthetic token of ``kind`` positioned at (or, with ``at_end``, after) ``like``."""
    if at_end:
        pos, line, col = like.end_pos, like.end_line, like.end_column
    else:
        pos, line, col = like.start_pos, like.line, like.column
    return Token(kind, value, pos, line, col, line, col, pos)


def end_position(text: str) -> tuple[int, int]:
    """1-based (line, column) just past the end of ``text``, without building a line
    index (``SourceFile.position`` would scan every character on every parse)."""
    return text.count("\n") + 1, len(text) - text.rfind("\n")
