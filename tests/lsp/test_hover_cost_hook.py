"""The cost hook: hover shows a cost only when a cost model provides one."""

from __future__ import annotations

import os

from stoffel.compiler.ast import nodes as ast
from stoffel.lsp import cost
from stoffel.lsp.analysis import Analysis
from stoffel.lsp.chunks import ChunkParser
from stoffel.lsp.features.hover import hover_at

TEXT = "def mul(a: secret int64, b: secret int64) -> secret int64:\n  return a * b\n"


def _hover_text(analysis: Analysis, line: int, column: int) -> str:
    result = hover_at(analysis, line, column)
    assert result is not None
    return result.contents.value  # type: ignore[union-attr]


def test_no_cost_without_a_model() -> None:
    analysis = Analysis("file:///c", os.path.abspath("cost.stfl"), 1, TEXT, {}, ChunkParser())
    analysis.warm()
    text = _hover_text(analysis, 1, 6)
    assert "def mul(a: secret int64, b: secret int64) -> secret int64" in text
    assert "cost" not in text


def test_a_registered_cost_model_is_shown() -> None:
    analysis = Analysis("file:///c", os.path.abspath("cost.stfl"), 1, TEXT, {}, ChunkParser())
    analysis.warm()
    seen: list[ast.Node] = []

    def model(_: Analysis, node: ast.Node) -> cost.Cost | None:
        seen.append(node)
        return cost.Cost(rounds=1, multiplications=1, openings=0)

    cost.register_cost_provider(model)
    try:
        text = _hover_text(analysis, 1, 6)
    finally:
        cost.register_cost_provider(None)
    assert "cost: 1 rounds, 1 multiplications, 0 openings, 0 comparisons" in text
    assert isinstance(seen[0], ast.FunctionDef)
