"""The cost record: the DESIGN §6 schema plus whether the numbers are exact, and why not."""

from __future__ import annotations

from typing import Any

import attrs

from stoffel.compiler.cost.table import SHARE_SIZE, OpCost

SCHEMA_KEYS = (
    "rounds",
    "multiplications",
    "comparisons",
    "openings",
    "random_bits",
    "bytes_per_party",
    "instructions",
)


@attrs.define
class Cost:
    """Online-phase counts (per element, rounds per batched call) and preprocessing.

    ``exact`` is False when some count could not be derived statically; ``notes`` then says
    where and how the figure was obtained instead (one iteration of a loop, the costlier arm
    of a branch…), so a number is never a silent guess.
    """

    rounds: int = 0
    multiplications: int = 0
    comparisons: int = 0
    openings: int = 0
    random_bits: int = 0
    bytes_per_party: int = 0
    instructions: int = 0
    triples: int = 0
    pre_random_bits: int = 0
    random_shares: int = 0
    pre_rounds: int = 0  # rounds of generating preprocessing on demand, per batched call
    exact: bool = True
    notes: list[str] = attrs.Factory(list)

    def charge(self, op: OpCost, n_parties: int, count: int = 1) -> None:
        """Add ``count`` elements of ``op`` (everything but rounds and preprocessing rounds;
        those are per call and come from flushes)."""
        self.multiplications += op.multiplications * count
        self.comparisons += op.comparisons * count
        self.openings += op.openings * count
        self.random_bits += op.random_bits * count
        self.bytes_per_party += op.sent_elements * count * SHARE_SIZE * max(n_parties - 1, 0)
        self.triples += op.triples * count
        self.pre_random_bits += op.pre_random_bits * count
        self.random_shares += op.random_shares * count

    def inexact(self, note: str) -> None:
        self.exact = False
        if note not in self.notes:
            self.notes.append(note)

    def weight(self) -> tuple[int, ...]:
        """Order for "the costlier of two": rounds first, then communication."""
        return (self.rounds, self.bytes_per_party, self.multiplications, self.instructions)

    def copy(self) -> Cost:
        return attrs.evolve(self, notes=list(self.notes))

    def as_dict(self) -> dict[str, Any]:
        """The DESIGN §6 cost schema, keys in schema order, plus ``exact`` and ``notes``."""
        out: dict[str, Any] = {k: getattr(self, k) for k in SCHEMA_KEYS}
        out["preprocessing"] = {
            "rounds": self.pre_rounds,
            "triples": self.triples,
            "random_bits": self.pre_random_bits,
            "random_shares": self.random_shares,
        }
        out["exact"] = self.exact
        if self.notes:
            out["notes"] = list(self.notes)
        return out
