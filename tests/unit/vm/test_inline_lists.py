"""The optimised code expands get_field/set_field/len/append on lists in place; anything else
(objects, negative or out-of-range indexes, non-int keys) must behave exactly like the builtin,
which hook mode always calls: same results, same error texts, same instruction counts."""

from __future__ import annotations

from typing import Any

import pytest

from stoffel.vm.errors import VMError
from stoffel.vm.hooks import Hooks
from stoffel.vm.testing import make_vm

# main(i): xs = [10, 20, 30] built with append; returns get_field(xs, i).
GET = """\
.function main(i)
  MOV r6, r0
  CALL create_array
  MOV r1, r0
  LDI r2, 3
  LDI r3, 0
  LDI r4, 10
fill:
  CMP r3, r2
  JMPGT done
  JMPEQ done
  PUSHARG r1
  PUSHARG r4
  CALL append
  ADD r4, r4, r4
  LDI r5, 1
  ADD r3, r3, r5
  JMP fill
done:
  PUSHARG r1
  PUSHARG r6
  CALL get_field
  RET r0
.end
"""

# main(i, v): xs = [1, 2, 3]; set_field(xs, i, v); returns get_field(xs, i) + len(xs).
SET = """\
.function main(i, v)
  MOV r6, r0
  CALL create_array
  MOV r2, r0
  LDI r3, 0
  LDI r4, 3
  LDI r5, 1
fill:
  CMP r3, r4
  JMPGT done
  JMPEQ done
  PUSHARG r2
  PUSHARG r3
  CALL append
  ADD r3, r3, r5
  JMP fill
done:
  PUSHARG r2
  PUSHARG r6
  PUSHARG r1
  CALL set_field
  PUSHARG r2
  PUSHARG r6
  CALL get_field
  MOV r3, r0
  PUSHARG r2
  CALL len
  ADD r0, r3, r0
  RET r0
.end
"""

# get_field/set_field on an object (the list fast path must not apply).
OBJ = """\
.function main(k)
  MOV r6, r0
  CALL create_object
  MOV r1, r0
  LDI r2, 5
  PUSHARG r1
  PUSHARG r6
  PUSHARG r2
  CALL set_field
  PUSHARG r1
  PUSHARG r6
  CALL get_field
  RET r0
.end
"""


def outcome(src: str, hooked: bool, *args: Any) -> tuple[str, Any, int]:
    hooks = Hooks()
    seen = [0]
    if hooked:
        hooks.instruction.append(lambda fn, pc, ins: seen.__setitem__(0, seen[0] + 1))
    vm = make_vm(src, hooks=hooks)
    try:
        result = vm.run("main", list(args))
    except VMError as e:
        return ("error", (e.message, e.pc), 0)
    return ("ok", result, seen[0] if hooked else vm.stats.instructions)


def both(src: str, *args: Any) -> tuple[str, Any, int]:
    fast, plain = outcome(src, False, *args), outcome(src, True, *args)
    assert fast == plain
    return fast


@pytest.mark.parametrize(
    ("i", "want"), [(0, 10), (2, 40), (-1, 40), (-3, 10), (True, None), ("x", None)]
)
def test_get_field_on_list(i: Any, want: Any) -> None:
    kind, value, _ = both(GET, i)
    if want is not None:
        assert (kind, value) == ("ok", want)


@pytest.mark.parametrize("i", [3, 99, -4])
def test_get_field_out_of_bounds_has_the_builtin_text(i: int) -> None:
    kind, (message, pc), _ = both(GET, i)
    assert kind == "error" and message == f"get_field: index {i} out of bounds for length 3"
    assert pc == 18


@pytest.mark.parametrize(("i", "want"), [(0, 7 + 3), (2, 7 + 3), (-1, 7 + 3), (-3, 7 + 3)])
def test_set_field_on_list(i: int, want: int) -> None:
    assert both(SET, i, 7)[:2] == ("ok", want)


@pytest.mark.parametrize("i", [3, 4, -4, 1 << 62, "x"])
def test_set_field_outside_the_list_behaves_like_the_builtin(i: Any) -> None:
    # Index == length grows the list, further out or negative beyond it is an error, a
    # huge index hits the size limit: all decided by the builtin itself.
    kind, value, _ = both(SET, i, 7)
    if i == -4:
        assert kind == "error" and "out of bounds for length 3" in value[0]


def test_set_then_overflow_in_add_is_reported() -> None:
    kind, (message, _), _ = both(SET, 0, (1 << 63) - 2)
    assert kind == "error" and message == "Integer overflow in ADD operation"


@pytest.mark.parametrize("k", ["name", 3])
def test_fields_of_objects_use_the_builtin(k: Any) -> None:
    both(OBJ, k)


def test_list_fast_path_is_compiled_in() -> None:
    src = make_vm(GET).source
    assert ".append(" in src and "except IndexError" in src


# A loop over a list held in r1: its item list is read once before the loop (``_l1``) unless
# the loop rebinds r1 or calls something that is not a standard builtin / program function.
HOIST = """\
.function main(n)
  MOV r6, r0
  CALL create_array
  MOV r1, r0
  LDI r3, 0
  LDI r5, 1
head:
  CMP r3, r6
  JMPGT done
  JMPEQ done
  PUSHARG r1
  PUSHARG r3
  CALL {call}
  ADD r3, r3, r5
  {extra}
  JMP head
done:
  PUSHARG r1
  CALL len
  RET r0
.end
"""


@pytest.mark.parametrize(
    ("call", "extra", "hoisted"),
    [
        ("append", "", True),
        ("append", "MOV r1, r1", False),
        ("mynative", "", False),
    ],
)
def test_item_list_read_before_the_loop_only_if_safe(call: str, extra: str, hoisted: bool) -> None:
    src = HOIST.format(call=call, extra=extra)
    natives = {"mynative": lambda vm, args: args[0].items.append(args[1])}
    vm = make_vm(src, natives=natives)
    assert ("_l1 = r1.items" in vm.source) == hoisted
    assert vm.run("main", [4]) == 4
    hooks = Hooks()
    hooks.instruction.append(lambda fn, pc, ins: None)
    assert make_vm(src, natives=natives, hooks=hooks).run("main", [4]) == 4


def test_native_rebinding_the_item_list_is_seen() -> None:
    # A native may replace the list object behind a handle; no hoisting means no stale list.
    def rebind(vm: Any, args: list[Any]) -> None:
        args[0].items = [*args[0].items, args[1]]

    vm = make_vm(HOIST.format(call="mynative", extra=""), natives={"mynative": rebind})
    assert vm.run("main", [5]) == 5


# ``CALL f; MOV r2, r0``: with r0 dead the call assigns r2 directly; with r0 read later
# (returned here) it must still hold the call's result.
CALL_MOV = """\
.function main(x)
  PUSHARG r0
  CALL twice
  MOV r2, r0
  PUSHARG r2
  CALL twice
  MOV r3, r0
  {tail}
.end
.function twice(v)
  ADD r0, r0, r0
  RET r0
"""


@pytest.mark.parametrize(("tail", "want"), [("RET r3", 12), ("RET r0", 12), ("RET r2", 6)])
def test_call_result_moved_straight_into_its_register(tail: str, want: int) -> None:
    src = CALL_MOV.format(tail=tail) + ".end\n"
    assert both(src, 3)[:2] == ("ok", want)
    fused = "r3 = F1" in make_vm(src).source
    assert fused == (tail != "RET r0")
