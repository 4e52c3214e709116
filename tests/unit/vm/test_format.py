"""print/to_string formatting exactly as DESIGN §4 'Formatting' says."""

from __future__ import annotations

import math
from typing import Any

import pytest

from stoffel.runtime.backend import SECRET_FIX64, SECRET_INT64
from stoffel.vm.format import format_float, format_value
from stoffel.vm.values import (
    I8,
    I16,
    I32,
    U8,
    U16,
    U32,
    U64,
    ArrayRef,
    Closure,
    IntV,
    ObjectRef,
    SecretVal,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (42, "42"),
        (-7, "-7"),
        (IntV(7, I32), "7i32"),
        (IntV(-1, I16), "-1i16"),
        (IntV(3, I8), "3i8"),
        (IntV(255, U8), "255u8"),
        (IntV(1, U16), "1u16"),
        (IntV(2, U32), "2u32"),
        (IntV(2**64 - 1, U64), "18446744073709551615u64"),
        (1.5, "1.5f64"),
        (1.0, "1f64"),
        (-0.0, "-0f64"),
        (0.1, "0.1f64"),
        (1e20, "100000000000000000000f64"),
        (1e-7, "0.0000001f64"),
        (math.nan, "NaNf64"),
        (math.inf, "inff64"),
        (-math.inf, "-inff64"),
        (True, "true"),
        (False, "false"),
        (None, "()"),
        ("raw text", "raw text"),
    ],
)
def test_scalars(value: Any, text: str) -> None:
    assert format_value(value) == text


def test_containers_quote_strings_and_nest() -> None:
    v = ArrayRef([1, "a", ArrayRef([True, None]), 2.5])
    assert format_value(v) == '[1, "a", [true, ()], 2.5f64]'
    assert format_value(ArrayRef([])) == "[]"
    assert format_value(ArrayRef(['say "hi"\n'])) == '["say \\"hi\\"\\n"]'


def test_long_lists_show_16_then_count() -> None:
    v = ArrayRef(list(range(20)))
    assert format_value(v) == "[" + ", ".join(map(str, range(16))) + ", ...(4 more)]"
    assert format_value(ArrayRef(list(range(16)))).endswith("15]")


def test_objects_and_dicts() -> None:
    obj = ObjectRef({"__type": "Point", "x": 1, "name": "p"})
    assert format_value(obj) == '{x: 1, name: "p"}'
    assert format_value(ObjectRef({})) == "{}"


def test_shares_and_closures() -> None:
    assert format_value(SecretVal(SECRET_INT64, b"")) == "Share(SecretInt { bit_length: 64 })"
    fixed = format_value(SecretVal(SECRET_FIX64, b""))
    assert fixed.startswith("Share(SecretFixedPoint")
    assert format_value(Closure("f", {})) == "Closure(f)"


def test_self_referencing_list_terminates() -> None:
    a = ArrayRef([])
    a.items.append(a)
    assert "..." in format_value(a)


def test_print_joins_with_one_space() -> None:
    from stoffel.vm.testing import body, run

    src = body(
        '  LDI r1, 1\n  LDI r2, "b"\n  LDI r3, 2.0\n  PUSHARG r1\n  PUSHARG r2\n'
        "  PUSHARG r3\n  CALL print\n  CALL print\n  RET r0"
    )
    assert run(src)[1].printed == ["1 b 2f64", ""]


def test_format_float_matches_rust_display() -> None:
    assert format_float(123456789.125) == "123456789.125"
    assert format_float(5e-324) == "0." + "0" * 323 + "5"


def test_cycles_print_as_ellipsis_quickly() -> None:
    a = ArrayRef([])
    a.items.extend([a] * 20)
    assert format_value(a).startswith("[[...], [...]")
    o = ObjectRef({})
    o.fields["me"] = o
    assert format_value(o) == "{me: {...}}"
