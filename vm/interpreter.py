"""The register VM: loads a verified program, compiles it to Python once, runs an entry point.

Semantics are DESIGN §4 / spec/bytecode.md §1–§2; the per-function translation is in
:mod:`stoffel.vm.codegen`, clear slow paths in :mod:`stoffel.vm.arith`, secrets and their
batching in :mod:`stoffel.vm.secrets`, builtins in ``builtins*.py``.

Conventions worth knowing:
* ``LD dst, off`` reads the *current* frame's argument stack (what this frame has PUSHARGed and
  not yet passed to a CALL); ``off = 0`` is the top.
* ``CALL`` resolves, in order: a program function, a builtin or registered native, then
  runtime UFCS dispatch of a bare ``method`` to ``<receiver type>.method``.
* Shares written into clear registers stay shares; only a secret→clear ``MOV`` (or an open
  builtin) reveals, and the revealed value stays pending until something reads it.
"""

from __future__ import annotations

import bisect
import random
import sys
import textwrap
import types
from collections.abc import Callable, Sequence
from typing import Any

from stoffel.runtime.backend import SECRET_INT64, MpcBackend, ShareType
from stoffel.vm.arith import arith, bitwise, compare, fault, not_op
from stoffel.vm.builtins import BUILTINS
from stoffel.vm.cfg import blocks, stack_maybe_nonempty
from stoffel.vm.codegen import CallTarget, GenContext, generate, needs_upvalue_frame
from stoffel.vm.errors import MAX_RECORDED_FRAMES, BytecodeError, FrameInfo, VMError
from stoffel.vm.format import runtime_type
from stoffel.vm.hooks import Hooks
from stoffel.vm.isa import SECRET_REGISTER_START, Program
from stoffel.vm.loader import LoadedProgram, decode_program, load_program
from stoffel.vm.loops import ARRAY_BUILTINS, returns_int
from stoffel.vm.secrets import Scheduler
from stoffel.vm.sourcemap import SourceMap
from stoffel.vm.values import ArrayRef, Pending, SecretVal, deep_unwrap

Native = Callable[[Any, list[Any]], Any]
#: Python frames per VM call are one, so this is (roughly) the VM's maximum call depth.
RECURSION_LIMIT = 20_000
DEFAULT_BUDGET = 1 << 62
#: Lines the ``_wrap`` factory puts before each generated function.
_WRAP_LINES = 3


def _attach(e: VMError, pc: int) -> VMError:
    if getattr(e, "fault_pc", -1) < 0 and not e.stack:
        e.fault_pc = pc  # type: ignore[attr-defined]
    return e


class VM:
    def __init__(
        self,
        program: LoadedProgram | Program | bytes,
        *,
        backend: MpcBackend | None = None,
        natives: dict[str, Native] | None = None,
        hooks: Hooks | None = None,
        budget: int | None = None,
        source_map: SourceMap | None = None,
        echo: Callable[[str], None] | None = None,
        max_array: int = 1 << 24,
    ) -> None:
        if backend is None:
            from stoffel.runtime.backends.clear import ClearBackend

            backend = ClearBackend()
        self.backend = backend
        self.sched = Scheduler(backend)
        self.builtins: dict[str, Native] = {**BUILTINS, **(natives or {})}
        self.hooks = hooks if hooks is not None and hooks.active() else None
        self.budget = DEFAULT_BUDGET if budget is None else budget
        self.echo = echo
        self.max_array = max_array  # size limit for arrays built by builtins
        self.printed: list[str] = []
        self.local_storage: dict[str, Any] = {}
        self.rng = random.Random(0)
        # The executed-instruction count: a closure cell every generated function shares as
        # its free variable ``_N`` (updating a cell is cheaper than a global or attribute).
        self._count = types.CellType(0)
        self._ns: dict[str, Any] = {}
        self._ups: list[dict[str, Any]] = []
        self._root_ups: dict[str, Any] = {}
        self._closure_ups: dict[str, Any] | None = None
        if isinstance(program, LoadedProgram):
            source_map = source_map or program.source_map
            program = program.program
        if isinstance(program, bytes | bytearray):
            program = decode_program(bytes(program))
        names = {f.name for f in program.functions}
        self.loaded = load_program(program, self._resolver(names), source_map)
        self.functions = self.loaded.functions
        self.source_map = self.loaded.source_map
        self._compile()

    # ------------------------------------------------------------------ loading
    def _resolver(self, names: set[str]) -> Callable[[str], bool]:
        def resolves(name: str) -> bool:
            if name in names or name in self.builtins:
                return True
            # UFCS fallback: a bare method name that some ``Type.method`` provides.
            return "." not in name and any(n.endswith("." + name) for n in (*names, *self.builtins))

        return resolves

    def _compile(self) -> None:
        ns: dict[str, Any] = self._namespace()
        self._ns = ns
        symbols = {name: f"F{i}" for i, name in enumerate(self.functions)}
        builtin_syms: dict[str, str] = {}
        constants = self.loaded.constants

        def constant_expr(index: int) -> str:
            v = constants[index]
            if (
                v is None
                or type(v) in (int, bool, str)
                or (type(v) is float and v == v and abs(v) != float("inf"))
            ):
                return repr(v)
            sym = f"_K{index}"
            ns[sym] = v
            return sym

        def resolve(name: str) -> CallTarget:
            if name in self.functions:
                return CallTarget("function", symbols[name], len(self.functions[name].params))
            if name in self.builtins:
                if name not in builtin_syms:
                    builtin_syms[name] = sym = f"_B{len(builtin_syms)}"
                    ns[sym] = self.builtins[name]
                return CallTarget(
                    "builtin", builtin_syms[name], inline=self.builtins[name] is BUILTINS.get(name)
                )
            return CallTarget("method", name)

        # Int specialisation: a function with clear parameters gets a second variant that
        # assumes they hold plain ints (no type tests on them); its generic variant forwards
        # int arguments there. ``ret_int`` (optimistic fixpoint) marks variants that always
        # return an int, which makes their callers' results known ints as well.
        spec_syms = {
            name: (f"{symbols[name]}s" if _clear_params(fn) else symbols[name])
            for name, fn in self.functions.items()
        }
        ret_int = {name: True for name in self.functions}

        def call_int(name: str, flags: list[bool]) -> bool:
            fn = self.functions.get(name)
            if fn is not None:
                return ret_int[name] and len(flags) == len(fn.params) and all(flags)
            return name in _INT_BUILTINS and self.builtins.get(name) is BUILTINS.get(name)

        def call_array(name: str) -> bool:
            return name in ARRAY_BUILTINS and self.builtins.get(name) is BUILTINS.get(name)

        def safe_call(name: str) -> bool:
            target = resolve(name)
            return target.kind == "function" or (target.kind == "builtin" and target.inline)

        changed = True
        while changed:
            changed = False
            for name, fn in self.functions.items():
                if ret_int[name] and not function_returns_int(fn, constants, call_int):
                    ret_int[name] = False
                    changed = True

        sources = []
        self._line_pcs: dict[str, tuple[list[int], list[int]]] = {}
        variants = []
        for name, fn in self.functions.items():
            has_spec = _clear_params(fn) and self.hooks is None
            if has_spec:
                variants.append((name, fn, spec_syms[name], True, None))
            guard = spec_syms[name] if has_spec else None
            variants.append((name, fn, symbols[name], not _clear_params(fn), guard))
        for name, fn, sym, spec, guard in variants:
            ctx = GenContext(
                name,
                sym,
                resolve,
                constant_expr,
                lambda i: type(constants[i]) is int,
                constants,
                hooks=self.hooks is not None,
                budget=self.budget,
                spec=spec and self.hooks is None,
                call_int=call_int,
                spec_symbol=(lambda n: spec_syms[n]) if self.hooks is None else (lambda n: None),
                call_array=call_array,
                safe_call=safe_call,
                guard_symbol=guard,
            )
            src, code, table = self._compile_function(name, ctx, fn)
            ns[sym] = self._bind_counter(code, ns)
            sources.append(src)
            self._line_pcs[sym] = ([ln for ln, _ in table], [pc for _, pc in table])
        self.source = "".join(sources)
        self._entries = {name: ns[sym] for name, sym in symbols.items()}
        self._needs_u = {name: needs_upvalue_frame(fn) for name, fn in self.functions.items()}

    def _compile_function(
        self, name: str, ctx: GenContext, fn: Any
    ) -> tuple[str, Any, list[tuple[int, int]]]:
        """Generate and compile one function variant; fall back to flat dispatch if Python
        refuses the structured form (too many nested blocks), and report a function too large
        for Python as a BytecodeError rather than a crash."""
        last: Exception | None = None
        for structured in (True, False):
            ctx.lines = []
            ctx.line_pcs = []
            try:
                src = generate(fn, ctx, structured)
            except Exception as exc:  # a generator bug must not surface as a traceback
                raise BytecodeError(f"internal error compiling function '{name}': {exc!r}") from exc
            # Wrapped in a factory so that ``_N`` is a closure variable (see _bind_counter);
            # the wrapper adds _WRAP_LINES lines before the function.
            body = textwrap.indent(src, "    ")
            # ``global``: a recursive call must find the function by its global name, not
            # as another variable of the factory.
            head = f"def _wrap():\n    global {ctx.symbol}\n    _N = 0\n"
            wrapped = f"{head}{body}    return {ctx.symbol}\n"
            try:
                code = compile(wrapped, f"<stoffel-vm {name}>", "exec")
            except (SyntaxError, RecursionError, MemoryError, ValueError) as exc:
                last = exc
                continue
            table = sorted((line + _WRAP_LINES, pc) for line, pc in ctx.line_pcs)
            return src, code, table
        raise BytecodeError(f"function '{name}' is too complex to load ({last})")

    def _bind_counter(self, code: Any, ns: dict[str, Any]) -> Callable[..., Any]:
        """The generated function in ``code`` (a ``_wrap`` factory), rebuilt so that its
        ``_N`` is this VM's shared counter cell."""
        exec(code, ns)
        fn = ns.pop("_wrap")()
        inner = fn.__code__
        assert inner.co_freevars in ((), ("_N",)), inner.co_freevars
        cells = (self._count,) if inner.co_freevars else None
        return types.FunctionType(inner, ns, inner.co_name, fn.__defaults__, cells)

    def _namespace(self) -> dict[str, Any]:
        sched = self.sched
        count = self._count

        def make_arith(op: str) -> Callable[[Any, Any, int], Any]:
            def slow(a: Any, b: Any, pc: int) -> Any:
                try:
                    if type(a) is Pending:
                        a = a.get()
                    if type(b) is Pending:
                        b = b.get()
                    if type(a) is SecretVal or type(b) is SecretVal:
                        return sched.arith(op, a, b, pc)
                    return arith(op, a, b, pc)
                except VMError as e:
                    raise _attach(e, pc) from None

            return slow

        def make_bitwise(op: str) -> Callable[[Any, Any, int], Any]:
            def slow(a: Any, b: Any, pc: int) -> Any:
                try:
                    if type(a) is Pending:
                        a = a.get()
                    if type(b) is Pending:
                        b = b.get()
                    if type(a) is SecretVal or type(b) is SecretVal:
                        if op in ("SHL", "SHR"):
                            raise fault(f"{op} is not supported on secret values", pc)
                        return sched.logic(op, a, b, pc)
                    return bitwise(op, a, b, pc)
                except VMError as e:
                    raise _attach(e, pc) from None

            return slow

        def not_(a: Any, pc: int) -> Any:
            try:
                if type(a) is Pending:
                    a = a.get()
                if type(a) is SecretVal:
                    return sched.not_(a, pc)
                return not_op(a, pc)
            except VMError as e:
                raise _attach(e, pc) from None

        def cmp(a: Any, b: Any, pc: int) -> int:
            try:
                return compare(a, b, pc)
            except VMError as e:
                raise _attach(e, pc) from None

        def tosec(v: Any, pc: int) -> Any:
            try:
                return sched.constant(v, pc)
            except VMError as e:
                raise _attach(e, pc) from None

        def reveal(v: Any, pc: int) -> Any:
            return sched.reveal(v) if type(v) is SecretVal else v

        def ovf(op: str, pc: int) -> None:
            raise fault(f"Integer overflow in {op} operation", pc)

        def ld(stack: list[Any], off: int, pc: int) -> Any:
            i = len(stack) - 1 + off
            if not 0 <= i < len(stack):
                raise fault(
                    f"LD: argument stack offset {off} out of range (depth {len(stack)})", pc
                )
            return stack[i]

        def lds(spill: dict[int, Any] | None, slot: int, pc: int) -> Any:
            if spill is None or slot not in spill:
                raise fault(f"LDS: spill slot {slot} is empty", pc)
            return spill[slot]

        def budget() -> None:
            raise VMError(f"Instruction budget of {self.budget} exceeded")

        def tick(n: int) -> int:
            count.cell_contents += n
            if count.cell_contents > self.budget:
                budget()
            return 0

        ns: dict[str, Any] = {
            "_SV": SecretVal,
            "_tosec": tosec,
            "_reveal": reveal,
            "_cmp": cmp,
            "_NOT": not_,
            "_ovf": ovf,
            "_ld": ld,
            "_lds": lds,
            "_budget": budget,
            "_tick": tick,
            "_AR": ArrayRef,
            "_UPS": self._ups,
            "_vm": self,
            "_H": self.hooks,
            "_I": {name: fn.instructions for name, fn in self.functions.items()},
            "_callv": lambda name, args: self.call_function(name, list(args)),
            "_callb": lambda fn, args: fn(self, list(args)),
            "_dispatch": self._dispatch,
            "_unwind": self._unwind,
        }
        for op in ("ADD", "SUB", "MUL", "DIV", "MOD"):
            ns["_" + op] = make_arith(op)
        for op in ("AND", "OR", "XOR", "SHL", "SHR"):
            ns["_" + op] = make_bitwise(op)
        return ns

    # ------------------------------------------------------------------ calls and frames
    def call_function(
        self, name: str, args: Sequence[Any], upvalues: dict[str, Any] | None = None
    ) -> Any:
        entry = self._entries.get(name)
        if entry is None:
            builtin = self.builtins.get(name)
            if builtin is None:
                raise VMError(f"Function '{name}' not found")
            return builtin(self, list(args))
        n_params = len(self.functions[name].params)
        if len(args) != n_params:
            raise VMError(f"Function '{name}' expects {n_params} argument(s), got {len(args)}")
        if upvalues is not None and self._needs_u[name]:
            self._closure_ups = upvalues
        if self.hooks is not None:
            self.hooks.call_event(name, list(args))
        return entry(*args)

    def _dispatch(self, name: str, args: list[Any]) -> Any:
        if not args:
            raise VMError(f"Function '{name}' not found")
        target = f"{runtime_type(args[0])}.{name}"
        if target in self.functions or target in self.builtins:
            return self.call_function(target, list(args))
        raise VMError(f"No method '{name}' for type '{runtime_type(args[0])}'")

    def enter_upvalues(self, name: str, names: tuple[str, ...]) -> dict[str, Any]:
        ups, self._closure_ups = self._closure_ups, None
        if ups is None:
            ups = {n: self.lookup_upvalue(n) for n in names}
        return ups

    def lookup_upvalue(self, name: str) -> Any:
        for frame in reversed(self._ups):
            if name in frame:
                return frame[name]
        return self._root_ups.get(name)

    def current_upvalues(self) -> dict[str, Any]:
        return self._ups[-1] if self._ups else self._root_ups

    def _pc_of(self, function: str, e: BaseException) -> int:
        """The instruction index where ``e`` left ``function``'s generated code.

        Generated code does not track the pc at run time (that would cost on every
        instruction); the traceback's line number in the function's frame maps back to it.
        """
        tb = e.__traceback__
        symbol = tb.tb_frame.f_code.co_name if tb is not None else ""
        lines, pcs = self._line_pcs.get(symbol, ([], []))
        if tb is None or not lines:
            return -1
        i = bisect.bisect_right(lines, tb.tb_lineno) - 1
        return pcs[i] if i >= 0 else pcs[0]

    def _unwind(self, e: BaseException, function: str) -> VMError:
        pc = self._pc_of(function, e)
        if not isinstance(e, VMError):
            if isinstance(e, RecursionError):
                e = VMError("Stack overflow: call depth exceeded")
            elif isinstance(e, MemoryError):
                e = VMError("Out of memory")
            elif isinstance(e, IndexError):
                e = VMError("Index out of bounds")
            else:
                e = VMError(f"internal VM error: {type(e).__name__}: {e}")
        if not e.stack and pc < 0:
            pc = getattr(e, "fault_pc", -1)
        if len(e.stack) < MAX_RECORDED_FRAMES:
            loc = self.source_map.lookup(function, pc) if self.source_map else None
            e.stack.append(FrameInfo(function, pc, loc))
        return e

    # ------------------------------------------------------------------ running
    def emit_line(self, line: str) -> None:
        self.printed.append(line)
        if self.echo is not None:
            self.echo(line)

    def client_input_type(self, client: int, index: int) -> ShareType:
        manifest = self.loaded.manifest
        if manifest is not None:
            for c in manifest.clients:
                if c.slot == client and 0 <= index < len(c.inputs):
                    return c.inputs[index]
        return SECRET_INT64

    def run(self, entry: str = "main", args: Sequence[Any] = ()) -> Any:
        """Run ``entry``; flush all pending secret work; return the (clear or share) result."""
        fn = self.functions.get(entry)
        if fn is None:
            raise VMError(f"Entry function '{entry}' not found")
        if fn.upvalues:
            raise VMError(f"Entry function '{entry}' may not have upvalues")
        self._count.cell_contents = 0
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old, RECURSION_LIMIT))
        try:
            result = self.call_function(entry, list(args))
            self.sched.flush()
            return deep_unwrap(result)
        except RecursionError:
            raise VMError("Stack overflow: call depth exceeded") from None
        finally:
            sys.setrecursionlimit(old)
            self.sched.pending = []
            self.backend.stats.instructions = self._count.cell_contents

    def reveal(self, value: Any) -> Any:
        """Open a share result (the CLI reveals a secret result at the end)."""
        if type(value) is not SecretVal:
            return value
        pending = self.sched.reveal(value)
        self.sched.flush()
        return pending.get()

    @property
    def stats(self) -> Any:
        return self.backend.stats


#: Builtins whose result is always an int64 (when they return at all).
_INT_BUILTINS = frozenset({"len", "array_length"})


def _clear_params(fn: Any) -> bool:
    """Does the function have parameters landing in clear registers?"""
    return len(fn.params) > 0


def function_returns_int(fn: Any, constants: list[Any], call_int: Any) -> bool:
    starts, block_of = blocks(fn)
    ends = [*starts[1:], len(fn.instructions)]
    if not fn.instructions:
        return False
    maybe = stack_maybe_nonempty(fn, starts, block_of)
    entry = set(range(min(len(fn.params), SECRET_REGISTER_START)))
    return returns_int(fn, starts, ends, block_of, constants, entry, maybe, call_int)
