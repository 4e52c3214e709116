"""Lowering semantics (spec/language.md, DESIGN §2 item 4, §3) checked by running the
compiled program on the clear backend and by looking at the IR."""

from __future__ import annotations

import pytest

from ..conftest import Compiler, Runner

SIDE = "def side(tag: string, v: int64) -> int64:\n  print(tag)\n  return v\n\n"


@pytest.mark.parametrize("opt_level", [0, 2])
def test_secret_comparison_is_a_protocol_op_at_every_level(compile_src: Compiler,
                                                           opt_level: int) -> None:  # fmt: skip
    src = "def main() -> bool:\n  var a: secret int64 = 3\n  return (a < 5).reveal()\n"
    compiled = compile_src(src, opt_level)
    assert " slt " in compiled.ir and " slt " in compiled.ir_opt
    assert "cbr" not in compiled.ir


def test_secret_if_selects_each_assigned_variable(compile_src: Compiler, run_src: Runner) -> None:
    src = (
        "def main(x: secret int64) -> int64:\n"
        "  var a: secret int64 = 0\n"
        "  var b: secret int64 = 0\n"
        "  if x > 5:\n"
        "    a = 1\n"
        "    b = x * 2\n"
        "  else:\n"
        "    a = 2\n"
        "  return (a * 100 + b).reveal()\n"
    )
    ir = compile_src(src).ir
    assert ir.count(" select ") == 2 and "cbr" not in ir
    assert run_src(src, x=7).result == 114
    assert run_src(src, x=3).result == 200


def test_nested_secret_ifs(run_src: Runner) -> None:
    src = (
        "def main(x: secret int64) -> int64:\n"
        "  var r: secret int64 = 0\n"
        "  if x > 0:\n"
        "    if x > 10:\n"
        "      r = 2\n"
        "    else:\n"
        "      r = 1\n"
        "  elif x == 0:\n"
        "    var z: secret int64 = 5\n"
        "    r = z\n"
        "  else:\n"
        "    r = -1\n"
        "  return r.reveal()\n"
    )
    assert [run_src(src, x=v).result for v in (20, 3, 0, -4)] == [2, 1, 5, -1]


def test_clear_prefix_of_elif_chain_stays_control_flow(compile_src: Compiler,
                                                       run_src: Runner) -> None:  # fmt: skip
    src = (
        "def main(c: int64, x: secret int64) -> int64:\n"
        "  var r: secret int64 = 0\n"
        "  if c == 1:\n"
        "    r = 10\n"
        "  elif x > 3:\n"
        "    r = 20\n"
        "  else:\n"
        "    r = 30\n"
        "  return r.reveal()\n"
    )
    ir = compile_src(src).ir
    assert "cbr" in ir and ir.count(" select ") == 1
    assert [run_src(src, c=c, x=x).result for c, x in ((1, 9), (0, 9), (0, 1))] == [10, 20, 30]


def test_compound_assignment_evaluates_target_once(run_src: Runner) -> None:
    src = SIDE + (
        "def main() -> int64:\n"
        "  var xs = [1, 2, 3]\n"
        '  xs[side("i", 1)] += side("v", 10)\n'
        "  return xs[1]\n"
    )
    result = run_src(src)
    assert result.printed == ["i", "v"] and result.result == 12


def test_for_range_bounds_once_and_exclusive(run_src: Runner) -> None:
    src = SIDE + (
        "def main() -> int64:\n"
        "  var n = 3\n"
        "  var total = 0\n"
        '  for i in side("lo", 0)..side("hi", n):\n'
        "    n = 100\n"
        "    total += i\n"
        "  return total\n"
    )
    result = run_src(src)
    assert result.printed == ["lo", "hi"] and result.result == 3


def test_and_or_do_not_short_circuit(run_src: Runner) -> None:
    src = (
        "def t(tag: string, v: bool) -> bool:\n  print(tag)\n  return v\n\n"
        "def main() -> bool:\n"
        '  var a = t("a", False) and t("b", True)\n'
        '  var b = t("c", True) or t("d", False)\n'
        "  return a or b\n"
    )
    result = run_src(src)
    assert result.printed == ["a", "b", "c", "d"] and result.result is True


def test_for_in_string_and_list_with_break_continue(run_src: Runner) -> None:
    src = (
        "def main() -> string:\n"
        '  var out = ""\n'
        '  for ch in "abcdef":\n'
        '    if ch == "b":\n'
        "      continue\n"
        '    if ch == "e":\n'
        "      break\n"
        "    out = out + ch\n"
        "  for x in [1, 2]:\n"
        "    out = out + to_string(x)\n"
        "  return out\n"
    )
    assert run_src(src).result == "acd12"


def test_comprehension_with_filter_and_nested_loops(run_src: Runner) -> None:
    src = (
        "def main() -> list[int64]:\n"
        "  var xs = [i * 10 for i in 1..4 if i != 2]\n"
        "  var j = 5\n"
        "  return [x + j for x in xs]\n"
    )
    assert run_src(src).result == [15, 35]


def test_lazy_object_and_list_fields(run_src: Runner) -> None:
    src = (
        "object Bag:\n  items: list[int64]\n  n: int64\n\n"
        "def main() -> int64:\n"
        "  var b: Bag\n"
        "  b.items.append(4)\n"
        "  b.items.append(5)\n"
        "  b.n = len(b.items)\n"
        "  var c = Bag(n: 1)\n"
        "  c.items.append(9)\n"
        "  return b.n * 10 + c.items[0]\n"
    )
    assert run_src(src).result == 29


def test_script_globals_shared_with_functions(run_src: Runner) -> None:
    src = (
        "var total = 0\n"
        "def add(k: int64) -> None:\n"
        "  total += k\n"
        "for i in 0..4:\n"
        "  add(i)\n"
        "print(total)\n"
    )
    assert run_src(src).printed == ["6"]


def test_secret_match(run_src: Runner) -> None:
    src = (
        "def main(x: secret int64) -> int64:\n"
        "  var r: secret int64 = 0\n"
        "  match x:\n"
        "    case 1:\n"
        "      r = 10\n"
        "    case 2:\n"
        "      r = 20\n"
        "    case _:\n"
        "      r = 99\n"
        "  return r.reveal()\n"
    )
    assert [run_src(src, x=v).result for v in (1, 2, 3)] == [10, 20, 99]


def test_secret_fixed_point_and_bools(run_src: Runner) -> None:
    src = (
        "def main(p: secret fix64, b: secret bool) -> float:\n"
        "  var q = p * 2.0 + p * p\n"
        "  var g = b and not b\n"
        "  if g.reveal():\n"
        "    return 0.0\n"
        "  return q.reveal()\n"
    )
    assert run_src(src, p=1.5, b=True).result == 5.25


def test_client_input_is_an_input_op(compile_src: Compiler) -> None:
    src = "def main() -> int64:\n  var a: secret int64 = ClientStore.take_share(0, 0)\n" \
          "  return a.reveal()\n"  # fmt: skip
    ir = compile_src(src).ir
    assert " input 0:i64, 0:i64" in ir and " open " in ir


def test_integer_widths_and_casts(run_src: Runner) -> None:
    src = (
        "def main() -> int64:\n"
        "  var a: uint8 = 200\n"
        "  var b: int32 = -5\n"
        "  var w: int64 = a\n"
        "  var v: int64 = b\n"
        "  var f: float = 2\n"
        "  print(f * 1.5, -b, a / 3u8)\n"
        "  return w + v\n"
    )
    result = run_src(src)
    assert result.printed == ["3f64 5i32 66u8"] and result.result == 195


def test_nested_functions_capture_enclosing_variables(run_src: Runner) -> None:
    src = (
        "def outer(x: int64) -> int64:\n"
        "  var k = 10\n"
        "  def inner(y: int64) -> int64:\n"
        "    def deeper(z: int64) -> int64:\n"
        "      return x + z + k\n"
        "    return deeper(y) * 2\n"
        "  k = 20\n"
        "  var total = 0\n"
        "  for i in 0..3:\n"
        "    total += inner(i)\n"
        "  return total\n\n"
        "def main() -> int64:\n  return outer(1)\n"
    )
    assert run_src(src).result == sum((1 + i + 20) * 2 for i in range(3))


def test_range_outside_for_is_a_list(run_src: Runner) -> None:
    assert run_src("def main() -> list[int64]:\n  var r = 2..5\n  return r\n").result == [2, 3, 4]


def test_imported_module_variables(tmp_path, run_src: Runner) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "lib.stfl").write_text(
        "var SCALE = 3\n\ndef scaled(x: int64) -> int64:\n  return x * SCALE\n"
    )
    src = "import lib\n\ndef main() -> int64:\n  print(lib.SCALE)\n  return scaled(5)\n"
    result = run_src(src)
    assert result.printed == ["3"] and result.result == 15
