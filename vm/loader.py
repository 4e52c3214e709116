"""Load a ``.stflb`` file: decode, deduplicate, verify, normalise frames, attach a source map.

``load_bytes``/``load_file`` return a :class:`LoadedProgram` or raise :class:`BytecodeError`;
they never leak a Python exception for bad input. Call resolution (which names exist) is given
by the caller, because builtins and registered native functions live in the interpreter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stoffel.vm.errors import BytecodeError
from stoffel.vm.isa import Function, Manifest, Program, decode
from stoffel.vm.sourcemap import SourceMap
from stoffel.vm.verifier import frame_size, verify_program

#: Refuse files larger than this outright (the format's own limits allow more, but no real
#: program comes near it and reading it would be the unbounded allocation we promise to avoid).
MAX_FILE_BYTES = 256 * 1024 * 1024


@dataclass(slots=True)
class LoadedProgram:
    program: Program
    functions: dict[str, Function]
    frame_sizes: dict[str, int]
    source_map: SourceMap | None = None

    @property
    def version(self) -> int:
        return self.program.version

    @property
    def constants(self) -> list[object]:
        return self.program.constants

    @property
    def manifest(self) -> Manifest | None:
        return self.program.manifest


def _default_resolves(functions: set[str]) -> Callable[[str], bool]:
    from stoffel.vm.builtins import builtin_names

    names = builtin_names()

    def resolves(name: str) -> bool:
        return name in functions or name in names or _method_exists(name, functions | names)

    return resolves


def _method_exists(name: str, names: set[str]) -> bool:
    # UFCS fallback: bare ``method`` may dispatch on the receiver's type to ``Type.method``.
    return "." not in name and any(n.endswith("." + name) for n in names)


def load_program(
    program: Program,
    resolves: Callable[[str], bool] | None = None,
    source_map: SourceMap | None = None,
) -> LoadedProgram:
    if resolves is None:
        resolves = _default_resolves({f.name for f in program.functions})
    functions = verify_program(program, resolves)
    sizes = {name: frame_size(fn) for name, fn in functions.items()}
    return LoadedProgram(program, functions, sizes, source_map)


def decode_program(data: bytes) -> Program:
    """:func:`decode`, with recursion trouble reported as a BytecodeError too."""
    try:
        return decode(data)
    except RecursionError:
        raise BytecodeError("function type metadata is nested too deeply") from None


def load_bytes(
    data: bytes,
    resolves: Callable[[str], bool] | None = None,
    source_map: SourceMap | None = None,
) -> LoadedProgram:
    return load_program(decode_program(data), resolves, source_map)


def load_file(path: str | Path, resolves: Callable[[str], bool] | None = None) -> LoadedProgram:
    """Load ``path`` and, when present, its ``path + '.map'`` source map."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise BytecodeError(f"cannot read {p}: {exc.strerror}") from None
    if size > MAX_FILE_BYTES:
        raise BytecodeError(f"{p}: file is larger than {MAX_FILE_BYTES} bytes")
    data = p.read_bytes()
    map_path = p.with_name(p.name + ".map")
    smap = SourceMap.read(map_path) if map_path.exists() else None
    return load_bytes(data, resolves, smap)
