"""Secret values on the clear backend: bank conversion, reveals, MPC builtins, batching."""

from __future__ import annotations

import pytest

from stoffel.runtime.backend import SECRET_BOOL
from stoffel.runtime.backends.clear import ClearBackend
from stoffel.vm.asm import assemble
from stoffel.vm.errors import VMError
from stoffel.vm.interpreter import VM
from stoffel.vm.testing import body, run
from stoffel.vm.values import ArrayRef, IntV, SecretVal


def test_ldi_into_secret_register_shares_locally_and_mov_reveals() -> None:
    result, vm = run(body("  LDI r16, -5\n  MOV r1, r16\n  RET r1"))
    assert result == -5
    s = vm.stats
    assert (s.rounds, s.openings, s.multiplications) == (1, 1, 0)


def test_shares_may_sit_in_clear_registers_unopened() -> None:
    src = body("  LDI r16, 2\n  MOV r17, r16\n  PUSHARG r17\n  CALL Share.get_type\n  RET r0")
    result, vm = run(src)
    assert result == "SecretInt { bit_length: 64 }" and vm.stats.rounds == 0


def test_secret_arithmetic_local_and_multiplication() -> None:
    src = body(
        "  LDI r16, 6\n  LDI r17, 7\n  ADD r18, r16, r17\n  LDI r1, 2\n  MUL r18, r18, r1\n"
        "  SUB r18, r18, r1\n  MUL r19, r16, r17\n  ADD r18, r18, r19\n  MOV r0, r18\n  RET r0"
    )
    result, vm = run(src)
    assert result == (6 + 7) * 2 - 2 + 42
    assert vm.stats.multiplications == 1
    assert vm.stats.rounds == 2  # one multiplication round, one opening round


def test_negative_values_and_clear_minus_secret() -> None:
    src = body("  LDI r16, 3\n  LDI r1, 1\n  SUB r17, r1, r16\n  MOV r0, r17\n  RET r0")
    assert run(src)[0] == -2


def test_reveal_checks_declared_width() -> None:
    src = body(
        "  LDI r16, 9223372036854775807\n  LDI r17, 1\n  ADD r16, r16, r17\n  MOV r1, r16\n  RET r1"
    )
    with pytest.raises(VMError, match="does not fit in a 64-bit secret integer"):
        run(src)


def test_secret_int32_reveals_as_int32() -> None:
    src = body("  LDI r16, 5i32\n  MOV r1, r16\n  RET r1")
    result = run(src)[0]
    assert isinstance(result, IntV) and result.value == 5 and result.kind.name == "int32"


def test_ten_independent_reveals_take_one_round() -> None:
    lines = ["  LDI r16, 1"]
    for i in range(1, 11):
        lines += [f"  LDI r17, {i}", f"  MOV r{i}, r17"]
    lines += ["  LDI r0, 0"] + [f"  ADD r0, r0, r{i}" for i in range(1, 11)] + ["  RET r0"]
    result, vm = run(body("\n".join(lines)))
    assert result == 55
    assert vm.stats.rounds == 1 and vm.stats.openings == 10


LOOP = """
.function main(n)
  MOV r5, r0
  LDI r16, 0
  LDI r1, 0
loop:
  CMP r1, r5
  JMPEQ done
  MOV r17, r1
  LDI r18, 3
  MUL r19, r17, r18
  ADD r16, r16, r19
  LDI r3, 1
  ADD r1, r1, r3
  JMP loop
done:
  MOV r0, r16
  RET r0
.end
"""


def test_independent_multiplications_across_loop_iterations_share_rounds() -> None:
    one, vm1 = run(LOOP, 1)
    many, vm = run(LOOP, 1000)
    assert one == 0 and many == 3 * sum(range(1000))
    assert vm.stats.multiplications == 1000
    assert vm.stats.rounds == vm1.stats.rounds == 2


def test_dependent_multiplications_take_one_round_each() -> None:
    src = body(
        "  LDI r16, 2\n  MUL r17, r16, r16\n  MUL r17, r17, r17\n  MUL r17, r17, r17\n"
        "  MOV r0, r17\n  RET r0"
    )
    result, vm = run(src)
    assert result == 256 and vm.stats.rounds == 4


def test_reading_a_revealed_value_flushes_only_then() -> None:
    src = body(
        "  LDI r16, 4\n  MOV r1, r16\n  PUSHARG r1\n  CALL Mpc.party_id\n  MOV r2, r1\n"
        "  LDI r3, 1\n  ADD r0, r2, r3\n  RET r0"
    )
    vm = VM(assemble(src))
    assert vm.run() == 5
    assert vm.sched.flushes == 1


def test_cmp_on_shares_is_an_error() -> None:
    with pytest.raises(VMError, match="CMP on shares is not supported"):
        run(
            body(
                "  LDI r16, 1\n  MOV r1, r16\n  MOV r2, r16\n  LDI r17, 1\n  MOV r3, r17\n"
                "  MOV r18, r17\n  LDI r4, 0\n  CMP r17, r4\n  RET r0"
            )
        )


def test_secret_division_and_modulo_rules() -> None:
    src = body("  LDI r16, -7\n  LDI r1, 2\n  DIV r17, r16, r1\n  MOV r0, r17\n  RET r0")
    result, vm = run(src)
    assert result == -3 and vm.stats.comparisons == 0 and vm.stats.rounds > 1
    with pytest.raises(VMError, match="Division by a secret value"):
        run(body("  LDI r16, 1\n  LDI r1, 2\n  DIV r17, r1, r16\n  RET r0"))
    with pytest.raises(VMError, match="MOD on secret values is not supported"):
        run(body("  LDI r16, 1\n  LDI r1, 2\n  MOD r17, r16, r1\n  RET r0"))
    with pytest.raises(VMError, match="SHL is not supported on secret values"):
        run(body("  LDI r16, 1\n  LDI r1, 2\n  SHL r17, r16, r1\n  RET r0"))


def test_secret_bool_logic() -> None:
    def logic(op: str, a: str, b: str) -> bool:
        src = body(f"  LDI r16, {a}\n  LDI r17, {b}\n  {op} r18, r16, r17\n  MOV r0, r18\n  RET r0")
        return run(src)[0]

    assert logic("AND", "true", "false") is False
    assert logic("OR", "true", "false") is True
    assert logic("XOR", "true", "true") is False
    assert run(body("  LDI r16, true\n  NOT r17, r16\n  MOV r0, r17\n  RET r0"))[0] is False
    with pytest.raises(VMError, match="only secret bool"):
        run(body("  LDI r16, 1\n  LDI r17, 1\n  AND r18, r16, r17\n  RET r0"))


def test_fixed_point() -> None:
    src = body(
        "  LDI r16, 1.5\n  LDI r17, 2.25\n  MUL r18, r16, r17\n  LDI r1, 2.0\n"
        "  DIV r18, r18, r1\n  ADD r18, r18, r1\n  MOV r0, r18\n  RET r0"
    )
    assert run(src)[0] == pytest.approx(1.5 * 2.25 / 2 + 2, abs=2**-15)


def call_builtins(lines: str) -> tuple[object, VM]:
    return run(body(lines))


def test_comparison_builtins_batch() -> None:
    lines = ["  LDI r16, 3", "  LDI r17, 5"]
    names = ["lt", "le", "gt", "ge", "eq", "ne"]
    for i, name in enumerate(names):
        lines += [
            "  PUSHARG r16",
            "  PUSHARG r17",
            f"  CALL Share.{name}",
            f"  MOV r{20 + i}, r0",
            f"  MOV r{1 + i}, r{20 + i}",
        ]
    lines += ["  CALL create_array", "  MOV r10, r0"]
    for i in range(len(names)):
        lines += ["  PUSHARG r10", f"  PUSHARG r{1 + i}", "  CALL append"]
    lines += ["  RET r10"]
    result, vm = run(body("\n".join(lines)))
    assert isinstance(result, ArrayRef)
    assert result.items == [True, True, False, False, False, True]
    assert vm.stats.comparisons == 6


def test_select_and_eqz() -> None:
    src = body(
        "  LDI r16, 0\n  PUSHARG r16\n  CALL Share.eqz\n  MOV r17, r0\n  LDI r18, 10\n"
        "  LDI r19, 20\n  PUSHARG r17\n  PUSHARG r18\n  PUSHARG r19\n  CALL Share.select\n"
        "  MOV r16, r0\n  MOV r0, r16\n  RET r0"
    )
    assert run(src)[0] == 10


def test_share_builtins() -> None:
    backend = ClearBackend()
    vm = VM(assemble(body("  RET r0")), backend=backend)
    b = vm.builtins
    s = b["Share.from_clear_int"](vm, [True, 1])
    assert s.ty == SECRET_BOOL
    x = b["Share.from_clear"](vm, [20])
    y = b["Share.add_scalar"](vm, [x, 1])
    z = b["Share.mul"](vm, [y, x])
    opened = b["Share.batch_open"](vm, [ArrayRef([z, y])])
    assert [p.get() for p in opened.items] == [420, 21]
    prods = b["Share.batch_mul"](vm, [ArrayRef([x, y]), ArrayRef([y, y])])
    assert [vm.reveal(p) for p in prods.items] == [420, 441]
    f = b["Share.from_clear_fixed"](vm, [1.25])
    assert b["Share.open_fixed"](vm, [f]).get() == 1.25
    fb = b["Share.open_field"](vm, [b["Share.from_clear"](vm, [-1])]).get()
    assert len(fb.items) == 32 and fb.items[0].value == 0
    assert b["Share.get_party_id"](vm, []) == 0
    r = b["Share.random_int"](vm, [8])
    assert 0 <= vm.reveal(r).value < 256
    assert isinstance(b["Share.retag"](vm, [s, 64]), SecretVal)
    assert vm.reveal(b["Share.neg"](vm, [x])) == -20
    assert b["Mpc.n_parties"](vm, []) == 5 and b["Mpc.threshold"](vm, []) == 1
    assert b["Mpc.has_capability"](vm, ["multiplication"]) is True
    assert "client-input" in b["Mpc.capabilities"](vm, []).items
    assert b["Mpc.protocol_name"](vm, []) == "honeybadger"
    with pytest.raises(VMError, match=r"Share\.open_exp is not supported yet"):
        b["Share.open_exp"](vm, [x, "bls12-381"])


def test_field_builtins() -> None:
    vm = VM(assemble(body("  RET r0")))
    b = vm.builtins
    two = b["Field.from_int"](vm, [2])
    three = b["Field.add"](vm, [two, b["Field.one"](vm, [])])
    six = b["Field.mul"](vm, [two, three])
    assert b["Field.eq"](vm, [six, b["Field.from_int"](vm, [6])]) is True
    inv = b["Field.inverse"](vm, [two])
    assert b["Field.eq"](vm, [b["Field.mul"](vm, [inv, two]), b["Field.one"](vm, [])])
    assert b["Field.is_zero"](vm, [b["Field.sub"](vm, [two, two])]) is True
    assert b["Field.is_zero"](vm, [b["Field.add"](vm, [b["Field.neg"](vm, [two]), two])])


CLIENT = """
.version 9
.client 0 in=int64,bool out=int64
.client 1 in=fix64
.function main()
  LDI r1, 0
  LDI r2, 1
  PUSHARG r1
  PUSHARG r1
  CALL ClientStore.take_share
  MOV r16, r0
  PUSHARG r1
  PUSHARG r2
  CALL ClientStore.take_share
  MOV r17, r0
  PUSHARG r2
  PUSHARG r1
  CALL ClientStore.take_share
  MOV r18, r0
  MOV r3, r17
  MOV r4, r18
  PUSHARG r1
  PUSHARG r16
  CALL MpcOutput.send_to_client
  PUSHARG r16
  PUSHARG r2
  CALL Share.send_to_client
  RET r4
.end
"""


def test_client_inputs_use_manifest_types_and_outputs_reach_clients() -> None:
    backend = ClearBackend(client_inputs={0: [-9, 1], 1: [98304]})
    vm = VM(assemble(CLIENT), backend=backend)
    assert vm.run() == 1.5
    assert backend.client_outputs() == {0: [backend.modulus - 9], 1: [backend.modulus - 9]}
    assert vm.builtins["ClientStore.get_number_input_clients"](vm, []) == 2


def test_missing_client_input_is_a_clean_error() -> None:
    with pytest.raises(VMError, match="MPC backend error: no inputs from client 0"):
        VM(assemble(CLIENT), backend=ClearBackend()).run()


def test_secret_result_can_be_revealed_by_the_caller() -> None:
    vm = VM(assemble(body("  LDI r16, 12\n  MOV r0, r16\n  RET r0")))
    result = vm.run()
    assert result == 12  # MOV into r0 (clear) already revealed it
    vm2 = VM(assemble(body("  LDI r16, 12\n  RET r16")))
    share = vm2.run()
    assert isinstance(share, SecretVal) and vm2.reveal(share) == 12
