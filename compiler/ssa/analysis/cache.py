"""``AnalysisCache``: compute an analysis once per function, drop it when a pass breaks it."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypeVar

if TYPE_CHECKING:
    from stoffel.compiler.ssa.ir import Function

A = TypeVar("A", bound="Analysis")


class Analysis:
    """Base of all analyses. ``depends_on`` lists analyses whose invalidation stales this one."""

    depends_on: ClassVar[tuple[type[Analysis], ...]] = ()

    def __init__(self, fn: Function, cache: AnalysisCache) -> None:
        self.fn = fn
        self.cache = cache


class AnalysisCache:
    def __init__(self, fn: Function) -> None:
        self.fn = fn
        self._results: dict[type[Analysis], Analysis] = {}

    def request(self, cls: type[A]) -> A:
        found = self._results.get(cls)
        if found is None:
            found = cls(self.fn, self)
            self._results[cls] = found
        assert isinstance(found, cls)
        return found

    def invalidate(self, cls: type[Analysis]) -> None:
        """Drop ``cls`` and, transitively, every cached analysis built on it."""
        self._results.pop(cls, None)
        for other in list(self._results):
            if cls in other.depends_on:
                self.invalidate(other)

    def invalidate_all(self) -> None:
        self._results.clear()

    def is_cached(self, cls: type[Analysis]) -> bool:
        return cls in self._results
