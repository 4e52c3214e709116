"""The Python SDK surface (DESIGN §6 "The Python SDK mirrors the CLI").

    import stoffel
    program = stoffel.compile("prog.stfl", opt_level=2)        # or source text
    result = program.run(inputs={"n": 10}, client_inputs={0: [5]}, backend="clear")
    result.result, result.printed, result.outputs, result.stats

Run-time failures raise :class:`RunError` (message, StoffelLang location, short call stack,
what was printed before the failure); compile errors raise :class:`CompileError`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from stoffel.compiler.codegen.api import CompiledProgram, CompileFailed, compile_program
from stoffel.compiler.diagnostics import Diagnostic
from stoffel.compiler.types import types as T
from stoffel.runtime.backend import from_field_signed
from stoffel.vm.errors import VMError
from stoffel.vm.format import format_value
from stoffel.vm.values import KIND_BY_SUFFIX, ArrayRef, IntV, ObjectRef, Pending, SecretVal

__all__ = ["CompileError", "Program", "RunError", "RunResult", "compile", "load"]


class CompileError(Exception):
    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        errors = [d for d in diagnostics if d.is_error]
        super().__init__(errors[0].message if errors else "compilation failed")
        self.diagnostics = diagnostics


@attrs.define
class Frame:
    function: str
    file: str | None
    line: int | None
    column: int | None


class RunError(Exception):
    def __init__(
        self,
        message: str,
        kind: str = "runtime",
        frames: Sequence[Frame] = (),
        printed: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.frames = list(frames)
        self.printed = list(printed)

    @property
    def location(self) -> Frame | None:
        return next((f for f in self.frames if f.line is not None), None)


@attrs.define
class RunResult:
    result: Any  # JSON-like Python value (ints, floats, bools, str, lists, dicts, None)
    result_text: str | None  # print format, None when main returned None
    printed: list[str]
    outputs: dict[str, list[Any]]
    stats: dict[str, Any]
    backend: str = "clear"


def compile(path_or_source: str | os.PathLike[str], opt_level: int = 2) -> Program:
    """Compile a ``.stfl`` file (a path) or StoffelLang source text."""
    text: str | None = None
    path = Path(path_or_source)
    if isinstance(path_or_source, str) and ("\n" in path_or_source or path.suffix != ".stfl"):
        text = path_or_source
        path = Path(tempfile.gettempdir()) / "<source>.stfl"
    try:
        compiled = compile_program(path, opt_level, text=text)
    except CompileFailed as exc:
        raise CompileError(exc.diagnostics) from None
    return Program(compiled)


def load(path: str | os.PathLike[str]) -> Program:
    """A compiled ``.stflb`` (with its ``.stflb.map`` beside it, if present)."""
    from stoffel.vm.errors import BytecodeError
    from stoffel.vm.isa import decode
    from stoffel.vm.sourcemap import SourceMap

    try:
        data = Path(path).read_bytes()
        decoded = decode(data)
        map_path = Path(str(path) + ".map")
        source_map = SourceMap.read(map_path) if map_path.is_file() else None
    except (OSError, BytecodeError) as exc:
        raise RunError(f"cannot load '{path}': {exc}", kind="usage") from None
    return Program(None, binary=data, decoded=decoded, source_map=source_map)


class Program:
    """A compiled program: from :func:`compile` (``compiled`` set) or :func:`load`."""

    def __init__(
        self,
        compiled: CompiledProgram | None,
        *,
        binary: bytes | None = None,
        decoded: Any = None,
        source_map: Any = None,
    ) -> None:
        self.compiled = compiled
        self._binary = compiled.binary if compiled is not None else binary or b""
        self.decoded = compiled.program if compiled is not None else decoded
        self.source_map = compiled.source_map if compiled is not None else source_map

    @property
    def binary(self) -> bytes:
        return self._binary

    def main_params(self) -> list[tuple[str, T.Type]]:
        if self.compiled is None:
            main = next((f for f in self.decoded.functions if f.name == "main"), None)
            if main is None:
                return []
            types = main.param_types or [None] * len(main.params)
            return [(n, _checker_type(t)) for n, t in zip(main.params, types, strict=True)]
        checked = self.compiled.compilation.checked
        if checked.main is None or checked.main.signature is None:
            return []
        return [(p.name, p.type) for p in checked.main.signature.params]

    def touches_secrets(self) -> bool:
        if self.compiled is None:
            return any(
                (ins.op.name == "CALL" and str(ins.args[0]).startswith(_SECRET_PREFIXES))
                or (ins.op.name != "CALL" and any(type(a) is int and a >= 16 for a in ins.args))
                for fn in self.decoded.functions
                for ins in fn.instructions
            )
        for fn in self.compiled.module.functions:
            if any(p.type.secret for p in fn.params):
                return True
            for inst in fn.instrs():
                if (inst.result is not None and inst.result.type.secret) or (
                    inst.callee or ""
                ).startswith(_SECRET_PREFIXES):
                    return True
        return False

    def run(
        self,
        inputs: Mapping[str, Any] | None = None,
        client_inputs: Mapping[int, Sequence[int]] | None = None,
        backend: str | None = None,
        parties: int = 5,
        threshold: int = 1,
        *,
        trace: Callable[[str], None] | None = None,
        echo: Callable[[str], None] | None = None,
    ) -> RunResult:
        args = self._arguments(dict(inputs or {}))  # raises RunError(kind="usage")
        chosen = backend or default_backend(self)
        return execute(
            self,
            args,
            {int(k): list(v) for k, v in (client_inputs or {}).items()},
            chosen,
            parties,
            threshold,
            trace=trace,
            echo=echo,
        )

    def _arguments(self, inputs: dict[str, Any]) -> list[Any]:
        params = self.main_params()
        missing = [name for name, _ in params if name not in inputs]
        unknown = sorted(set(inputs) - {name for name, _ in params})
        if unknown:
            raise RunError(f"main has no parameter '{unknown[0]}'", kind="usage")
        if missing:
            raise RunError(
                f"missing input for main's parameter '{missing[0]}' (give --input "
                f"{missing[0]}=VALUE)",
                kind="usage",
            )
        out = []
        for name, t in params:
            try:
                out.append(to_vm_argument(inputs[name], t))
            except (TypeError, ValueError) as exc:
                raise RunError(f"input '{name}': {exc}", kind="usage") from None
        return out


_SECRET_PREFIXES = ("Share.", "ClientStore.", "MpcOutput.")


def _checker_type(t: Any) -> T.Type:
    """A checker type from STFL function type metadata (to convert ``--input`` values)."""
    from stoffel.vm.isa import TypeTag

    if t is None:
        return T.UNKNOWN
    if t.tag is TypeTag.INT:
        return T.Int(t.bits, t.signed)
    if t.tag is TypeTag.SECRET:
        return T.secret_of(_checker_type(t.args[0]))
    if t.tag is TypeTag.LIST:
        return T.ListT(_checker_type(t.args[0]))
    simple = {TypeTag.FLOAT: T.FLOAT, TypeTag.FIX64: T.FIX64, TypeTag.BOOL: T.BOOL}
    return {**simple, TypeTag.STRING: T.STRING}.get(t.tag, T.UNKNOWN)


def default_backend(program: Program) -> str:
    """`local` when the program touches secrets and the local backend is available."""
    if not program.touches_secrets():
        return "clear"
    try:
        from stoffel.runtime.backends.local import create_local_run  # noqa: F401
    except ImportError:
        return "clear"
    return "local"


# ---------------------------------------------------------------------------------- values
def to_vm_argument(value: Any, t: T.Type) -> Any:
    """A Python value as the VM value of checker type ``t`` (a secret is passed clear; the
    callee's move into a secret register shares it)."""
    inner = T.clear(t)
    if isinstance(inner, T.Int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected an integer for {t}, got {value!r}")
        if not inner.min <= value <= inner.max:
            raise ValueError(f"{value} does not fit {inner}")
        if inner.bits == 64 and inner.signed:
            return value
        return IntV(value, KIND_BY_SUFFIX[f"{'i' if inner.signed else 'u'}{inner.bits}"])
    if isinstance(inner, T.Float | T.Fix):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"expected a number for {t}, got {value!r}")
        return float(value)
    if isinstance(inner, T.Bool):
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false for {t}, got {value!r}")
        return value
    if isinstance(inner, T.String):
        if not isinstance(value, str):
            raise ValueError(f"expected a string for {t}, got {value!r}")
        return value
    if isinstance(inner, T.ListT):
        if not isinstance(value, list):
            raise ValueError(f"expected a list for {t}, got {value!r}")
        return ArrayRef([to_vm_argument(v, inner.elem) for v in value])
    return value


def to_json(v: Any) -> Any:
    """DESIGN §6 JSON values: numbers, bools, strings, arrays, objects, null."""
    if type(v) is Pending:
        v = v.get()
    if type(v) is IntV:
        return v.value
    if type(v) is ArrayRef:
        return [to_json(x) for x in v.items]
    if type(v) is ObjectRef:
        return {str(k): to_json(x) for k, x in v.fields.items() if k != "__type"}
    if type(v) is SecretVal:
        return format_value(v)
    if v is None or type(v) in (int, float, bool, str):
        return v
    return format_value(v)


#: Extra VM natives for every VM the SDK starts. Empty: conversions (``__cast``) are a VM
#: builtin now, so binaries run on any host; kept for callers that pass ``natives=NATIVES``.
NATIVES: dict[str, Callable[[Any, list[Any]], Any]] = {}


# ---------------------------------------------------------------------------------- running
def _frames(exc: VMError) -> list[Frame]:
    out = []
    for f in exc.stack:
        loc = f.location
        out.append(
            Frame(
                f.function,
                loc.file if loc else None,
                loc.line if loc else None,
                loc.column if loc else None,
            )
        )
    return out


def _run_vm(
    program: Program,
    backend: Any,
    args: list[Any],
    trace: Callable[[str], None] | None,
    echo: Callable[[str], None] | None,
) -> tuple[Any, list[str], Any]:
    from stoffel.vm.interpreter import VM

    hooks = None
    if trace is not None:
        from stoffel.vm.disasm import format_instruction
        from stoffel.vm.hooks import Hooks

        hooks = Hooks()
        consts = program.decoded.constants
        hooks.instruction.append(
            lambda fn, pc, ins: trace(f"{fn}@{pc}: {format_instruction(ins, consts)}")
        )
    vm = VM(
        program.binary,
        backend=backend,
        natives=NATIVES,
        hooks=hooks,
        source_map=program.source_map,
        echo=echo,
    )
    try:
        value = vm.reveal(vm.run("main", args))
    except VMError as exc:
        raise RunError(exc.message, "runtime", _frames(exc), vm.printed) from None
    return value, vm.printed, vm


def execute(
    program: Program,
    args: list[Any],
    client_inputs: dict[int, list[int]],
    backend: str,
    parties: int,
    threshold: int,
    *,
    trace: Callable[[str], None] | None = None,
    echo: Callable[[str], None] | None = None,
) -> RunResult:
    if parties < 2 * threshold + 1 or threshold < 0:
        raise RunError(
            f"n = {parties} parties need n >= 2t+1 = {2 * threshold + 1} for threshold "
            f"t = {threshold}",
            kind="usage",
        )
    if backend == "clear":
        from stoffel.runtime.backends.clear import ClearBackend

        be = ClearBackend(n_parties=parties, threshold=threshold, client_inputs=client_inputs)
        value, printed, _vm = _run_vm(program, be, args, trace, echo)
        outputs = {
            str(c): [from_field_signed(x, be.modulus) for x in xs]
            for c, xs in be.client_outputs().items()
        }
        return _result(value, printed, outputs, be.stats.as_dict())
    if backend == "local":
        result = _execute_local(program, args, client_inputs, parties, threshold, trace, echo)
        result.backend = "local"
        return result
    raise RunError(f"backend '{backend}' is not available (use clear or local)", kind="usage")


def _execute_local(
    program: Program,
    args: list[Any],
    client_inputs: dict[int, list[int]],
    parties: int,
    threshold: int,
    trace: Callable[[str], None] | None,
    echo: Callable[[str], None] | None,
) -> RunResult:
    from stoffel.runtime.backends.local import create_local_run

    run = create_local_run(n_parties=parties, threshold=threshold, client_inputs=client_inputs)
    try:

        def party(be: Any) -> tuple[Any, list[str], dict[str, Any]] | RunError:
            first = be is run.backends[0]
            try:
                value, printed, _vm = _run_vm(
                    program, be, list(args), trace if first else None, echo if first else None
                )
            except RunError as exc:
                return exc
            return value, printed, be.stats.as_dict()

        results = run.run_parties(party)
    finally:
        run.close()
    for r in results:
        if isinstance(r, RunError):
            raise r
    values = [format_value(r[0]) for r in results]  # type: ignore[index]
    if len(set(values)) != 1:
        raise RunError(f"parties disagree on the result: {values}")
    value, printed, stats = results[0]  # type: ignore[misc]
    outputs = {
        str(c): [
            from_field_signed(x, run.backends[0].modulus) if isinstance(x, int) else x
            for x in cs.outputs
        ]
        for c, cs in sorted(run.cluster.clients.items())
        if cs.outputs
    }
    return _result(value, printed, outputs, stats)


def _result(
    value: Any, printed: list[str], outputs: dict[str, list[Any]], stats: dict[str, Any]
) -> RunResult:
    text = None if value is None else format_value(value)
    return RunResult(to_json(value), text, list(printed), outputs, stats)
