"""Diagnostics: published on open and save at once, on change after a short debounce.

Each compiler ``Diagnostic`` becomes an LSP one with a 0-based UTF-16 range, its code
(``E101``…), the hint appended to the message, and its notes as related information.
For an implicit reveal the checker gives no note, so ``secret_notes`` adds one for every
secret variable in the offending expression ("declared secret here"). Problems in an
imported file are summarised at the ``import`` statement that brings it in.
"""

from __future__ import annotations

import asyncio
import os
from typing import Final

from lsprotocol import types as lsp
from pygls.uris import from_fs_path

from stoffel.compiler.diagnostics import Diagnostic, Severity
from stoffel.lsp.analysis import Analysis
from stoffel.lsp.feature import LanguageFeature
from stoffel.lsp.positions import to_range
from stoffel.lsp.server import StoffelLanguageServer

DEBOUNCE_SECONDS: Final[float] = 0.02
IDLE_FULL_CHECK_SECONDS: Final[float] = 0.5
_SEVERITY: Final[dict[Severity, lsp.DiagnosticSeverity]] = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.NOTE: lsp.DiagnosticSeverity.Information,
}


class Diagnostics(LanguageFeature):
    def __init__(self, server: StoffelLanguageServer) -> None:
        super().__init__(server)
        self._timers: dict[str, asyncio.Task[None]] = {}

    def document_opened(self, uri: str) -> None:
        self._schedule(uri, 0.0)

    def document_saved(self, uri: str) -> None:
        self._schedule(uri, 0.0)

    def document_changed(self, uri: str) -> None:
        self._schedule(uri, DEBOUNCE_SECONDS)
        # Open files that import this one see its unsaved text: re-check them too.
        changed = self.server.path_of(uri)
        for other in self.server.open_uris():
            latest = self.server.latest(other)
            if (
                other != uri
                and latest is not None
                and latest.compilation.program.module_of(changed) is not None
            ):
                self._schedule(other, DEBOUNCE_SECONDS)

    def files_changed(self) -> None:
        for uri in self.server.open_uris():
            self._schedule(uri, DEBOUNCE_SECONDS)

    def document_closed(self, uri: str) -> None:
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        self.server.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    def _schedule(self, uri: str, delay: float) -> None:
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        self._timers[uri] = asyncio.get_running_loop().create_task(self._publish(uri, delay))

    async def _publish(self, uri: str, delay: float) -> None:
        try:
            await self._publish_now(uri, delay)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # keep the server alive; say what went wrong
            self.server.window_log_message(
                lsp.LogMessageParams(
                    type=lsp.MessageType.Error,
                    message=f"stoffel-lsp: diagnostics failed for {uri}: "
                    f"{type(exc).__name__}: {exc}",
                )
            )

    async def _publish_now(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        if uri not in self.server.workspace.text_documents:
            return
        analysis = await self.server.diagnostics_analysis(uri)
        if not self._send(uri, analysis):
            return
        if analysis.quick:
            # The diagnostics came from re-checking the edited functions only. Once the
            # user pauses, check everything (completion and hover get fresh facts) and
            # republish if the full check disagrees.
            await asyncio.sleep(IDLE_FULL_CHECK_SECONDS)
            published = list(analysis.diagnostics_if_ready or [])
            analysis = await self.server.analysis(uri)
            if analysis.final_diagnostics != published:
                self._send(uri, analysis)
            await self.server.collect_garbage()

    def _send(self, uri: str, analysis: Analysis) -> bool:
        document = self.server.workspace.text_documents.get(uri)
        if document is None or document.version != analysis.version:
            return False  # a newer version is on its way
        self.server.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(
                uri=uri, version=analysis.version, diagnostics=to_lsp(analysis)
            )
        )
        return True


def to_lsp(analysis: Analysis) -> list[lsp.Diagnostic]:
    own: list[lsp.Diagnostic] = []
    elsewhere: dict[str, list[Diagnostic]] = {}
    for diagnostic in analysis.diagnostics:
        span = diagnostic.span
        if span is None or os.path.abspath(span.file) == analysis.path:
            own.append(convert(analysis, diagnostic))
        else:
            elsewhere.setdefault(os.path.abspath(span.file), []).append(diagnostic)
    own.extend(_import_summaries(analysis, elsewhere))
    return own


def convert(analysis: Analysis, diagnostic: Diagnostic) -> lsp.Diagnostic:
    span = diagnostic.span
    zero = lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0))
    related = [
        lsp.DiagnosticRelatedInformation(
            location=lsp.Location(
                uri=from_fs_path(os.path.abspath(note.span.file)) or note.span.file,
                range=to_range(analysis.lines_of(note.span.file), note.span),
            ),
            message=note.message,
        )
        for note in diagnostic.notes
        if note.span is not None
    ]
    message = diagnostic.message
    if diagnostic.hint:
        message += f"\nhint: {diagnostic.hint}"
    return lsp.Diagnostic(
        range=to_range(analysis.lines, span) if span is not None else zero,
        severity=_SEVERITY[diagnostic.severity],
        code=diagnostic.code.value,
        source="stoffel",
        message=message,
        related_information=related or None,
        data={"message": diagnostic.message, "hint": diagnostic.hint},
    )


def _import_summaries(
    analysis: Analysis, elsewhere: dict[str, list[Diagnostic]]
) -> list[lsp.Diagnostic]:
    program = analysis.compilation.program
    out: list[lsp.Diagnostic] = []
    for edge in program.entry.imports:
        problems = elsewhere.get(edge.target.path)
        errors = [d for d in problems or () if d.is_error]
        if not errors:
            continue
        first = errors[0]
        where = f"{os.path.basename(edge.target.path)}:{first.span.line}" if first.span else ""
        out.append(
            lsp.Diagnostic(
                range=to_range(analysis.lines, edge.node.span),
                severity=lsp.DiagnosticSeverity.Error,
                code=first.code.value,
                source="stoffel",
                message=f"Imported module '{edge.prefix}' has {len(errors)} error(s); "
                f"first: {first.message} ({where})",
            )
        )
    return out


def setup(server: StoffelLanguageServer) -> None:
    server.add_feature(Diagnostics(server))
