"""Call rules (spec §2.3, §2.8): arity, named arguments, defaults, variadics, UFCS."""

from __future__ import annotations

import pytest

from stoffel.compiler.check.facts import CallKind

from .helpers import checked, diagnose

DEFS = (
    "def scale(x: int64, factor: int64 = 2, offset: int64 = 0) -> int64:\n"
    "  return x * factor + offset\n"
    "def total(*values: int64) -> int64:\n"
    "  return 0\n"
    "def need(a: string, *rest: int64) -> int64:\n"
    "  return 0\n"
)
L = 7  # the line of the call under test

CASES = [
    ("scale(1, 2, 3, 4)", 1, "Function 'scale' expects 1 to 3 argument(s), but 4 were provided"),
    ("scale()", 1, "Function 'scale' expects 1 to 3 argument(s), but 0 were provided"),
    ("scale(1, bad: 2)", 10, "Function 'scale' has no parameter named 'bad'"),
    ("scale(1, x: 2)", 10, "Argument 'x' provided more than once"),
    ("scale(1, factor: 1, factor: 2)", 21, "Argument 'factor' provided more than once"),
    ("scale(offset: 2)", 1, "Missing argument 'x' in call to 'scale'"),
    (
        "total(values: 1)",
        7,
        "Named arguments cannot be combined with the variadic function 'total'",
    ),
    ("need()", 1, "Function 'need' expects at least 1 argument(s), but 0 were provided"),
    (
        "len([1], xs: [2])",
        10,
        "Named arguments are only supported for object constructors and user-defined functions",
    ),
    (
        "scale(1, 2, 3, 4, offset: 1)",
        1,
        "Function 'scale' expects 1 to 3 argument(s), but more were provided",
    ),
    ('total(1, "x")', 10, "Type mismatch. Expected 'int64', found 'string'"),
    ("prnt(1)", 1, "Use of undeclared function 'prnt'"),
    ("Share.opn(1)", 7, "Unknown method 'opn' on builtin object 'Share'"),
    ("(1)(2)", 1, "Expression is not callable"),
]


@pytest.mark.parametrize(("call", "column", "message"), CASES)
def test_call_errors(call: str, column: int, message: str) -> None:
    found = diagnose(DEFS + call + "\n")
    assert (L, column, message) in [(line, col, msg) for _, line, col, msg in found]


def test_positional_defaults_and_named() -> None:
    assert (
        diagnose(DEFS + "scale(1)\nscale(1, 3)\nscale(1, offset: 4)\nscale(x: 1, factor: 2)\n")
        == []
    )


def test_did_you_mean_for_functions_includes_builtin_methods() -> None:
    from .helpers import compile_text

    hints = [d.hint for d in compile_text("prnt(1)\nShare.opn(1)\n").diagnostics]
    assert hints == ["Did you mean 'print'?", "Did you mean 'open'?"]


def test_call_info_binds_defaults_receivers_and_generics() -> None:
    program = checked(
        "def pick[T](xs: list[T], i: int64 = 0) -> T:\n  return xs[i]\n"
        "var xs = [1, 2]\nvar a = xs.pick()\nvar s: secret int64 = 3\nvar o = s.open()\n"
    )
    body = program.modules[-1].body
    call = body[2].value
    info = program.calls[call]
    assert info.kind is CallKind.FUNCTION and info.callee is not None
    assert info.callee.name == "pick"
    assert str(info.signature) == "(xs: list[int64], i: int64) -> int64"
    assert info.type_args["T"].__str__() == "int64"
    assert len(info.arguments) == 2 and info.arguments[0] is call.func.value
    opened = program.calls[body[4].value]
    assert opened.kind is CallKind.BUILTIN and opened.callee.qualified_name == "Share.open"
    assert str(program.type_of(body[4].value)) == "int64"


def test_user_function_replaces_builtin() -> None:
    assert diagnose("def len(x: int64) -> int64:\n  return x\nvar n: int64 = len(3)\n") == []


def test_len_accepts_strings_and_print_is_variadic() -> None:
    assert diagnose('var n = len("abc")\nprint()\nprint(1, "a", True)\n') == []


def test_not_a_function() -> None:
    assert diagnose("var v = 1\nv(2)\n") == [("E201", 2, 1, "'v' is not a function")]


def test_method_not_supported() -> None:
    found = diagnose("var xs = [1]\nvar y = xs.get(0)\nvar z = xs.set\n")
    assert found == [
        ("E201", 2, 12, "Method '.get()' is not supported"),
        ("E201", 3, 12, "Method '.set' is not supported on this type"),
    ]


def test_explicit_type_arguments() -> None:
    source = (
        'var c = create_closure("f")\n'
        "var x: int64 = call_closure[int64](c)\n"
        'var y = LocalStorage.load[list[string]]("k")\n'
        "var z: int64 = y\n"
    )
    assert diagnose(source) == [
        ("E101", 4, 16, "Type mismatch. Expected 'int64', found 'list[string]'")
    ]
