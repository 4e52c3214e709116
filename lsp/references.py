"""Where a symbol is used, across every file that can see it.

A document's own program (it and what it imports) holds its references, but a
library's functions are used by the files that import it, which the library's
program does not contain. So the files that may import the defining file — open
documents, and workspace files whose text imports it — are analysed too, and their
references to the same definition (same file, name and position) are merged in.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from pygls.uris import from_fs_path, to_fs_path

from stoffel.compiler.resolve.symbols import Reference, Symbol
from stoffel.compiler.source import Span
from stoffel.lsp.analysis import Analysis

if TYPE_CHECKING:
    from stoffel.lsp.server import StoffelLanguageServer

_MAX_WORKSPACE_FILES = 500


def identity(symbol: Symbol) -> tuple[str, str, int, int] | None:
    if symbol.span is None:
        return None
    return (os.path.abspath(symbol.span.file), symbol.name, symbol.span.line, symbol.span.column)


def workspace_files(server: StoffelLanguageServer) -> Iterator[str]:
    roots = [to_fs_path(f.uri) for f in server.workspace.folders.values()]
    if not roots and server.workspace.root_uri:
        roots = [to_fs_path(server.workspace.root_uri)]
    count = 0
    for root in roots:
        if root is None:
            continue
        for path in sorted(Path(root).rglob("*.stfl")):
            if any(part.startswith(".") or part == "node_modules" for part in path.parts):
                continue
            yield str(path.resolve())
            count += 1
            if count >= _MAX_WORKSPACE_FILES:
                return


async def related_analyses(
    server: StoffelLanguageServer, origin: Analysis, defined_in: str
) -> list[Analysis]:
    """Analyses of other files that may import ``defined_in``."""
    stem = re.escape(Path(defined_in).stem)
    imports = re.compile(rf"^\s*import\s+.*\b{stem}\b", re.MULTILINE)
    found: list[Analysis] = []
    seen = {origin.path}
    for uri in server.open_uris():
        path = server.path_of(uri)
        if path not in seen:
            seen.add(path)
            found.append(await server.analysis(uri))
    for path in workspace_files(server):
        if path in seen:
            continue
        seen.add(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError:
            continue
        if imports.search(text):
            found.append(await server.analysis_of_file(path, text))
    return found


async def all_references(
    server: StoffelLanguageServer, analysis: Analysis, symbol: Symbol
) -> list[Reference]:
    refs = list(analysis.checked.index.references(symbol))
    key = identity(symbol)
    if key is None:
        return refs
    for other in await related_analyses(server, analysis, key[0]):
        for candidate in other.checked.index.symbols:
            if identity(candidate) == key:
                refs.extend(other.checked.index.references(candidate))
                break
    unique: dict[tuple[str, int, int], Reference] = {}
    for ref in refs:
        unique.setdefault((os.path.abspath(ref.span.file), ref.span.line, ref.span.column), ref)
    return list(unique.values())


def uri_of(span: Span) -> str:
    return from_fs_path(os.path.abspath(span.file)) or span.file
