"""Field.sqrt, Share.mul_field / add_field and Share.interpolate_local (spec §4)."""

from __future__ import annotations

from pathlib import Path

import pytest

import stoffel
from stoffel.api import RunError
from stoffel.runtime.backend import BLS12_381_R
from stoffel.runtime.field import sqrt_mod


@pytest.mark.parametrize("p", [3, 5, 13, 17, 41, 97, 257])
def test_sqrt_mod_finds_exactly_the_squares(p: int) -> None:
    squares = {x * x % p for x in range(p)}
    for x in range(p):
        root = sqrt_mod(x, p)
        if x in squares:
            assert root is not None and root * root % p == x and root <= p - root
        else:
            assert root is None


def test_sqrt_mod_in_the_default_field() -> None:
    # BLS12-381's scalar field has 2-adicity 32: the Tonelli–Shanks loop really runs.
    for x in (4, 9, 2**200 + 12345, BLS12_381_R - 1):
        root = sqrt_mod(x, BLS12_381_R)
        if root is not None:
            assert root * root % BLS12_381_R == x % BLS12_381_R


def _run(tmp_path: Path, source: str, backend: str, **kwargs: object) -> object:
    path = tmp_path / "prog.stfl"
    path.write_text(source, encoding="utf-8")
    return stoffel.compile(str(path)).run(backend=backend, **kwargs).result


SQRT = """\
def main() -> bool:
  var r = Field.sqrt(Field.from_int(9))
  return Field.eq(Field.mul(r, r), Field.from_int(9))
"""

SHARE_FIELD = """\
def main() -> int64:
  var s: secret int64 = ClientStore.take_share(0, 0)
  var t = Share.mul_field(s, Field.from_int(3))
  var u = t.add_field(Field.from_int(4))
  return Share.open(u)
"""


@pytest.mark.parametrize("backend", ["clear", "local"])
def test_field_sqrt_round_trips(tmp_path: Path, backend: str) -> None:
    assert _run(tmp_path, SQRT, backend) is True


def test_field_sqrt_of_a_non_square_is_a_runtime_error(tmp_path: Path) -> None:
    non_square = next(x for x in range(2, 100) if sqrt_mod(x, BLS12_381_R) is None)
    source = f"def main() -> bool:\n  var r = Field.sqrt(Field.from_int({non_square}))\n"
    source += "  return Field.is_zero(r)\n"
    with pytest.raises(RunError, match="not a square"):
        _run(tmp_path, source, "clear")


@pytest.mark.parametrize("backend", ["clear", "local"])
def test_share_mul_and_add_field(tmp_path: Path, backend: str) -> None:
    assert _run(tmp_path, SHARE_FIELD, backend, client_inputs={0: [5]}) == 19


def test_interpolate_local_on_clear(tmp_path: Path) -> None:
    source = "def main() -> int64:\n  var s = Share.from_clear(-7)\n"
    source += "  return Share.interpolate_local([s, s, s, s, s])\n"
    assert _run(tmp_path, source, "clear") == -7
