"""A model of the VM's pending-secret scheduler (``vm/secrets.py``), for counting rounds.

The VM never blocks on a secret operation: it records it as pending and *flushes* only when
a clear value is needed (a revealed value is read, a client output happens, the program
ends). A flush runs in sweeps: each sweep completes every ready local operation, then sends
every ready interactive operation, grouped by kind (the *group key*: ``mul``, ``lt`` at a
width, ``open``…), as one batched backend call per group. Each call costs its rounds once,
whatever its length, and the calls of one sweep run one after another.

So an interactive operation runs in sweep ``1 + max(sweep of its inputs)`` of the next
flush (local operations pass their inputs' sweep through; values completed by an earlier
flush count as sweep 0), and a flush costs ``Σ_sweeps Σ_keys rounds(key)`` (plus
``pre_rounds(key)`` of on-demand preprocessing, reported apart). This module tracks exactly
that: values carry ``(epoch, sweep)``, where the epoch counts flushes.
"""

from __future__ import annotations

import attrs

from stoffel.compiler.cost.counts import Cost
from stoffel.compiler.cost.table import Key, key_cost


@attrs.frozen
class Sec:
    """A secret value: ready (sweep 0) or pending in sweep ``layer`` of flush ``epoch``."""

    epoch: int
    layer: int


@attrs.frozen
class Opened:
    """The clear result of an opening; unknown to the model, pending until a flush."""

    epoch: int
    layer: int


@attrs.define
class PendingModel:
    cost: Cost
    n_parties: int
    threshold: int = 1
    epoch: int = 0
    layers: dict[int, set[Key]] = attrs.Factory(dict)
    flushes: int = 0

    def layer_of(self, v: object) -> int:
        if isinstance(v, Sec | Opened) and v.epoch == self.epoch:
            return v.layer
        return 0

    def is_pending(self, v: object) -> bool:
        return isinstance(v, Opened) and v.epoch == self.epoch and v.layer > 0

    def local(self, inputs: list[object]) -> Sec:
        return Sec(self.epoch, max((self.layer_of(i) for i in inputs), default=0))

    def interactive(self, key: Key, inputs: list[object]) -> int:
        """Record one element of group ``key``; returns the sweep it runs in."""
        layer = 1 + max((self.layer_of(i) for i in inputs), default=0)
        self.layers.setdefault(layer, set()).add(key)
        self.cost.charge(key_cost(key, self.threshold, self.n_parties), self.n_parties)
        return layer

    def flush(self) -> None:
        if not self.layers:
            return
        calls = [
            key_cost(k, self.threshold, self.n_parties)
            for keys in self.layers.values()
            for k in keys
        ]
        self.cost.rounds += sum(c.rounds for c in calls)
        # Each call generates its own preprocessing on demand (``local`` without a dealer).
        self.cost.pre_rounds += sum(c.pre_rounds for c in calls)
        self.layers = {}
        self.epoch += 1
        self.flushes += 1

    def snapshot(self) -> tuple[int, dict[int, set[Key]], int]:
        return self.epoch, {k: set(v) for k, v in self.layers.items()}, self.flushes

    def restore(self, snap: tuple[int, dict[int, set[Key]], int]) -> None:
        self.epoch, layers, self.flushes = snap
        self.layers = {k: set(v) for k, v in layers.items()}
