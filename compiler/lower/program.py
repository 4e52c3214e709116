"""The whole program: one IR function per user ``def`` (generic ones once, with ``any``
types, since the VM is dynamically typed), and ``main`` — the user's, or the top-level
statements of a script without one (language.md §2.12)."""

from __future__ import annotations

import attrs

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.facts import CheckedProgram
from stoffel.compiler.lower.context import GLOBALS, ProgramContext
from stoffel.compiler.lower.oblivious import ObliviousLowering
from stoffel.compiler.lower.types import ir_type
from stoffel.compiler.lower.walk import walk
from stoffel.compiler.resolve.symbols import Symbol, SymbolKind
from stoffel.compiler.source import Span
from stoffel.compiler.ssa import ir
from stoffel.compiler.types import types as T

_STR = ir.Type("string")


class FunctionLowering(ObliviousLowering):
    """All the mixins together: one instance lowers one function."""


@attrs.define
class Lowered:
    module: ir.Module
    spans: dict[ir.Instr, Span]
    params: dict[str, list[str]] = attrs.Factory(dict)  # function → parameter names
    upvalues: dict[str, list[str]] = attrs.Factory(dict)  # function → upvalue names
    parents: dict[str, str] = attrs.Factory(dict)  # nested function → enclosing function


def lower_program(checked: CheckedProgram, entry: ast.Module | None = None) -> Lowered:
    module = ir.Module()
    spans: dict[ir.Instr, Span] = {}
    names = _function_names(checked)
    pc = ProgramContext(checked, module, spans, names)
    root = entry if entry is not None else (checked.modules[-1] if checked.modules else None)
    script = root if checked.main is None else None
    if script is not None:
        pc.globals = _script_globals(checked, script)
    # Top-level variables of imported modules: initialised once, before main's own code.
    imported = [m for m in checked.modules if root is None or m.path != root.path]
    pc.module_inits = [d for m in imported for d in m.body if isinstance(d, ast.VarDecl)]
    pc.globals |= {
        s for d in pc.module_inits if (s := checked.index.node_symbols.get(d)) is not None
    }
    _find_captures(pc)
    for sym, info in checked.functions.items():
        if info.node.body is None:
            continue
        _lower_function(pc, names[sym], info.node, sym)
    if script is not None:
        _lower_script(pc, script)
    order = {"main": 0}
    module.functions.sort(key=lambda f: (order.get(f.name, 1), f.name))
    params = {
        names[sym]: [p.name for p in info.node.params] for sym, info in checked.functions.items()
    }
    return Lowered(module, spans, params, pc.upvalues, pc.parents)


def _function_names(checked: CheckedProgram) -> dict[Symbol, str]:
    """VM names: the source name, module-qualified only when two modules share it."""
    names: dict[Symbol, str] = {}
    taken: dict[str, Symbol] = {}
    for sym in checked.functions:
        name = sym.name
        if name in taken and sym is not checked.main:
            stem = (sym.module or "m").rsplit("/", 1)[-1].removesuffix(".stfl")
            name = f"{stem}.{sym.name}"
        taken[name] = sym
        names[sym] = name
    return names


def _lower_function(pc: ProgramContext, name: str, node: ast.FunctionDef, sym: Symbol) -> None:
    sig = sym.signature
    returns = sig.returns if sig is not None else T.UNKNOWN
    ret_ir = ir_type(returns)
    fn = ir.Function(name, ret_type=None if ret_ir.kind == "nil" else ret_ir)
    pc.module.add(fn)
    low = FunctionLowering(pc, fn, returns)
    entry = low.b.new_block("entry")
    low.b.seal(entry)
    low.b.start(entry)
    low.b.span = node.span
    for i, param in enumerate(node.params):
        psym = pc.checked.index.node_symbols.get(param)
        t = psym.type if psym is not None else T.UNKNOWN
        if param.variadic:
            t = T.ListT(t) if not isinstance(t, T.ListT) else t
        var = ir.Var(f"p{i}", ir_type(t))
        fn.params.append(var)
        if psym is not None:
            low.b.declare(psym, var.type)
            low.write_var(psym, var)
        else:
            low.b.declare(("param", i), var.type)
            low.b.write(("param", i), var)
    assert node.body is not None
    # The entry function may not have upvalues (bytecode.md §1.3).
    low.free = set() if name == "main" else _free_variables(pc.checked, node) - pc.globals
    if low.free:
        pc.upvalues[name] = sorted({s.name for s in low.free})
    if name == "main":
        _prologue(low, pc)
    elif pc.globals and _uses(pc.checked, node.body, pc.globals):
        pc.upvalues[name] = [*pc.upvalues.get(name, []), GLOBALS]
        low.globals_obj = low.builtin("get_upvalue", [ir.Const(GLOBALS, _STR)], ir.Type("obj"))
    low.lower_block(node.body)
    _finish(low, fn)


def _lower_script(pc: ProgramContext, mod: ast.Module) -> None:
    fn = ir.Function("main", ret_type=None)
    pc.module.add(fn)
    low = FunctionLowering(pc, fn, T.VOID)
    entry = low.b.new_block("entry")
    low.b.seal(entry)
    low.b.start(entry)
    _prologue(low, pc)
    skip = (ast.FunctionDef, ast.ObjectDef, ast.EnumDef, ast.TypeAlias, ast.Import)
    low.lower_block(tuple(s for s in mod.body if not isinstance(s, skip)))
    _finish(low, fn)


def _prologue(low: FunctionLowering, pc: ProgramContext) -> None:
    """Main's first steps: the globals object, then imported modules' variables."""
    if not pc.globals:
        return
    low.globals_obj = low.builtin("create_object", [], ir.Type("obj"), effects=True)
    low.builtin("set_upvalue", [ir.Const(GLOBALS, _STR), low.globals_obj], None, True)
    for decl in pc.module_inits:
        low.lower_stmt(decl)


def _finish(low: FunctionLowering, fn: ir.Function) -> None:
    if low.b.reachable:
        low.b.span = None
        if fn.ret_type is None:
            low.b.ret(None)
        else:
            from stoffel.compiler.lower.types import zero_const

            zero = zero_const(fn.ret_type)
            value: ir.Operand = zero
            if fn.ret_type.secret and fn.ret_type.kind != "share":
                value = low.b.value("share", [zero], fn.ret_type)
            low.b.ret(value)
    low.b.finish()


def _script_globals(checked: CheckedProgram, script: ast.Module) -> set[Symbol]:
    """Top-level variables of a script that some function reads or writes."""
    symbols = checked.index.node_symbols
    top = {
        symbols[n]
        for n in walk(script.body, skip_defs=True)
        if isinstance(n, ast.VarDecl) and n in symbols
    }
    used: set[Symbol] = set()
    for info in checked.functions.values():
        if info.node.body is not None:
            used |= {s for s in _names(checked, info.node.body) if s in top}
    return used


def _names(checked: CheckedProgram, body: tuple[ast.Stmt, ...]) -> set[Symbol]:
    """Symbols named in ``body`` (bare, or module-qualified as ``m.x``)."""
    symbols = checked.index.node_symbols
    kinds = (ast.Name, ast.Attribute)
    return {symbols[n] for n in walk(body) if isinstance(n, kinds) and n in symbols}


def _uses(checked: CheckedProgram, body: tuple[ast.Stmt, ...], globals_: set[Symbol]) -> bool:
    return bool(_names(checked, body) & globals_)


def _free_variables(checked: CheckedProgram, node: ast.FunctionDef) -> set[Symbol]:
    """Variables and parameters a (nested) function uses but declares outside its own
    span (comprehension variables have no span and are always local)."""
    if node.body is None:
        return set()

    def outside(sym: Symbol) -> bool:
        span = sym.span
        if span is None:
            return False
        inside = span.file == node.span.file and node.span.start <= span.start < node.span.end
        return not inside

    kinds = (SymbolKind.VARIABLE, SymbolKind.PARAMETER)
    return {s for s in _names(checked, node.body) if s.kind in kinds and outside(s)}


def _find_captures(pc: ProgramContext) -> None:
    for sym, info in pc.checked.functions.items():
        if info.node.body is None:
            continue
        for inner in walk(info.node.body):
            if isinstance(inner, ast.FunctionDef) and inner is not info.node:
                free = _free_variables(pc.checked, inner) - pc.globals
                pc.captured |= free
                inner_sym = pc.checked.index.node_symbols.get(inner)
                if inner_sym is not None and inner_sym in pc.names:
                    pc.parents.setdefault(pc.names[inner_sym], pc.names[sym])
