"""Static MPC cost model (DESIGN §2 item 8, schema in §6): per function and per program at (n, t).

The model runs the *optimised* IR abstractly (``interp``): clear values that follow from
constants are computed, so loop trip counts are exact when the bounds are static after
optimisation (nested loops multiply; a call costs its body for those arguments). Each
protocol operation is charged per element from ``table`` (a copy of the runtime's table,
proved equal by a test). Rounds follow the VM's pending-secret scheduler (``schedule``):
operations stay pending until a clear value is read; a flush then sends all ready work in
sweeps, one batched call per operation kind per sweep, so independent work — also across
loop iterations — shares rounds.

Rounds are *online* rounds as the cost table defines them: exactly what the ``clear``
backend reports, and what ``local`` measures on its channels (it reports the rounds of
preprocessing it generates on demand apart, in ``preprocessing.rounds``; the model states
those too: each batched call generates what it consumes, before its online step).
Multiplications, comparisons, openings, random bits and preprocessing are exact on every
backend.
``bytes_per_party`` follows the table (the clear backend's figure; ``local`` measures real
messages). ``instructions`` counts executed IR instructions (an approximation of the VM's
bytecode count, which also has moves and spills).

Where a count is not static (a loop bound, an ``if`` on a run-time clear value, deep
recursion), the cost carries ``exact: false`` and a note per place: a loop is counted for
one iteration, an ``if`` by its costlier arm.
"""

from stoffel.compiler.cost.counts import Cost
from stoffel.compiler.cost.model import ProgramCost, function_cost, program_cost

__all__ = ["Cost", "ProgramCost", "function_cost", "program_cost"]
