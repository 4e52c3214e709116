"""Runtime hooks (instruction, call, return and register-write events) for --trace/debuggers.

When no callback is registered the VM compiles code without any hook calls, so an unset hook
costs nothing. Register callbacks *before* constructing the VM.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stoffel.vm.isa import Instruction

InstrHook = Callable[[str, int, Instruction], None]
RegHook = Callable[[str, int, int, Any], None]
CallHook = Callable[[str, list[Any]], None]
RetHook = Callable[[str, Any], None]


class Hooks:
    def __init__(self) -> None:
        self.instruction: list[InstrHook] = []  # (function, pc, instruction) before executing
        self.register_write: list[RegHook] = []  # (function, pc, register, new value)
        self.function_call: list[CallHook] = []  # (function, args) on entry
        self.function_return: list[RetHook] = []  # (function, value) on RET

    def active(self) -> bool:
        return bool(
            self.instruction or self.register_write or self.function_call or self.function_return
        )

    # Called from generated code.
    def instr(self, function: str, pc: int, ins: Instruction) -> None:
        for cb in self.instruction:
            cb(function, pc, ins)

    def reg(self, function: str, pc: int, reg: int, value: Any) -> None:
        for cb in self.register_write:
            cb(function, pc, reg, value)

    def call(self, function: str, args: list[Any]) -> None:
        for cb in self.function_call:
            cb(function, args)

    def call_event(self, function: str, args: list[Any]) -> None:
        """Calls made through call_function are reported from the generated prologue."""

    def ret(self, function: str, value: Any) -> None:
        for cb in self.function_return:
            cb(function, value)
