"""Array, object and string builtins (no opcodes exist for them; bytecode.md §1.5)."""

from __future__ import annotations

import functools
from typing import Any

from stoffel.vm.errors import VMError
from stoffel.vm.format import type_name
from stoffel.vm.registry import builtin, int_arg
from stoffel.vm.values import I64_MAX, ArrayRef, IntV, ObjectRef, Pending, SecretVal, unwrap

#: Largest array a builtin may build (range, repeat, set past the end): a corrupted or hostile
#: program must get an error, not exhaust memory. ``vm.max_array`` overrides it per VM.
MAX_ARRAY = 1 << 24


def _limit(vm: Any) -> int:
    return getattr(vm, "max_array", MAX_ARRAY)


def _arr(v: Any, fn: str) -> ArrayRef:
    v = unwrap(v)
    if type(v) is not ArrayRef:
        raise VMError(f"{fn}: expected an array, found {type_name(v)}")
    return v


_int = int_arg


def _nargs(args: list[Any], fn: str, lo: int, hi: int | None = None) -> None:
    hi = lo if hi is None else hi
    if not lo <= len(args) <= hi:
        want = str(lo) if lo == hi else f"{lo} to {hi}"
        raise VMError(f"{fn} expects {want} argument(s), got {len(args)}")


def _index(i: int, n: int, fn: str) -> int:
    j = i + n if i < 0 else i
    if not 0 <= j < n:
        raise VMError(f"{fn}: index {i} out of bounds for length {n}")
    return j


def values_equal(a: Any, b: Any, depth: int = 0, seen: set[tuple[int, int]] | None = None) -> bool:
    """Structural equality used by array_equals, contains, index, count, remove.

    ``seen`` holds array pairs already under comparison: cyclic arrays compare equal where
    their cycles line up, instead of recursing forever (or exponentially).
    """
    a, b = unwrap(a), unwrap(b)
    ta, tb = type(a), type(b)
    if ta is ArrayRef and tb is ArrayRef:
        if a is b:
            return True
        if len(a.items) != len(b.items) or depth > 64:
            return False
        seen = set() if seen is None else seen
        key = (id(a), id(b))
        if key in seen:
            return True
        seen.add(key)
        return all(
            values_equal(x, y, depth + 1, seen) for x, y in zip(a.items, b.items, strict=True)
        )
    if ta is ObjectRef or tb is ObjectRef or ta is SecretVal or tb is SecretVal:
        return a is b
    if (ta is bool) != (tb is bool) or (ta is str) != (tb is str):
        return False
    na = a.value if ta is IntV else a
    nb = b.value if tb is IntV else b
    return bool(na == nb)


def sort_key_cmp(a: Any, b: Any) -> int:
    from stoffel.vm.arith import compare

    return compare(a, b, -1)


@builtin("create_array")
def create_array(vm: Any, args: list[Any]) -> ArrayRef:
    return ArrayRef([])


@builtin("create_object")
def create_object(vm: Any, args: list[Any]) -> ObjectRef:
    obj = ObjectRef({})
    if args and type(unwrap(args[0])) is str:
        obj.fields["__type"] = unwrap(args[0])
    return obj


@builtin("get_field")
def get_field(vm: Any, args: list[Any]) -> Any:
    _nargs(args, "get_field", 2)
    target, key = unwrap(args[0]), unwrap(args[1])
    if type(target) is ArrayRef:
        return target.items[_index(_int(key, "get_field"), len(target.items), "get_field")]
    if type(target) is ObjectRef:
        return target.fields.get(_key(key))
    if type(target) is str:
        chars = target
        return chars[_index(_int(key, "get_field"), len(chars), "get_field")]
    raise VMError(f"get_field: cannot index {type_name(target)}")


def _key(k: Any) -> Any:
    # Object keys: strings and clear scalars; IntV and int are distinct keys as upstream.
    k = unwrap(k)
    if type(k) in (ArrayRef, ObjectRef, SecretVal):
        raise VMError(f"invalid object key of type {type_name(k)}")
    return k


@builtin("set_field")
def set_field(vm: Any, args: list[Any]) -> None:
    _nargs(args, "set_field", 3)
    target, key, value = unwrap(args[0]), unwrap(args[1]), args[2]
    if type(target) is ArrayRef:
        i = _int(key, "set_field")
        items = target.items
        if i < 0:
            i = _index(i, len(items), "set_field")
        elif i >= len(items):
            if i >= _limit(vm):
                raise VMError(f"set_field: index {i} exceeds the array size limit")
            items.extend([None] * (i + 1 - len(items)))
        items[i] = value
        return None
    if type(target) is ObjectRef:
        target.fields[_key(key)] = value
        return None
    raise VMError(f"set_field: cannot set a field on {type_name(target)}")


@builtin("get_or_create_array_field")
def get_or_create_array_field(vm: Any, args: list[Any]) -> ArrayRef:
    _nargs(args, "get_or_create_array_field", 2)
    obj, key = unwrap(args[0]), _key(args[1])
    if type(obj) is not ObjectRef:
        raise VMError(f"get_or_create_array_field: expected an object, found {type_name(obj)}")
    cur = unwrap(obj.fields.get(key))
    if type(cur) is not ArrayRef:
        cur = ArrayRef([])
        obj.fields[key] = cur
    return cur


@builtin("array_push", "append")
def array_push(vm: Any, args: list[Any]) -> None:
    _nargs(args, "append", 2)
    items = _arr(args[0], "append").items
    if len(items) >= _limit(vm):
        raise VMError("append: array size limit reached")
    items.append(args[1])


@builtin("array_length", "len")
def length(vm: Any, args: list[Any]) -> int:
    _nargs(args, "len", 1)
    v = unwrap(args[0])
    if type(v) is ArrayRef:
        return len(v.items)
    if type(v) is str:
        return len(v.encode("utf-8"))
    if type(v) is ObjectRef:
        return sum(1 for k in v.fields if k != "__type")
    raise VMError(f"len: expected an array or string, found {type_name(v)}")


def _check_size(vm: Any, n: int, fn: str) -> None:
    if n > _limit(vm):
        raise VMError(f"{fn}: result of {n} elements exceeds the array size limit")


@builtin("array_concat")
def array_concat(vm: Any, args: list[Any]) -> ArrayRef:
    _nargs(args, "array_concat", 2)
    a, b = _arr(args[0], "array_concat"), _arr(args[1], "array_concat")
    _check_size(vm, len(a.items) + len(b.items), "array_concat")
    return ArrayRef(a.items + b.items)


@builtin("array_repeat")
def array_repeat(vm: Any, args: list[Any]) -> ArrayRef:
    _nargs(args, "array_repeat", 2)
    a, b = unwrap(args[0]), unwrap(args[1])
    if type(a) is not ArrayRef:
        a, b = b, a
    arr, n = _arr(a, "array_repeat"), max(0, _int(b, "array_repeat"))
    _check_size(vm, len(arr.items) * n, "array_repeat")
    return ArrayRef(arr.items * n)


@builtin("array_equals")
def array_equals(vm: Any, args: list[Any]) -> bool:
    _nargs(args, "array_equals", 2)
    return values_equal(args[0], args[1])


@builtin("extend")
def extend(vm: Any, args: list[Any]) -> None:
    _nargs(args, "extend", 2)
    a, b = _arr(args[0], "extend"), _arr(args[1], "extend")
    _check_size(vm, len(a.items) + len(b.items), "extend")
    a.items.extend(list(b.items))


@builtin("insert")
def insert(vm: Any, args: list[Any]) -> None:
    _nargs(args, "insert", 3)
    items = _arr(args[0], "insert").items
    _check_size(vm, len(items) + 1, "insert")
    items.insert(_int(args[1], "insert"), args[2])


@builtin("pop")
def pop(vm: Any, args: list[Any]) -> Any:
    _nargs(args, "pop", 1, 2)
    items = _arr(args[0], "pop").items
    if not items:
        raise VMError("pop: array is empty")
    i = _int(args[1], "pop") if len(args) > 1 else -1
    return items.pop(_index(i, len(items), "pop"))


@builtin("remove")
def remove(vm: Any, args: list[Any]) -> None:
    _nargs(args, "remove", 2)
    items = _arr(args[0], "remove").items
    for i, x in enumerate(items):
        if values_equal(x, args[1]):
            del items[i]
            return
    raise VMError("remove: value not found in array")


@builtin("index")
def index(vm: Any, args: list[Any]) -> int:
    _nargs(args, "index", 2, 4)
    items = _arr(args[0], "index").items
    n = len(items)
    start = _int(args[2], "index") if len(args) > 2 else 0
    stop = _int(args[3], "index") if len(args) > 3 else I64_MAX
    for i in range(*slice(start, stop).indices(n)):
        if values_equal(items[i], args[1]):
            return i
    raise VMError("index: value not found in array")


@builtin("count")
def count(vm: Any, args: list[Any]) -> int:
    _nargs(args, "count", 2)
    return sum(1 for x in _arr(args[0], "count").items if values_equal(x, args[1]))


@builtin("contains")
def contains(vm: Any, args: list[Any]) -> bool:
    _nargs(args, "contains", 2)
    c, v = unwrap(args[0]), unwrap(args[1])
    if type(c) is ArrayRef:
        return any(values_equal(x, v) for x in c.items)
    if type(c) is str and type(v) is str:
        return v in c
    if type(c) is ObjectRef:
        return _key(v) in c.fields
    raise VMError(f"contains: cannot search in {type_name(c)}")


@builtin("slice")
def slice_(vm: Any, args: list[Any]) -> Any:
    _nargs(args, "slice", 1, 4)
    v = unwrap(args[0])
    start = None if len(args) < 2 or unwrap(args[1]) is None else _int(args[1], "slice")
    stop = None if len(args) < 3 or unwrap(args[2]) is None else _int(args[2], "slice")
    step = _int(args[3], "slice") if len(args) > 3 else 1
    if step == 0:
        raise VMError("slice: step cannot be zero")
    if type(v) is ArrayRef:
        return ArrayRef(v.items[start:stop:step])
    if type(v) is str:
        return v[start:stop:step]
    raise VMError(f"slice: expected an array or string, found {type_name(v)}")


@builtin("reverse")
def reverse(vm: Any, args: list[Any]) -> None:
    _nargs(args, "reverse", 1)
    _arr(args[0], "reverse").items.reverse()


@builtin("sort")
def sort(vm: Any, args: list[Any]) -> None:
    _nargs(args, "sort", 1)
    items = _arr(args[0], "sort").items
    for i, x in enumerate(items):
        if type(x) is Pending:
            items[i] = x.get()
    items.sort(key=functools.cmp_to_key(sort_key_cmp))


@builtin("copy")
def copy(vm: Any, args: list[Any]) -> Any:
    _nargs(args, "copy", 1)
    v = unwrap(args[0])
    if type(v) is ObjectRef:
        return ObjectRef(dict(v.fields))
    return ArrayRef(list(_arr(v, "copy").items))


@builtin("clear")
def clear(vm: Any, args: list[Any]) -> None:
    _nargs(args, "clear", 1)
    v = unwrap(args[0])
    if type(v) is ObjectRef:
        v.fields.clear()
    else:
        _arr(v, "clear").items.clear()


@builtin("delete")
def delete(vm: Any, args: list[Any]) -> Any:
    _nargs(args, "delete", 2)
    v = unwrap(args[0])
    if type(v) is ObjectRef:
        return v.fields.pop(_key(args[1]), None) is not None
    items = _arr(v, "delete").items
    del items[_index(_int(args[1], "delete"), len(items), "delete")]
    return None


@builtin("range")
def range_(vm: Any, args: list[Any]) -> ArrayRef:
    _nargs(args, "range", 1, 3)
    nums = [_int(a, "range") for a in args]
    if len(nums) == 1:
        nums = [0, nums[0]]
    if len(nums) == 3 and nums[2] == 0:
        raise VMError("range: step cannot be zero")
    r = range(*nums)
    _check_size(vm, len(r), "range")
    return ArrayRef(list(r))
