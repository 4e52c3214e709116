"""Error recovery (DESIGN.md §2): every independent error reported, a usable tree left."""

from __future__ import annotations

from stoffel.compiler.ast import nodes as n
from stoffel.compiler.source import SourceFile
from stoffel.compiler.syntax import ParseResult, parse_module


def parse(text: str) -> ParseResult:
    return parse_module(SourceFile("t.stfl", text))


def located(result: ParseResult) -> list[tuple[int, int, str]]:
    return [(d.span.line, d.span.column, d.message) for d in result.diagnostics]


def kinds(stmts: tuple[n.Stmt, ...] | None) -> list[str]:
    return [type(s).__name__ for s in stmts or ()]


THREE_ERRORS = """\
def add(a: int64, b: int64) -> int64:
  return a + * b

var total = add(1, 2
var ok = 3

def twice(x: int64) -> int64:
  var y = x x
  return y * 2

print(twice(ok))
"""


def test_three_independent_errors_are_all_reported() -> None:
    result = parse(THREE_ERRORS)
    assert located(result) == [
        (2, 14, "In return statement: Expected expression, found '*'"),
        (4, 21, "In call arguments: Expected ')' or ',', found newline"),
        (8, 13, "Expected newline, EOF, or dedent after variable declaration, "
         "found identifier 'x'"),
    ]  # fmt: skip


def test_the_rest_of_the_file_still_yields_symbols() -> None:
    body = parse(THREE_ERRORS).module.body
    assert kinds(body) == ["FunctionDef", "ErrorStmt", "VarDecl", "FunctionDef", "ExprStmt"]
    add, _, ok, twice, call = body
    assert isinstance(add, n.FunctionDef) and kinds(add.body) == ["ErrorStmt"]
    assert isinstance(ok, n.VarDecl) and ok.name == "ok"
    assert isinstance(twice, n.FunctionDef) and kinds(twice.body) == ["ErrorStmt", "Return"]
    assert isinstance(call, n.ExprStmt)


def test_broken_block_header_keeps_its_body() -> None:
    result = parse("def f(x y):\n  var inner = 1\n  return inner\nvar after = 2\n")
    assert len(result.diagnostics) == 1
    assert kinds(result.module.body) == ["ErrorStmt", "VarDecl", "Return", "VarDecl"]


def test_errors_inside_nested_blocks_stay_inside() -> None:
    source = "def f():\n  while x:\n    y = = 1\n    z = 2\n  return z\n"
    result = parse(source)
    assert located(result) == [(3, 9, "In assignment: Expected expression, found '='")]
    (func,) = result.module.body
    assert isinstance(func, n.FunctionDef) and func.body is not None
    loop = func.body[0]
    assert isinstance(loop, n.While)
    assert kinds(loop.body) == ["ErrorStmt", "Assign"]
    assert kinds(func.body) == ["While", "Return"]


def test_one_line_block_is_repaired() -> None:
    result = parse("if x: y = 1\nelse: y = 2\n")
    assert [m for _, _, m in located(result)] == [
        "Expected newline after ':' before indented block"
    ] * 2
    (stmt,) = result.module.body
    assert isinstance(stmt, n.If) and kinds(stmt.branches[0].body) == ["Assign"]
    assert kinds(stmt.else_body) == ["Assign"]


def test_boolean_operator_spellings_are_repaired() -> None:
    result = parse("var ok = a && b || !c\n")
    assert len(result.diagnostics) == 3
    (decl,) = result.module.body
    assert isinstance(decl, n.VarDecl) and isinstance(decl.value, n.BinOp)
    assert decl.value.op == "or"


def test_match_block_recovers_per_case() -> None:
    source = "match x:\n  case 1\n    pass\n  case 2:\n    pass\n"
    result = parse(source)
    assert located(result) == [(2, 9, "In case clause: Expected ':', found newline")]
    (match,) = result.module.body
    assert isinstance(match, n.Match) and len(match.cases) == 1


def test_object_field_errors_keep_the_other_fields() -> None:
    result = parse("object P:\n  x int64\n  y: int64\n  secret z: int64\n")
    assert [m for _, _, m in located(result)] == [
        "In field declaration: Expected ':', found identifier 'int64'",
        "The 'secret' descriptor is only valid in type annotations",
    ]
    (obj,) = result.module.body
    assert isinstance(obj, n.ObjectDef)
    assert [f.name for f in obj.fields] == ["y", "z"]


def test_unclosed_bracket_does_not_swallow_the_next_definition() -> None:
    result = parse("var xs = [1, 2\ndef f():\n  return 1\n")
    assert located(result) == [(1, 15, "In list literal: Expected ']' or ',', found newline")]
    assert kinds(result.module.body) == ["ErrorStmt", "FunctionDef"]


def test_unexpected_indent_keeps_the_lines() -> None:
    result = parse("x = 1\n  y = 2\n  z = 3\nw = 4\n")
    assert located(result) == [(2, 3, "Unexpected indentation")]
    assert kinds(result.module.body) == ["Assign"] * 4


def test_lexical_error_does_not_cascade_into_parse_errors() -> None:
    result = parse("var s = 'single'\nvar t = 1 $ 2\nvar u = 3\n")
    assert [m for _, _, m in located(result)] == [
        "Single-quoted strings are not supported",
        "Unexpected character: $",
    ]


def test_incomplete_code_while_typing() -> None:
    # What an editor sees mid-keystroke: the symbols before and after must survive.
    source = "def a():\n  return 1\ndef b(\nvar z = a()\ndef c():\n  return z.\n"
    result = parse(source)
    assert len(result.diagnostics) == 2
    names = [s.name for s in result.module.body if isinstance(s, (n.FunctionDef, n.VarDecl))]
    assert names == ["a", "z", "c"]


def test_errors_come_in_source_order_and_are_capped() -> None:
    source = "".join(f"x{i} = = {i}\n" for i in range(500))
    result = parse(source)
    assert 0 < len(result.diagnostics) <= 200
    lines = [d.span.line for d in result.diagnostics]
    assert lines == sorted(lines)
    assert len(result.module.body) == 500
