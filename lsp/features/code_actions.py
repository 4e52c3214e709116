"""Quick fixes for the diagnostics that have an obvious repair:

* an implicit reveal → wrap the expression in ``.reveal()``;
* ``Did you mean 'x'?`` → use the suggested name;
* a function missing a ``return`` on some path → add one at the end of its body,
  returning the zero value of its return type.

Each fix works from the diagnostic the client sends back (its ``data`` carries the
compiler's message and hint) and the current analysis.
"""

from __future__ import annotations

import re
from typing import Any, Final

from lsprotocol import types as lsp

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.types.types import (
    Bool,
    DictT,
    Fix,
    Float,
    Int,
    ListT,
    Nil,
    Secret,
    String,
    Type,
)
from stoffel.lsp.analysis import Analysis
from stoffel.lsp.feature import LanguageFeature
from stoffel.lsp.positions import from_position, to_position
from stoffel.lsp.secret_notes import REVEAL_PREFIX
from stoffel.lsp.server import StoffelLanguageServer

_SUGGESTION: Final[re.Pattern[str]] = re.compile(r"Did you mean '([^']+)'\?")
_QUOTED: Final[re.Pattern[str]] = re.compile(r"'([^']+)'")
_POSTFIX: Final[re.Pattern[str]] = re.compile(r"[\w.]+(?:\([^()]*\)|\[[^\[\]]*\])*")
_MISSING_RETURN: Final[str] = "but not all paths return a value"


class CodeActions(LanguageFeature):
    def register(self) -> None:
        server = self.server

        @server.feature(
            lsp.TEXT_DOCUMENT_CODE_ACTION,
            lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
        )
        async def code_action(params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
            uri = params.text_document.uri
            analysis = await server.analysis(uri)
            actions: list[lsp.CodeAction] = []
            for diagnostic in params.context.diagnostics:
                if diagnostic.source != "stoffel":
                    continue
                actions.extend(fixes(analysis, diagnostic))
            return actions or None


def _data(diagnostic: lsp.Diagnostic) -> tuple[str, str]:
    data: Any = diagnostic.data if isinstance(diagnostic.data, dict) else {}
    message = data.get("message") or diagnostic.message.split("\n")[0]
    return message, data.get("hint") or ""


def fixes(analysis: Analysis, diagnostic: lsp.Diagnostic) -> list[lsp.CodeAction]:
    message, hint = _data(diagnostic)
    found: list[lsp.CodeAction] = []
    if message.startswith(REVEAL_PREFIX):
        found.append(_reveal(analysis, diagnostic))
    suggestion = _SUGGESTION.search(hint) or _SUGGESTION.search(message)
    if suggestion is not None:
        action = _rename_to(analysis, diagnostic, message, suggestion.group(1))
        if action is not None:
            found.append(action)
    if _MISSING_RETURN in message:
        action = _add_return(analysis, diagnostic)
        if action is not None:
            found.append(action)
    return found


def _action(
    title: str, analysis: Analysis, diagnostic: lsp.Diagnostic, edits: list[lsp.TextEdit]
) -> lsp.CodeAction:
    return lsp.CodeAction(
        title=title,
        kind=lsp.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        is_preferred=True,
        edit=lsp.WorkspaceEdit(changes={analysis.uri: edits}),
    )


def _text(analysis: Analysis, rng: lsp.Range) -> str:
    start = from_position(analysis.lines, rng.start)
    end = from_position(analysis.lines, rng.end)
    if start[0] != end[0]:
        return ""
    return analysis.lines[start[0] - 1][start[1] - 1 : end[1] - 1]


def _reveal(analysis: Analysis, diagnostic: lsp.Diagnostic) -> lsp.CodeAction:
    text = _text(analysis, diagnostic.range)
    wrapped = f"{text}.reveal()" if _POSTFIX.fullmatch(text) else f"({text}).reveal()"
    edit = lsp.TextEdit(range=diagnostic.range, new_text=wrapped)
    return _action("Reveal explicitly with .reveal()", analysis, diagnostic, [edit])


def _rename_to(
    analysis: Analysis, diagnostic: lsp.Diagnostic, message: str, better: str
) -> lsp.CodeAction | None:
    quoted = _QUOTED.search(message)
    text = _text(analysis, diagnostic.range)
    if quoted is None or not text:
        return None
    wrong = quoted.group(1)
    offset = text.rfind(wrong)
    if offset < 0:
        return None
    start = diagnostic.range.start
    line, column = from_position(analysis.lines, start)
    replace = lsp.Range(
        start=to_position(analysis.lines, line, column + offset),
        end=to_position(analysis.lines, line, column + offset + len(wrong)),
    )
    # `take_shar(...)` suggested as 'ClientStore.take_share': the qualified name goes in.
    edit = lsp.TextEdit(range=replace, new_text=better)
    return _action(f"Change to '{better}'", analysis, diagnostic, [edit])


def zero_value(t: Type) -> str:
    inner = t.inner if isinstance(t, Secret) else t
    match inner:
        case Int():
            return "0"
        case Bool():
            return "False"
        case Float() | Fix():
            return "0.0"
        case String():
            return '""'
        case ListT():
            return "[]"
        case DictT():
            return "{}"
        case Nil():
            return "None"
    return "None"


def _add_return(analysis: Analysis, diagnostic: lsp.Diagnostic) -> lsp.CodeAction | None:
    line, column = from_position(analysis.lines, diagnostic.range.start)
    function = next(
        (
            node
            for node in _functions(analysis.module)
            if node.name_span.line == line and node.name_span.column == column
        ),
        None,
    )
    if function is None or not function.body:
        return None
    info = analysis.checked.function_of(function)
    value = zero_value(info.signature.returns) if info is not None else "None"
    last = function.body[-1].span
    indent = " " * (function.body[0].span.column - 1)
    end_text = analysis.lines[last.end_line - 1]
    at = to_position(analysis.lines, last.end_line, len(end_text) + 1)
    edit = lsp.TextEdit(range=lsp.Range(start=at, end=at), new_text=f"\n{indent}return {value}")
    return _action(
        f"Add 'return {value}' at the end of '{function.name}'", analysis, diagnostic, [edit]
    )


def _functions(module: ast.Module) -> list[ast.FunctionDef]:
    from stoffel.lsp.locate import walk

    return [n for n in walk(module) if isinstance(n, ast.FunctionDef)]


def setup(server: StoffelLanguageServer) -> None:
    server.add_feature(CodeActions(server))
