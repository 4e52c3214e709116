"""The type and secrecy checker: one walk per module, in import order."""

from __future__ import annotations

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.builtins import Builtins, load_builtins
from stoffel.compiler.check.facts import CheckedProgram
from stoffel.compiler.check.instantiate import InstantiationChecks
from stoffel.compiler.diagnostics import Diagnostic
from stoffel.compiler.resolve.modules import Program
from stoffel.compiler.resolve.symbols import Symbol
from stoffel.compiler.types.types import Type


class Checker(InstantiationChecks):
    def __init__(self, builtins: Builtins, modules: list[ast.Module]) -> None:
        super().__init__(builtins, modules)
        self.objects: dict[str, Symbol] = {}
        self.function_symbols: dict[ast.FunctionDef, Symbol] = {}
        self.untyped_lists: dict[Symbol, tuple[Type, int] | None] = {}
        self.deferred_calls = []

    def run(self, program: Program) -> CheckedProgram:
        for info in program.modules:
            self.check_module(info, is_entry=info is program.entry)
        self.finish_effects()
        self.finish_instantiations()
        self.finish_inference()
        return self.result

    def finish_inference(self) -> None:
        """Uses of `var xs = []` seen before its first append get the inferred type."""
        for node, symbol in self.index.node_symbols.items():
            if symbol in self.untyped_lists and isinstance(node, ast.Name):
                self.result.types[node] = symbol.type


def check_program(program: Program) -> tuple[CheckedProgram, list[Diagnostic]]:
    builtins = load_builtins()
    checker = Checker(builtins, [m.module for m in program.modules])
    result = checker.run(program)
    return result, [*builtins.diagnostics, *checker.diagnostics]
