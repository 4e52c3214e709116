"""Every E001 message the parser produces: exact text, code, line and column (spec §3.4).

Each row is a whole file; its diagnostics must match exactly (no extras). A separate
table pins the hints of the targeted messages."""

from __future__ import annotations

import pytest

from stoffel.compiler.source import SourceFile
from stoffel.compiler.syntax import parse_module

Row = tuple[str, int, int, str]


def diagnostics(text: str) -> list[Row]:
    result = parse_module(SourceFile("t.stfl", text))
    return [(d.code.value, d.span.line, d.span.column, d.message) for d in result.diagnostics]


ERRORS: list[tuple[str, list[Row]]] = [
    (
        "def f\n  pass\n",
        [("E001", 1, 6, "In function definition: Expected '(' or '[', found newline")],
    ),
    (
        "object P:\n  def f():\n    pass\n",
        [("E001", 2, 3, "In object definition: Expected identifier, found 'def'")],
    ),
    (
        "enum E:\n  1\n",
        [("E001", 2, 3, "In enum definition: Expected identifier, found integer literal '1'")],
    ),
    (
        "builtin object B:\n  var x = 1\n",
        [("E001", 2, 3, "In builtin object: Expected 'def', found 'var'")],
    ),
    ("if x\n  pass\n", [("E001", 1, 5, "In if statement: Expected ':', found newline")]),
    ("if x = 1:\n  pass\n", [("E001", 1, 6, "In if statement: Expected ':', found '='")]),
    (
        "if x:\n  pass\nelse if y:\n  pass\n",
        [("E001", 3, 6, "In else clause: Expected ':', found 'if'")],
    ),
    (
        'print("a" "b")\n',
        [("E001", 1, 11, "In call arguments: Expected ')' or ',', found string literal")],
    ),
    (
        "object P:\n  x: int64 = 5\n",
        [("E001", 2, 12, "Expected newline, EOF, or dedent after field declaration, found '='")],
    ),
    ("object P:\n  x = 5\n", [("E001", 2, 5, "In field declaration: Expected ':', found '='")]),
    (
        "enum E:\n  A,\n  B\n",
        [("E001", 2, 4, "Expected newline, EOF, or dedent after enum member, found ','")],
    ),
    (
        'print("a"',
        [("E001", 1, 10, "In call arguments: Expected ')' or ',', found end of file")],
    ),
    ("x = [1,\n2", [("E001", 2, 2, "In list literal: Expected ']' or ',', found end of file")]),
    ("var a = b[1:2:3:4]\n", [("E001", 1, 16, "In subscript: Expected ']', found ':'")]),
    (
        'import "a.stfl" as\n',
        [("E001", 1, 19, "In import statement: Expected identifier, found newline")],
    ),
    (
        "if a:\n  pass\n else:\n  pass\n",
        [("E001", 3, 1, "Inconsistent dedentation. Expected indent level 0, got 1")],
    ),
    ("if x:\n\ty = 1\n", [("E001", 2, 1, "Tabs are not allowed for indentation")]),
    (
        "if x:\n   y = 1\n",
        [("E001", 2, 1, "Invalid indentation. Expected an indent of exactly 2 spaces, found 3")],
    ),
    (
        "if x:\n    y = 1\n",
        [("E001", 2, 1, "Invalid indentation. Expected an indent of exactly 2 spaces, found 4")],
    ),
    (
        "if x:\n  if y:\n    z = 1\n   w = 2\n",
        [("E001", 4, 1, "Inconsistent dedentation. Expected indent level 2, got 3")],
    ),
    ("  x = 1\n", [("E001", 1, 3, "Unexpected indentation")]),
    ("x = 'abc'\n", [("E001", 1, 5, "Single-quoted strings are not supported")]),
    ('x = "a\\qb"\n', [("E001", 1, 7, "Invalid escape sequence: \\q")]),
    ("x = 1 @ 2\n", [("E001", 1, 7, "Unexpected character: @")]),
    (
        "x = 340282366920938463463374607431768211456\n",
        [
            (
                "E001",
                1,
                5,
                "Integer literal '340282366920938463463374607431768211456' is too large (max 128 bits)",  # noqa: E501
            )
        ],
    ),
    ("x = 0xZZ\n", [("E001", 1, 5, "Invalid integer literal '0xZZ'")]),
    ("x = 10i33\n", [("E001", 1, 5, "Invalid integer literal '10i33'")]),
    ('x = "unterminated\n', [("E001", 1, 5, "Unterminated string literal")]),
    (
        'print(f"{a + 1}")\n',
        [
            (
                "E001",
                1,
                9,
                "f-string interpolation '{a + 1}' must be a variable or dotted field access",
            )
        ],
    ),
    ('print(f"{a")\n', [("E001", 1, 9, "Unclosed '{' in f-string")]),
    (
        'print(f"a } b")\n',
        [("E001", 1, 11, "Single '}' in f-string; use '}}' for a literal brace")],
    ),
    (
        'print(f"{}")\n',
        [("E001", 1, 9, "f-string interpolation '{}' must be a variable or dotted field access")],
    ),
    ("let x = 1\n", [("E001", 1, 1, "The 'let' keyword is no longer supported")]),
    (
        "proc f():\n  pass\n",
        [("E001", 1, 1, "The 'proc' keyword is no longer supported; use 'def'")],
    ),
    (
        "main start():\n  pass\n",
        [("E001", 1, 1, "The 'main <name>(...)' entry form is no longer supported")],
    ),
    (
        "secret x: int64 = 1\n",
        [("E001", 1, 1, "The 'secret' descriptor is only valid in type annotations")],
    ),
    (
        "var a, b = 1, 2\n",
        [
            (
                "E001",
                1,
                1,
                "Tuple unpacking is not supported: a declaration binds exactly one variable",
            )
        ],
    ),
    (
        "a, b = f()\n",
        [("E001", 1, 1, "Tuple unpacking is not supported: an assignment has exactly one target")],
    ),
    (
        "def f() -> (int64, bool):\n  pass\n",
        [("E001", 1, 12, "Tuple return types are not supported")],
    ),
    ("try:\n  pass\n", [("E001", 1, 1, "'try' is not supported: StoffelLang has no exceptions")]),
    (
        "raise Error(1)\n",
        [("E001", 1, 1, "'raise' is not supported: StoffelLang has no exceptions")],
    ),
    (
        "with f() as g:\n  pass\n",
        [("E001", 1, 1, "'with' is not supported: StoffelLang has no context managers")],
    ),
    ("yield x\n", [("E001", 1, 1, "'yield' is not supported: StoffelLang has no generators")]),
    (
        "var f = lambda x: x + 1\n",
        [("E001", 1, 9, "'lambda' is not supported: StoffelLang has no anonymous functions")],
    ),
    ("del xs[0]\n", [("E001", 1, 1, "'del' is not supported: StoffelLang has no 'del' statement")]),
    (
        "global counter\n",
        [("E001", 1, 1, "'global' is not supported: StoffelLang has no global declarations")],
    ),
    (
        "nonlocal counter\n",
        [("E001", 1, 1, "'nonlocal' is not supported: StoffelLang has no nonlocal declarations")],
    ),
    (
        "finally:\n  pass\n",
        [("E001", 1, 1, "'finally' is not supported: StoffelLang has no exceptions")],
    ),
    ("x = a && b\n", [("E001", 1, 7, "Unsupported boolean operator '&&'. Use 'and' instead.")]),
    ("x = a || b\n", [("E001", 1, 7, "Unsupported boolean operator '||'. Use 'or' instead.")]),
    ("x = !a\n", [("E001", 1, 5, "Unexpected prefix operator: !")]),
    ("x = \n", [("E001", 1, 4, "In assignment: Expected expression, found newline")]),
    (
        "x = (1 + )\n",
        [("E001", 1, 10, "In parenthesized expression: Expected expression, found ')'")],
    ),
    (
        "f(x) g\n",
        [
            (
                "E001",
                1,
                6,
                "Expected newline, EOF, or dedent after expression statement, found identifier 'g'",
            )
        ],
    ),
    (
        "print(1) print(2)\n",
        [
            (
                "E001",
                1,
                10,
                "Expected newline, EOF, or dedent after expression statement, found identifier 'print'",  # noqa: E501
            )
        ],
    ),
    (
        "x = a ** b\n",
        [("E001", 1, 7, "Expected newline, EOF, or dedent after assignment, found '**'")],
    ),
    (
        "x = a // b\n",
        [("E001", 1, 7, "Expected newline, EOF, or dedent after assignment, found '//'")],
    ),
    (
        "x = a & b\n",
        [("E001", 1, 7, "Expected newline, EOF, or dedent after assignment, found '&'")],
    ),
    (") = 1\n", [("E001", 1, 1, "Unexpected token at start of statement: ')'")]),
    ("else:\n  pass\n", [("E001", 1, 1, "Unexpected token at start of statement: 'else'")]),
    ("enum E:\nx = 1\n", [("E001", 1, 1, "Enum must declare at least one member")]),
    ("object O:\nx = 1\n", [("E001", 1, 1, "Object definition must have at least one field")]),
    ("enum E:\n  A = x\n", [("E001", 2, 7, "Enum member 'A' must use an integer literal value")]),
    ('enum E:\n  A = "s"\n', [("E001", 2, 7, "Enum member 'A' must use an integer literal value")]),
    ("if x: y = 1\n", [("E001", 1, 7, "Expected newline after ':' before indented block")]),
    ("while x: pass\n", [("E001", 1, 10, "Expected newline after ':' before indented block")]),
    (
        "match x:\n  case _:\n    pass\n  case 1:\n    pass\n",
        [("E001", 2, 3, "'case _' must be the last case in a match")],
    ),
    ("match x:\ny = 1\n", [("E001", 1, 1, "match must have at least one case")]),
    (
        "match x:\n  y = 1\n  case 1:\n    pass\n",
        [("E001", 2, 3, "Expected 'case' in match block")],
    ),
    ("var xs: List[int64] = []\n", [("E001", 1, 9, "Unknown generic type: List")]),
    ("var d: Dict[string, int64] = {}\n", [("E001", 1, 8, "Unknown generic type: Dict")]),
    (
        "var x\n",
        [("E001", 1, 1, "Variable declaration needs either a type annotation or an initial value")],
    ),
    ("var xs = [1, 2,]\n", [("E001", 1, 15, "Trailing comma is not allowed in a list literal")]),
    ("f(a: 1, 2)\n", [("E001", 1, 9, "Positional arguments must come before named arguments")]),
    (
        "builtin object O:\n  def f() -> int64\n",
        [("E001", 2, 7, "Builtin object methods must use the {.builtin.} pragma")],
    ),
    (
        "builtin thing X\n",
        [
            (
                "E001",
                1,
                9,
                "In builtin declaration: Expected 'type', 'opaque' or 'object', found identifier 'thing'",  # noqa: E501
            )
        ],
    ),
    (
        "def f(x y):\n  pass\n",
        [("E001", 1, 9, "In parameter list: Expected ')', ':', ',' or '=', found identifier 'y'")],
    ),
    (
        "def f(\n",
        [("E001", 1, 7, "In parameter list: Expected ')', identifier or '*', found end of file")],
    ),
    (
        "def f() -> int64\n",
        [("E001", 1, 17, "In function definition: Expected ':', found newline")],
    ),
    ("def f():\nx = 1\n", [("E001", 1, 8, "Expected an indented block after ':'")]),
    ("if x:\nx = 1\n", [("E001", 1, 5, "Expected an indented block after ':'")]),
    ("var x: = 1\n", [("E001", 1, 8, "In variable declaration: Expected type, found '='")]),
    ("import a.\n", [("E001", 1, 10, "In import statement: Expected identifier, found newline")]),
    (
        "import a b\n",
        [
            (
                "E001",
                1,
                10,
                "Expected newline, EOF, or dedent after import statement, found identifier 'b'",
            )
        ],
    ),
    ("for in xs:\n  pass\n", [("E001", 1, 5, "In for loop: Expected identifier, found 'in'")]),
    (
        "for i xs:\n  pass\n",
        [("E001", 1, 7, "In for loop: Expected ',' or 'in', found identifier 'xs'")],
    ),
    (
        "x = [1 2]\n",
        [("E001", 1, 8, "In list literal: Expected ']', ',' or 'for', found integer literal '2'")],
    ),
    ("x = {1: }\n", [("E001", 1, 9, "In dict literal: Expected expression, found '}'")]),
    (
        "x = f(1\ny = 2\n",
        [("E001", 2, 1, "In call arguments: Expected ')' or ',', found identifier 'y'")],
    ),
    (
        "x = (1,\ndef g():\n  pass\n",
        [("E001", 1, 7, "In parenthesized expression: Expected ')', found ','")],
    ),
    (
        "print(x)]\n",
        [("E001", 1, 9, "Expected newline, EOF, or dedent after expression statement, found ']'")],
    ),
    ("x = ()\n", [("E001", 1, 6, "In parenthesized expression: Expected expression, found ')'")]),
    ("x = y.\n", [("E001", 1, 7, "In assignment: Expected identifier, found newline")]),
    (
        "def f[](x):\n  pass\n",
        [("E001", 1, 7, "In type parameter list: Expected identifier, found ']'")],
    ),
    (
        "x = 1 if y else 2\n",
        [("E001", 1, 7, "Expected newline, EOF, or dedent after assignment, found 'if'")],
    ),
    ("x = 1; y = 2\n", [("E001", 1, 6, "Unexpected character: ;")]),
    ("a < b < c\n", []),
    ("var y: secret = 1\n", [("E001", 1, 15, "In variable declaration: Expected type, found '='")]),
]


@pytest.mark.parametrize(("source", "expected"), ERRORS)
def test_error_messages(source: str, expected: list[Row]) -> None:
    assert diagnostics(source) == expected


HINTS: list[tuple[str, str]] = [
    ("if x:\n\ty = 1\n", "Indent with spaces (2 per level)"),
    ("if x:\n   y = 1\n", "Indent each block by exactly 2 spaces more than the line that opens it"),
    ("if x:\n  if y:\n    z = 1\n   w = 2\n", "Dedent to the level of an enclosing block"),
    ("  x = 1\n", "Only the lines of a block that follows a line ending in ':' are indented"),
    ("x = 'abc'\n", 'Use double quotes: "..."'),
    ('x = "a\\qb"\n', 'Valid escape sequences are \\n, \\t, \\\\ and \\"'),
    (
        "x = 0xZZ\n",
        "Write a decimal, 0x hex, 0b binary or 0o octal number, optionally suffixed i8..i64 or u8..u64",  # noqa: E501
    ),
    ('x = "unterminated\n', 'Add the closing " on the same line'),
    (
        'print(f"{a + 1}")\n',
        "Bind the expression to a variable first, then interpolate the variable",
    ),
    ('print(f"{a")\n', "Close the interpolation with '}', or write '{{' for a literal brace"),
    ("let x = 1\n", "Use 'var' to declare a variable"),
    ("proc f():\n  pass\n", "Replace 'proc' with 'def'"),
    ("main start():\n  pass\n", "Declare the entry point as 'def main(...)'"),
    ("secret x: int64 = 1\n", "Write it in the type instead, e.g. 'var x: secret int64 = 0'"),
    ("var a, b = 1, 2\n", "Declare each variable with its own 'var'"),
    ("a, b = f()\n", "Assign each variable in its own statement"),
    ("def f() -> (int64, bool):\n  pass\n", "Return an object or a list instead"),
    ("try:\n  pass\n", "Check conditions explicitly; use 'assert' to stop on a failed check"),
    ("with f() as g:\n  pass\n", "Call the setup and cleanup code directly"),
    ("yield x\n", "Build a list and return it"),
    (
        "var f = lambda x: x + 1\n",
        "Define a named function with 'def' and pass it as create_closure(\"name\")",
    ),
    ("del xs[0]\n", "Use delete(xs, i) to remove a list element"),
    ("global counter\n", "Pass the value in as a parameter and return the new value"),
    ("x = a && b\n", "Replace '&&' with 'and'"),
    ("x = a || b\n", "Replace '||' with 'or'"),
    ("x = !a\n", "Replace '!' with 'not'"),
    ("f(x) g\n", "Put each statement on its own line"),
    (
        ") = 1\n",
        "A statement starts with a keyword such as 'var', 'def' or 'if', or with an expression",
    ),
    ("enum E:\nx = 1\n", "List the members on indented lines below the enum header"),
    ("object O:\nx = 1\n", "Declare fields as indented 'name: type' lines"),
    ("enum E:\n  A = x\n", "Write an integer such as 'A = 1'"),
    ("if x: y = 1\n", "Move the block's statements to their own lines, indented by 2 spaces"),
    ("match x:\n  case _:\n    pass\n  case 1:\n    pass\n", "Move 'case _' after all other cases"),
    ("match x:\ny = 1\n", "Add indented 'case value:' blocks below the match"),
    (
        "match x:\n  y = 1\n  case 1:\n    pass\n",
        "Each entry of a match block is 'case value:' followed by a block",
    ),
    ("var xs: List[int64] = []\n", "Did you mean 'list'?"),
    ("var d: Dict[string, int64] = {}\n", "Did you mean 'dict'?"),
    ("var x\n", "Add a type ('var x: int64') or a value ('var x = 0')"),
    ("var xs = [1, 2,]\n", "Remove the trailing ','"),
    ("f(a: 1, 2)\n", "Move the positional arguments before the named ones"),
    ("builtin object O:\n  def f() -> int64\n", "Add {.builtin.} after the method's signature"),
    (
        "def f():\nx = 1\n",
        "Indent the block's statements by 2 spaces; write 'pass' for an empty block",
    ),
]


@pytest.mark.parametrize(("source", "hint"), HINTS)
def test_targeted_hints(source: str, hint: str) -> None:
    (diagnostic,) = parse_module(SourceFile("t.stfl", source)).diagnostics
    assert diagnostic.hint == hint
