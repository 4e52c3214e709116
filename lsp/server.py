"""The Stoffel language server: a pygls ``LanguageServer`` plus analysis scheduling.

Analyses run on one worker thread, one document version at a time, so that requests
answered from an existing analysis (completion above all) never wait behind a check.
``diagnostics_analysis(uri)`` computes just the current version's diagnostics (reusing
the previous version's, see ``fastcheck``); ``analysis(uri)`` the full check of the
current version; ``latest(uri)`` gives the newest fully checked one without waiting.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.source import SourceFile
from stoffel.lsp.analysis import Analysis
from stoffel.lsp.chunks import ChunkParser
from stoffel.lsp.feature import LanguageFeature

_Key = tuple[object, ...]
_F = TypeVar("_F", bound=LanguageFeature)


class StoffelLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("stoffel-lsp", "0.1.0")
        self.parser = ChunkParser()
        self.features: list[LanguageFeature] = []
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stoffel-analysis")
        self._analyses: dict[str, tuple[_Key, Analysis]] = {}
        self._finished: dict[str, Analysis] = {}  # newest fully checked, per document
        self._baselines: dict[str, Analysis] = {}  # newest with diagnostics, per document

    # ---------------------------------------------------------------- features

    def add_feature(self, feature: LanguageFeature) -> None:
        self.features.append(feature)
        feature.register()

    def get_feature(self, kind: type[_F]) -> _F:
        return next(f for f in self.features if isinstance(f, kind))

    # ---------------------------------------------------------------- analysis

    def path_of(self, uri: str) -> str:
        return os.path.abspath(to_fs_path(uri) or uri)

    def open_uris(self) -> list[str]:
        return list(self.workspace.text_documents)

    def _key(self, uri: str) -> _Key:
        # An analysis depends on its own text and on every other open (maybe unsaved)
        # document, which may be one of its imports.
        documents = self.workspace.text_documents
        return tuple(sorted((u, d.version, len(d.source)) for u, d in documents.items()))

    def _current(self, uri: str) -> Analysis:
        """The analysis object of the document's current text (created, not computed)."""
        key = self._key(uri)
        known = self._analyses.get(uri)
        if known is not None and known[0] == key:
            return known[1]
        document = self.workspace.get_text_document(uri)
        overlays = {
            self.path_of(u): d.source for u, d in self.workspace.text_documents.items() if u != uri
        }
        previous = self._baselines.get(uri)
        analysis = Analysis(
            uri,
            self.path_of(uri),
            document.version,
            document.source,
            overlays,
            self.parser,
            baseline=previous.baseline() if previous is not None else None,
        )
        self._analyses[uri] = (key, analysis)
        return analysis

    async def _run(self, work: Callable[[], None]) -> None:
        await asyncio.get_running_loop().run_in_executor(self._worker, work)

    async def diagnostics_analysis(self, uri: str) -> Analysis:
        """The current version with its diagnostics computed (quickly when possible)."""
        analysis = self._current(uri)
        await self._run(analysis.warm_diagnostics)
        self._baselines[uri] = analysis
        if not analysis.quick:
            self._finished[uri] = analysis
        return analysis

    async def analysis(self, uri: str) -> Analysis:
        """The current version, fully checked (computed if needed)."""
        analysis = self._current(uri)
        await self._run(analysis.warm)
        self._baselines[uri] = analysis
        self._finished[uri] = analysis
        return analysis

    async def parse(self, path: str, text: str) -> ast.Module:
        """Just the tree of ``text`` (outline, folding): no resolution, no check.

        Runs on the worker like every parse, because the chunk cache is not shared
        between threads."""
        source = SourceFile(path, text)
        return await asyncio.get_running_loop().run_in_executor(
            self._worker, lambda: self.parser.parse(source)[0]
        )

    async def collect_garbage(self) -> None:
        """A full collection, on the worker, while the user pauses (see ``create_server``)."""
        await self._run(gc.collect)

    async def analysis_of_file(self, path: str, text: str) -> Analysis:
        """An analysis of a file that is not open (for workspace-wide references)."""
        overlays = {self.path_of(u): d.source for u, d in self.workspace.text_documents.items()}
        uri = from_fs_path(path) or path
        analysis = Analysis(uri, path, None, text, overlays, self.parser)
        await self._run(analysis.warm)
        return analysis

    def latest(self, uri: str) -> Analysis | None:
        """The newest finished analysis of ``uri``, possibly of an older version."""
        return self._finished.get(uri)

    def invalidate(self) -> None:
        """Files on disk changed: no existing analysis may be reused or built upon."""
        self._analyses.clear()
        self._baselines.clear()

    def forget(self, uri: str) -> None:
        self._analyses.pop(uri, None)
        self._finished.pop(uri, None)
        self._baselines.pop(uri, None)


def create_server() -> StoffelLanguageServer:
    from stoffel.lsp.features import install

    # Analyses allocate many small objects; the default thresholds would run full
    # collections mid-keystroke. Long-lived start-up objects are frozen out of GC, and
    # full collections wait for a pause in typing (``collect_garbage``).
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 1_000)
    # Requests answered on the event loop (completion) must not wait long for the GIL
    # while the worker thread checks a document.
    sys.setswitchinterval(0.001)
    server = StoffelLanguageServer()
    install(server)
    return server
