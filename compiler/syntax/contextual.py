"""Contextual words (spec/language.md §1.2), decided on the token list before parsing.

``assert``, ``match`` and ``case`` are identifiers that start statements only in some
positions; ``let``/``proc``/``main name`` are old forms with targeted errors; ``try``,
``lambda`` and friends are Python constructs StoffelLang does not have. A one-token
look at the neighbours is enough, so this pass keeps the LALR grammar free of them.
A line holding an unsupported construct becomes a single ERROR_LINE token (the parser
turns it into an ``ErrorStmt``), so it is reported exactly once.
"""

from __future__ import annotations

from typing import Final

from lark import Token

from stoffel.compiler.diagnostics import Diagnostic, syntax_error
from stoffel.compiler.source import SourceFile
from stoffel.compiler.syntax.tokens import AUG_ASSIGN, CONTEXTUAL, LAYOUT

# After these, a contextual word is an ordinary identifier (`match = 1`, `with.x`).
_AS_IDENTIFIER: Final[frozenset[str]] = AUG_ASSIGN | {"_EQUAL", "_DOT", "LSQB", "_COMMA"}

_NO_EXCEPTIONS = "Check conditions explicitly; use 'assert' to stop on a failed check"
_NO_GLOBALS = "Pass the value in as a parameter and return the new value"
UNSUPPORTED: Final[dict[str, tuple[str, str]]] = {
    "try": ("StoffelLang has no exceptions", _NO_EXCEPTIONS),
    "except": ("StoffelLang has no exceptions", _NO_EXCEPTIONS),
    "finally": ("StoffelLang has no exceptions", _NO_EXCEPTIONS),
    "raise": ("StoffelLang has no exceptions", _NO_EXCEPTIONS),
    "with": ("StoffelLang has no context managers", "Call the setup and cleanup code directly"),
    "yield": ("StoffelLang has no generators", "Build a list and return it"),
    "del": ("StoffelLang has no 'del' statement", "Use delete(xs, i) to remove a list element"),
    "global": ("StoffelLang has no global declarations", _NO_GLOBALS),
    "nonlocal": ("StoffelLang has no nonlocal declarations", _NO_GLOBALS),
    "lambda": (
        "StoffelLang has no anonymous functions",
        "Define a named function with 'def' and pass it as create_closure(\"name\")",
    ),
}
# Words that read as a construct on their own line (`raise`, `yield`).
_BARE: Final[frozenset[str]] = frozenset({"raise", "yield"})


def resolve_contextual(
    tokens: list[Token], source: SourceFile, diagnostics: list[Diagnostic]
) -> list[Token]:
    """Retype contextual words in place; returns the (possibly shortened) token list."""
    hits = [
        i
        for i, t in enumerate(tokens)
        if (t.type == "NAME" and t.value in CONTEXTUAL) or t.type == "MAIN"
    ]
    if not hits:
        return tokens
    erased: list[tuple[int, int]] = []
    n = len(tokens)
    for i in hits:
        if erased and erased[-1][0] <= i < erased[-1][1]:
            continue
        token = tokens[i]
        after = tokens[i + 1].type if i + 1 < n else "$END"
        word = token.value
        if word == "lambda":
            if after in ("NAME", "_COLON", "STAR"):
                _unsupported(token, source, diagnostics)
                erased.append(_line_of(tokens, i))
            continue
        if i and tokens[i - 1].type not in LAYOUT:
            continue  # only statement starts below
        if after in _AS_IDENTIFIER:
            continue
        if word == "assert":
            token.type = "ASSERT"
        elif word in ("match", "case"):
            # `match(x)` alone is a call; with a trailing ':' (or any other operand) it is
            # the statement, even when the ':' is missing.
            if after not in ("_NEWLINE", "LPAR") or _ends_with_colon(tokens, i):
                token.type = word.upper()
        elif after != "NAME" and word in ("let", "proc", "main"):
            continue
        elif word == "let":
            _report(
                token,
                source,
                diagnostics,
                "The 'let' keyword is no longer supported",
                "Use 'var' to declare a variable",
            )
            token.type = "VAR"
        elif word == "proc":
            _report(
                token,
                source,
                diagnostics,
                "The 'proc' keyword is no longer supported; use 'def'",
                "Replace 'proc' with 'def'",
            )
            token.type = "DEF"
        elif token.type == "MAIN":
            _report(
                token,
                source,
                diagnostics,
                "The 'main <name>(...)' entry form is no longer supported",
                "Declare the entry point as 'def main(...)'",
            )
            token.type = "DEF"
        elif word in UNSUPPORTED and (after not in ("_NEWLINE", "LPAR") or word in _BARE):
            _unsupported(token, source, diagnostics)
            erased.append(_line_of(tokens, i))
    return _erase(tokens, erased) if erased else tokens


def _ends_with_colon(tokens: list[Token], i: int) -> bool:
    end = _line_of(tokens, i)[1]
    return tokens[end - 1].type == "_COLON"


def _line_of(tokens: list[Token], i: int) -> tuple[int, int]:
    """[start, end) of the logical line holding ``tokens[i]``; ``end`` is its NEWLINE."""
    start = i
    while start and tokens[start - 1].type not in LAYOUT:
        start -= 1
    end = i
    while end < len(tokens) and tokens[end].type != "_NEWLINE":
        end += 1
    return start, end


def _erase(tokens: list[Token], ranges: list[tuple[int, int]]) -> list[Token]:
    out: list[Token] = []
    done = 0
    for start, end in ranges:
        out.extend(tokens[done:start])
        first, last = tokens[start], tokens[end - 1]
        out.append(
            Token(
                "ERROR_LINE",
                "",
                first.start_pos,
                first.line,
                first.column,
                last.end_line,
                last.end_column,
                last.end_pos,
            )
        )
        done = end
    out.extend(tokens[done:])
    return out


def _unsupported(token: Token, source: SourceFile, diagnostics: list[Diagnostic]) -> None:
    reason, hint = UNSUPPORTED[token.value]
    _report(token, source, diagnostics, f"'{token.value}' is not supported: {reason}", hint)


def _report(
    token: Token, source: SourceFile, diagnostics: list[Diagnostic], message: str, hint: str
) -> None:
    diagnostics.append(syntax_error(message, source.span(token.start_pos, token.end_pos), hint))
