"""Round scheduling: independent openings and multiplications share batches."""

from __future__ import annotations

from stoffel.compiler.passes import RoundSchedule, optimize
from stoffel.compiler.ssa.interp import run
from stoffel.compiler.ssa.ir import Function
from stoffel.compiler.ssa.parser import parse_module
from stoffel.compiler.ssa.printer import print_module
from stoffel.compiler.ssa.rounds import estimate_rounds


def reveal_and_print(n: int) -> str:
    lines = ["fn @main() -> clear.nil {", "entry:"]
    for i in range(n):
        lines += [
            f"  %s{i}:secret.i64 = share {i}:i64  ; line {i + 1}",
            f"  %r{i}:clear.i64 = open %s{i}  ; line {i + 1}",
            f"  builtin @print(%r{i}) !effects  ; line {i + 1}",
        ]
    return "\n".join([*lines, "  ret", "}"])


def _body(fn: Function) -> list[str]:
    return [i.opcode for i in fn.entry.body]


def test_ten_reveals_form_one_batch_before_the_first_print_at_O2() -> None:
    module = parse_module(reveal_and_print(10))
    before = run(module)
    optimize(module, 2, verify_each=True)
    fn = module.functions[0]
    ops = _body(fn)
    assert ops == ["share"] * 10 + ["open"] * 10 + ["builtin"] * 10
    assert {i.batch for i in fn.entry.body if i.opcode == "open"} == {0}
    assert run(module) == before  # same prints, same order
    assert estimate_rounds(fn).rounds == 1


def test_no_reordering_at_O0() -> None:
    text = reveal_and_print(10)
    module = parse_module(text)
    optimize(module, 0, verify_each=True)
    assert print_module(module) == print_module(parse_module(text))
    assert all(i.batch is None for i in module.functions[0].instrs())
    assert estimate_rounds(module.functions[0]).rounds == 10


def test_dependent_multiplications_take_one_batch_per_level(check_pass) -> None:
    pre = """
    fn @main(%a:secret.i64, %b:secret.i64, %c:secret.i64) -> clear.i64 {
    entry:
      %0:secret.i64 = smul %a, %b
      %1:secret.i64 = smul %0, %c
      %2:secret.i64 = smul %a, %c
      %3:secret.i64 = smul %b, %c
      %4:secret.i64 = sadd %1, %2
      %5:secret.i64 = sadd %4, %3
      %6:clear.i64 = open %5
      ret %6
    }
    """
    post = """
    fn @main(%a:secret.i64, %b:secret.i64, %c:secret.i64) -> clear.i64 {
    entry:
      %0:secret.i64 = smul %a, %b !batch=0
      %2:secret.i64 = smul %a, %c !batch=0
      %3:secret.i64 = smul %b, %c !batch=0
      %1:secret.i64 = smul %0, %c !batch=1
      %4:secret.i64 = sadd %1, %2
      %5:secret.i64 = sadd %4, %3
      %6:clear.i64 = open %5 !batch=2
      ret %6
    }
    """
    check_pass([RoundSchedule], pre, post, args=[2, 3, 4])


def test_open_waits_for_data_but_not_for_prints(check_pass) -> None:
    # the second open needs the first revealed value (through clear arithmetic),
    # so it cannot share its round; the third one can
    pre = """
    fn @main(%a:secret.i64, %b:secret.i64) -> clear.nil {
    entry:
      %0:clear.i64 = open %a
      builtin @print(%0) !effects
      %1:clear.i64 = add %0, 1:i64
      %2:secret.i64 = smulc %b, %1
      %3:clear.i64 = open %2
      builtin @print(%3) !effects
      %4:clear.i64 = open %b
      builtin @print(%4) !effects
      ret
    }
    """
    post = """
    fn @main(%a:secret.i64, %b:secret.i64) -> clear.nil {
    entry:
      %0:clear.i64 = open %a !batch=0
      %4:clear.i64 = open %b !batch=0
      builtin @print(%0) !effects
      %1:clear.i64 = add %0, 1:i64
      %2:secret.i64 = smulc %b, %1
      %3:clear.i64 = open %2 !batch=1
      builtin @print(%3) !effects
      builtin @print(%4) !effects
      ret
    }
    """
    check_pass([RoundSchedule], pre, post, args=[5, 6])


def test_effects_keep_their_order_and_inputs_stay_put(check_pass) -> None:
    pre = """
    fn @main(%o:clear.obj) -> clear.nil {
    entry:
      builtin @print(1:i64) !effects
      %0:secret.i64 = input 0:i64, 0:i64
      setfield %o, "x":string, 2:i64
      %1:secret.i64 = input 0:i64, 1:i64
      %2:clear.i64 = open %0
      builtin @print(%2) !effects
      %3:clear.i64 = open %1
      builtin @print(%3) !effects
      ret
    }
    """
    post = """
    fn @main(%o:clear.obj) -> clear.nil {
    entry:
      builtin @print(1:i64) !effects
      %0:secret.i64 = input 0:i64, 0:i64
      setfield %o, "x":string, 2:i64
      %1:secret.i64 = input 0:i64, 1:i64
      %2:clear.i64 = open %0 !batch=0
      %3:clear.i64 = open %1 !batch=0
      builtin @print(%2) !effects
      builtin @print(%3) !effects
      ret
    }
    """
    module = parse_module(pre)
    check_pass([RoundSchedule], pre, post)
    assert run(module, args=[{}], inputs={0: [7, 8]}).printed == [(1,), (7,), (8,)]


def test_batches_are_numbered_per_function_across_blocks(check_pass) -> None:
    pre = """
    fn @main(%a:secret.i64, %c:clear.bool) -> clear.i64 {
    entry:
      %0:secret.i64 = smul %a, %a
      cbr %c, x, y
    x:
      %1:clear.i64 = open %0
      ret %1
    y:
      %2:secret.i64 = smul %0, %a
      %3:clear.i64 = open %2
      ret %3
    }
    """
    out = check_pass([RoundSchedule], pre, _numbered_post(), args=[3, False])
    assert "!batch=3" in out


def _numbered_post() -> str:
    return """
    fn @main(%a:secret.i64, %c:clear.bool) -> clear.i64 {
    entry:
      %0:secret.i64 = smul %a, %a !batch=0
      cbr %c, x, y
    x:
      %1:clear.i64 = open %0 !batch=1
      ret %1
    y:
      %2:secret.i64 = smul %0, %a !batch=2
      %3:clear.i64 = open %2 !batch=3
      ret %3
    }
    """


def test_idempotent() -> None:
    module = parse_module(reveal_and_print(4))
    fn = module.functions[0]
    assert RoundSchedule().run(fn)
    first = print_module(module)
    assert not RoundSchedule().run(fn)
    assert print_module(module) == first


def test_trapping_clear_arithmetic_keeps_its_place_against_prints(check_pass) -> None:
    pre = """
    fn @main(%x:clear.i64, %s:secret.i64) -> clear.nil {
    entry:
      builtin @print(1:i64) !effects
      %0:clear.i64 = mul %x, %x
      %1:clear.i64 = open %s
      builtin @print(%0, %1) !effects
      ret
    }
    """
    post = """
    fn @main(%x:clear.i64, %s:secret.i64) -> clear.nil {
    entry:
      %1:clear.i64 = open %s !batch=0
      builtin @print(1:i64) !effects
      %0:clear.i64 = mul %x, %x
      builtin @print(%0, %1) !effects
      ret
    }
    """
    check_pass([RoundSchedule], pre, post, args=[4294967296, 1])


def test_a_trap_feeding_an_opening_is_not_hoisted_above_a_print(check_pass) -> None:
    # %0 overflows for x = 2**32: the print must still happen first
    pre = """
    fn @main(%x:clear.i64, %s:secret.i64) -> clear.nil {
    entry:
      builtin @print(1:i64) !effects
      %0:clear.i64 = mul %x, %x
      %1:secret.i64 = smulc %s, %0
      %2:clear.i64 = open %1
      builtin @print(%2) !effects
      ret
    }
    """
    post = pre.replace("open %1", "open %1 !batch=0")
    out = check_pass([RoundSchedule], pre, post, args=[2**32, 1])
    assert run(parse_module(out), args=[2**32, 1]).printed == [(1,)]


def test_random_draws_keep_their_order(check_pass) -> None:
    pre = """
    fn @main() -> clear.nil {
    entry:
      %0:secret.i64 = srandom
      %1:secret.i64 = srandom
      %2:clear.i64 = open %1
      %3:clear.i64 = open %0
      builtin @print(%2, %3) !effects
      ret
    }
    """
    post = pre.replace("open %1", "open %1 !batch=0").replace("open %0", "open %0 !batch=0")
    check_pass([RoundSchedule], pre, post, args=[])


def test_reveal_batching_snapshot(snapshot_text) -> None:
    module = parse_module(reveal_and_print(4))
    optimize(module, 2, verify_each=True)
    assert print_module(module) == snapshot_text
