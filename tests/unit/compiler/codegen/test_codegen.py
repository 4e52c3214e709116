"""Code generation: spills, parallel copies (phi cycles, incoming parameters), many
parameters, secret registers, materialised comparisons."""

from __future__ import annotations

import pytest

from stoffel.compiler.codegen.moves import sequentialize
from stoffel.compiler.codegen.regalloc import SECRET_START, Slot
from stoffel.compiler.ssa import ir
from stoffel.vm.isa import OPERANDS, Opcode, Operand, decode

from ..conftest import Compiler, Runner


def test_many_live_values_spill_and_stay_correct(compile_src: Compiler, run_src: Runner) -> None:
    n = 24
    decls = "".join(f"  var v{i} = k + {i}\n" for i in range(n))
    total = " + ".join(f"v{i}" for i in range(n))
    src = f"def main(k: int64) -> int64:\n{decls}  print(k)\n  return {total}\n"
    program = decode(compile_src(src).binary)
    ops = {ins.op for fn in program.functions for ins in fn.instructions}
    assert Opcode.STS in ops and Opcode.LDS in ops
    assert run_src(src, k=1).result == sum(1 + i for i in range(n))


def test_clear_registers_stay_in_the_clear_bank(compile_src: Compiler) -> None:
    src = "def main() -> int64:\n" + "".join(f"  var v{i} = {i}\n" for i in range(30))
    src += "  return " + " + ".join(f"v{i}" for i in range(30)) + "\n"
    for fn in decode(compile_src(src, 0).binary).functions:
        for ins in fn.instructions:
            for kind, arg in zip(OPERANDS[ins.op], ins.args, strict=True):
                if kind is Operand.REG:
                    assert arg < SECRET_START


@pytest.mark.parametrize("opt_level", [0, 2])
def test_phi_swap_cycle(run_src: Runner, opt_level: int) -> None:
    src = (
        "def main() -> int64:\n"
        "  var a = 1\n  var b = 2\n  var c = 3\n"
        "  for i in 0..4:\n"
        "    var t = a\n    a = b\n    b = c\n    c = t\n"
        "  return a * 100 + b * 10 + c\n"
    )
    assert run_src(src, opt_level).result == 231


def test_many_parameters(run_src: Runner) -> None:
    params = ", ".join(f"p{i}: int64" for i in range(20))
    args = ", ".join(str(i) for i in range(20))
    src = (
        f"def f({params}) -> int64:\n"
        f"  return {' + '.join(f'p{i} * {i}' for i in range(20))}\n\n"
        f"def main() -> int64:\n  return f({args})\n"
    )
    assert run_src(src).result == sum(i * i for i in range(20))


def test_parameters_rotate_between_registers(run_src: Runner) -> None:
    src = (
        "def g(a: int64, b: int64, c: int64) -> int64:\n"
        "  if a > 0:\n    return g(b, c, a - 1)\n  return a * 100 + b * 10 + c\n\n"
        "def main() -> int64:\n  return g(3, 1, 2)\n"
    )
    assert run_src(src).result == g_ref(3, 1, 2)


def g_ref(a: int, b: int, c: int) -> int:
    while a > 0:
        a, b, c = b, c, a - 1
    return a * 100 + b * 10 + c


def test_secret_values_use_the_secret_bank(compile_src: Compiler, run_src: Runner) -> None:
    src = (
        "def main(x: secret int64, y: secret int64) -> int64:\n"
        "  var s = x * y + x\n"
        "  return s.reveal()\n"
    )
    main = decode(compile_src(src).binary).functions[0]
    muls = [ins for ins in main.instructions if ins.op is Opcode.MUL]
    assert muls and all(a >= SECRET_START for a in muls[0].args)
    assert run_src(src, x=6, y=7).result == 48


def test_materialised_comparisons(run_src: Runner) -> None:
    src = (
        "def main(a: int64, b: int64) -> list[bool]:\n"
        "  return [a < b, a <= b, a > b, a >= b, a == b, a != b]\n"
    )
    assert run_src(src, a=1, b=2).result == [True, True, False, False, False, True]
    assert run_src(src, a=2, b=2).result == [False, True, False, True, True, False]


def test_floored_mod_signs(run_src: Runner) -> None:
    src = "def main(a: int64, b: int64) -> list[int64]:\n  return [a mod b, a % b]\n"
    for a, b in ((7, 3), (-7, 3), (7, -3), (-7, -3), (6, 3)):
        assert run_src(src, a=a, b=b).result == [a % b, a - b * int(a / b)]


def _simulate(moves: list[tuple[int | Slot, int | Slot | ir.Const]]) -> dict[object, object]:
    state: dict[object, object] = {r: f"v{r}" for r in range(20)}
    state.update({("s", k): f"s{k}" for k in range(4)})
    before = dict(state)

    def key(loc: int | Slot) -> object:
        return ("s", loc.index) if isinstance(loc, Slot) else loc

    def move(d: int | Slot, s: int | Slot) -> None:
        state[key(d)] = state[key(s)]

    def load(d: int | Slot, c: ir.Const) -> None:
        state[key(d)] = c.value

    sequentialize(moves, move, load, 15, 16)
    for d, s in moves:
        want = s.value if isinstance(s, ir.Const) else before[key(s)]
        assert state[key(d)] == want
    return state


def test_parallel_moves_with_cycles_and_constants() -> None:
    one = ir.Const(1, ir.CLEAR_I64)
    _simulate([(1, 2), (2, 3), (3, 1), (4, one), (5, 5)])
    _simulate([(1, 2), (2, 1), (Slot(0), Slot(1)), (Slot(1), Slot(0))])
    _simulate([(1, 0), (0, 1), (2, 0)])
