"""Upvalue cells: a directly called function shares its caller's upvalue cells (writes reach
the owner); create_closure copies values into fresh cells, by default for the function's
declared upvalues; set_upvalue persists in the closure."""

from __future__ import annotations

from stoffel.vm.builtins import BUILTINS, UpvalueCell
from stoffel.vm.testing import run

# Adds 5 to the upvalue `n` and returns the new value.
BUMP = """\
.function bump() upvalues=n
  LDI r1, "n"
  PUSHARG r1
  CALL get_upvalue
  LDI r2, 5
  ADD r3, r0, r2
  PUSHARG r1
  PUSHARG r3
  CALL set_upvalue
  RET r3
.end
"""

SHARED = (
    BUMP
    + """\
.function main()
  LDI r1, "n"
  LDI r2, 1
  PUSHARG r1
  PUSHARG r2
  CALL set_upvalue
  CALL bump
  CALL bump
  LDI r1, "n"
  PUSHARG r1
  CALL get_upvalue
  RET r0
.end
"""
)


def test_direct_calls_write_through_to_the_owner() -> None:
    assert run(SHARED)[0] == 11  # 1 + 5 + 5, read back in main


DEFAULT_NAMES = (
    BUMP
    + """\
.function main()
  LDI r1, "n"
  LDI r2, 1
  PUSHARG r1
  PUSHARG r2
  CALL set_upvalue
  LDI r3, "bump"
  PUSHARG r3
  CALL create_closure
  MOV r4, r0
  PUSHARG r4
  CALL call_closure
  PUSHARG r4
  CALL call_closure
  MOV r5, r0
  LDI r1, "n"
  PUSHARG r1
  CALL get_upvalue
  ADD r0, r0, r5
  RET r0
.end
"""
)


def test_closure_without_names_copies_the_declared_upvalues() -> None:
    # the closure's n: 1 -> 6 -> 11 (persisted); main's n stays 1: 11 + 1
    assert run(DEFAULT_NAMES)[0] == 12


def test_closure_upvalues_are_fresh_cells() -> None:
    _, vm = run(".function main()\n  RET r0\n.end\n")
    vm.current_upvalues()["v"] = UpvalueCell(3)
    c = BUILTINS["create_closure"](vm, ["main", "v"])
    assert isinstance(c.upvalues["v"], UpvalueCell) and c.upvalues["v"].value == 3
    assert c.upvalues["v"] is not vm.current_upvalues()["v"]
    BUILTINS["set_upvalue"](vm, ["v", 4])
    assert c.upvalues["v"].value == 3
    assert BUILTINS["get_upvalue"](vm, ["v"]) == 4
