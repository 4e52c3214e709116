"""Signature help: the signature of the call the cursor is in, with the active argument.

The call is found in the current text (the innermost unclosed ``(``), the callee from
the newest analysis: user functions, builtins, ``Obj.method``, module-qualified
functions, UFCS calls (the receiver fills the first parameter) and constructors.
"""

from __future__ import annotations

import re
from typing import Final

from lsprotocol import types as lsp

from stoffel.compiler.check.builtins import load_builtins
from stoffel.compiler.resolve.symbols import Signature, Symbol, SymbolKind
from stoffel.compiler.types.types import ListT, is_secret, is_unknown
from stoffel.lsp.analysis import Analysis
from stoffel.lsp.feature import LanguageFeature
from stoffel.lsp.features.scope import lookup, module_exports, resolve_receiver
from stoffel.lsp.positions import from_position
from stoffel.lsp.server import StoffelLanguageServer

_CALLEE: Final[re.Pattern[str]] = re.compile(r"([A-Za-z_][\w.]*)\s*$")


class SignatureHelp(LanguageFeature):
    def register(self) -> None:
        @self.server.feature(
            lsp.TEXT_DOCUMENT_SIGNATURE_HELP,
            lsp.SignatureHelpOptions(trigger_characters=["(", ","], retrigger_characters=[","]),
        )
        async def signature_help(params: lsp.SignatureHelpParams) -> lsp.SignatureHelp | None:
            uri = params.text_document.uri
            analysis = self.server.latest(uri) or await self.server.analysis(uri)
            text = self.server.workspace.get_text_document(uri).source
            lines = text.split("\n")
            line, column = from_position(lines, params.position)
            before = "\n".join([*lines[: line - 1], lines[line - 1][: column - 1]])
            return help_for(analysis, before, line, column)


def open_call(before: str) -> tuple[str, int] | None:
    """(callee text, index of the active argument) of the innermost unclosed call."""
    depth, commas = 0, 0
    in_string = False
    for index in range(len(before) - 1, -1, -1):
        ch = before[index]
        if ch == '"':
            in_string = not in_string
        if in_string:
            continue
        if ch in ")]}":
            depth += 1
        elif ch in "([{":
            if depth == 0:
                if ch != "(":
                    return None
                match = _CALLEE.search(before[:index])
                return (match.group(1), commas) if match else None
            depth -= 1
        elif ch == "," and depth == 0:
            commas += 1
    return None


def help_for(analysis: Analysis, before: str, line: int, column: int) -> lsp.SignatureHelp | None:
    found = open_call(before)
    if found is None:
        return None
    callee, active = found
    resolved = resolve_callee(analysis, callee, line, column)
    if resolved is None:
        return None
    label, params, shift = resolved
    information = lsp.SignatureInformation(
        label=label,
        parameters=[lsp.ParameterInformation(label=p) for p in params],
    )
    active += shift
    if params and active >= len(params) and params[-1].startswith("*"):
        active = len(params) - 1
    return lsp.SignatureHelp(signatures=[information], active_signature=0, active_parameter=active)


def _from_signature(name: str, signature: Signature) -> tuple[str, list[str]]:
    params = []
    for param in signature.params:
        shown = param.type
        if param.variadic and isinstance(shown, ListT):
            shown = shown.elem  # `*xs: T` is a list[T] inside the body only
        text = ("*" if param.variadic else "") + param.name
        params.append(text if is_unknown(shown) else f"{text}: {shown}")
    return f"{name}({', '.join(params)}) -> {signature.returns}", params


def _receiver_method(
    analysis: Analysis, receiver: str, name: str, line: int, column: int
) -> Symbol | None:
    target = resolve_receiver(analysis, receiver, line, column)
    if not isinstance(target, Symbol):
        return None
    objects = load_builtins().objects
    owner = "Share" if is_secret(target.type) else getattr(target.type, "name", None)
    if owner not in objects:
        return None
    return objects[owner].members.get(name)


def resolve_callee(
    analysis: Analysis, callee: str, line: int, column: int
) -> tuple[str, list[str], int] | None:
    builtins = load_builtins()
    head, _, last = callee.rpartition(".")
    symbol: Symbol | None = None
    shift = 0
    if head and head in builtins.objects:
        symbol = builtins.objects[head].members.get(last)
    elif head:
        edge = next(
            (e for e in analysis.compilation.program.entry.imports if e.prefix == head), None
        )
        if edge is not None:
            symbol = next(
                (s for s in module_exports(analysis, edge.target.path) if s.name == last), None
            )
        else:  # UFCS: `x.f(a)` is `f(x, a)`, or a method bound to a Share receiver
            symbol = _receiver_method(analysis, head, last, line, column)
            symbol = (
                symbol or lookup(analysis, last, line, column) or builtins.scope.names.get(last)
            )
            shift = 1
    else:
        symbol = lookup(analysis, callee, line, column) or builtins.scope.names.get(callee)
    if symbol is None:
        return None
    if symbol.kind is SymbolKind.OBJECT:
        fields = [f"{n}: {f.type}" for n, f in symbol.members.items()]
        return f"{symbol.name}({', '.join(fields)})", fields, 0
    if symbol.signature is None:
        return None
    label, params = _from_signature(symbol.qualified_name, symbol.signature)
    return label, params, shift


def setup(server: StoffelLanguageServer) -> None:
    server.add_feature(SignatureHelp(server))
