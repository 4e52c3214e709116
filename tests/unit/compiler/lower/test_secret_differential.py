"""Differential test of secret lowering: random programs over secret integers with nested
secret if/elif/else (oblivious), clear loops and clear-prefixed elif chains run on the VM
(clear backend) and, translated to plain Python where every `if` is a real branch, under
CPython. Results must agree at -O0 and -O2 (DESIGN §3: both branches run, select merges)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stoffel.api import NATIVES
from stoffel.compiler.codegen import compile_program
from stoffel.runtime.backends.clear import ClearBackend
from stoffel.vm.interpreter import VM

SECRETS = [f"s{i}" for i in range(5)]
PATH = Path("/nonexistent/secret_diff.stfl")
Lines = tuple[list[str], list[str]]  # (StoffelLang, Python)

svar = st.sampled_from(SECRETS)
const = st.integers(-5, 5)


@st.composite
def _expr(draw: st.DrawFn) -> tuple[str, str]:
    a, b = draw(svar), draw(svar)
    kind = draw(st.sampled_from(["add", "sub", "mulc", "addc", "neg"]))
    c = draw(const)
    text = {
        "add": f"{a} + {b}",
        "sub": f"{a} - {b}",
        "mulc": f"{a} * {c}",
        "addc": f"{a} + {c}",
        "neg": f"0 - {a}",
    }[kind]
    return text, text


@st.composite
def _cond(draw: st.DrawFn, clear: bool = False) -> tuple[str, str]:
    op = draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
    if clear:
        c = draw(const)
        return f"k {op} {c}", f"k {op} {c}"
    a, b = draw(svar), draw(st.one_of(svar, const.map(str)))
    return f"{a} {op} {b}", f"{a} {op} {b}"


def _indent(lines: list[str]) -> list[str]:
    return [f"  {x}" for x in lines]


@st.composite
def _block(draw: st.DrawFn, depth: int, in_secret: bool) -> Lines:
    stl: list[str] = []
    py: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        kinds = ["assign", "if"] + ([] if in_secret else ["loop"])
        choice = draw(st.sampled_from(kinds if depth else ["assign"]))
        if choice == "assign":
            target = draw(svar)
            e, pe = draw(_expr())
            stl.append(f"{target} = {e}")
            py.append(f"{target} = {pe}")
        elif choice == "if":
            n = draw(st.integers(1, 3))
            clear_first = not in_secret and draw(st.booleans())
            for i in range(n):
                c, pc = draw(_cond(clear=clear_first and i == 0))
                body, pbody = draw(_block(depth - 1, True))
                stl += [f"{'if' if i == 0 else 'elif'} {c}:", *_indent(body)]
                py += [f"{'if' if i == 0 else 'elif'} {pc}:", *_indent(pbody)]
            if draw(st.booleans()):
                body, pbody = draw(_block(depth - 1, True))
                stl += ["else:", *_indent(body)]
                py += ["else:", *_indent(pbody)]
        else:
            body, pbody = draw(_block(depth - 1, False))
            n = draw(st.integers(0, 3))
            stl += [f"for i{depth} in 0..{n}:", *_indent(body)]
            py += [f"for i{depth} in range({n}):", *_indent(pbody)]
    return stl, py


@st.composite
def programs(draw: st.DrawFn) -> tuple[str, str, list[int]]:
    inputs = draw(st.lists(st.integers(-10, 10), min_size=5, max_size=5))
    body, pbody = draw(_block(2, False))
    total = " + ".join(SECRETS)
    stl = (
        "def main(k: int64, "
        + ", ".join(f"{s}: secret int64" for s in SECRETS)
        + ") -> int64:\n"
        + "".join(f"  {x}\n" for x in body)
        + f"  return ({total}).reveal()\n"
    )
    py = (
        "def main(k, " + ", ".join(SECRETS) + "):\n"
        + "".join(f"  {x}\n" for x in pbody)
        + f"  return {total}\n"
    )  # fmt: skip
    return stl, py, inputs


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(programs(), st.integers(-3, 3))
def test_oblivious_programs_match_python(program: tuple[str, str, list[int]], k: int) -> None:
    stl, py, inputs = program
    namespace: dict[str, object] = {}
    exec(py, namespace)
    expected = namespace["main"](k, *inputs)  # type: ignore[operator]
    for level in (0, 2):
        compiled = compile_program(PATH, level, text=stl)
        vm = VM(compiled.binary, backend=ClearBackend(), natives=NATIVES)
        assert vm.reveal(vm.run("main", [k, *inputs])) == expected, stl
