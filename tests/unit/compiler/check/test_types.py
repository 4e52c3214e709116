"""Type values: spelling in messages (spec §3.4) and assignability (spec §3.2–3.3)."""

from __future__ import annotations

import pytest

from stoffel.compiler.types.compat import Mismatch, mismatch
from stoffel.compiler.types.types import (
    BOOL,
    FIX64,
    FLOAT,
    INT64,
    NIL,
    SHARE,
    STRING,
    UNKNOWN,
    VOID,
    DictT,
    Int,
    ListT,
    Obj,
    Secret,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (INT64, "int64"),
        (Int(8, False), "uint8"),
        (FLOAT, "float"),
        (FIX64, "fix64"),
        (BOOL, "bool"),
        (STRING, "string"),
        (NIL, "None"),
        (VOID, "void"),
        (Secret(INT64), "secret int64"),
        (ListT(INT64), "list[int64]"),
        (DictT(STRING, INT64), "dict[string, int64]"),
        (UNKNOWN, "<unknown>"),
        (Obj("Point"), "Point"),
        (ListT(Secret(BOOL)), "list[secret bool]"),
    ],
)
def test_spelling(value: object, text: str) -> None:
    assert str(value) == text


I8, I16, I32, U8, U16, U32, U64 = (
    Int(8),
    Int(16),
    Int(32),
    Int(8, False),
    Int(16, False),
    Int(32, False),
    Int(64, False),
)


@pytest.mark.parametrize(
    ("src", "dst", "expected"),
    [
        (I8, I32, None),
        (I32, I8, Mismatch.INTEGER),
        (U8, U16, None),
        (U8, I16, None),
        (U8, I8, Mismatch.INTEGER),  # unsigned → signed needs a strictly wider type
        (U64, INT64, Mismatch.INTEGER),
        (I8, U64, Mismatch.INTEGER),  # signed → unsigned never
        (INT64, Secret(INT64), None),
        (I8, Secret(INT64), None),
        (Secret(INT64), INT64, Mismatch.REVEAL),
        (Secret(INT64), Secret(I32), Mismatch.INTEGER),
        (SHARE, Secret(BOOL), None),
        (Secret(FIX64), SHARE, None),
        (SHARE, INT64, Mismatch.OTHER),
        (INT64, SHARE, Mismatch.OTHER),
        (FLOAT, FIX64, None),
        (INT64, FLOAT, Mismatch.OTHER),
        (ListT(INT64), ListT(Secret(INT64)), None),
        (ListT(Secret(INT64)), ListT(INT64), Mismatch.OTHER),
        (ListT(UNKNOWN), ListT(STRING), None),
        (UNKNOWN, Secret(INT64), None),
        (Obj("Object"), INT64, None),
        (NIL, Obj("Point"), None),
        (NIL, INT64, Mismatch.OTHER),
        (STRING, BOOL, Mismatch.OTHER),
    ],
)
def test_mismatch(src: object, dst: object, expected: Mismatch | None) -> None:
    assert mismatch(src, dst) is expected
