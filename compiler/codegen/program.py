"""IR module → STFL v9 ``Program`` + source map (DESIGN §2 item 6). Deterministic: functions
in module order (``main`` first), constants in first-use order, labels by position."""

from __future__ import annotations

import attrs

from stoffel.compiler.codegen.constants import ConstantPool
from stoffel.compiler.codegen.function import FunctionEmitter
from stoffel.compiler.codegen.manifest import build_manifest
from stoffel.compiler.source import Span
from stoffel.compiler.ssa import ir
from stoffel.vm.errors import SourceLocation
from stoffel.vm.isa import CURRENT_VERSION, FunctionType, Program, TypeTag
from stoffel.vm.sourcemap import SourceMap


@attrs.define
class Emitted:
    program: Program
    source_map: SourceMap


def function_type(t: ir.Type | None) -> FunctionType:
    if t is None or t.kind == "nil":
        return FunctionType(TypeTag.VOID)
    inner = _clear_type(t.as_clear() if t.secret and t.kind != "share" else t)
    return FunctionType(TypeTag.SECRET, args=(inner,)) if t.secret else inner


def _clear_type(t: ir.Type) -> FunctionType:
    if t.is_int:
        return FunctionType(TypeTag.INT, signed=t.kind[0] == "i", bits=int(t.kind[1:]))
    simple = {
        "f64": TypeTag.FLOAT,
        "fix64": TypeTag.FIX64,
        "bool": TypeTag.BOOL,
        "string": TypeTag.STRING,
        "nil": TypeTag.NIL,
    }
    if t.kind in simple:
        return FunctionType(simple[t.kind], bits=64 if t.kind == "fix64" else 0)
    if t.kind == "list":
        return FunctionType(TypeTag.LIST, args=(FunctionType(TypeTag.UNKNOWN),))
    return FunctionType(TypeTag.UNKNOWN)


def emit_module(
    module: ir.Module,
    spans: dict[ir.Instr, Span],
    param_names: dict[str, list[str]],
    upvalues: dict[str, list[str]] | None = None,
    parents: dict[str, str] | None = None,
) -> Emitted:
    pool = ConstantPool()
    functions = []
    entries: dict[str, dict[int, SourceLocation]] = {}
    for fn in module.functions:
        names = param_names.get(fn.name) or [f"arg{i}" for i in range(len(fn.params))]
        emitter = FunctionEmitter(fn, pool, spans, names)
        vm_fn = emitter.emit()
        vm_fn.param_types = [function_type(p.type) for p in fn.params]
        vm_fn.return_type = function_type(fn.ret_type)
        vm_fn.upvalues = list((upvalues or {}).get(fn.name, []))
        vm_fn.parent = (parents or {}).get(fn.name)
        functions.append(vm_fn)
        entries[fn.name] = {
            pc: SourceLocation(span.file, span.line, span.column)
            for pc, span in sorted(emitter.source.items())
        }
    program = Program(CURRENT_VERSION, pool.values, functions, build_manifest(module))
    return Emitted(program, SourceMap(entries))
