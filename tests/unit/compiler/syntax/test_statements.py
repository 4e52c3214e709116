"""Every statement and declaration form (spec §2), checked through the AST dump."""

from __future__ import annotations

from textwrap import dedent

import pytest

from stoffel.compiler.ast import nodes as n
from stoffel.compiler.ast.printer import dump
from stoffel.compiler.source import SourceFile
from stoffel.compiler.syntax import parse_module


def body(text: str) -> tuple[n.Stmt, ...]:
    result = parse_module(SourceFile("t.stfl", text))
    assert result.diagnostics == (), [(d.span.line, d.message) for d in result.diagnostics]
    return result.module.body


def dumped(text: str) -> str:
    return dump(body(text))


CASES = [
    (
        "var x: int64 = 5\nvar y = 1\nvar z: secret bool\n",
        """
        [
          VarDecl name='x'
            type: NamedType name='int64'
            value: IntLit value=5 suffix=None
          VarDecl name='y' type=None
            value: IntLit value=1 suffix=None
          VarDecl name='z' value=None
            type: SecretType
              inner: NamedType name='bool'
        ]
        """,
    ),
    (
        "x = 1\nxs[0] = 2\np.f = 3\nx += 1\nx -= 1\nx *= 2\nx /= 2\nx %= 2\n",
        """
        [
          Assign op=None
            target: Name id='x'
            value: IntLit value=1 suffix=None
          Assign op=None
            target: Index
              value: Name id='xs'
              index: IntLit value=0 suffix=None
            value: IntLit value=2 suffix=None
          Assign op=None
            target: Attribute attr='f'
              value: Name id='p'
            value: IntLit value=3 suffix=None
          Assign op='+'
            target: Name id='x'
            value: IntLit value=1 suffix=None
          Assign op='-'
            target: Name id='x'
            value: IntLit value=1 suffix=None
          Assign op='*'
            target: Name id='x'
            value: IntLit value=2 suffix=None
          Assign op='/'
            target: Name id='x'
            value: IntLit value=2 suffix=None
          Assign op='%'
            target: Name id='x'
            value: IntLit value=2 suffix=None
        ]
        """,
    ),
    (
        "if a:\n  pass\nelif b:\n  break\nelif c:\n  continue\nelse:\n  return\n",
        """
        [
          If
            branches: [
              IfBranch
                condition: Name id='a'
                body: [
                  Pass
                ]
              IfBranch
                condition: Name id='b'
                body: [
                  Break
                ]
              IfBranch
                condition: Name id='c'
                body: [
                  Continue
                ]
            ]
            else_body: [
              Return value=None
            ]
        ]
        """,
    ),
    (
        "if a:\n  f()\n",
        """
        [
          If else_body=None
            branches: [
              IfBranch
                condition: Name id='a'
                body: [
                  ExprStmt
                    expr: Call args=() keywords=()
                      func: Name id='f'
                ]
            ]
        ]
        """,
    ),
    (
        "while True:\n  discard g(1)\n",
        """
        [
          While
            condition: BoolLit value=True
            body: [
              Discard
                expr: Call keywords=()
                  func: Name id='g'
                  args: [
                    IntLit value=1 suffix=None
                  ]
            ]
        ]
        """,
    ),
    (
        "for i in 0..n:\n  pass\nfor a, b in pairs:\n  pass\n",
        """
        [
          For targets=('i',)
            iterable: Range
              start: IntLit value=0 suffix=None
              stop: Name id='n'
            body: [
              Pass
            ]
          For targets=('a', 'b')
            iterable: Name id='pairs'
            body: [
              Pass
            ]
        ]
        """,
    ),
    (
        'match x:\n  case 1:\n    pass\n  case "s":\n    pass\n  case _:\n    pass\n',
        """
        [
          Match
            subject: Name id='x'
            cases: [
              Case
                pattern: IntLit value=1 suffix=None
                body: [
                  Pass
                ]
              Case
                pattern: StrLit value='s'
                body: [
                  Pass
                ]
              Case pattern=None
                body: [
                  Pass
                ]
            ]
        ]
        """,
    ),
    (
        "match = 1\nmatch += 2\ncase = 3\nassert = 4\n",
        """
        [
          Assign op=None
            target: Name id='match'
            value: IntLit value=1 suffix=None
          Assign op='+'
            target: Name id='match'
            value: IntLit value=2 suffix=None
          Assign op=None
            target: Name id='case'
            value: IntLit value=3 suffix=None
          Assign op=None
            target: Name id='assert'
            value: IntLit value=4 suffix=None
        ]
        """,
    ),
    (
        'assert x > 0\nassert ok, "message"\n',
        """
        [
          Assert message=None
            condition: BinOp op='>'
              left: Name id='x'
              right: IntLit value=0 suffix=None
          Assert
            condition: Name id='ok'
            message: StrLit value='message'
        ]
        """,
    ),
    (
        'import std.mpc\nimport utils.math as m\nimport "../lib/x.stfl"\nimport "y.stfl" as y\n',
        """
        [
          Import path='std.mpc' quoted=False alias=None
          Import path='utils.math' quoted=False alias='m'
          Import path='../lib/x.stfl' quoted=True alias=None
          Import path='y.stfl' quoted=True alias='y'
        ]
        """,
    ),
    (
        "return 1\n",
        """
        [
          Return
            value: IntLit value=1 suffix=None
        ]
        """,
    ),
    (
        "type Amount = int64\ntype Grid = list[list[secret int64]]\n",
        """
        [
          TypeAlias name='Amount'
            type: NamedType name='int64'
          TypeAlias name='Grid'
            type: GenericType name='list'
              args: [
                GenericType name='list'
                  args: [
                    SecretType
                      inner: NamedType name='int64'
                  ]
              ]
        ]
        """,
    ),
    (
        "var d: dict[string, m.Point] = {}\n",
        """
        [
          VarDecl name='d'
            type: GenericType name='dict'
              args: [
                NamedType name='string'
                NamedType name='m.Point'
              ]
            value: DictLit items=()
        ]
        """,
    ),
    (
        "object Point:\n  x: int64\n  y: secret int64\nobject P3(Point):\n  z: int64\n",
        """
        [
          ObjectDef name='Point' base=None
            fields: [
              FieldDecl name='x'
                type: NamedType name='int64'
              FieldDecl name='y'
                type: SecretType
                  inner: NamedType name='int64'
            ]
          ObjectDef name='P3' base='Point'
            fields: [
              FieldDecl name='z'
                type: NamedType name='int64'
            ]
        ]
        """,
    ),
    (
        "enum Color:\n  Red\n  Green = 5\n  Blue\n",
        """
        [
          EnumDef name='Color'
            members: [
              EnumMember name='Red' value=None
              EnumMember name='Green'
                value: IntLit value=5 suffix=None
              EnumMember name='Blue' value=None
            ]
        ]
        """,
    ),
    (
        "builtin opaque Share\nbuiltin type Bytes = list[uint8]\nbuiltin type Raw\n",
        """
        [
          BuiltinType name='Share' type=None opaque=True
          BuiltinType name='Bytes' opaque=False
            type: GenericType name='list'
              args: [
                NamedType name='uint8'
              ]
          BuiltinType name='Raw' type=None opaque=False
        ]
        """,
    ),
    (
        "builtin object Mpc:\n  def party_id() -> int64 {.builtin.}\n"
        "  def rand() -> bytes {.builtin.}:\n",
        """
        [
          BuiltinObject name='Mpc'
            methods: [
              FunctionDef name='party_id' type_params=() params=() body=None
                return_type: NamedType name='int64'
                pragmas: [
                  Pragma name='builtin' value=None
                ]
              FunctionDef name='rand' type_params=() params=() body=None
                return_type: NamedType name='bytes'
                pragmas: [
                  Pragma name='builtin' value=None
                ]
            ]
        ]
        """,
    ),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_statement_forms(source: str, expected: str) -> None:
    assert dumped(source) == dedent(expected).strip()


FUNCTIONS = [
    (
        "def f():\n  pass\n",
        """
        [
          FunctionDef name='f' type_params=() params=() return_type=None pragmas=()
            body: [
              Pass
            ]
        ]
        """,
    ),
    (
        "def f[T, U](x: T, y, z: int64 = 3, *rest: U) -> list[T]:\n  return [x]\n",
        """
        [
          FunctionDef name='f' type_params=('T', 'U') pragmas=()
            params: [
              Param name='x' default=None variadic=False
                type: NamedType name='T'
              Param name='y' type=None default=None variadic=False
              Param name='z' variadic=False
                type: NamedType name='int64'
                default: IntLit value=3 suffix=None
              Param name='rest' default=None variadic=True
                type: NamedType name='U'
            ]
            return_type: GenericType name='list'
              args: [
                NamedType name='T'
              ]
            body: [
              Return
                value: ListLit
                  elements: [
                    Name id='x'
                  ]
            ]
        ]
        """,
    ),
    (
        'def print(*values) {.builtin.}\ndef r[T](v: secret T) -> T {.builtin: "Share.open".}\n',
        """
        [
          FunctionDef name='print' type_params=() return_type=None body=None
            params: [
              Param name='values' type=None default=None variadic=True
            ]
            pragmas: [
              Pragma name='builtin' value=None
            ]
          FunctionDef name='r' type_params=('T',) body=None
            params: [
              Param name='v' default=None variadic=False
                type: SecretType
                  inner: NamedType name='T'
            ]
            return_type: NamedType name='T'
            pragmas: [
              Pragma name='builtin' value='Share.open'
            ]
        ]
        """,
    ),
    (
        "def main() -> None {.entry.}:\n  pass\ndef type(x):\n  pass\n",
        """
        [
          FunctionDef name='main' type_params=() params=()
            return_type: NamedType name='None'
            pragmas: [
              Pragma name='entry' value=None
            ]
            body: [
              Pass
            ]
          FunctionDef name='type' type_params=() return_type=None pragmas=()
            params: [
              Param name='x' type=None default=None variadic=False
            ]
            body: [
              Pass
            ]
        ]
        """,
    ),
]


@pytest.mark.parametrize(("source", "expected"), FUNCTIONS)
def test_function_forms(source: str, expected: str) -> None:
    assert dumped(source) == dedent(expected).strip()


def test_nested_blocks_and_dedent_to_several_levels() -> None:
    stmts = body("def f():\n  while a:\n    if b:\n      pass\nx = 1\n")
    assert [type(s).__name__ for s in stmts] == ["FunctionDef", "Assign"]
    func = stmts[0]
    assert isinstance(func, n.FunctionDef) and func.body is not None
    loop = func.body[0]
    assert isinstance(loop, n.While)
    assert isinstance(loop.body[0], n.If)


def test_blank_and_comment_lines_do_not_change_indentation() -> None:
    source = "def f():\n  x = 1\n\n# a comment at column 1\n      # deeper comment\n  y = 2\n"
    func = body(source)[0]
    assert isinstance(func, n.FunctionDef)
    assert func.body is not None and len(func.body) == 2


def test_implicit_line_joining_inside_brackets() -> None:
    source = "var xs = [\n  1,\n    2,\n3]\nprint(xs,\n      1)\nvar d = {\n  1: 2\n}\n"
    assert [type(s).__name__ for s in body(source)] == ["VarDecl", "ExprStmt", "VarDecl"]


def test_pragma_opener_does_not_open_a_bracket() -> None:
    # `{.` must not count as an open brace, or the NEWLINE after `.}` would be swallowed.
    stmts = body("def f() {.builtin.}\ndef g() {.builtin.}\n")
    assert [s.name for s in stmts if isinstance(s, n.FunctionDef)] == ["f", "g"]


def test_file_without_trailing_newline() -> None:
    assert [type(s).__name__ for s in body("def f():\n  return 1")] == ["FunctionDef"]


def test_empty_and_comment_only_files() -> None:
    assert body("") == ()
    assert body("# just a comment\n\n   \n") == ()


def test_windows_line_endings_in_memory_text() -> None:
    assert [type(s).__name__ for s in body("var x = 1\r\nif x:\r\n  pass\r\n")] == [
        "VarDecl",
        "If",
    ]


def test_contextual_words_stay_identifiers_elsewhere() -> None:
    stmts = body("var match = f(case, assert)\nprint(match.x)\nmatch(1)\n")
    assert [type(s).__name__ for s in stmts] == ["VarDecl", "ExprStmt", "ExprStmt"]
