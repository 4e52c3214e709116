"""Feature objects (esbonio style, STYLE §3.3): one job each, wired by the server.

A feature registers the LSP methods it answers in ``register`` and may react to
document events; the server owns the LSP registration of those events (``sync``) and
fans them out to every feature, so no two features fight over ``didChange``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stoffel.lsp.server import StoffelLanguageServer


class LanguageFeature:
    def __init__(self, server: StoffelLanguageServer) -> None:
        self.server = server

    def register(self) -> None:
        """Register this feature's LSP methods with ``self.server``."""

    def document_opened(self, uri: str) -> None:
        """A document was opened (its text is in the workspace)."""

    def document_changed(self, uri: str) -> None:
        """A document's text changed (already applied to the workspace)."""

    def document_saved(self, uri: str) -> None:
        """A document was saved."""

    def document_closed(self, uri: str) -> None:
        """A document was closed."""

    def files_changed(self) -> None:
        """Files changed on disk (``workspace/didChangeWatchedFiles``)."""
