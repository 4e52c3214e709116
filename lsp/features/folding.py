"""Folding ranges: blocks of compound statements (from the tree), runs of comment
lines, and the imports at the top of a file."""

from __future__ import annotations

from lsprotocol import types as lsp

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.fmt.comments import scan_comments
from stoffel.lsp import locate
from stoffel.lsp.feature import LanguageFeature
from stoffel.lsp.server import StoffelLanguageServer

_BLOCKS = (ast.FunctionDef, ast.If, ast.IfBranch, ast.While, ast.For, ast.Match, ast.Case,
           ast.ObjectDef, ast.EnumDef, ast.BuiltinObject)  # fmt: skip


class Folding(LanguageFeature):
    def register(self) -> None:
        server = self.server

        @server.feature(lsp.TEXT_DOCUMENT_FOLDING_RANGE)
        async def folding(params: lsp.FoldingRangeParams) -> list[lsp.FoldingRange]:
            uri = params.text_document.uri
            text = server.workspace.get_text_document(uri).source
            module = await server.parse(server.path_of(uri), text)
            return ranges(module, text)


def ranges(module: ast.Module, text: str) -> list[lsp.FoldingRange]:
    found: dict[tuple[int, int], lsp.FoldingRange] = {}
    for stmt in module.body:
        for node in locate.walk(stmt):
            if isinstance(node, _BLOCKS) and node.span.end_line > node.span.line:
                start, end = node.span.line - 1, node.span.end_line - 1
                found.setdefault(
                    (start, end),
                    lsp.FoldingRange(
                        start_line=start, end_line=end, kind=lsp.FoldingRangeKind.Region
                    ),
                )
    run: list[int] = []
    for comment in [c for c in scan_comments(text) if c.own_line] + [None]:
        if comment is not None and run and comment.line == run[-1] + 1:
            run.append(comment.line)
            continue
        if len(run) > 1:
            found[(run[0] - 1, run[-1] - 1)] = lsp.FoldingRange(
                start_line=run[0] - 1, end_line=run[-1] - 1, kind=lsp.FoldingRangeKind.Comment
            )
        run = [comment.line] if comment is not None else []
    imports = [s for s in module.body if isinstance(s, ast.Import)]
    if len(imports) > 1:
        start, end = imports[0].span.line - 1, imports[-1].span.end_line - 1
        found[(start, end)] = lsp.FoldingRange(
            start_line=start, end_line=end, kind=lsp.FoldingRangeKind.Imports
        )
    return sorted(found.values(), key=lambda r: (r.start_line, r.end_line))


def setup(server: StoffelLanguageServer) -> None:
    server.add_feature(Folding(server))
