"""Differential test of the back end: random clear programs (loops, ifs, many live
variables, calls) run through the IR reference interpreter and through bytecode on the VM
must give the same result, at -O0 and -O2. Register allocation, spills and phi copies are
what this exercises most."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stoffel.api import NATIVES
from stoffel.compiler.codegen import compile_program
from stoffel.compiler.ssa.interp import run as interp_run
from stoffel.compiler.ssa.parser import parse_module
from stoffel.runtime.backends.clear import ClearBackend
from stoffel.vm.errors import VMError
from stoffel.vm.interpreter import VM

VARS = [f"v{i}" for i in range(14)]  # more than the 10 allocatable clear registers
PATH = Path("/nonexistent/diff.stfl")

var = st.sampled_from(VARS)
small = st.integers(-20, 20).map(str)
atom = st.one_of(var, small)
expr = st.builds(lambda a, op, b: f"{a} {op} {b}", atom, st.sampled_from(["+", "-", "*"]), atom)
cond = st.builds(
    lambda a, op, b: f"{a} {op} {b}",
    atom,
    st.sampled_from(["<", "<=", ">", ">=", "==", "!="]),
    atom,
)


def _flatten(parts: list[list[str]]) -> list[str]:
    return [line for part in parts for line in part]


def _block(depth: int) -> st.SearchStrategy[list[str]]:
    assign = st.builds(lambda v, e: [f"{v} = {e}"], var, expr)
    call = st.builds(lambda v, a, b: [f"{v} = mix({a}, {b})"], var, atom, atom)
    if depth == 0:
        leaf = st.one_of(assign, call)
        return st.lists(leaf, min_size=1, max_size=4).map(_flatten)
    inner = _block(depth - 1)
    branch = st.builds(
        lambda c, a, b: [f"if {c}:", *(f"  {x}" for x in a), "else:", *(f"  {x}" for x in b)],
        cond, inner, inner,
    )  # fmt: skip
    loop = st.builds(
        lambda n, body: [f"for i{depth} in 0..{n}:", *(f"  {x}" for x in body)],
        st.integers(0, 4), inner,
    )  # fmt: skip
    stmt = st.one_of(assign, call, branch, loop)
    return st.lists(stmt, min_size=1, max_size=4).map(_flatten)


programs = _block(2).map(
    lambda body: (
        "def mix(a: int64, b: int64) -> int64:\n  return a * 3 - b\n\n"
        "def main() -> int64:\n"
        + "".join(f"  var {v} = {i}\n" for i, v in enumerate(VARS))
        + "".join(f"  {line}\n" for line in body)
        + "  return "
        + " + ".join(VARS)
        + "\n"
    )
)


def _vm(source: str, opt_level: int) -> tuple[str, object]:
    compiled = compile_program(PATH, opt_level, text=source)
    vm = VM(compiled.binary, backend=ClearBackend(), natives=NATIVES)
    try:
        return ("ok", vm.run("main"))
    except VMError:
        return ("error", None)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(programs)
def test_vm_agrees_with_ir_interpreter(source: str) -> None:
    ir_text = compile_program(PATH, 0, text=source).ir
    outcome = interp_run(parse_module(ir_text), max_steps=1_000_000)
    expected = ("error", None) if outcome.error else ("ok", outcome.result)
    assert _vm(source, 0) == expected
    assert _vm(source, 2) == expected
