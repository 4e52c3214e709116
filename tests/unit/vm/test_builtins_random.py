"""``Share.random([kind])``: a random secret of a declared integer type is uniform in that
type's range (int64: [−2^63, 2^63); bool: {0, 1}), on the clear and the local backend, so
revealing it never overflows. ``Share.random_field`` stays a full field element."""

from __future__ import annotations

from typing import Any

import pytest

from stoffel.api import compile
from stoffel.runtime.backend import SECRET_BOOL, SECRET_INT64, ShareKind
from stoffel.runtime.backends.clear import ClearBackend
from stoffel.vm.builtins import BUILTINS
from stoffel.vm.errors import VMError
from stoffel.vm.testing import body, make_vm
from stoffel.vm.values import unwrap

RANGES = {"i64": (-(1 << 63), (1 << 63) - 1), "i8": (-128, 127), "u8": (0, 255)}
RANGES |= {"u64": (0, (1 << 64) - 1), "i32": (-(1 << 31), (1 << 31) - 1)}


def _vm(seed: int = 1) -> Any:
    return make_vm(body("  RET r0"), backend=ClearBackend(seed=seed))


def _draw(vm: Any, *args: Any) -> tuple[Any, int]:
    s = BUILTINS["Share.random"](vm, list(args))
    value = unwrap(vm.sched.reveal(s))
    return s, int(getattr(value, "value", value))


def test_int64_by_default_uniform_over_the_signed_range() -> None:
    vm = _vm()
    draws = [_draw(vm) for _ in range(200)]
    assert all(s.ty == SECRET_INT64 for s, _ in draws)
    values = [v for _, v in draws]
    lo, hi = RANGES["i64"]
    assert all(lo <= v <= hi for v in values)
    # both halves of the range, and values far beyond 32 bits (a uniform draw)
    assert any(v < 0 for v in values) and any(v > 0 for v in values)
    assert any(abs(v) > 1 << 60 for v in values)


@pytest.mark.parametrize("kind", ["i8", "u8", "i32", "u64", "i64"])
def test_declared_widths(kind: str) -> None:
    vm = _vm()
    lo, hi = RANGES[kind]
    values = [_draw(vm, kind)[1] for _ in range(100)]
    assert all(lo <= v <= hi for v in values)
    assert len(set(values)) > 10
    s, _ = _draw(vm, kind)
    assert s.ty.bits == int(kind[1:])
    assert s.ty.kind is (ShareKind.UINT if kind[0] == "u" else ShareKind.INT)


def test_bool_is_a_bit() -> None:
    vm = _vm()
    draws = [_draw(vm, "bool") for _ in range(64)]
    assert all(s.ty == SECRET_BOOL for s, _ in draws)
    assert {v for _, v in draws} == {0, 1}


def test_costs_random_bits_not_a_random_share() -> None:
    vm = _vm()
    _draw(vm, "i8")
    assert vm.backend.stats.preprocessing.random_bits == 8


def test_bad_kind_and_arity() -> None:
    with pytest.raises(VMError, match="no random secret of type 'f64'"):
        BUILTINS["Share.random"](_vm(), ["f64"])
    with pytest.raises(VMError, match="expects 0 to 1 argument"):
        BUILTINS["Share.random"](_vm(), ["i64", "i64"])


def test_random_field_is_a_full_field_element() -> None:
    vm = _vm()
    s = BUILTINS["Share.random_field"](vm, [])
    assert s.ty == SECRET_INT64  # upstream's handle type; the value may be any residue


PROGRAM = """
var r: secret int64 = Share.random()
var coin: secret bool = Share.random()
var small: secret int8 = Share.random()
var v: int64 = r.reveal()
var c: bool = coin.reveal()
var s: int8 = small.reveal()
print(v >= -9223372036854775807 - 1, c == True or c == False, type(s))
"""


@pytest.mark.parametrize("backend", ["clear", "local"])
@pytest.mark.parametrize("level", [0, 2])
def test_revealing_random_secrets_works_on_every_backend(backend: str, level: int) -> None:
    result = compile(PROGRAM, level).run({}, {}, backend)
    assert result.printed == ["true true int8"]
