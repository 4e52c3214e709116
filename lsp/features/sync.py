"""Document synchronisation: incremental ``didChange`` (pygls applies the edits to the
workspace), then every feature hears about the event; the same for changes of files on
disk reported by the editor's file watcher."""

from __future__ import annotations

from lsprotocol import types as lsp

from stoffel.lsp.feature import LanguageFeature
from stoffel.lsp.server import StoffelLanguageServer


class DocumentSync(LanguageFeature):
    def register(self) -> None:
        server = self.server

        @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
        def did_open(params: lsp.DidOpenTextDocumentParams) -> None:
            for feature in server.features:
                feature.document_opened(params.text_document.uri)

        @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
        def did_change(params: lsp.DidChangeTextDocumentParams) -> None:
            for feature in server.features:
                feature.document_changed(params.text_document.uri)

        @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
        def did_save(params: lsp.DidSaveTextDocumentParams) -> None:
            for feature in server.features:
                feature.document_saved(params.text_document.uri)

        @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
        def did_change_watched_files(params: lsp.DidChangeWatchedFilesParams) -> None:
            # A file that is not open (an import, usually) changed on disk: analyses of
            # open documents may depend on it.
            server.invalidate()
            for feature in server.features:
                feature.files_changed()

        @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
        def did_close(params: lsp.DidCloseTextDocumentParams) -> None:
            for feature in server.features:
                feature.document_closed(params.text_document.uri)
            server.forget(params.text_document.uri)


def setup(server: StoffelLanguageServer) -> None:
    server.add_feature(DocumentSync(server))
