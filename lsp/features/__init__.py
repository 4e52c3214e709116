"""Every feature of the server; ``install`` wires them in."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stoffel.lsp.server import StoffelLanguageServer


def install(server: StoffelLanguageServer) -> None:
    from stoffel.lsp.features import (
        code_actions,
        completion,
        diagnostics,
        folding,
        formatting,
        hover,
        navigation,
        rename,
        semantic_tokens,
        signature_help,
        symbols,
        sync,
    )

    for module in (
        sync,
        diagnostics,
        code_actions,
        completion,
        hover,
        signature_help,
        navigation,
        rename,
        symbols,
        semantic_tokens,
        formatting,
        folding,
    ):
        module.setup(server)
