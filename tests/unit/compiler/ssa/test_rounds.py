"""Static round estimates follow the VM's lazy flushing model."""

from __future__ import annotations

from stoffel.compiler.ssa.parser import parse_function
from stoffel.compiler.ssa.rounds import EQ_ROUNDS, LT_ROUNDS, estimate_rounds, instr_rounds


def rounds(body: str, sig: str = "(%a:secret.i64, %b:secret.i64, %c:clear.bool)") -> int:
    return estimate_rounds(parse_function(f"fn @f{sig} {{\nentry:\n{body}\n}}")).rounds


def test_costs_mirror_the_runtime_table() -> None:
    assert LT_ROUNDS == 9 and EQ_ROUNDS == 8  # 65-bit operands: 2 + 7 and 1 + 7
    fn = parse_function(
        "fn @f(%a:secret.i64, %f:secret.fix64) {\nentry:\n"
        "  %0:secret.i64 = strunc %a, 16:i64\n"
        "  %1:secret.fix64 = sfmul %f, %f\n"
        "  %2:secret.i64 = sadd %a, %a\n"
        "  ret\n}"
    )
    assert [instr_rounds(i) for i in fn.entry.instrs] == [6, 7, 0, 0]


def test_independent_work_shares_rounds() -> None:
    assert rounds("  %0:secret.i64 = smul %a, %b\n  %1:secret.i64 = smul %a, %a\n  ret") == 1
    assert rounds("  %0:secret.i64 = smul %a, %b\n  %1:secret.i64 = smul %0, %a\n  ret") == 2
    assert rounds("  %0:secret.bool = slt %a, %b\n  %1:secret.bool = seq %a, %b\n  ret") == 9


def test_reading_a_revealed_value_flushes() -> None:
    in_order = (
        "  %0:clear.i64 = open %a\n  builtin @print(%0) !effects\n"
        "  %1:clear.i64 = open %b\n  builtin @print(%1) !effects\n  ret"
    )
    hoisted = (
        "  %0:clear.i64 = open %a\n  %1:clear.i64 = open %b\n"
        "  builtin @print(%0) !effects\n  builtin @print(%1) !effects\n  ret"
    )
    assert rounds(in_order) == 2
    assert rounds(hoisted) == 1


def test_branches_on_revealed_values_order_blocks() -> None:
    body = (
        "  %0:clear.bool = open %s\n  cbr %0, x, y\n"
        "x:\n  %1:clear.i64 = open %a\n  br y\n"
        "y:\n  %2:secret.i64 = smul %a, %a\n  ret"
    )
    # open (1), flush for the branch, open in x (2); y's mul starts after the branch (2)
    assert rounds(body, "(%a:secret.i64, %s:secret.bool)") == 2


def test_loops_are_counted_once() -> None:
    body = (
        "  br loop\nloop:\n  %i:clear.i64 = phi [0:i64, entry], [%j, loop]\n"
        "  %m:secret.i64 = smul %a, %a\n  %j:clear.i64 = add %i, 1:i64\n"
        "  %c:clear.bool = lt %j, 10:i64\n  cbr %c, loop, done\ndone:\n  ret"
    )
    est = estimate_rounds(parse_function(f"fn @f(%a:secret.i64) {{\nentry:\n{body}\n}}"))
    assert (est.rounds, est.protocol_ops, est.batches) == (1, 1, 0)
