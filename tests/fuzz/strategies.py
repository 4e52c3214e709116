"""Hypothesis strategies that write StoffelLang: a generative grammar plus byte mutations.

The grammar is deliberately loose — it produces well-formed and ill-typed programs
alike (undeclared names, mixed widths, secrets in conditions) so the checker's error
paths are exercised, not only the happy path.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

NAMES = ["x", "y", "xs", "s", "total", "p", "f", "main", "Share", "Point", "Color", "len"]
TYPES = [
    "int64",
    "int32",
    "uint8",
    "bool",
    "string",
    "float",
    "fix64",
    "secret int64",
    "secret bool",
    "list[int64]",
    "list[secret int64]",
    "dict[string, int64]",
    "Share",
    "Point",
]
LITERALS = ["0", "1", "42", "-7", "10i32", "0xFFu8", "1_000", "1.5", ".5", "1e3", "True", "False"]
LITERALS += ["None", '"text"', '"a\\n"', 'f"v={x}"', "[]", "[1, 2, 3]", '{"k": 1}']
BINARY = ["+", "-", "*", "/", "%", "mod", "==", "!=", "<", "<=", ">", ">=", "and", "or", "xor"]
BINARY += ["shl", "shr", "in"]
CALLS = ["print", "len", "append", "reveal", "Share.from_clear", "ClientStore.take_share"]
CALLS += ["to_string", "range", "f", "Point", "Mpc.party_id"]

names = st.sampled_from(NAMES)
types = st.sampled_from(TYPES)


def _compound(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, st.sampled_from(BINARY), children).map(" ".join),
        st.tuples(st.sampled_from(["-", "not "]), children).map("".join),
        children.map(lambda e: f"({e})"),
        st.tuples(st.sampled_from(CALLS), st.lists(children, max_size=3)).map(
            lambda c: f"{c[0]}({', '.join(c[1])})"
        ),
        st.tuples(children, children).map(lambda p: f"{p[0]}[{p[1]}]"),
        st.tuples(children, names).map(lambda p: f"{p[0]}.{p[1]}"),
        st.lists(children, max_size=3).map(lambda xs: f"[{', '.join(xs)}]"),
        st.tuples(children, children).map(lambda p: f"{p[0]}.reveal()"),
    )


expressions = st.recursive(st.one_of(names, st.sampled_from(LITERALS)), _compound, max_leaves=8)


def _indent(lines: list[str]) -> list[str]:
    return ["  " + line for line in lines]


def _block_statements(body: st.SearchStrategy[list[str]]) -> st.SearchStrategy[list[str]]:
    header = st.one_of(
        expressions.map(lambda e: f"if {e}:"),
        expressions.map(lambda e: f"while {e}:"),
        st.tuples(names, expressions, expressions).map(lambda t: f"for {t[0]} in {t[1]}..{t[2]}:"),
        st.tuples(names, expressions).map(lambda t: f"for {t[0]} in {t[1]}:"),
        st.tuples(names, st.lists(st.tuples(names, types), max_size=3), types).map(
            lambda t: f"def {t[0]}({', '.join(f'{n}: {ty}' for n, ty in t[1])}) -> {t[2]}:"
        ),
    )
    return st.tuples(header, body).map(lambda hb: [hb[0], *_indent(hb[1] or ["pass"])])


simple_statements = st.one_of(
    st.tuples(names, types, expressions).map(lambda t: [f"var {t[0]}: {t[1]} = {t[2]}"]),
    st.tuples(names, expressions).map(lambda t: [f"var {t[0]} = {t[1]}"]),
    st.tuples(names, st.sampled_from(["=", "+=", "-=", "*="]), expressions).map(
        lambda t: [" ".join(t)]
    ),
    expressions.map(lambda e: [f"print({e})"]),
    expressions.map(lambda e: [f"return {e}"]),
    expressions.map(lambda e: [f'assert {e}, "message"']),
    st.sampled_from([["pass"], ["break"], ["continue"], ["return"], ["import std.mpc"]]),
    st.tuples(names, names, types).map(lambda t: [f"object {t[0]}:", f"  {t[1]}: {t[2]}"]),
    names.map(lambda n: [f"enum {n}:", "  A", "  B = 5"]),
)


def _statement_lists(statements: st.SearchStrategy[list[str]]) -> st.SearchStrategy[list[str]]:
    return st.lists(statements, min_size=1, max_size=4).map(
        lambda groups: [line for group in groups for line in group]
    )


statements = st.recursive(
    simple_statements,
    lambda inner: _block_statements(_statement_lists(inner)),
    max_leaves=6,
)

programs = _statement_lists(statements).map(lambda lines: "\n".join(lines) + "\n")


def corpus() -> list[str]:
    root = Path(__file__).parent.parent / "cases"
    return [p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.stfl"))] or ["var x = 1\n"]


@st.composite
def mutated_sources(draw: st.DrawFn, seeds: list[str]) -> str:
    """A corpus program with random byte edits (flip, insert, delete, splice, duplicate)."""
    data = bytearray(draw(st.sampled_from(seeds)).encode("utf-8"))
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            data.extend(draw(st.binary(min_size=1, max_size=8)))
            continue
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "insert", "delete", "splice", "dup", "token"]))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        elif kind == "splice":
            other = draw(st.sampled_from(seeds)).encode("utf-8")
            start = draw(st.integers(0, max(0, len(other) - 1)))
            data[at:at] = other[start : start + draw(st.integers(1, 80))]
        elif kind == "dup":
            data[at:at] = data[at : at + draw(st.integers(1, 40))]
        else:
            token = draw(st.sampled_from([" ", "\t", "\n", "  ", ":", "(", ")", "[", "'", '"']))
            data[at:at] = token.encode()
    return data.decode("utf-8", errors="replace")
