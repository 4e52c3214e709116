"""The scanner and the indentation post-lexer (spec §1.1–1.2): the tokens the parser sees."""

from __future__ import annotations

import pytest

from stoffel.compiler.source import SourceFile
from stoffel.compiler.syntax import tokenize


def kinds(text: str) -> list[str]:
    tokens, diagnostics = tokenize(SourceFile("t.stfl", text))
    assert diagnostics == [], [d.message for d in diagnostics]
    return [t.type for t in tokens]


def values(text: str) -> list[str]:
    tokens, _ = tokenize(SourceFile("t.stfl", text))
    return [str(t.value) for t in tokens if not t.type.startswith("_") or t.type == "_DOTDOT"]


OPERATOR_RUNS = [
    # longest *known* operator first (DESIGN.md §3): `*-` is `*` then `-`
    ("a*-1", ["a", "*", "-", "1"]),
    ("a<=-b", ["a", "<=", "-", "b"]),
    ("a==-b", ["a", "==", "-", "b"]),
    ("a=-1", ["a", "-", "1"]),
    ("x-=1", ["x", "-=", "1"]),
    ("a--b", ["a", "-", "-", "b"]),
    ("a!=b", ["a", "!=", "b"]),
    ("a&&b", ["a", "&&", "b"]),
    ("0..5", ["0", "..", "5"]),
    ("a..b", ["a", "..", "b"]),
    ("1.5..2", ["1.5", "..", "2"]),
    ("x.y.z", ["x", "y", "z"]),
]


@pytest.mark.parametrize(("text", "expected"), OPERATOR_RUNS)
def test_operator_runs(text: str, expected: list[str]) -> None:
    assert values(text) == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("42", "INT"),
        ("0x1F", "INT"),
        ("0b_1010", "INT"),
        ("1_000u64", "INT"),
        ("1.5", "FLOAT"),
        (".5", "FLOAT"),
        ("1e3", "FLOAT"),
        ("6.02E+23", "FLOAT"),
        ('"s"', "STRING"),
        ('f"a{b}"', "FSTRING"),
        ('F"a"', "FSTRING"),
        ("f", "NAME"),
        ("naïve_名前", "NAME"),
        ("_", "NAME"),
        ("True", "TRUE"),
        ("None", "NONE"),
        ("true", "NAME"),
        ("nil", "NAME"),
        ("mod", "MOD"),
        ("xor", "XOR"),
        ("secret", "SECRET"),
    ],
)
def test_single_token_kinds(text: str, kind: str) -> None:
    assert kinds(text)[0] == kind


def test_every_logical_line_ends_in_newline_and_blocks_close() -> None:
    assert kinds("if a:\n  if b:\n    c\nd") == [
        "IF",
        "NAME",
        "_COLON",
        "_NEWLINE",
        "_INDENT",
        "IF",
        "NAME",
        "_COLON",
        "_NEWLINE",
        "_INDENT",
        "NAME",
        "_NEWLINE",
        "_DEDENT",
        "_DEDENT",
        "NAME",
        "_NEWLINE",
    ]


def test_blank_and_comment_lines_produce_no_tokens() -> None:
    assert kinds("a\n\n   \n# c\n    # deeper\nb\n") == ["NAME", "_NEWLINE", "NAME", "_NEWLINE"]


def test_newlines_inside_brackets_are_ignored() -> None:
    assert kinds("f(1,\n    2)\n") == ["NAME", "LPAR", "INT", "_COMMA", "INT", "RPAR", "_NEWLINE"]
    assert kinds("x = [\n]\n") == ["NAME", "_EQUAL", "LSQB", "RSQB", "_NEWLINE"]


def test_pragma_brackets() -> None:
    assert kinds('def f() {.builtin: "x".}\n') == (
        [
            "DEF",
            "NAME",
            "LPAR",
            "RPAR",
            "PRAGMA_OPEN",
            "BUILTIN",
            "_COLON",
            "STRING",
            "PRAGMA_CLOSE",
            "_NEWLINE",
        ]
    )
    # `{.` followed by a digit is a brace and a float, not a pragma
    assert kinds("{.5: 1}") == ["LBRACE", "FLOAT", "_COLON", "INT", "RBRACE", "_NEWLINE"]


def test_tab_after_indentation_is_whitespace() -> None:
    assert kinds("if a:\n  b\t= 1\n") == (
        [
            "IF",
            "NAME",
            "_COLON",
            "_NEWLINE",
            "_INDENT",
            "NAME",
            "_EQUAL",
            "INT",
            "_NEWLINE",
            "_DEDENT",
        ]
    )


def test_contextual_words_are_retyped_only_at_statement_start() -> None:
    assert kinds("match x:\n  case 1:\n    pass\n")[:1] == ["MATCH"]
    assert "CASE" in kinds("match x:\n  case 1:\n    pass\n")
    assert kinds("assert x\n")[0] == "ASSERT"
    assert kinds("f(assert)\n")[2] == "NAME"
    assert kinds("match = 1\n")[0] == "NAME"
    assert kinds("match(1)\n")[0] == "NAME"


def test_tokens_carry_line_and_character_columns() -> None:
    tokens, _ = tokenize(SourceFile("t.stfl", 'x = "é"\n  \ny = 2'))
    named = [(t.type, t.line, t.column, t.end_column) for t in tokens if t.type != "_NEWLINE"]
    assert named == [
        ("NAME", 1, 1, 2),
        ("_EQUAL", 1, 3, 4),
        ("STRING", 1, 5, 8),
        ("NAME", 3, 1, 2),
        ("_EQUAL", 3, 3, 4),
        ("INT", 3, 5, 6),
    ]


LEXICAL_ERRORS = [
    ("x = 'a'\n", 1, 5, "Single-quoted strings are not supported"),
    ('x = "\\a"\n', 1, 6, "Invalid escape sequence: \\a"),
    ("x = `\n", 1, 5, "Unexpected character: `"),
    ("x = \x00\n", 1, 5, "Unexpected character: \\x00"),
    ("if a:\n\tb\n", 2, 1, "Tabs are not allowed for indentation"),
    ("if a:\n  \tb\n", 2, 3, "Tabs are not allowed for indentation"),
]


@pytest.mark.parametrize(("text", "line", "column", "message"), LEXICAL_ERRORS)
def test_lexical_errors(text: str, line: int, column: int, message: str) -> None:
    _, diagnostics = tokenize(SourceFile("t.stfl", text))
    assert [(d.span.line, d.span.column, d.message) for d in diagnostics] == [
        (line, column, message)
    ]


def test_lexing_stops_after_too_many_errors() -> None:
    _, diagnostics = tokenize(SourceFile("t.stfl", "$" * 500))
    assert len(diagnostics) == 51
    assert diagnostics[-1].message == "Too many lexical errors; the rest of the file was not read"


def test_the_scanner_is_also_a_lark_lexer() -> None:
    from stoffel.compiler.syntax.parser import LARK

    tree = LARK.parse("var x = 1\nif x:\n  pass\n", start="module")
    assert [child.data for child in tree.children] == ["var_decl", "if_stmt"]


def test_a_byte_order_mark_is_skipped() -> None:
    assert kinds("\ufeffvar x = 1\n") == ["VAR", "NAME", "_EQUAL", "INT", "_NEWLINE"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1and", ["1", "and"]), ("1in", ["1", "in"]), ("123abc", ["123", "abc"])],
)
def test_decimal_literals_stop_before_words(text: str, expected: list[str]) -> None:
    # Upstream lexes the digits (plus an attached width suffix) only.
    assert values(text) == expected
