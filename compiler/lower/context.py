"""State shared by the lowering of one function: the checker's facts, the SSA builder,
loop targets, and helpers to coerce values between types (clear → secret sharing, integer
widening, int → float)."""

from __future__ import annotations

from collections.abc import Hashable

import attrs

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.facts import CheckedProgram
from stoffel.compiler.lower.ssa_builder import SSABuilder
from stoffel.compiler.lower.types import ir_type
from stoffel.compiler.resolve.symbols import Symbol
from stoffel.compiler.source import Span
from stoffel.compiler.ssa import ir
from stoffel.compiler.types import types as T

#: The VM builtin the emitter calls for numeric conversions (the VM has no cast opcode).
CAST_BUILTIN = "__cast"
GLOBALS = "__globals"


class LoweringError(Exception):
    """A construct the lowering cannot translate; becomes an E901 or a clear message."""

    def __init__(self, message: str, span: Span | None) -> None:
        super().__init__(message)
        self.span = span


@attrs.define
class Loop:
    brk: ir.Block
    cont: ir.Block


@attrs.define
class ProgramContext:
    checked: CheckedProgram
    module: ir.Module
    spans: dict[ir.Instr, Span]
    names: dict[Symbol, str]  # user function symbol → IR/VM function name
    # Script variables that functions use: they live in one shared object, reached through
    # the `__globals` upvalue (the script's main sets it; functions list it as an upvalue).
    globals: set[Symbol] = attrs.Factory(set)
    upvalues: dict[str, list[str]] = attrs.Factory(dict)
    parents: dict[str, str] = attrs.Factory(dict)  # nested function → enclosing function
    # Variables a nested function uses from an enclosing one. They live in upvalue cells
    # (bytecode.md §1.4): the owner and the nested function both read them with get_upvalue
    # and write them with set_upvalue, and a direct call shares the caller's cells, so a
    # nested function's writes reach the owner. Closures capture copies (create_closure).
    captured: set[Symbol] = attrs.Factory(set)
    module_inits: list[ast.VarDecl] = attrs.Factory(list)  # imported modules' variables


class LowerBase:
    """Base of the lowering mixins (expressions, operators, calls, collections, statements)."""

    def __init__(self, pc: ProgramContext, fn: ir.Function, returns: T.Type) -> None:
        self.pc = pc
        self.checked = pc.checked
        self.b = SSABuilder(fn, pc.spans)
        self.returns = returns
        self.loops: list[Loop] = []
        self.aliases: dict[str, Hashable] = {}  # comprehension targets by name
        self.globals_obj: ir.Operand | None = None
        self.free: set[Symbol] = set()  # captured variables of enclosing functions
        # Cell variables held in SSA while a secret `if` is lowered (oblivious.py).
        self.cached_cells: set[Symbol] = set()

    # ------------------------------------------------------------------ facts
    def type_of(self, e: ast.Expr) -> T.Type:
        return self.checked.type_of(e)

    def symbol(self, node: ast.Node) -> Symbol | None:
        return self.checked.index.node_symbols.get(node)

    def fail(self, message: str, node: ast.Node) -> LoweringError:
        return LoweringError(message, node.span)

    # ------------------------------------------------------------------ values
    def coerce(self, value: ir.Operand, src: T.Type, dst: T.Type) -> ir.Operand:
        """Convert ``value`` (checker type ``src``) to ``dst`` as an assignment would."""
        want = ir_type(dst)
        have = value.type
        if isinstance(dst, T.Unknown | T.TypeVar) or want.kind == "any":
            return value
        if want.secret:
            if have.secret:
                return value
            if have.kind == "any" or have.kind == "nil":
                return self.b.value("share", [value], want) if have.kind != "nil" else value
            clear_want = want.as_clear() if want.kind != "share" else have
            value = self.convert(value, clear_want)
            if want.kind == "share":
                want = value.type.as_secret() if value.type.kind != "any" else want
            return self.b.value("share", [value], want)
        if have.secret:
            return value  # only `open` declassifies; a checker-accepted flow keeps the share
        return self.convert(value, want)

    def convert(self, value: ir.Operand, want: ir.Type) -> ir.Operand:
        """Clear numeric conversion (widening, int → float); constants are converted now."""
        have = value.type
        if have == want or not (have.is_numeric or have.kind == "bool") or not want.is_numeric:
            return value
        if isinstance(value, ir.Const):
            if want.kind == "f64":
                return ir.Const(float(value.value), want)  # type: ignore[arg-type]
            if want.is_int and isinstance(value.value, int):
                lo, hi = ir.int_bounds(want.kind)
                if lo <= value.value <= hi:
                    return ir.Const(int(value.value), want)
        return self.b.value("cast", [value], want)

    def literal_type(self, e: ast.Expr, fallback: T.Type) -> T.Type:
        t = self.type_of(e)
        return fallback if isinstance(t, T.Unknown) else t

    # ------------------------------------------------------------------ script globals
    def is_global(self, sym: Symbol) -> bool:
        return sym in self.pc.globals

    def global_object(self) -> ir.Operand:
        if self.globals_obj is None:
            raise LoweringError("internal: global variable used before its object exists", None)
        return self.globals_obj

    def read_global(self, sym: Symbol) -> ir.Operand:
        key = ir.Const(sym.name, ir.Type("string"))
        return self.b.value("getfield", [self.global_object(), key], ir_type(sym.type))

    def write_global(self, sym: Symbol, value: ir.Operand) -> None:
        key = ir.Const(sym.name, ir.Type("string"))
        self.b.emit("setfield", [self.global_object(), key, value])

    # ------------------------------------------------------------------ variables
    def in_cell(self, sym: Symbol) -> bool:
        """A variable shared with nested functions: its value is the upvalue cell's."""
        if sym in self.cached_cells:
            return False
        return sym in self.free or sym in self.pc.captured

    def read_var(self, sym: Symbol) -> ir.Operand:
        if self.is_global(sym):
            return self.read_global(sym)
        if self.in_cell(sym):
            # Read the cell each time: a nested function called since may have written it
            # (the read is ordered after calls by its effect flag).
            name = ir.Const(sym.name, ir.Type("string"))
            return self.b.value("builtin", [name], ir_type(sym.type), callee="get_upvalue",
                                effects=True)  # fmt: skip
        return self.b.read(sym)

    def write_var(self, sym: Symbol, value: ir.Operand) -> None:
        if self.is_global(sym):
            self.write_global(sym, value)
            return
        if sym not in self.b.var_types:
            self.b.declare(sym, ir_type(sym.type))
        self.b.write(sym, value)  # oblivious merging reads the SSA value of a branch
        if self.in_cell(sym):
            name = ir.Const(sym.name, ir.Type("string"))
            self.b.emit("builtin", [name, value], callee="set_upvalue", effects=True)
