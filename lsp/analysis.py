"""One analysed version of a document: the compiler's phases, reused, never redone.

``Analysis`` wraps a driver ``Compilation`` of the document's text, with every other
open document passed as an overlay (unsaved imported files are what the user sees).
Parsing goes through the server-wide ``ChunkParser``, so unchanged top-level chunks —
and unchanged imported files — are not parsed again. Phases stay lazy: document
symbols and folding only touch ``parsed``; hover and completion need ``checked``.
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
    ) -> None:
        self.uri = uri
        self.path = os.path.abspath(path)
        self.version = version
        self.text = text
        self.compilation = EditorCompilation(self.path, text=text, overlays=overlays, parser=parser)

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
        return self.compilation.diagnostics

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

    def warm(self) -> None:
        """Run every phase (in the worker thread, so requests find them done)."""
        self.compilation.diagnostics  # noqa: B018 - computes parse, resolve and check
