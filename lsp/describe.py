"""How symbols and types are shown to the user (hover, completion details, signatures)."""

from __future__ import annotations

from typing import Final

from lsprotocol import types as lsp

from stoffel.compiler.resolve.symbols import Signature, Symbol, SymbolKind
from stoffel.compiler.types.types import Type, Unknown, is_secret

COMPLETION_KINDS: Final[dict[SymbolKind, lsp.CompletionItemKind]] = {
    SymbolKind.VARIABLE: lsp.CompletionItemKind.Variable,
    SymbolKind.PARAMETER: lsp.CompletionItemKind.Variable,
    SymbolKind.FUNCTION: lsp.CompletionItemKind.Function,
    SymbolKind.BUILTIN_FUNCTION: lsp.CompletionItemKind.Function,
    SymbolKind.BUILTIN_METHOD: lsp.CompletionItemKind.Method,
    SymbolKind.OBJECT: lsp.CompletionItemKind.Struct,
    SymbolKind.FIELD: lsp.CompletionItemKind.Field,
    SymbolKind.ENUM: lsp.CompletionItemKind.Enum,
    SymbolKind.ENUM_MEMBER: lsp.CompletionItemKind.EnumMember,
    SymbolKind.TYPE_ALIAS: lsp.CompletionItemKind.TypeParameter,
    SymbolKind.BUILTIN_TYPE: lsp.CompletionItemKind.Class,
    SymbolKind.BUILTIN_OBJECT: lsp.CompletionItemKind.Module,
    SymbolKind.MODULE: lsp.CompletionItemKind.Module,
    SymbolKind.TYPE_PARAM: lsp.CompletionItemKind.TypeParameter,
}


def secrecy(t: Type) -> str:
    if isinstance(t, Unknown):
        return "unknown secrecy"
    return "secret" if is_secret(t) else "clear"


def signature_label(name: str, signature: Signature) -> str:
    return f"{name}{signature}"


def detail(symbol: Symbol) -> str:
    """One line: ``def f(a: int64) -> int64``, ``var x: secret int64``, ``object P``…"""
    kind = symbol.kind
    if symbol.signature is not None:
        return f"def {signature_label(symbol.qualified_name, symbol.signature)}"
    if kind in (SymbolKind.VARIABLE, SymbolKind.PARAMETER, SymbolKind.FIELD):
        keyword = {SymbolKind.VARIABLE: "var ", SymbolKind.PARAMETER: "param "}.get(kind, "")
        return f"{keyword}{symbol.qualified_name}: {symbol.type}"
    if kind is SymbolKind.ENUM_MEMBER:
        value = f" = {symbol.value}" if symbol.value is not None else ""
        return f"{symbol.qualified_name}{value}"
    if kind is SymbolKind.TYPE_ALIAS:
        return f"type {symbol.name} = {symbol.type}"
    return f"{kind.value} {symbol.name}"
