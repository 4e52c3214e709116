"""One analysed version of a document: the compiler's phases, reused, never redone.

``Analysis`` wraps a driver ``Compilation`` of the document's text, with every other
open document passed as an overlay (unsaved imported files are what the user sees).
Parsing goes through the server-wide ``ChunkParser``, so unchanged top-level chunks —
and unchanged imported files — are not parsed again. Phases stay lazy, at two levels:

* ``warm_diagnostics`` — just what publishing diagnostics needs; with the previous
  version as a baseline this re-checks only the edited functions (``fastcheck``);
* ``warm`` — the full check, which hover, definition, rename… need.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cached_property

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.facts import CheckedProgram
from stoffel.compiler.diagnostics import Diagnostic
from stoffel.compiler.driver import Compilation
from stoffel.compiler.source import SourceFile
from stoffel.lsp.chunks import ChunkParser
from stoffel.lsp.fastcheck import Baseline, first_effects, quick_diagnostics
from stoffel.lsp.secret_notes import add_secret_notes


class EditorCompilation(Compilation):
    """The driver's compilation with parses served by a shared ``ChunkParser``.

    Overrides the driver's parse hook: the driver keeps a per-compilation parse table
    only, and the editor needs one that outlives a version.
    """

    def __init__(
        self, path: str, *, text: str, overlays: Mapping[str, str], parser: ChunkParser
    ) -> None:
        super().__init__(path, text=text, overlays=overlays)
        self._chunk_parser = parser

    def _parse(self, source: SourceFile) -> tuple[ast.Module, list[Diagnostic]]:
        key = os.path.abspath(source.path)
        if key not in self._parses:
            empty = ast.Module(span=source.span(0, len(source.text)), path=source.path, body=())
            self._parses[key] = self._guard(
                lambda: self._chunk_parser.parse(source), (empty, []), source
            )
        return self._parses[key]


class Analysis:
    def __init__(
        self,
        uri: str,
        path: str,
        version: int | None,
        text: str,
        overlays: Mapping[str, str],
        parser: ChunkParser,
        baseline: Baseline | None = None,
    ) -> None:
        self.uri = uri
        self.path = os.path.abspath(path)
        self.version = version
        self.text = text
        self.compilation = EditorCompilation(self.path, text=text, overlays=overlays, parser=parser)
        self._baseline = baseline
        # Set by ``warm_diagnostics`` (quickly) or ``warm`` (fully).
        self.final_diagnostics: list[Diagnostic] | None = None
        self.effect_free: dict[ast.FunctionDef, bool] = {}
        self.first_effect: dict[str, str] = {}
        self.quick = False  # True when the diagnostics came from the reduced check

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @property
    def module(self) -> ast.Module:
        return self.compilation.parsed

    @property
    def checked(self) -> CheckedProgram:
        return self.compilation.checked

    @property
    def diagnostics(self) -> list[Diagnostic]:
        if self.final_diagnostics is None:
            self.warm()
        assert self.final_diagnostics is not None
        return self.final_diagnostics

    @property
    def diagnostics_if_ready(self) -> list[Diagnostic] | None:
        return self.final_diagnostics

    def lines_of(self, path: str) -> list[str]:
        """The lines of any file of the program (this document, an import, else disk)."""
        path = os.path.abspath(path)
        if path == self.path:
            return self.lines
        info = self.compilation.program.module_of(path)
        if info is not None:
            return info.source.text.split("\n")
        overlay = self.compilation.overlays.get(path)
        if overlay is not None:
            return overlay.split("\n")
        try:
            return SourceFile.read(path).text.split("\n")
        except OSError:
            return [""]

    def module_of(self, path: str) -> ast.Module | None:
        info = self.compilation.program.module_of(path)
        return info.module if info is not None else None

    # ------------------------------------------------------------ computing

    def warm_diagnostics(self) -> None:
        """Compute the diagnostics, re-checking only what changed when possible."""
        if self.final_diagnostics is not None:
            return
        if self._baseline is not None:
            try:
                quick = quick_diagnostics(self._baseline, self.compilation, self.lines)
            except Exception:  # an optimisation must never cost the user diagnostics
                quick = None
            if quick is not None:
                fresh = quick.diagnostics
                if quick.checked is not None:
                    fresh = add_secret_notes(fresh, quick.checked, [self.module])
                self.final_diagnostics = fresh
                self.effect_free = quick.effect_free
                self.first_effect = quick.first_effect
                self.quick = True
                self._baseline = None  # not needed any more; let it be collected
                return
        self.warm()

    def warm(self) -> None:
        """Run every phase (in the worker thread, so requests find them done)."""
        checked = self.compilation.checked
        found = self.compilation.diagnostics
        if self.final_diagnostics is None or self.quick:
            modules = [m.module for m in self.compilation.program.modules]
            self.final_diagnostics = add_secret_notes(found, checked, modules)
            self.quick = False
            entry = set(map(id, self.module.body))
            self.effect_free = {
                info.node: info.effect_free
                for info in checked.functions.values()
                if id(info.node) in entry
            }
            self.first_effect = first_effects(checked, self.module)
        self._baseline = None

    def baseline(self) -> Baseline | None:
        if self.final_diagnostics is None:
            return None
        return Baseline(
            module=self.module,
            lines=self.lines,
            diagnostics=tuple(self.final_diagnostics),
            effect_free=self.effect_free,
            first_effect=self.first_effect,
            overlays=self.compilation.overlays,
        )
