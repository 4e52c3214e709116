"""Core builtins: printing, types, assert, ``__cast``, closures and upvalues, LocalStorage.

Importing this module registers every builtin (lists/objects and MPC ones too).

Closures and upvalues (bytecode.md §1.4). Every upvalue lives in an :class:`UpvalueCell`:
``set_upvalue`` stores into the current frame's cell for the name (creating it on the first
write) and ``get_upvalue`` reads through it. A function called directly gets its declared
upvalues from the frames below it (``VM.enter_upvalues``), which copies the *cells*, so a
nested function reads and writes its enclosing function's variables themselves.
``create_closure(fn, names…)`` captures *copies* of the named values in fresh cells, as
upstream (names as strings or one array of strings; none given means the function's declared
upvalues, so a closure over a function that uses script globals carries ``__globals``).
``call_closure(c, args…)`` runs the function with the closure's own cells, so ``set_upvalue``
persists into that closure instance and into nested functions it calls.
"""

from __future__ import annotations

from typing import Any

from stoffel.vm import builtins_list, builtins_mpc  # noqa: F401 - registration side effect
from stoffel.vm.errors import VMError
from stoffel.vm.format import format_value, type_name
from stoffel.vm.registry import BUILTINS, builtin
from stoffel.vm.values import (
    KIND_BY_SUFFIX,
    ArrayRef,
    Closure,
    IntV,
    SecretVal,
    deep_unwrap,
    unwrap,
)


def builtin_names() -> set[str]:
    return set(BUILTINS)


@builtin("print")
def print_(vm: Any, args: list[Any]) -> None:
    line = " ".join(format_value(deep_unwrap(a)) for a in args)
    vm.emit_line(line)


@builtin("to_string")
def to_string(vm: Any, args: list[Any]) -> str:
    return " ".join(format_value(deep_unwrap(a)) for a in args)


@builtin("type")
def type_(vm: Any, args: list[Any]) -> str:
    if len(args) != 1:
        raise VMError(f"type expects 1 argument(s), got {len(args)}")
    return type_name(args[0])


@builtin("assert")
def assert_(vm: Any, args: list[Any]) -> None:
    if not 1 <= len(args) <= 2:
        raise VMError(f"assert expects 1 to 2 argument(s), got {len(args)}")
    cond = unwrap(args[0])
    if type(cond) is SecretVal:
        raise VMError("assert: the condition is secret; reveal it first")
    if cond is not True:
        message = unwrap(args[1]) if len(args) > 1 else "assertion failed"
        raise VMError(message if isinstance(message, str) else format_value(message))


#: ``__cast`` targets besides the integer kinds of ``KIND_BY_SUFFIX``.
_CAST_OTHER = frozenset({"f64", "bool"})


@builtin("__cast")
def cast(vm: Any, args: list[Any]) -> Any:
    """``__cast(value, kind)``: the clear numeric conversion the ISA has no opcode for; the
    compiler emits it for widening, narrowing and int ↔ float with ``kind`` one of ``i8``…
    ``u64``, ``f64`` or ``bool`` (a string constant). Checked like upstream arithmetic: a
    value that does not fit the target is ``Integer overflow in CAST operation``; a float is
    truncated toward zero, NaN and infinities never fit an integer."""
    if len(args) != 2:
        raise VMError(f"__cast expects 2 argument(s), got {len(args)}")
    value, kind = unwrap(args[0]), unwrap(args[1])
    if type(kind) is not str or (kind not in KIND_BY_SUFFIX and kind not in _CAST_OTHER):
        raise VMError(f"__cast: unknown target type {format_value(kind)}")
    raw = value.value if type(value) is IntV else value
    if type(raw) not in (int, float, bool):
        raise VMError(f"__cast: cannot convert {type_name(value)} to {kind}")
    if kind == "f64":
        return float(raw)
    if kind == "bool":
        return bool(raw)
    if type(raw) is float:
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise VMError("Integer overflow in CAST operation")
        raw = int(raw)  # truncation toward zero, as Rust's `as` and upstream
    target = KIND_BY_SUFFIX[kind]
    raw = int(raw)
    if not target.lo <= raw <= target.hi:
        raise VMError("Integer overflow in CAST operation")
    return raw if kind == "i64" else IntV(raw, target)


def _names(args: list[Any]) -> list[str]:
    out: list[str] = []
    for a in args:
        a = unwrap(a)
        items = a.items if type(a) is ArrayRef else [a]
        for x in items:
            x = unwrap(x)
            if type(x) is not str:
                raise VMError(
                    f"create_closure: upvalue names must be strings, found {type_name(x)}"
                )
            out.append(x)
    return out


class UpvalueCell:
    """The storage of one upvalue; frames share a variable by sharing its cell."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def _read_cell(v: Any) -> Any:
    return v.value if type(v) is UpvalueCell else v


@builtin("create_closure")
def create_closure(vm: Any, args: list[Any]) -> Closure:
    if not args or type(unwrap(args[0])) is not str:
        raise VMError("create_closure expects a function name")
    name = unwrap(args[0])
    if name not in vm.functions:
        raise VMError(f"create_closure: unknown function '{name}'")
    names = _names(args[1:]) if len(args) > 1 else list(vm.functions[name].upvalues)
    # Fresh cells holding copies: later writes on either side do not reach the other.
    captured = {n: UpvalueCell(_read_cell(vm.lookup_upvalue(n))) for n in names}
    return Closure(name, captured)


@builtin("call_closure")
def call_closure(vm: Any, args: list[Any]) -> Any:
    if not args or type(unwrap(args[0])) is not Closure:
        raise VMError("call_closure expects a closure as its first argument")
    c = unwrap(args[0])
    return vm.call_function(c.function, list(args[1:]), c.upvalues)


@builtin("get_upvalue")
def get_upvalue(vm: Any, args: list[Any]) -> Any:
    if len(args) != 1 or type(unwrap(args[0])) is not str:
        raise VMError("get_upvalue expects an upvalue name")
    frame = vm.current_upvalues()
    name = unwrap(args[0])
    if name not in frame:
        raise VMError(f"Upvalue '{name}' not found")
    return _read_cell(frame[name])


@builtin("set_upvalue")
def set_upvalue(vm: Any, args: list[Any]) -> None:
    if len(args) != 2 or type(unwrap(args[0])) is not str:
        raise VMError("set_upvalue expects a name and a value")
    frame = vm.current_upvalues()
    name = unwrap(args[0])
    cell = frame.get(name)
    if type(cell) is UpvalueCell:
        cell.value = args[1]
    else:
        frame[name] = UpvalueCell(args[1])


def _storage_key(args: list[Any], fn: str, n: int) -> Any:
    if len(args) != n:
        raise VMError(f"LocalStorage.{fn} expects {n} argument(s), got {len(args)}")
    key = unwrap(args[0])
    if type(key) is not str:
        raise VMError(f"LocalStorage.{fn}: key must be a string, found {type_name(key)}")
    return key


@builtin("LocalStorage.store")
def storage_store(vm: Any, args: list[Any]) -> bool:
    vm.local_storage[_storage_key(args, "store", 2)] = deep_unwrap(args[1])
    return True


@builtin("LocalStorage.load", "LocalStorage.load_share")
def storage_load(vm: Any, args: list[Any]) -> Any:
    key = _storage_key(args, "load", 1)
    if key not in vm.local_storage:
        raise VMError(f"LocalStorage: no value stored under '{key}'")
    return vm.local_storage[key]


@builtin("LocalStorage.retrieve")
def storage_retrieve(vm: Any, args: list[Any]) -> Any:
    return vm.local_storage.get(_storage_key(args, "retrieve", 1))


@builtin("LocalStorage.delete")
def storage_delete(vm: Any, args: list[Any]) -> bool:
    return vm.local_storage.pop(_storage_key(args, "delete", 1), None) is not None


@builtin("LocalStorage.exists")
def storage_exists(vm: Any, args: list[Any]) -> bool:
    return _storage_key(args, "exists", 1) in vm.local_storage
