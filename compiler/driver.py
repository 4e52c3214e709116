"""The compilation driver: one ``Compilation`` per entry file, phases computed lazily.

    c = Compilation("prog.stfl", overlays={"/abs/lib.stfl": "unsaved text"})
    c.source       # SourceFile of the entry (``text``, else an overlay, else the disk)
    c.parsed       # ast.Module of the entry
    c.program      # resolve.modules.Program: every imported module, dependencies first
    c.checked      # check.facts.CheckedProgram: types, calls, symbols, effects...
    c.diagnostics  # every diagnostic of every phase and module, sorted, deduplicated

Nothing here raises for bad user input. A crash inside a phase (a compiler bug) becomes
an E901 diagnostic located where it happened, and later phases still run on what exists.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.facts import CheckedProgram
from stoffel.compiler.diagnostics import (
    Code,
    CompilerPanic,
    Diagnostic,
    StoffelError,
    syntax_error,
)
from stoffel.compiler.resolve.modules import ModuleInfo, Program, load_program
from stoffel.compiler.resolve.symbols import ResolutionIndex
from stoffel.compiler.source import SourceFile

_T = TypeVar("_T")


class Compilation:
    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        text: str | None = None,
        overlays: Mapping[str, str] | None = None,
    ) -> None:
        self.path = str(path)
        self.text = text
        self.overlays = {os.path.abspath(k): v for k, v in (overlays or {}).items()}
        self._problems: list[Diagnostic] = []  # unreadable entry file, compiler panics
        self._parses: dict[str, tuple[ast.Module, list[Diagnostic]]] = {}

    # ------------------------------------------------------------------ phases

    @cached_property
    def source(self) -> SourceFile:
        if self.text is not None:
            return SourceFile(self.path, self.text)
        overlay = self.overlays.get(os.path.abspath(self.path))
        if overlay is not None:
            return SourceFile(self.path, overlay)
        try:
            return SourceFile.read(self.path)
        except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
            empty = SourceFile(self.path, "")
            reason = getattr(exc, "strerror", None) or str(exc)
            self._problems.append(
                syntax_error(f"Cannot read file '{self.path}': {reason}", empty.span(0, 0))
            )
            return empty

    @cached_property
    def parsed(self) -> ast.Module:
        return self._parse(self.source)[0]

    @cached_property
    def program(self) -> Program:
        entry_module = self.parsed
        fallback = Program(
            ModuleInfo(os.path.abspath(self.path), "", self.source, entry_module), [], []
        )
        fallback.modules.append(fallback.entry)
        return self._guard(
            lambda: load_program(self.source, self.overlays, self._parse),
            fallback,
        )

    @cached_property
    def checked(self) -> CheckedProgram:
        from stoffel.compiler.check.checker import check_program

        program = self.program
        empty = CheckedProgram(modules=[m.module for m in program.modules], index=ResolutionIndex())

        def run() -> CheckedProgram:
            result, diagnostics = check_program(program)
            self._check_diagnostics = diagnostics
            return result

        self._check_diagnostics: list[Diagnostic] = []
        return self._guard(run, empty)

    @cached_property
    def diagnostics(self) -> list[Diagnostic]:
        program = self.program
        self.checked  # noqa: B018 - runs the checker, which records its diagnostics
        # Like upstream, a file with syntax errors gets no type or secrecy diagnostics:
        # recovery placeholders would only produce noise. (Types are still computed, so
        # the language server can hover and complete.)
        broken = {d.span.file for d in program.diagnostics if d.code is Code.SYNTAX and d.span}
        checks = [d for d in self._check_diagnostics if d.span is None or d.span.file not in broken]
        found = [*self._problems, *program.diagnostics, *checks]
        unique: list[Diagnostic] = []
        for diagnostic in found:
            if diagnostic not in unique:
                unique.append(diagnostic)
        return sorted(unique, key=_position)

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)

    # ----------------------------------------------------------------- helpers

    def _parse(self, source: SourceFile) -> tuple[ast.Module, list[Diagnostic]]:
        key = os.path.abspath(source.path)
        if key not in self._parses:
            from stoffel.compiler.syntax.parser import parse_module

            empty = ast.Module(span=source.span(0, len(source.text)), path=source.path, body=())

            def run() -> tuple[ast.Module, list[Diagnostic]]:
                result = parse_module(source)
                return result.module, list(result.diagnostics)

            self._parses[key] = self._guard(run, (empty, []), source)
        return self._parses[key]

    def _guard(self, run: Callable[[], _T], fallback: _T, source: SourceFile | None = None) -> _T:
        try:
            return run()
        except StoffelError as exc:
            self._problems.append(exc.diagnostic)
        except CompilerPanic as exc:
            self._problems.append(exc.to_diagnostic())
        except Exception as exc:  # a compiler bug: report it, never crash the caller
            where = (source or self.source).span(0, 0)
            self._problems.append(
                CompilerPanic(f"{type(exc).__name__}: {exc}", where).to_diagnostic()
            )
        return fallback


def _position(d: Diagnostic) -> tuple[str, int, int, str, str]:
    if d.span is None:
        return ("", 0, 0, d.code.value, d.message)
    return (d.span.file, d.span.line, d.span.column, d.code.value, d.message)


def check_file(path: str | Path) -> list[Diagnostic]:
    """All diagnostics of the program rooted at ``path``."""
    return Compilation(path).diagnostics
