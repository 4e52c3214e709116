"""Fixtures for protocol tests: clusters of n parties in one process."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from stoffel.runtime.cluster import LocalCluster
from stoffel.runtime.field import BLS12_381, PrimeField

MakeCluster = Callable[..., LocalCluster]


@pytest.fixture
def make_cluster() -> Iterator[MakeCluster]:
    made: list[LocalCluster] = []

    def make(
        n: int = 5,
        t: int = 1,
        field: PrimeField = BLS12_381,
        *,
        timeout: float = 10.0,
        preprocessing: str = "interactive",
        **kw: object,
    ) -> LocalCluster:
        c = LocalCluster(n, t, field, timeout=timeout, preprocessing=preprocessing, **kw)  # type: ignore[arg-type]
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


def signed(values: list[int], p: int = BLS12_381.p) -> list[int]:
    return [v - p if v > (p - 1) // 2 else v for v in values]


@pytest.fixture
def to_signed() -> Callable[..., list[int]]:
    return signed
