"""Core builtins, called directly and through CALL."""

from __future__ import annotations

from typing import Any

import pytest

from stoffel.vm.builtins import BUILTINS
from stoffel.vm.errors import VMError
from stoffel.vm.testing import body, make_vm, run
from stoffel.vm.values import I32, ArrayRef, Closure, IntV, ObjectRef


@pytest.fixture
def vm() -> Any:
    return make_vm(body("  RET r0"))


def call(vm: Any, name: str, *args: Any) -> Any:
    return BUILTINS[name](vm, list(args))


def arr(*xs: Any) -> ArrayRef:
    return ArrayRef(list(xs))


def test_arrays_get_set_push_len(vm: Any) -> None:
    a = call(vm, "create_array")
    call(vm, "array_push", a, 1)
    call(vm, "append", a, 2)
    assert call(vm, "array_length", a) == 2 and call(vm, "len", a) == 2
    assert call(vm, "get_field", a, 1) == 2
    assert call(vm, "get_field", a, -1) == 2
    call(vm, "set_field", a, 4, 9)
    assert a.items == [1, 2, None, None, 9]
    call(vm, "set_field", a, -1, 8)
    assert a.items[-1] == 8
    with pytest.raises(VMError, match="index 7 out of bounds for length 5"):
        call(vm, "get_field", a, 7)
    with pytest.raises(VMError, match="index -9 out of bounds"):
        call(vm, "get_field", a, -9)


def test_len_of_string_and_object(vm: Any) -> None:
    assert call(vm, "len", "héllo") == 6  # UTF-8 bytes, as upstream's String::len
    assert call(vm, "len", ObjectRef({"a": 1, "__type": "P"})) == 1
    with pytest.raises(VMError, match="len: expected an array or string"):
        call(vm, "len", 3)


def test_objects_and_fields(vm: Any) -> None:
    o = call(vm, "create_object", "Point")
    call(vm, "set_field", o, "x", 1)
    assert call(vm, "get_field", o, "x") == 1
    assert call(vm, "get_field", o, "missing") is None
    xs = call(vm, "get_or_create_array_field", o, "xs")
    assert call(vm, "get_or_create_array_field", o, "xs") is xs
    assert o.fields["__type"] == "Point"
    assert call(vm, "contains", o, "x") is True
    assert call(vm, "delete", o, "x") is True
    assert call(vm, "delete", o, "x") is False


def test_concat_repeat_equals(vm: Any) -> None:
    a, b = arr(1, 2), arr(3)
    assert call(vm, "array_concat", a, b).items == [1, 2, 3]
    assert call(vm, "array_repeat", b, 3).items == [3, 3, 3]
    assert call(vm, "array_repeat", 2, a).items == [1, 2, 1, 2]
    assert call(vm, "array_equals", arr(1, arr("x")), arr(1, arr("x"))) is True
    assert call(vm, "array_equals", arr(1), arr(1.5)) is False
    assert call(vm, "array_equals", arr(True), arr(1)) is False
    with pytest.raises(VMError, match="size limit"):
        call(vm, "array_repeat", a, 10**12)


def test_list_methods(vm: Any) -> None:
    a = arr(3, 1, 2)
    call(vm, "extend", a, arr(5))
    call(vm, "insert", a, 0, 9)
    assert a.items == [9, 3, 1, 2, 5]
    assert call(vm, "pop", a) == 5
    assert call(vm, "pop", a, 0) == 9
    call(vm, "remove", a, 1)
    assert a.items == [3, 2]
    assert call(vm, "index", arr(1, 2, 1), 1, 1) == 2
    with pytest.raises(VMError, match="value not found"):
        call(vm, "index", arr(1), 5)
    assert call(vm, "count", arr(1, 2, 1), 1) == 2
    assert call(vm, "contains", arr(1, 2), 2) is True
    b = arr(3, 1, 2)
    call(vm, "sort", b)
    assert b.items == [1, 2, 3]
    call(vm, "reverse", b)
    assert b.items == [3, 2, 1]
    c = call(vm, "copy", b)
    assert c.items == b.items and c is not b
    call(vm, "delete", c, -1)
    assert c.items == [3, 2]
    call(vm, "clear", c)
    assert c.items == []
    with pytest.raises(VMError, match="pop: array is empty"):
        call(vm, "pop", c)


def test_slices_and_strings(vm: Any) -> None:
    assert call(vm, "slice", arr(0, 1, 2, 3, 4), 1, 4).items == [1, 2, 3]
    assert call(vm, "slice", arr(0, 1, 2, 3, 4), -2, 5).items == [3, 4]
    assert call(vm, "slice", arr(0, 1, 2, 3, 4), 0, 5, 2).items == [0, 2, 4]
    assert call(vm, "slice", "hello", 1, 3) == "el"
    assert call(vm, "contains", "hello", "ell") is True
    with pytest.raises(VMError, match="step cannot be zero"):
        call(vm, "slice", arr(1), 0, 1, 0)


def test_range(vm: Any) -> None:
    assert call(vm, "range", 3).items == [0, 1, 2]
    assert call(vm, "range", 1, 4).items == [1, 2, 3]
    assert call(vm, "range", 5, 0, -2).items == [5, 3, 1]
    with pytest.raises(VMError, match="size limit"):
        call(vm, "range", 0, 10**15)


def test_type_names(vm: Any) -> None:
    cases = [
        (1, "int64"),
        (IntV(1, I32), "int32"),
        (1.0, "float"),
        (True, "boolean"),
        ("s", "string"),
        (None, "nil"),
        (arr(), "array"),
        (ObjectRef(), "object"),
        (Closure("f", {}), "function"),
    ]
    for value, name in cases:
        assert call(vm, "type", value) == name
    share = vm.sched.as_share(5)
    assert call(vm, "type", share) == "share"


def test_assert(vm: Any) -> None:
    call(vm, "assert", True)
    with pytest.raises(VMError, match=r"^assertion failed$"):
        call(vm, "assert", False)
    with pytest.raises(VMError, match=r"^x must be positive$"):
        call(vm, "assert", False, "x must be positive")


def test_print_and_to_string_through_bytecode() -> None:
    src = body(
        '  LDI r1, "n ="\n  LDI r2, 7i32\n  PUSHARG r1\n  PUSHARG r2\n  CALL print\n'
        "  PUSHARG r2\n  CALL to_string\n  RET r0"
    )
    result, vm = run(src)
    assert vm.printed == ["n = 7i32"] and result == "7i32"


def test_local_storage(vm: Any) -> None:
    assert call(vm, "LocalStorage.exists", "k") is False
    assert call(vm, "LocalStorage.store", "k", 5) is True
    assert call(vm, "LocalStorage.load", "k") == 5
    assert call(vm, "LocalStorage.retrieve", "nope") is None
    assert call(vm, "LocalStorage.delete", "k") is True
    with pytest.raises(VMError, match="no value stored under 'k'"):
        call(vm, "LocalStorage.load", "k")


CLOSURES = """
.function counter() upvalues=count
  LDI r1, "count"
  PUSHARG r1
  CALL get_upvalue
  LDI r2, 1
  ADD r3, r0, r2
  PUSHARG r1
  PUSHARG r3
  CALL set_upvalue
  RET r3
.end
.function add(x) upvalues=base
  MOV r5, r0
  LDI r1, "base"
  PUSHARG r1
  CALL get_upvalue
  ADD r0, r0, r5
  RET r0
.end
.function main()
  LDI r1, "count"
  LDI r2, 10
  PUSHARG r1
  PUSHARG r2
  CALL set_upvalue
  LDI r3, "counter"
  PUSHARG r3
  PUSHARG r1
  CALL create_closure
  MOV r4, r0
  LDI r2, 100
  PUSHARG r1
  PUSHARG r2
  CALL set_upvalue
  PUSHARG r4
  CALL call_closure
  PUSHARG r4
  CALL call_closure
  MOV r6, r0
  LDI r1, "base"
  LDI r2, 1000
  PUSHARG r1
  PUSHARG r2
  CALL set_upvalue
  LDI r3, "add"
  PUSHARG r3
  PUSHARG r1
  CALL create_closure
  MOV r4, r0
  PUSHARG r4
  PUSHARG r6
  CALL call_closure
  RET r0
.end
"""


def test_closures_capture_copies_and_keep_their_own_upvalues() -> None:
    # counter captured count=10 (a copy: the later set to 100 does not leak in), and
    # set_upvalue persists in the closure: two calls give 11 then 12; then add(12) = 1012.
    assert run(CLOSURES)[0] == 1012


def test_get_upvalue_missing() -> None:
    src = body('  LDI r1, "nope"\n  PUSHARG r1\n  CALL get_upvalue\n  RET r0')
    with pytest.raises(VMError, match="Upvalue 'nope' not found"):
        run(src)


def test_ufcs_dispatch_on_object_type() -> None:
    src = (
        '.function Point.norm(p)\n  LDI r1, "x"\n  PUSHARG r0\n  PUSHARG r1\n  CALL get_field\n'
        "  RET r0\n.end\n"
        + body(
            '  LDI r1, "Point"\n  PUSHARG r1\n  CALL create_object\n  MOV r2, r0\n'
            '  LDI r3, "x"\n  LDI r4, 5\n  PUSHARG r2\n  PUSHARG r3\n  PUSHARG r4\n'
            "  CALL set_field\n  PUSHARG r2\n  CALL norm\n  RET r0"
        )
    )
    assert run(src)[0] == 5


def test_inline_list_fast_paths_match_builtins() -> None:
    src = body(
        "  CALL create_array\n  MOV r5, r0\n  LDI r1, 4\n  PUSHARG r5\n  PUSHARG r1\n"
        "  CALL append\n  LDI r2, 0\n  LDI r3, 6\n  PUSHARG r5\n  PUSHARG r2\n  PUSHARG r3\n"
        "  CALL set_field\n  PUSHARG r5\n  LDI r2, -1\n  PUSHARG r2\n  CALL get_field\n"
        "  MOV r6, r0\n  PUSHARG r5\n  CALL len\n  ADD r0, r0, r6\n  RET r0"
    )
    assert run(src)[0] == 7


def test_inline_get_field_out_of_bounds_is_a_vm_error() -> None:
    src = body(
        "  CALL create_array\n  MOV r5, r0\n  LDI r1, 3\n  PUSHARG r5\n  PUSHARG r1\n"
        "  CALL get_field\n  RET r0"
    )
    with pytest.raises(VMError, match="out of bounds"):
        run(src)


def test_array_facts_do_not_survive_a_rewrite_in_a_loop() -> None:
    src = body(
        "  CALL create_array\n  MOV r5, r0\n  LDI r1, 0\nloop:\n  PUSHARG r5\n  CALL len\n"
        "  LDI r5, 7\n  LDI r2, 1\n  ADD r1, r1, r2\n  LDI r3, 3\n  CMP r1, r3\n  JMPLT loop\n"
        "  RET r0"
    )
    with pytest.raises(VMError, match="len: expected an array or string, found int64"):
        run(src)


def test_int_facts_do_not_survive_a_rewrite_in_a_loop() -> None:
    src = body(
        '  LDI r1, 0\n  LDI r4, 0\nloop:\n  LDI r2, 1\n  ADD r4, r4, r2\n  LDI r4, "s"\n'
        "  ADD r1, r1, r2\n  LDI r3, 3\n  CMP r1, r3\n  JMPLT loop\n  RET r0"
    )
    with pytest.raises(VMError, match="Unsupported operand types for ADD operation: string"):
        run(src)


def test_int_specialised_and_generic_variants_agree() -> None:
    src = ".function f(a)\n  LDI r1, 2\n  MUL r0, r0, r1\n  RET r0\n.end\n" + body(
        "  PUSHARG r0\n  CALL f\n  RET r0", "x"
    )
    assert run(src, 21)[0] == 42
    assert run(src, 1.5)[0] == 3.0
    with pytest.raises(VMError, match="Type mismatch in MUL operation: int32 and int64"):
        run(src, IntV(4, I32))
