"""The hook through which hover shows what a function costs in MPC terms.

The cost model (DESIGN.md §2 phase 8, schema in §6) lives in ``stoffel.compiler.cost``;
:func:`use_cost_model` registers it (the hover feature does so when the server starts).
Other providers can still be installed with :func:`register_cost_provider` (tests do). The
numbers always come from the model, never from a guess in the editor: a function whose
figures are not static says so.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

import attrs

from stoffel.compiler.ast import nodes as ast
from stoffel.lsp.analysis import Analysis

#: Hover shows costs at upstream's default network size (DESIGN §5).
HOVER_PARTIES = 5
HOVER_THRESHOLD = 1
HOVER_OPT_LEVEL = 2
#: Abstract steps per function for hover: hover runs on the event loop, so it stays cheap
#: (a function that needs more is shown as not exact, with its counts so far).
HOVER_MAX_STEPS = 50_000


@attrs.frozen(kw_only=True)
class Cost:
    """The online-phase counts of the DESIGN §6 cost schema that hover shows."""

    rounds: int
    multiplications: int
    openings: int
    comparisons: int = 0
    exact: bool = True


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
    text = (
        f"cost: {cost.rounds} rounds, {cost.multiplications} multiplications, "
        f"{cost.openings} openings, {cost.comparisons} comparisons"
    )
    if not cost.exact:
        text += " (not exact: a loop bound or branch is not static; see `stoffelc --cost`)"
    return text


# ------------------------------------------------------------------------ the model provider
# One lowering + cost run per analysed document version; Analysis objects are per version.
_cache: weakref.WeakKeyDictionary[Analysis, dict[str, Cost] | None] = weakref.WeakKeyDictionary()


def _function_costs(analysis: Analysis) -> dict[str, Cost] | None:
    from stoffel.compiler.cost import function_cost
    from stoffel.compiler.lower import lower_program
    from stoffel.compiler.passes.pipelines import optimize

    compilation = analysis.compilation
    if compilation.has_errors:
        return None
    lowered = lower_program(compilation.checked, compilation.parsed)
    optimize(lowered.module, HOVER_OPT_LEVEL)
    costs = {
        fn.name: function_cost(lowered.module, fn, HOVER_PARTIES, max_steps=HOVER_MAX_STEPS)
        for fn in lowered.module.functions
    }
    return {
        name: Cost(
            rounds=c.rounds,
            multiplications=c.multiplications,
            openings=c.openings,
            comparisons=c.comparisons,
            exact=c.exact,
        )
        for name, c in costs.items()
    }


def model_cost(analysis: Analysis, node: ast.Node) -> Cost | None:
    """The model's cost of one call of the hovered function (None for anything else)."""
    if not isinstance(node, ast.FunctionDef) or node.body is None:
        return None
    if analysis not in _cache:
        try:
            _cache[analysis] = _function_costs(analysis)
        except Exception:  # hover must never fail because the program cannot be lowered yet
            _cache[analysis] = None
    costs = _cache[analysis]
    if costs is None:
        return None
    found = costs.get(node.name)
    if found is None:
        # Lowering qualifies a name shared by two modules as ``module.name``.
        named = [c for name, c in costs.items() if name.endswith("." + node.name)]
        found = named[0] if len(named) == 1 else None
    # A function that certainly communicates nothing (clear or local share work only) gets
    # no cost line: on every clear helper it would be noise.
    if found is None or (found.exact and _zero(found)):
        return None
    return found


def _zero(cost: Cost) -> bool:
    return not (cost.rounds or cost.multiplications or cost.openings or cost.comparisons)


def use_cost_model() -> None:
    """Register :func:`model_cost` as the hover cost provider."""
    register_cost_provider(model_cost)
