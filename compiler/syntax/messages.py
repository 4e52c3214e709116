"""Wording of the parser's syntax errors (spec/language.md §3.4).

Given the offending token, where it sits in the token list and what the LALR state would
have accepted, pick the message: the targeted ones first, then the generic
``<context> Expected <what>, found <token>`` with the hint ``Try adding <what> here``.
Names are human ones ('(' / identifier / newline), never lark terminal names.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

import attrs
from lark import Token

from stoffel.compiler.syntax.tokens import AUG_ASSIGN, LAYOUT, expected_name, found_name

_CONSTRUCTS: Final[dict[str, str]] = {
    "VAR": "variable declaration",
    "DEF": "function definition",
    "IF": "if statement",
    "ELIF": "elif clause",
    "ELSE": "else clause",
    "WHILE": "while loop",
    "FOR": "for loop",
    "RETURN": "return statement",
    "IMPORT": "import statement",
    "OBJECT": "object definition",
    "ENUM": "enum definition",
    "MATCH": "match statement",
    "CASE": "case clause",
    "ASSERT": "assert statement",
    "DISCARD": "discard statement",
    "BUILTIN": "builtin declaration",
    "PASS": "pass statement",
    "BREAK": "break statement",
    "CONTINUE": "continue statement",
}
# Lines inside these blocks are not statements.
_BODY_ITEMS: Final[dict[str, str]] = {
    "OBJECT": "field declaration",
    "ENUM": "enum member",
}
_BLOCKS: Final[dict[str, str]] = {
    "OBJECT": "object definition",
    "ENUM": "enum definition",
    "BUILTIN": "builtin object",
}
_HEADER_SEARCH: Final[int] = 5000
# Expected-sets that mean "an expression goes here".
_EXPRESSION_STARTS: Final[frozenset[str]] = frozenset({"NAME", "INT", "STRING", "LPAR"})
# Terminals never worth suggesting.
_UNSHOWN: Final[frozenset[str]] = frozenset({"ERROR_LINE", "_DEDENT", "$END"})
# Preferred order when listing what was expected.
_ORDER: Final[tuple[str, ...]] = (
    "RPAR",
    "RSQB",
    "RBRACE",
    "_COLON",
    "_COMMA",
    "_EQUAL",
    "LPAR",
    "LSQB",
    "_DOT",
    "NAME",
    "IN",
    "AS",
    "_ARROW",
    "PRAGMA_OPEN",
    "PRAGMA_CLOSE",
    "_NEWLINE",
    "_INDENT",
)
_MAX_LISTED: Final[int] = 4
# Tokens that continue an expression; not worth listing once an expression is complete.
_CONTINUATIONS: Final[frozenset[str]] = frozenset(
    [
        "PLUS",
        "MINUS",
        "STAR",
        "SLASH",
        "PERCENT",
        "MOD",
        "SHL",
        "SHR",
        "EQEQ",
        "NOTEQ",
        "LT",
        "LE",
        "GT",
        "GE",
        "IN",
        "AND",
        "OR",
        "XOR",
        "_DOTDOT",
        "LPAR",
        "LSQB",
        "_DOT",
    ]
)
# Tokens after which an expression is complete ("after expression statement" errors).
_EXPRESSION_ENDS: Final[frozenset[str]] = frozenset(
    {"NAME", "INT", "FLOAT", "STRING", "FSTRING", "TRUE", "FALSE", "NONE", "TYPE"}
    | {"RPAR", "RSQB", "RBRACE"}
)
# A `[` after a name that follows one of these opens type arguments, not a subscript.
_TYPE_CONTEXT: Final[frozenset[str]] = frozenset({"DEF", "_COLON", "_ARROW", "SECRET"})


@attrs.frozen
class Message:
    text: str
    hint: str | None


def statement_start(tokens: list[Token], i: int) -> int:
    """Index of the first token of the logical line holding position ``i``."""
    s = min(i, len(tokens))
    while s and tokens[s - 1].type not in LAYOUT:
        s -= 1
    return s


def construct(tokens: list[Token], start: int, i: int) -> str:
    """What kind of statement the line starting at ``start`` is, for "after …" wording."""
    if start >= len(tokens) or start >= i:
        return "statement"
    first = tokens[start].type
    if first == "TYPE" and start + 1 < len(tokens) and tokens[start + 1].type == "NAME":
        return "type alias"
    if first in _CONSTRUCTS:
        return _CONSTRUCTS[first]
    depth = 0
    for token in tokens[start:i]:
        kind = token.type
        if kind in ("LPAR", "LSQB", "LBRACE"):
            depth += 1
        elif kind in ("RPAR", "RSQB", "RBRACE"):
            depth -= 1
        elif depth == 0 and (kind == "_EQUAL" or kind in AUG_ASSIGN):
            return "assignment"
    if first == "NAME":
        return _BODY_ITEMS.get(enclosing_header(tokens, start), "expression statement")
    return "expression statement"


def context(tokens: list[Token], start: int, i: int) -> str:
    """``In <where>: `` — the innermost open bracket of the line, else the statement."""
    stack: list[int] = []
    for k in range(start, min(i, len(tokens))):
        kind = tokens[k].type
        if kind in ("LPAR", "LSQB", "LBRACE", "PRAGMA_OPEN"):
            stack.append(k)
        elif kind in ("RPAR", "RSQB", "RBRACE", "PRAGMA_CLOSE") and stack:
            stack.pop()
    if stack:
        return f"In {_bracket(tokens, start, stack[-1])}: "
    where = construct(tokens, start, i)
    if where == "statement":  # the line's first token: name the enclosing block instead
        where = _BLOCKS.get(enclosing_header(tokens, start), "statement")
    return "" if where == "statement" else f"In {where}: "


def enclosing_header(tokens: list[Token], start: int) -> str:
    """The first token kind of the block header whose body holds line ``start``."""
    depth = 0
    for k in range(start - 1, max(-1, start - _HEADER_SEARCH), -1):
        kind = tokens[k].type
        if kind == "_DEDENT":
            depth += 1
        elif kind == "_INDENT":
            if depth == 0:
                return tokens[statement_start(tokens, k - 1)].type if k else ""
            depth -= 1
    return ""


def _bracket(tokens: list[Token], start: int, k: int) -> str:
    kind = tokens[k].type
    before = tokens[k - 1].type if k > start else ""
    two_before = tokens[k - 2].type if k - 1 > start else ""
    if kind == "LSQB" and before == "NAME" and two_before in _TYPE_CONTEXT:
        return "type parameter list" if two_before == "DEF" else "type arguments"
    if kind == "PRAGMA_OPEN":
        return "pragma"
    if kind == "LBRACE":
        return "dict literal"
    follows_value = before in ("NAME", "RPAR", "RSQB", "TYPE", "STRING")
    if kind == "LSQB":
        return "subscript" if follows_value else "list literal"
    if tokens[start].type == "DEF" and before in ("NAME", "RSQB", "TYPE", "MAIN"):
        return "parameter list"
    return "call arguments" if follows_value else "parenthesized expression"


def describe(
    tokens: list[Token], i: int, token: Token, expected: Collection[str], at_statement: bool
) -> Message:
    """The message for an unexpected ``token`` at index ``i``."""
    found = found_name(token)
    start = statement_start(tokens, i)
    after_expression = i > start and tokens[i - 1].type in _EXPRESSION_ENDS
    if at_statement:
        if "CASE" in expected and "VAR" not in expected:
            return Message(
                "Expected 'case' in match block",
                "Each entry of a match block is 'case value:' followed by a block",
            )
        if "VAR" in expected:
            return Message(
                f"Unexpected token at start of statement: {found}",
                "A statement starts with a keyword such as 'var', 'def' or 'if', or with an "
                "expression",
            )
    if "_NEWLINE" in expected and after_expression and token.type != "_NEWLINE":
        return Message(
            f"Expected newline, EOF, or dedent after {construct(tokens, start, i)}, found {found}",
            "Put each statement on its own line",
        )
    where = context(tokens, start, i)
    if set(expected) >= _EXPRESSION_STARTS:
        return Message(
            f"{where}Expected expression, found {found}", "Try adding an expression here"
        )
    if {"NAME", "SECRET", "NONE"} <= set(expected) and "INT" not in expected:
        return Message(f"{where}Expected type, found {found}", "Try adding a type here")
    if after_expression:
        # `for i 0..3`: the `in` of a for header is not an operator continuation.
        header_in = tokens[start].type == "FOR" and all(t.type != "IN" for t in tokens[start:i])
        ending = [k for k in expected if k not in _CONTINUATIONS or (header_in and k == "IN")]
        expected = ending or expected  # `def f` + newline: '(' is all there is
    what = _listing(expected)
    return Message(f"{where}Expected {what}, found {found}", f"Try adding {what} here")


def _listing(expected: Collection[str]) -> str:
    shown = [k for k in _ORDER if k in expected]
    shown += sorted(k for k in expected if k not in _ORDER and k not in _UNSHOWN and k.isupper())
    names: list[str] = []
    for kind in shown:
        name = expected_name(kind)
        if name not in names:
            names.append(name)
    names = names[:_MAX_LISTED] or ["a statement"]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]
