"""The Stoffel language server: a pygls ``LanguageServer`` plus analysis scheduling.

Analyses run on one worker thread, one document version at a time, so that requests
answered from an existing analysis (completion above all) never wait behind a check.
``analysis(uri)`` gives the analysis of the document's current version (computing it
if needed); ``latest(uri)`` gives the newest finished one without waiting.
"""

from __future__ import annotations

import asyncio
import gc
import os
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

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
        self._analyses: dict[str, tuple[_Key, Analysis, asyncio.Future[None]]] = {}
        self._finished: dict[str, Analysis] = {}

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

    def _start(self, uri: str) -> tuple[Analysis, asyncio.Future[None]]:
        key = self._key(uri)
        known = self._analyses.get(uri)
        if known is not None and known[0] == key:
            return known[1], known[2]
        document = self.workspace.get_text_document(uri)
        overlays = {
            self.path_of(u): d.source for u, d in self.workspace.text_documents.items() if u != uri
        }
        analysis = Analysis(
            uri, self.path_of(uri), document.version, document.source, overlays, self.parser
        )
        future = asyncio.get_running_loop().run_in_executor(self._worker, analysis.warm)
        future.add_done_callback(lambda _: self._finished.__setitem__(uri, analysis))
        self._analyses[uri] = (key, analysis, future)
        return analysis, future

    async def analysis(self, uri: str) -> Analysis:
        """The analysis of the document's current text (computed if needed)."""
        analysis, future = self._start(uri)
        await asyncio.shield(future)
        return analysis

    async def analysis_of_file(self, path: str, text: str) -> Analysis:
        """An analysis of a file that is not open (for workspace-wide references)."""
        overlays = {self.path_of(u): d.source for u, d in self.workspace.text_documents.items()}
        uri = from_fs_path(path) or path
        analysis = Analysis(uri, path, None, text, overlays, self.parser)
        await asyncio.get_running_loop().run_in_executor(self._worker, analysis.warm)
        return analysis

    def latest(self, uri: str) -> Analysis | None:
        """The newest finished analysis of ``uri``, possibly of an older version."""
        return self._finished.get(uri)

    def forget(self, uri: str) -> None:
        self._analyses.pop(uri, None)
        self._finished.pop(uri, None)


def create_server() -> StoffelLanguageServer:
    from stoffel.lsp.features import install

    # Analyses allocate many small objects; the default thresholds would run full
    # collections mid-keystroke. Long-lived start-up objects are frozen out of GC.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    server = StoffelLanguageServer()
    install(server)
    return server
