"""Document formatting with the canonical formatter (``stoffel.compiler.fmt``).

A file with syntax errors is left alone (the formatter refuses it); the user sees
why in a message, and the diagnostics are already in the editor.
"""

from __future__ import annotations

import asyncio

from lsprotocol import types as lsp

from stoffel.compiler.fmt import format_source
from stoffel.lsp.feature import LanguageFeature
from stoffel.lsp.positions import to_position
from stoffel.lsp.server import StoffelLanguageServer


class Formatting(LanguageFeature):
    def register(self) -> None:
        server = self.server

        @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
        async def formatting(params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit] | None:
            uri = params.text_document.uri
            text = server.workspace.get_text_document(uri).source
            # The formatter parses on its own (no shared state): off the event loop.
            result = await asyncio.to_thread(format_source, text, server.path_of(uri))
            if result.text is None:
                first = result.diagnostics[0].message if result.diagnostics else "unknown error"
                server.window_show_message(
                    lsp.ShowMessageParams(
                        type=lsp.MessageType.Warning,
                        message=f"Stoffel: not formatted, the file has errors ({first})",
                    )
                )
                return None
            if result.text == text:
                return []
            lines = text.split("\n")
            end = to_position(lines, len(lines), len(lines[-1]) + 1)
            whole = lsp.Range(start=lsp.Position(line=0, character=0), end=end)
            return [lsp.TextEdit(range=whole, new_text=result.text)]


def setup(server: StoffelLanguageServer) -> None:
    server.add_feature(Formatting(server))
