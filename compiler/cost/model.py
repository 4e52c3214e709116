"""Entry points: the cost of every function and of the whole program at (n, t)."""

from __future__ import annotations

import sys

import attrs

from stoffel.compiler.cost.counts import Cost
from stoffel.compiler.cost.interp import MAX_STEPS, AbstractRun, OutOfBudget
from stoffel.compiler.cost.schedule import Sec
from stoffel.compiler.ssa.ir import Function, Module

ENTRY = "main"


@attrs.frozen
class ProgramCost:
    functions: dict[str, Cost]
    total: Cost
    parties: int
    threshold: int

    def as_dict(self) -> dict[str, object]:
        """``{"functions": {name: cost}, "total": cost, "parties": n, "threshold": t}``."""
        return {
            "functions": {name: c.as_dict() for name, c in self.functions.items()},
            "total": self.total.as_dict(),
            "parties": self.parties,
            "threshold": self.threshold,
        }


def _run(module: Module, fn: Function, n: int, as_entry: bool, max_steps: int, t: int = 1) -> Cost:
    # The abstract run recurses a few Python frames per StoffelLang call (MAX_DEPTH deep).
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    try:
        return _run_inner(module, fn, n, as_entry, max_steps, t)
    finally:
        sys.setrecursionlimit(limit)


def _run_inner(
    module: Module, fn: Function, n: int, as_entry: bool, max_steps: int, t: int
) -> Cost:
    cost = Cost()
    run = AbstractRun(module, cost, n, max_steps, threshold=t)
    try:
        args = [run.unknown_of(p.type) for p in fn.params]
        result = run.call(fn, args, None)
        if as_entry and isinstance(result, Sec):
            run.sched.interactive(("open",), [result])  # the VM reveals a secret result
        run.sched.flush()
    except OutOfBudget:
        run.sched.flush()
        cost.inexact(f"analysis stopped after {max_steps} steps; the counts are lower bounds")
    return cost


def function_cost(
    module: Module,
    fn: Function,
    n_parties: int,
    *,
    max_steps: int = MAX_STEPS,
    threshold: int = 1,
) -> Cost:
    """One call of ``fn`` with arguments the model does not know, flushed at its return.
    ``max_steps`` bounds the abstract run (the editor asks for a smaller budget)."""
    return _run(module, fn, n_parties, False, max_steps, threshold)


def program_cost(
    module: Module, n_parties: int = 5, threshold: int = 1, *, max_steps: int = MAX_STEPS
) -> ProgramCost:
    """Per function (each analysed on its own) and in total (a run of ``main``)."""
    if n_parties < 2 * threshold + 1 or threshold < 0:
        raise ValueError(f"n = {n_parties} parties need n >= 2t+1 = {2 * threshold + 1}")
    functions = {
        fn.name: function_cost(module, fn, n_parties, max_steps=max_steps, threshold=threshold)
        for fn in module.functions
    }
    entry = module.function(ENTRY)
    if entry is None:
        total = Cost()
        total.inexact("no main function: the total is empty")
    else:
        total = _run(module, entry, n_parties, True, max_steps, threshold)
    return ProgramCost(functions, total, n_parties, threshold)
