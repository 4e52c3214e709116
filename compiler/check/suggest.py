"""Did-you-mean suggestions (spec §5): Levenshtein distance ≤ max(2, ⌊0.4·len⌋).

Ties go to the smallest distance, then alphabetically (DESIGN.md §3).
"""

from __future__ import annotations

from collections.abc import Iterable


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def suggest(name: str, candidates: Iterable[str]) -> str | None:
    limit = max(2, int(0.4 * len(name)))
    scored = sorted(
        (levenshtein(name, c), c) for c in set(candidates) if c != name and not c.startswith("<")
    )
    if scored and scored[0][0] <= limit:
        return scored[0][1]
    return None


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    found = suggest(name, candidates)
    return f"Did you mean '{found}'?" if found else None
