"""Expressions: the precedence table of spec §1.3 (quirks included), postfix forms, literals."""

from __future__ import annotations

import pytest

from stoffel.compiler.ast import nodes as n
from stoffel.compiler.ast.printer import dump
from stoffel.compiler.syntax import parse_expression


def sexpr(node: object) -> str:
    """A compact prefix form, so precedence tables stay readable."""
    match node:
        case n.BinOp(op=op, left=left, right=right):
            return f"({op} {sexpr(left)} {sexpr(right)})"
        case n.UnaryOp(op=op, operand=operand):
            return f"({op} {sexpr(operand)})"
        case n.Range(start=start, stop=stop):
            return f"(.. {sexpr(start)} {sexpr(stop)})"
        case n.Name(id=name):
            return name
        case n.IntLit(value=value, suffix=suffix):
            return f"{value}{suffix or ''}"
        case n.FloatLit(value=value):
            return f"{value}f"
        case n.StrLit(value=value):
            return repr(value)
        case n.BoolLit(value=value):
            return str(value)
        case n.NoneLit():
            return "None"
        case n.Call(func=func, args=args, keywords=keywords):
            parts = [sexpr(a) for a in args] + [f"{k.name}={sexpr(k.value)}" for k in keywords]
            return f"{sexpr(func)}({', '.join(parts)})"
        case n.Attribute(value=value, attr=attr):
            return f"{sexpr(value)}.{attr}"
        case n.Index(value=value, index=index):
            return f"{sexpr(value)}[{sexpr(index)}]"
        case n.Slice(value=value, start=start, stop=stop, step=step):
            bounds = ":".join("" if b is None else sexpr(b) for b in (start, stop, step))
            return f"{sexpr(value)}[{bounds}]"
        case n.ListLit(elements=elements):
            return "[" + ", ".join(sexpr(e) for e in elements) + "]"
        case n.DictLit(items=items):
            return "{" + ", ".join(f"{sexpr(i.key)}: {sexpr(i.value)}" for i in items) + "}"
        case n.ListComp(element=element, target=target, iterable=iterable, condition=cond):
            tail = f" if {sexpr(cond)}" if cond is not None else ""
            return f"[{sexpr(element)} for {target} in {sexpr(iterable)}{tail}]"
        case n.FString(parts=parts):
            return "f<" + ", ".join(sexpr(p) for p in parts) + ">"
        case n.ErrorExpr():
            return "<error>"
    raise AssertionError(f"unexpected node {node!r}")


def expr(text: str) -> str:
    node, diagnostics = parse_expression(text)
    assert diagnostics == (), [d.message for d in diagnostics]
    return sexpr(node)


PRECEDENCE = [
    # or / xor share the lowest level and associate to the left
    ("a or b xor c", "(xor (or a b) c)"),
    ("a xor b or c", "(or (xor a b) c)"),
    ("a or b and c", "(or a (and b c))"),
    ("a and b or c and d", "(or (and a b) (and c d))"),
    ("a and b and c", "(and (and a b) c)"),
    # comparisons and `in` at one level, left-associative, not chained
    ("a < b < c", "(< (< a b) c)"),
    ("a == b != c", "(!= (== a b) c)"),
    ("x in xs == y", "(== (in x xs) y)"),
    ("a <= b and c >= d", "(and (<= a b) (>= c d))"),
    ("a > b or c", "(or (> a b) c)"),
    # range sits between comparisons and + -
    ("0..n+1", "(.. 0 (+ n 1))"),
    ("a..b == c", "(== (.. a b) c)"),
    ("a+1..b*2", "(.. (+ a 1) (* b 2))"),
    # arithmetic
    ("a + b * c", "(+ a (* b c))"),
    ("a - b - c", "(- (- a b) c)"),
    ("a * b / c % d", "(% (/ (* a b) c) d)"),
    ("a mod b shl c shr d", "(shr (shl (mod a b) c) d)"),
    ("a + b mod c", "(+ a (mod b c))"),
    # prefix - and not take their operand at precedence 6
    ("-a * b", "(* (- a) b)"),
    ("not a == b", "(== (not a) b)"),
    ("not a and b", "(and (not a) b)"),
    ("not f(x)", "(not f(x))"),
    ("-x.y", "(- x.y)"),
    ("- -a", "(- (- a))"),
    ("not not a", "(not (not a))"),
    ("a * -b", "(* a (- b))"),
    ("a*-1", "(* a (- 1))"),
    ("a--1", "(- a (- 1))"),
    ("a+-1", "(+ a (- 1))"),
    ("not (a == b)", "(not (== a b))"),
    ("(a + b) * c", "(* (+ a b) c)"),
    # postfix binds tightest and chains left to right
    ("a.b(c)[d].e", "a.b(c)[d].e"),
    ("f(x)(y)", "f(x)(y)"),
    ("-xs[0]", "(- xs[0])"),
]


@pytest.mark.parametrize(("text", "expected"), PRECEDENCE)
def test_precedence(text: str, expected: str) -> None:
    assert expr(text) == expected


POSTFIX_AND_ATOMS = [
    ("f()", "f()"),
    ("f(1, 2,)", "f(1, 2)"),
    ("f(a, b: 2, c: x + 1)", "f(a, b=2, c=(+ x 1))"),
    ("Point(x: 1, y: 2)", "Point(x=1, y=2)"),
    ("xs[1:2]", "xs[1:2:]"),
    ("xs[:2]", "xs[:2:]"),
    ("xs[1:]", "xs[1::]"),
    ("xs[:]", "xs[::]"),
    ("xs[::2]", "xs[::2]"),
    ("xs[1:5:2]", "xs[1:5:2]"),
    ("xs[-1]", "xs[(- 1)]"),
    ("type(x)", "type(x)"),
    ("Share.from_clear_int(5, 64)", "Share.from_clear_int(5, 64)"),
    ("[]", "[]"),
    ("[1, [2, 3]]", "[1, [2, 3]]"),
    ("[x * 2 for x in xs]", "[(* x 2) for x in xs]"),
    ("[x for x in 0..10 if x % 2 == 0]", "[x for x in (.. 0 10) if (== (% x 2) 0)]"),
    ("{}", "{}"),
    ('{"a": 1, "b": 2,}', "{'a': 1, 'b': 2}"),
    ("True", "True"),
    ("False", "False"),
    ("None", "None"),
    ("true", "true"),
    ("f(\n  1,\n  2\n)", "f(1, 2)"),
]


@pytest.mark.parametrize(("text", "expected"), POSTFIX_AND_ATOMS)
def test_postfix_and_atoms(text: str, expected: str) -> None:
    assert expr(text) == expected


LITERALS = [
    ("42", 42, None),
    ("1_000_000", 1_000_000, None),
    ("0xFF", 255, None),
    ("0XfF", 255, None),
    ("0b1010", 10, None),
    ("0o17", 15, None),
    ("10i32", 10, "i32"),
    ("0xFFu64", 255, "u64"),
    ("255u8", 255, "u8"),
    ("7i8", 7, "i8"),
    ("340282366920938463463374607431768211455", (1 << 128) - 1, None),
]


@pytest.mark.parametrize(("text", "value", "suffix"), LITERALS)
def test_integer_literals(text: str, value: int, suffix: str | None) -> None:
    node, diagnostics = parse_expression(text)
    assert diagnostics == ()
    assert isinstance(node, n.IntLit)
    assert (node.value, node.suffix, node.text) == (value, suffix, text)


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.5", 1.5), (".5", 0.5), ("1e3", 1000.0), ("2.5e-2", 0.025), ("4E+6", 4e6), ("25e-1", 2.5)],
)
def test_float_literals(text: str, value: float) -> None:
    node, diagnostics = parse_expression(text)
    assert diagnostics == ()
    assert isinstance(node, n.FloatLit)
    assert node.value == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('"plain"', "plain"),
        ('"a\\nb\\tc"', "a\nb\tc"),
        ('"quote \\" backslash \\\\"', 'quote " backslash \\'),
        ('""', ""),
        ('"ünïcode ✓"', "ünïcode ✓"),
    ],
)
def test_string_literals(text: str, value: str) -> None:
    node, diagnostics = parse_expression(text)
    assert diagnostics == ()
    assert isinstance(node, n.StrLit)
    assert node.value == value


FSTRINGS = [
    ('f"x={x}"', "f<'x=', x>"),
    ('F"{a.b.c} and {d}"', "f<a.b.c, ' and ', d>"),
    ('f"{{literal}} {x}"', "f<'{literal} ', x>"),
    ('f"no holes"', "f<'no holes'>"),
    ('f"{ x }!"', "f<x, '!'>"),
]


@pytest.mark.parametrize(("text", "expected"), FSTRINGS)
def test_fstrings(text: str, expected: str) -> None:
    assert expr(text) == expected


def test_range_is_a_range_node() -> None:
    node, _ = parse_expression("1..5")
    assert dump(node) == "\n".join(
        [
            "Range",
            "  start: IntLit value=1 suffix=None",
            "  stop: IntLit value=5 suffix=None",
        ]
    )


def test_parenthesised_expression_spans_its_parentheses() -> None:
    node, _ = parse_expression("(a + b) * c")
    assert isinstance(node, n.BinOp)
    assert (node.left.span.column, node.left.span.end_column) == (1, 8)
    assert (node.span.column, node.span.end_column) == (1, 12)
