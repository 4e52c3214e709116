"""Bytecode determinism: two compilations give identical bytes, and decode → encode of the
emitted file reproduces it byte for byte (STFL v9, DESIGN §2 item 6)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from stoffel.compiler.codegen import compile_program
from stoffel.vm.isa import OPERANDS, Operand, decode, encode
from stoffel.vm.loader import load_bytes
from stoffel.vm.sourcemap import SourceMap

from .directives import run_cases

CASES = run_cases()


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
@pytest.mark.parametrize("opt_level", [0, 2])
def test_compilation_is_deterministic_and_round_trips(case: Path, opt_level: int) -> None:
    first = compile_program(case, opt_level)
    second = compile_program(case, opt_level)
    assert first.binary == second.binary
    assert first.source_map.to_json() == second.source_map.to_json()
    program = decode(first.binary)
    assert program.version == 9
    assert encode(program) == first.binary
    assert program.manifest is not None and program.manifest.backend == 0


def test_register_count_is_the_absolute_frame_size() -> None:
    case = next(c for c in CASES if c.stem == "secret_if_max")
    program = decode(compile_program(case, 2).binary)
    uses_secret_bank = False
    for fn in program.functions:
        regs = [
            a
            for ins in fn.instructions
            for kind, a in zip(OPERANDS[ins.op], ins.args, strict=True)
            if kind is Operand.REG
        ]
        uses_secret_bank |= any(r >= 16 for r in regs)
        assert fn.register_count == max([*regs, len(fn.params) - 1, 0]) + 1
    assert uses_secret_bank


def test_source_map_points_at_source_lines(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.stem == "fib_recursive")
    compiled = compile_program(case, 2)
    loaded = load_bytes(compiled.binary)
    assert "fib" in loaded.functions
    sm = SourceMap.from_json(compiled.source_map.to_json())
    loc = sm.lookup("fib", 0)
    assert loc is not None and loc.line == 3 and Path(loc.file).name == "fib_recursive.stfl"


def test_client_schema_in_manifest() -> None:
    case = next(c for c in CASES if c.stem == "valid_client_io")
    manifest = decode(compile_program(case, 2).binary).manifest
    assert manifest is not None
    kinds = {c.slot: [t.describe() for t in c.inputs] for c in manifest.clients}
    assert sorted(kinds) == [0, 1]
    assert len(kinds[0]) == 2 and len(kinds[1]) == 2
    assert "1" in kinds[0][1] and "Fixed" in kinds[1][1]


def test_bytes_do_not_depend_on_hash_seed() -> None:
    """Set and dict iteration must not leak into the output (program ids hash the bytes)."""
    script = (
        "import hashlib, sys\n"
        "from stoffel.compiler.codegen import compile_program\n"
        "h = hashlib.sha256()\n"
        "for f in sys.argv[1:]:\n"
        "    c = compile_program(f, 2)\n"
        "    h.update(c.binary + c.source_map.to_json().encode())\n"
        "print(h.hexdigest())\n"
    )
    files = [str(c) for c in CASES if "secret" in c.stem or c.stem.startswith("valid_o")]
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", script, *files], env=env, capture_output=True, text=True,
            check=True,
        )  # fmt: skip
        digests.add(out.stdout.strip())
    assert len(digests) == 1
