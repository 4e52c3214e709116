"""The top-level ``stoffel`` package: lazy SDK exports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import stoffel

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_sdk_names_are_exported() -> None:
    for name in stoffel.__all__:
        assert getattr(stoffel, name) is not None


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = stoffel.nope  # type: ignore[attr-defined]


def test_importing_the_compiler_does_not_load_the_vm() -> None:
    code = "import sys, stoffel.compiler.syntax; print('stoffel.vm' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_auction_example_on_the_local_backend() -> None:
    program = stoffel.compile(str(EXAMPLES / "auction.stfl"))
    result = program.run(client_inputs={0: [120], 1: [345], 2: [230]}, backend="local")
    assert result.result == 345
    assert result.printed == ["bids received: 3"]
    assert result.stats["comparisons"] == 3
