"""Hot builtins expanded in place by the code generator (list indexing, length, append).

Each template gets the builtin's generated symbol and the argument expressions and returns
Python lines that set ``r0``. The slow path is the builtin itself, so errors and odd cases behave
exactly as a normal call (an out-of-range read catches IndexError and calls the builtin).
"""

from __future__ import annotations

from collections.abc import Callable


def _literal_int(expr: str) -> int | None:
    try:
        return int(expr)
    except ValueError:
        return None


def _int_test(b: str, known: set[str]) -> str:
    return "" if _literal_int(b) is not None or b in known else f" and {b}.__class__ is int"


def _arr_test(a: str, known: set[str]) -> str:
    # ``@rN`` in ``known``: rN certainly holds an array handle (no class test needed).
    return "True" if f"@{a}" in known else f"{a}.__class__ is _AR"


def _inline_get_field(sym: str, known: set[str], a: str, b: str) -> list[str]:
    # Out of range, the builtin runs and raises its own error text ("get_field: index 3 out
    # of bounds for length 3"), as in hook mode; a try costs nothing when nothing is raised.
    fast = [f"try: r0 = {a}.items[{b}]", f"except IndexError: r0 = {sym}(_vm, [{a}, {b}])"]
    test = (_arr_test(a, known) + _int_test(b, known)).removeprefix("True and ")
    if test == "True":
        return fast
    return [f"if {test}:", *("    " + x for x in fast), f"else: r0 = {sym}(_vm, [{a}, {b}])"]


def _inline_set_field(sym: str, known: set[str], a: str, b: str, c: str) -> list[str]:
    # An index in [-len, len) means what it means in Python (the builtin counts a negative
    # index from the end too). Outside, IndexError hands over to the builtin, which grows the
    # list (index >= len, within the size limit) or reports the error.
    test = (_arr_test(a, known) + _int_test(b, known)).removeprefix("True and ")
    slow = f"r0 = {sym}(_vm, [{a}, {b}, {c}])"
    fast = [f"try: {a}.items[{b}] = {c}; r0 = None", f"except IndexError: {slow}"]
    if test == "True":
        return fast
    return [f"if {test}:", *("    " + x for x in fast), f"else: {slow}"]


def _inline_len(sym: str, known: set[str], a: str) -> list[str]:
    if f"@{a}" in known:
        return [f"r0 = len({a}.items)"]
    return [f"r0 = len({a}.items) if {a}.__class__ is _AR else {sym}(_vm, [{a}])"]


def _inline_append(sym: str, known: set[str], a: str, b: str) -> list[str]:
    if f"@{a}" in known:
        return [f"{a}.items.append({b}); r0 = None"]
    return [
        f"if {a}.__class__ is _AR: {a}.items.append({b}); r0 = None",
        f"else: r0 = {sym}(_vm, [{a}, {b}])",
    ]


#: name → (argument count, template)
INLINE_BUILTINS: dict[str, tuple[int, Callable[..., list[str]]]] = {
    "get_field": (2, _inline_get_field),
    "set_field": (3, _inline_set_field),
    "array_length": (1, _inline_len),
    "len": (1, _inline_len),
    "append": (2, _inline_append),
    "array_push": (2, _inline_append),
}
