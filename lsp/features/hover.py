"""Hover: the type and secrecy of the expression under the cursor, a symbol's
declaration, a function's signature, and (once a cost model registers) its cost."""

from __future__ import annotations

from lsprotocol import types as lsp

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.resolve.symbols import CALLABLE_KINDS, Symbol
from stoffel.lsp import cost, describe, locate
from stoffel.lsp.analysis import Analysis
from stoffel.lsp.feature import LanguageFeature
from stoffel.lsp.positions import from_position, to_range
from stoffel.lsp.server import StoffelLanguageServer


class Hover(LanguageFeature):
    def register(self) -> None:
        @self.server.feature(lsp.TEXT_DOCUMENT_HOVER)
        async def hover(params: lsp.HoverParams) -> lsp.Hover | None:
            analysis = await self.server.analysis(params.text_document.uri)
            line, column = from_position(analysis.lines, params.position)
            return hover_at(analysis, line, column)


def hover_at(analysis: Analysis, line: int, column: int) -> lsp.Hover | None:
    index = analysis.checked.index
    symbol = index.symbol_at(analysis.path, line, column)
    expr = locate.expression_at(analysis.module, line, column)
    sections: list[str] = []
    node: ast.Node | None = expr
    span = expr.span if expr is not None else None
    if symbol is not None:
        sections.append(_symbol_text(symbol))
        ref = min(
            (
                r
                for r in index.references(symbol)
                if r.span.file == analysis.path and locate.contains(r.span, line, column)
            ),
            key=lambda r: r.span.end - r.span.start,
            default=None,
        )
        if ref is not None:
            span = ref.span
        if symbol.kind in CALLABLE_KINDS and isinstance(symbol.node, ast.FunctionDef):
            node = symbol.node
    if expr is not None and not isinstance(expr, ast.ErrorExpr):
        shown = analysis.checked.type_of(expr)
        if symbol is None or (symbol.kind not in CALLABLE_KINDS and shown != symbol.type):
            sections.append(f"expression: `{shown}` ({describe.secrecy(shown)})")
    if not sections:
        return None
    if node is not None:
        estimate = cost.cost_of(analysis, node)
        if estimate is not None:
            sections.append(cost.render(estimate))
    return lsp.Hover(
        contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n".join(sections)),
        range=to_range(analysis.lines, span)
        if span is not None and span.line == span.end_line
        else None,
    )


def _symbol_text(symbol: Symbol) -> str:
    text = f"```stoffel\n{describe.detail(symbol)}\n```"
    if symbol.signature is None and symbol.kind.value in ("variable", "parameter", "field"):
        text += f"\n\n{describe.secrecy(symbol.type)} value of type `{symbol.type}`"
    if symbol.is_builtin:
        text += "\n\n*builtin*"
    return text


def setup(server: StoffelLanguageServer) -> None:
    cost.use_cost_model()
    server.add_feature(Hover(server))
