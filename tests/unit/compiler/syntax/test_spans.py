"""Spans: 1-based lines and character columns, end exclusive, on every node."""

from __future__ import annotations

import attrs
import pytest

from stoffel.compiler.ast import nodes as n
from stoffel.compiler.source import SourceFile, Span
from stoffel.compiler.syntax import parse_module

PROGRAM = """\
import std.mpc
object Point(Base):
  x: int64
enum Color:
  Red = 1
def f[T](a: list[T], *rest) -> secret int64 {.builtin.}
def g(p: Point) -> int64:
  var s: secret int64 = p.x * -2
  for i in 0..10:
    s += xs[i:2]
  match s:
    case 1:
      pass
  if ok and not bad:
    print(f"v={p.x}", end: "")
  return [y for y in ys if y > 0][0]
"""


def all_nodes(node: n.Node) -> list[n.Node]:
    out = [node]
    for field in attrs.fields(type(node)):
        value = getattr(node, field.name)
        children = value if isinstance(value, tuple) else (value,)
        for child in children:
            if isinstance(child, n.Node):
                out.extend(all_nodes(child))
    return out


def text_of(source: SourceFile, span: Span) -> str:
    return source.text[span.start : span.end]


@pytest.fixture(scope="module")
def parsed() -> tuple[SourceFile, n.Module]:
    source = SourceFile("t.stfl", PROGRAM)
    result = parse_module(source)
    assert result.diagnostics == ()
    return source, result.module


def test_every_node_has_a_consistent_span(parsed: tuple[SourceFile, n.Module]) -> None:
    source, module = parsed
    for node in all_nodes(module):
        span = node.span
        assert span.file == "t.stfl"
        assert (span.line, span.column) == source.position(span.start), node
        assert (span.end_line, span.end_column) == source.position(span.end), node


def test_children_lie_within_their_parents(parsed: tuple[SourceFile, n.Module]) -> None:
    _, module = parsed
    for parent in all_nodes(module):
        if isinstance(parent, n.FString):
            continue  # interpolated names point inside the string token
        for child in all_nodes(parent)[1:]:
            assert parent.span.start <= child.span.start <= child.span.end <= parent.span.end


SNIPPETS = [
    (n.ObjectDef, "object Point(Base):\n  x: int64"),
    (n.FieldDecl, "x: int64"),
    (n.EnumMember, "Red = 1"),
    (n.Param, "a: list[T]"),
    (n.Param, "*rest"),
    (n.Pragma, "builtin"),
    (n.SecretType, "secret int64"),
    (n.GenericType, "list[T]"),
    (n.Range, "0..10"),
    (n.Slice, "xs[i:2]"),
    (n.UnaryOp, "-2"),
    (n.BinOp, "p.x * -2"),
    (n.Keyword, 'end: ""'),
    (n.FString, 'f"v={p.x}"'),
    (n.ListComp, "[y for y in ys if y > 0]"),
    (n.Index, "[y for y in ys if y > 0][0]"),
    (n.Import, "import std.mpc"),
    (n.Case, "case 1:\n      pass"),
]


@pytest.mark.parametrize(("kind", "text"), SNIPPETS, ids=[k.__name__ for k, _ in SNIPPETS])
def test_node_text(parsed: tuple[SourceFile, n.Module], kind: type, text: str) -> None:
    source, module = parsed
    texts = [text_of(source, node.span) for node in all_nodes(module) if type(node) is kind]
    assert text in texts


def test_statement_spans_exclude_the_newline(parsed: tuple[SourceFile, n.Module]) -> None:
    source, module = parsed
    func = module.body[-1]
    assert isinstance(func, n.FunctionDef) and func.body is not None
    decl = func.body[0]
    assert text_of(source, decl.span) == "var s: secret int64 = p.x * -2"
    assert text_of(source, func.name_span) == "g"
    assert isinstance(decl, n.VarDecl) and text_of(source, decl.name_span) == "s"
    loop = func.body[1]
    assert isinstance(loop, n.For) and text_of(source, loop.target_span) == "i"
    assert text_of(source, loop.span) == "for i in 0..10:\n    s += xs[i:2]"
    assert text_of(source, func.body[-1].span) == "return [y for y in ys if y > 0][0]"


def test_function_span_covers_header_and_body(parsed: tuple[SourceFile, n.Module]) -> None:
    source, module = parsed
    builtin = module.body[3]
    assert isinstance(builtin, n.FunctionDef)
    assert text_of(source, builtin.span).startswith("def f[T](")
    assert text_of(source, builtin.span).endswith("{.builtin.}")
    func = module.body[-1]
    assert func.span.line == 7 and func.span.end_line == 16


def test_columns_count_characters_not_bytes() -> None:
    source = SourceFile("u.stfl", 'var s = "äöü€" + x\n')
    (decl,) = parse_module(source).module.body
    assert isinstance(decl, n.VarDecl) and isinstance(decl.value, n.BinOp)
    assert decl.value.right.span.column == 18


def test_module_span_covers_the_file(parsed: tuple[SourceFile, n.Module]) -> None:
    source, module = parsed
    assert (module.span.start, module.span.end) == (0, len(source.text))


def test_diagnostic_spans_are_real_locations() -> None:
    source = SourceFile("e.stfl", "x = (\n  1 +\n)\ny = 'q'\nif a: b\n")
    result = parse_module(source)
    assert result.diagnostics
    for diagnostic in result.diagnostics:
        span = diagnostic.span
        assert span is not None and span.file == "e.stfl"
        assert 1 <= span.line <= source.line_count and span.column >= 1
