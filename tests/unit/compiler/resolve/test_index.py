"""The resolution index that the language server queries."""

from __future__ import annotations

from stoffel.compiler.driver import Compilation
from stoffel.compiler.resolve.symbols import SymbolKind

SOURCE = """\
object Point:
  x: int64

def norm(p: Point) -> int64:
  return p.x

var total = 0
for i in 0..3:
  total += norm(Point(x: i))
var z = total.to_string()
"""
PATH = "/virtual/index.stfl"


def _index():
    compilation = Compilation(PATH, text=SOURCE)
    assert compilation.diagnostics == []
    return compilation.checked.index


def test_symbol_at_uses_and_definitions() -> None:
    index = _index()
    norm = index.symbol_at(PATH, 9, 13)  # the call `norm(` on line 9
    assert norm is not None and norm.kind is SymbolKind.FUNCTION and norm.name == "norm"
    assert norm.span is not None and (norm.span.line, norm.span.column) == (4, 5)
    assert index.symbol_at(PATH, 4, 6) is norm  # on the definition itself
    field = index.symbol_at(PATH, 5, 12)  # `p.x` → the field x
    assert field is not None and field.kind is SymbolKind.FIELD and field.owner == "Point"
    builtin = index.symbol_at(PATH, 10, 16)  # `.to_string()` → the builtin
    assert builtin is not None and builtin.is_builtin and builtin.name == "to_string"


def test_references_include_the_definition() -> None:
    index = _index()
    total = index.symbol_at(PATH, 7, 5)
    assert total is not None and total.kind is SymbolKind.VARIABLE
    spots = [(r.span.line, r.span.column, r.is_definition) for r in index.references(total)]
    assert spots == [(7, 5, True), (9, 3, False), (10, 9, False)]
    point = index.symbol_at(PATH, 1, 8)
    assert point is not None
    assert sorted((r.span.line, r.span.column) for r in index.references(point)) == [
        (1, 8),
        (4, 13),
        (9, 17),
    ]


def test_visible_names_for_completion() -> None:
    index = _index()
    inside = index.visible_at(PATH, 5, 3)
    assert {"p", "norm", "Point", "total", "print"} <= set(inside)
    loop = index.visible_at(PATH, 9, 3)
    assert "i" in loop and "p" not in loop


def test_named_arguments_refer_to_parameters() -> None:
    source = "var r = f(1, k: 2)\ndef f(a: int64, k: int64 = 0) -> int64:\n  return a + k\n"
    compilation = Compilation(PATH, text=source)
    assert compilation.diagnostics == []
    index = compilation.checked.index
    k = index.symbol_at(PATH, 1, 14)
    assert k is not None and k.kind is SymbolKind.PARAMETER and k.name == "k"
    assert [(r.span.line, r.span.column) for r in index.references(k)] == [
        (1, 14),
        (2, 17),
        (3, 14),
    ]


def test_module_prefix_resolves_to_the_module(tmp_path) -> None:
    (tmp_path / "lib.stfl").write_text("def f() -> int64:\n  return 1\n")
    main = tmp_path / "main.stfl"
    main.write_text("import lib as m\nvar x = m.f()\n")
    compilation = Compilation(main)
    assert compilation.diagnostics == []
    index = compilation.checked.index
    module = index.symbol_at(str(main), 2, 9)
    assert module is not None and module.kind is SymbolKind.MODULE
    assert module.span is not None and module.span.file.endswith("lib.stfl")
    f = index.symbol_at(str(main), 2, 11)
    assert f is not None and f.kind is SymbolKind.FUNCTION and f.span.file.endswith("lib.stfl")


def test_expression_at_gives_the_narrowest_typed_expression() -> None:
    compilation = Compilation(PATH, text=SOURCE)
    program = compilation.checked
    expr = program.expression_at(PATH, 9, 26)  # `i` inside Point(x: i)
    assert expr is not None and str(program.type_of(expr)) == "int64"
    call = program.expression_at(PATH, 9, 17)  # on `Point` of the constructor call
    assert call is not None and str(program.type_of(call)) == "Point"
