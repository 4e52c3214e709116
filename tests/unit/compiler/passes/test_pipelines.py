"""-O0..-O3 pipelines: validity, identical results, and snapshots of whole outputs."""

from __future__ import annotations

import pytest

from stoffel.compiler.passes import PIPELINES, optimize, validate_pass_order
from stoffel.compiler.ssa.interp import run
from stoffel.compiler.ssa.parser import parse_module
from stoffel.compiler.ssa.printer import print_module
from stoffel.compiler.ssa.rounds import estimate_rounds

# A dot product of secret vectors plus a clear loop and a secret `if` (already lowered to
# a select, as the builder does at every level), with reveals printed one by one.
PROGRAM = """
fn @main(%x:secret.i64, %y:secret.i64, %z:secret.i64, %w:secret.i64, %n:clear.i64) -> clear.i64 {
entry:
  %k:clear.i64 = mul 2:i64, 3:i64  ; line 2
  %p0:secret.i64 = smul %x, %z  ; line 3
  %p1:secret.i64 = smul %y, %w  ; line 3
  %dot:secret.i64 = sadd %p0, %p1  ; line 3
  %again:secret.i64 = smul %x, %z  ; line 4
  %c:secret.bool = slt %dot, %again  ; line 5
  %m:secret.i64 = select %c, %dot, %again  ; line 5
  %r0:clear.i64 = open %dot  ; line 6
  builtin @print(%r0) !effects  ; line 6
  %r1:clear.i64 = open %m  ; line 7
  builtin @print(%r1) !effects  ; line 7
  %big:clear.bool = gt %k, 100:i64  ; line 8
  cbr %big, never, loop  ; line 8
never:
  builtin @print("unreachable":string) !effects  ; line 9
  br loop
loop:
  %i:clear.i64 = phi [0:i64, entry], [%j, loop], [0:i64, never]
  %acc:clear.i64 = phi [%k, entry], [%acc2, loop], [%k, never]
  %sq:clear.i64 = call @square(%i)  ; line 11
  %acc2:clear.i64 = add %acc, %sq  ; line 11
  %j:clear.i64 = add %i, 1:i64  ; line 10
  %more:clear.bool = lt %j, %n  ; line 10
  cbr %more, loop, done
done:
  ret %acc2  ; line 12
}

fn @square(%x:clear.i64) -> clear.i64 {
entry:
  %y:clear.i64 = mul %x, %x
  ret %y
}
"""

ARGS = [3, 4, 5, 6, 4]


def test_pipelines_are_valid_lists() -> None:
    assert PIPELINES[0] == []
    for passes in PIPELINES.values():
        assert isinstance(passes, list)
        validate_pass_order(passes)
    with pytest.raises(ValueError, match="-O7"):
        optimize(parse_module(PROGRAM), 7)


@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_every_level_gives_the_same_results(level: int, snapshot_text) -> None:
    module = parse_module(PROGRAM)
    expected = run(module, args=ARGS)
    assert expected.error is None
    optimize(module, level, verify_each=True)
    text = print_module(module)
    assert run(parse_module(text), args=ARGS) == expected
    assert text == snapshot_text


def test_rounds_never_go_up_with_optimisation() -> None:
    # Here the critical path (mul, compare, select, open) already fixes the count; the
    # reveal-and-print case in test_round_schedule.py shows the drop from 10 to 1.
    rounds = {}
    for level in (0, 1, 2, 3):
        module = parse_module(PROGRAM)
        optimize(module, level, verify_each=True)
        rounds[level] = estimate_rounds(module.functions[0]).rounds
    assert rounds[0] == 1 + 9 + 1 + 1
    assert all(r <= rounds[0] for r in rounds.values())


def test_output_is_deterministic() -> None:
    outs = set()
    for _ in range(3):
        module = parse_module(PROGRAM)
        optimize(module, 3, verify_each=True)
        outs.add(print_module(module))
    assert len(outs) == 1
