"""Completion: names in scope, keywords, members after ``.``, types after ``:``.

Completion must answer within a keystroke, so it never waits for a check: it uses the
newest finished analysis (maybe one edit old) and reads the context from the current
text. The checker's scopes give locals, parameters and globals; where the checker has
nothing for the position (a syntax error mid-typing), names declared in the tree
(``fallback_names``) fill in.
"""

from __future__ import annotations

import functools
import re
from typing import Final

from lsprotocol import types as lsp

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.builtins import load_builtins
from stoffel.compiler.resolve.symbols import TYPE_KINDS, Symbol, SymbolKind
from stoffel.compiler.syntax.tokens import KEYWORDS
from stoffel.compiler.types.compat import mismatch
from stoffel.compiler.types.types import HANDLE_NAMES, Obj, Type
from stoffel.lsp import describe
from stoffel.lsp.analysis import Analysis
from stoffel.lsp.feature import LanguageFeature
from stoffel.lsp.features.scope import fallback_names, resolve_receiver, visible
from stoffel.lsp.positions import from_position
from stoffel.lsp.server import StoffelLanguageServer

_MEMBER: Final[re.Pattern[str]] = re.compile(r"([A-Za-z_][\w.]*)\.(\w*)$")
_IN_DEF_PARAMS: Final[re.Pattern[str]] = re.compile(
    r"^\s*def\b[^(]*\([^)]*\w+\s*:\s*(?:secret\s+)?\w*$"
)
TYPE_NAMES: Final[tuple[str, ...]] = (
    "int64", "int32", "int16", "int8", "uint64", "uint32", "uint16", "uint8",
    "float", "fix64", "fix32", "bool", "string", "None", "bytes", "list", "dict", "secret",
    *HANDLE_NAMES,
)  # fmt: skip
EXTRA_KEYWORDS: Final[tuple[str, ...]] = ("assert", "match", "case")


class Completion(LanguageFeature):
    def register(self) -> None:
        server = self.server

        @server.feature(
            lsp.TEXT_DOCUMENT_COMPLETION,
            lsp.CompletionOptions(trigger_characters=[".", ":"]),
        )
        async def completion(params: lsp.CompletionParams) -> lsp.CompletionList | None:
            uri = params.text_document.uri
            # Never wait for the check of the current version: an older one will do.
            analysis = self.server.latest(uri) or await self.server.analysis(uri)
            return self.complete(params, analysis)

    def complete(
        self, params: lsp.CompletionParams, analysis: Analysis | None
    ) -> lsp.CompletionList | None:
        uri = params.text_document.uri
        document = self.server.workspace.get_text_document(uri)
        lines = document.source.split("\n")
        line, column = from_position(lines, params.position)
        prefix = lines[line - 1][: column - 1] if line <= len(lines) else ""
        if _in_comment_or_string(prefix):
            return None
        member = _MEMBER.search(prefix)
        if member is not None:
            items = members(analysis, member.group(1), line, column)
        elif _is_type_position(prefix):
            items = types(analysis, line, column)
        else:
            items = names(analysis, line, column)
        return lsp.CompletionList(is_incomplete=False, items=items)


def _in_comment_or_string(prefix: str) -> bool:
    quotes = 0
    for index, ch in enumerate(prefix):
        if ch == '"' and (index == 0 or prefix[index - 1] != "\\"):
            quotes += 1
        elif ch == "#" and quotes % 2 == 0:
            return True
    return quotes % 2 == 1


def _is_type_position(prefix: str) -> bool:
    """After ``var x:``, ``->``, a field ``name:`` line or a ``def`` parameter's ``:``."""
    annotation = r"\s*(?:secret\s+)?\w*$"
    if re.search(r"\bvar\s+\w+\s*:" + annotation, prefix) or re.search("->" + annotation, prefix):
        return True
    if _IN_DEF_PARAMS.search(prefix):
        return True
    if re.search(r"\b(?:list|dict)\[[^\]]*$", prefix):
        return True
    # `  name: T` alone on a line: an object field (a call's `name: v` has a `(` before).
    return bool(re.fullmatch(r"\s+\w+\s*:\s*(?:secret\s+)?\w*", prefix))


def _item(
    name: str, kind: lsp.CompletionItemKind, detail: str | None, rank: int
) -> lsp.CompletionItem:
    return lsp.CompletionItem(label=name, kind=kind, detail=detail, sort_text=f"{rank}{name}")


def _symbol_item(name: str, symbol: Symbol, rank: int) -> lsp.CompletionItem:
    kind = describe.COMPLETION_KINDS.get(symbol.kind, lsp.CompletionItemKind.Text)
    return _item(name, kind, describe.detail(symbol), rank)


def names(analysis: Analysis | None, line: int, column: int) -> list[lsp.CompletionItem]:
    items: dict[str, lsp.CompletionItem] = {}
    if analysis is not None:
        for name, symbol in visible(analysis, line, column).items():
            if name.startswith("<") or "." in name:
                continue
            rank = 0 if symbol.kind in (SymbolKind.VARIABLE, SymbolKind.PARAMETER) else 1
            if symbol.is_builtin:
                rank = 3
            items[name] = _symbol_item(name, symbol, rank)
        for name, kind, detail in fallback_names(analysis, line, column):
            if name not in items:
                items[name] = _item(
                    name, kind, detail, 0 if kind is lsp.CompletionItemKind.Variable else 1
                )
        for edge in analysis.compilation.program.entry.imports:
            items.setdefault(
                edge.prefix.split(".")[0],
                _item(
                    edge.prefix.split(".")[0],
                    lsp.CompletionItemKind.Module,
                    f"module {edge.prefix}",
                    2,
                ),
            )
    for name, item in _global_items().items():
        items.setdefault(name, item)
    return list(items.values())


@functools.cache
def _global_items() -> dict[str, lsp.CompletionItem]:
    """Builtins and keywords: the same for every request, so built once."""
    items: dict[str, lsp.CompletionItem] = {}
    for name, symbol in load_builtins().scope.names.items():
        if not name.startswith("<"):
            items[name] = _symbol_item(name, symbol, 3)
    for word in [*KEYWORDS, *EXTRA_KEYWORDS]:
        items.setdefault(word, _item(word, lsp.CompletionItemKind.Keyword, None, 4))
    return items


def types(analysis: Analysis | None, line: int, column: int) -> list[lsp.CompletionItem]:
    items = {
        name: _item(
            name,
            lsp.CompletionItemKind.Keyword if name == "secret" else lsp.CompletionItemKind.Class,
            None,
            1,
        )
        for name in TYPE_NAMES
    }
    if analysis is not None:
        for name, symbol in visible(analysis, line, column).items():
            if symbol.kind in TYPE_KINDS and not name.startswith("<"):
                items.setdefault(name, _symbol_item(name, symbol, 0))
        for stmt in analysis.module.body:
            if isinstance(stmt, ast.ObjectDef | ast.EnumDef | ast.TypeAlias):
                items.setdefault(
                    stmt.name, _item(stmt.name, lsp.CompletionItemKind.Struct, None, 0)
                )
    for name in load_builtins().objects:
        items.setdefault(name, _item(name, lsp.CompletionItemKind.Class, None, 2))
    return list(items.values())


def members(
    analysis: Analysis | None, receiver: str, line: int, column: int
) -> list[lsp.CompletionItem]:
    builtins = load_builtins()
    if receiver in builtins.objects:
        return [_symbol_item(n, s, 0) for n, s in builtins.objects[receiver].members.items()]
    if analysis is None:
        return []
    target = resolve_receiver(analysis, receiver, line, column)
    if isinstance(target, list):  # an imported module's exports
        return [_symbol_item(s.name, s, 0) for s in target]
    if target is None:
        return []
    if target.kind is SymbolKind.ENUM:
        return [_symbol_item(n, s, 0) for n, s in target.members.items()]
    return _value_members(analysis, target.type)


def _value_members(analysis: Analysis, receiver: Type) -> list[lsp.CompletionItem]:
    """Fields of an object, then functions callable on the value by UFCS."""
    items: dict[str, lsp.CompletionItem] = {}
    if isinstance(receiver, Obj):
        for symbol in analysis.checked.index.symbols:
            if symbol.kind is SymbolKind.OBJECT and symbol.name == receiver.name:
                for name, field in symbol.members.items():
                    items[name] = _symbol_item(name, field, 0)
    callables = [s for s in analysis.checked.index.symbols if s.kind is SymbolKind.FUNCTION]
    builtins = load_builtins()
    callables += [s for s in builtins.scope.names.values() if s.kind is SymbolKind.BUILTIN_FUNCTION]
    callables += (
        list(builtins.objects["Share"].members.values()) if "Share" in builtins.objects else []
    )
    for symbol in callables:
        signature = symbol.signature
        if signature is None or not signature.params or signature.params[0].variadic:
            continue
        if mismatch(receiver, signature.params[0].type) is None:
            items.setdefault(symbol.name, _symbol_item(symbol.name, symbol, 1))
    return list(items.values())


def setup(server: StoffelLanguageServer) -> None:
    server.add_feature(Completion(server))
