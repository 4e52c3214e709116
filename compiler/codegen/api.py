"""The driver-level compile API: source file → IR → optimised IR → STFL bytes + source map.

    compiled = compile_program("prog.stfl", opt_level=2)
    compiled.binary        # deterministic STFL v9 bytes
    compiled.source_map    # vm.sourcemap.SourceMap (write it as OUT.stflb.map)
    compiled.ir / .ir_opt  # canonical IR text before / after the -O pipeline

Errors in the program come back as ``CompileFailed`` carrying the diagnostics.
"""

from __future__ import annotations

import os

import attrs

from stoffel.compiler.codegen.program import emit_module
from stoffel.compiler.diagnostics import CompilerPanic, Diagnostic
from stoffel.compiler.driver import Compilation
from stoffel.compiler.lower import LoweringError, lower_program
from stoffel.compiler.passes.pipelines import optimize
from stoffel.compiler.ssa import ir
from stoffel.compiler.ssa.printer import print_module
from stoffel.vm.isa import Program, encode
from stoffel.vm.sourcemap import SourceMap


class CompileFailed(Exception):
    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.message for d in diagnostics if d.is_error))
        self.diagnostics = diagnostics


@attrs.define
class CompiledProgram:
    binary: bytes
    source_map: SourceMap
    ir: str
    ir_opt: str
    program: Program
    module: ir.Module
    compilation: Compilation


def compile_program(
    path: str | os.PathLike[str], opt_level: int = 2, *, text: str | None = None
) -> CompiledProgram:
    compilation = Compilation(path, text=text)
    if compilation.has_errors:
        raise CompileFailed(compilation.diagnostics)
    try:
        lowered = lower_program(compilation.checked, compilation.parsed)
    except LoweringError as exc:
        span = exc.span or compilation.source.span(0, 0)
        raise CompileFailed([CompilerPanic(str(exc), span).to_diagnostic()]) from None
    before = print_module(lowered.module)
    optimize(lowered.module, opt_level)
    after = print_module(lowered.module)
    emitted = emit_module(
        lowered.module, lowered.spans, lowered.params, lowered.upvalues, lowered.parents
    )
    return CompiledProgram(
        encode(emitted.program),
        emitted.source_map,
        before,
        after,
        emitted.program,
        lowered.module,
        compilation,
    )
