"""Run-time errors carry function, instruction index, call stack and source location; hooks."""

from __future__ import annotations

import json

import pytest

from stoffel.vm.asm import assemble
from stoffel.vm.errors import BytecodeError, SourceLocation, VMError
from stoffel.vm.hooks import Hooks
from stoffel.vm.interpreter import VM
from stoffel.vm.isa import encode, write_binary
from stoffel.vm.loader import load_file
from stoffel.vm.sourcemap import SourceMap
from stoffel.vm.testing import run

PROGRAM = """
.function inner(x)
  LDI r1, 0
  NOP
  DIV r0, r0, r1
  RET r0
.end
.function middle(x)
  PUSHARG r0
  CALL inner
  RET r0
.end
.function main()
  LDI r1, 5
  NOP
  PUSHARG r1
  CALL middle
  RET r0
.end
"""


def test_error_names_function_pc_and_call_stack() -> None:
    with pytest.raises(VMError) as exc:
        run(PROGRAM)
    err = exc.value
    assert err.message == "Division by zero"
    assert (err.function, err.pc) == ("inner", 2)
    assert [(f.function, f.pc) for f in err.stack] == [("inner", 2), ("middle", 1), ("main", 3)]
    text = str(err)
    assert text.splitlines()[0] == "Division by zero" and "at inner @ 2" in text


def test_source_map_gives_file_line_column(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "prog.stflb"
    write_binary(assemble(PROGRAM), path)
    smap = {
        "version": 1,
        "functions": {
            "inner": {"0": ["prog.stfl", 2, 3], "2": ["prog.stfl", 3, 10]},
            "main": {"0": ["prog.stfl", 9, 1]},
        },
    }
    (tmp_path / "prog.stflb.map").write_text(json.dumps(smap))
    loaded = load_file(path)
    with pytest.raises(VMError) as exc:
        VM(loaded).run()
    assert exc.value.location == SourceLocation("prog.stfl", 3, 10)
    assert exc.value.stack[2].location == SourceLocation("prog.stfl", 9, 1)  # nearest entry
    assert exc.value.stack[1].location is None
    assert "(prog.stfl:3:10)" in str(exc.value)


def test_source_map_round_trip_and_rejections() -> None:
    smap = SourceMap({"f": {0: SourceLocation("a.stfl", 1, 1), 4: SourceLocation("a.stfl", 2, 5)}})
    again = SourceMap.from_json(smap.to_json())
    assert again.lookup("f", 3) == SourceLocation("a.stfl", 1, 1)
    assert again.lookup("f", 9) == SourceLocation("a.stfl", 2, 5)
    assert again.lookup("g", 0) is None
    for bad in [
        "{",
        "[]",
        '{"functions": {"f": []}}',
        '{"functions": {"f": {"x": ["a", 1, 1]}}}',
        '{"functions": {"f": {"0": ["a", 0, 1]}}}',
    ]:
        with pytest.raises(BytecodeError, match="source map"):
            SourceMap.from_json(bad)


def test_builtin_error_points_at_the_call() -> None:
    src = ".function main()\n  NOP\n  CALL pop\n  RET r0\n.end\n"
    with pytest.raises(VMError) as exc:
        run(src)
    assert "pop expects 1 to 2 argument(s), got 0" in exc.value.message
    assert exc.value.pc == 1


def test_assert_aborts_with_its_message() -> None:
    src = (
        '.function main()\n  LDI r1, false\n  LDI r2, "x > 0"\n  PUSHARG r1\n  PUSHARG r2\n'
        "  CALL assert\n  RET r0\n.end\n"
    )
    with pytest.raises(VMError) as exc:
        run(src)
    assert exc.value.message == "x > 0" and exc.value.pc == 4


def test_hooks_see_instructions_registers_calls() -> None:
    hooks = Hooks()
    seen: list[tuple[str, int]] = []
    writes: list[tuple[int, object]] = []
    calls: list[str] = []
    hooks.instruction.append(lambda fn, pc, ins: seen.append((fn, pc)))
    hooks.register_write.append(lambda fn, pc, reg, value: writes.append((reg, value)))
    hooks.function_call.append(lambda fn, args: calls.append(fn))
    src = (
        ".function f(a)\n  RET r0\n.end\n"
        ".function main()\n  LDI r1, 3\n  PUSHARG r1\n  CALL f\n  RET r0\n.end\n"
    )
    vm = VM(assemble(src), hooks=hooks)
    assert vm.run() == 3
    assert seen == [("main", 0), ("main", 1), ("main", 2), ("f", 0), ("main", 3)]
    assert (1, 3) in writes and (0, 3) in writes
    assert calls == ["main", "f"]


def test_unset_hooks_cost_nothing() -> None:
    vm = VM(assemble(PROGRAM))
    assert "_H" not in vm.source
    vm2 = VM(assemble(PROGRAM), hooks=Hooks())  # registered object, but no callbacks
    assert "_H" not in vm2.source


def test_v1_file_with_errors_also_reports() -> None:
    data = encode(assemble(".version 1\n" + PROGRAM))
    with pytest.raises(VMError, match="Division by zero"):
        VM(data).run()
