"""The hook through which hover shows what a function or expression costs in MPC terms.

The cost model (DESIGN.md §2 phase 8, schema in §6) does not exist yet. When it does,
it registers a provider here; until then hover shows no cost at all — the numbers
must come from the model, never from a guess in the editor.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from stoffel.compiler.ast import nodes as ast
from stoffel.lsp.analysis import Analysis


@attrs.frozen(kw_only=True)
class Cost:
    """The online-phase counts of the DESIGN §6 cost schema that hover shows."""

    rounds: int
    multiplications: int
    openings: int
    comparisons: int = 0


CostProvider = Callable[[Analysis, ast.Node], Cost | None]
_provider: CostProvider | None = None


def register_cost_provider(provider: CostProvider | None) -> None:
    """Install (or, with None, remove) the cost model used by hover."""
    global _provider
    _provider = provider


def cost_of(analysis: Analysis, node: ast.Node) -> Cost | None:
    if _provider is None:
        return None
    return _provider(analysis, node)


def render(cost: Cost) -> str:
    return (
        f"cost: {cost.rounds} rounds, {cost.multiplications} multiplications, "
        f"{cost.openings} openings, {cost.comparisons} comparisons"
    )
