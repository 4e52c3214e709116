"""The field kernels: the C extension against the Python reference, and both against plain
integer arithmetic, on the default field, mid-size fields and small ones."""

from __future__ import annotations

import os
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stoffel.runtime import kernels
from stoffel.runtime.field import BLS12_381, GOLDILOCKS, M31
from stoffel.runtime.kernels import PyKernels, from_bytes, kernels_for

PRIMES = [BLS12_381.p, GOLDILOCKS, M31, 97, 2**255 - 19, 2**256 - 189]

needs_native = pytest.mark.skipif(
    kernels._native is None, reason="the C kernels are not built in this environment"
)


def implementations(p: int) -> list[kernels.FieldKernels]:
    impls: list[kernels.FieldKernels] = [PyKernels(p)]
    if kernels._native is not None:
        impls.append(kernels_for(p, native=True))
    return impls


def test_the_c_kernels_are_built_where_they_can_be() -> None:
    # CI runs CPython 3.11 with a compiler: a silent fallback would hide a broken build.
    if sys.version_info[:2] == (3, 11) and os.environ.get("STOFFEL_FIELD_KERNELS") != "python":
        assert kernels._native is not None
        assert kernels.NATIVE


def ints(p: int) -> st.SearchStrategy[int]:
    """Residues, edge values, negatives and values far beyond p (the kernels reduce them)."""
    return st.one_of(
        st.integers(0, p - 1),
        st.sampled_from([0, 1, p - 1, p, p + 1, 2**256 - 1, 2**256, -1, -p]),
        st.integers(-(4 * p), 4 * p),
        st.integers(0, 2**300),
    )


@st.composite
def field_and_vectors(draw: st.DrawFn, count: int) -> tuple[int, list[list[int]]]:
    p = draw(st.sampled_from(PRIMES))
    length = draw(st.integers(0, 12))
    return p, [draw(st.lists(ints(p), min_size=length, max_size=length)) for _ in range(count)]


@settings(max_examples=300, deadline=None)
@given(data=st.data(), terms=st.integers(1, 5))
def test_lincomb(data: st.DataObject, terms: int) -> None:
    p, vecs = data.draw(field_and_vectors(terms))
    small = st.integers(-(2**31) + 1, 2**31 - 1)
    weights = data.draw(st.lists(st.one_of(small, ints(p)), min_size=terms, max_size=terms))
    want = [
        sum(w * v[i] for w, v in zip(weights, vecs, strict=True)) % p for i in range(len(vecs[0]))
    ]
    for impl in implementations(p):
        assert impl.lincomb(weights, vecs) == want


@settings(max_examples=200, deadline=None)
@given(data=st.data(), terms=st.integers(1, 4), nrows=st.integers(0, 4))
def test_matmul(data: st.DataObject, terms: int, nrows: int) -> None:
    p, vecs = data.draw(field_and_vectors(terms))
    weight = st.one_of(st.integers(-3, 3), st.integers(-(2**31) + 1, 2**31 - 1), ints(p))
    rows = data.draw(st.lists(st.lists(weight, min_size=terms, max_size=terms), max_size=nrows))
    want = [
        [sum(w * v[i] for w, v in zip(row, vecs, strict=True)) % p for i in range(len(vecs[0]))]
        for row in rows
    ]
    for impl in implementations(p):
        assert impl.matmul(rows, vecs) == want


@settings(max_examples=300, deadline=None)
@given(data=st.data(), sign=st.sampled_from([1, -1]))
def test_muladd_dot_add_sub_reduce(data: st.DataObject, sign: int) -> None:
    p, (a, b, c) = data.draw(field_and_vectors(3))
    for impl in implementations(p):
        assert impl.muladd(a, b) == [x * y % p for x, y in zip(a, b, strict=True)]
        assert impl.muladd(a, b, c, sign) == [
            (x * y + sign * z) % p for x, y, z in zip(a, b, c, strict=True)
        ]
        assert impl.dot(a, b) == sum(x * y for x, y in zip(a, b, strict=True)) % p
        assert impl.add(a, b) == [(x + y) % p for x, y in zip(a, b, strict=True)]
        assert impl.sub(a, b) == [(x - y) % p for x, y in zip(a, b, strict=True)]
        assert impl.reduce(a) == [x % p for x in a]


@settings(max_examples=200, deadline=None)
@given(data=st.data(), terms=st.integers(0, 5))
def test_wsums(data: st.DataObject, terms: int) -> None:
    p, vecs = data.draw(field_and_vectors(max(terms, 1)))
    vecs = vecs[:terms]
    length = len(vecs[0]) if vecs else data.draw(st.integers(0, 5))
    w = data.draw(st.binary(min_size=8 * length, max_size=8 * length))
    ws = [int.from_bytes(w[i : i + 8], "little") for i in range(0, len(w), 8)]
    want = [sum(x * y for x, y in zip(ws, v, strict=True)) % p for v in vecs]
    for impl in implementations(p):
        assert impl.wsums(w, vecs) == want


@settings(max_examples=300, deadline=None)
@given(data=st.data(), width=st.integers(1, 33))
def test_from_bytes(data: st.DataObject, width: int) -> None:
    raw = data.draw(st.binary(max_size=5 * width).map(lambda b: b[: len(b) // width * width]))
    bound = data.draw(st.one_of(st.none(), st.integers(1, 2 ** (8 * width + 1))))
    vals = [int.from_bytes(raw[i : i + width], "little") for i in range(0, len(raw), width)]
    assert from_bytes(raw, width, bound) == [v for v in vals if bound is None or v < bound]


@pytest.mark.parametrize("p", [BLS12_381.p, 97])
def test_errors_are_python_exceptions(p: int) -> None:
    for impl in implementations(p):
        with pytest.raises(ValueError):
            impl.add([1, 2], [1])
        with pytest.raises(ValueError):
            impl.lincomb([1, 2], [[1]])
        with pytest.raises(ValueError):
            impl.lincomb([], [])
        with pytest.raises(ValueError):
            impl.matmul([[1, 2]], [[1], [2, 3]])
        with pytest.raises(ValueError):
            impl.matmul([[1]], [[1], [2]])
        with pytest.raises(ValueError):
            impl.wsums(b"\0" * 7, [[1]])
        with pytest.raises(ValueError):
            impl.wsums(b"\0" * 8, [[1, 2]])
        with pytest.raises(TypeError):
            impl.muladd([1, "x"], [1, 2])  # type: ignore[list-item]
    with pytest.raises(ValueError):
        from_bytes(b"\0" * 5, 2)


@needs_native
def test_large_vectors_agree() -> None:
    """Long vectors of full-size residues (the benchmark's shape), C against Python."""
    p = BLS12_381.p
    a, b, c = (BLS12_381.random_vec(5000) for _ in range(3))
    native, ref = kernels_for(p, native=True), PyKernels(p)
    assert native.muladd(a, b, c, -1) == ref.muladd(a, b, c, -1)
    assert native.lincomb([3, -3, 1, 1], [a, b, c, a]) == ref.lincomb([3, -3, 1, 1], [a, b, c, a])
    assert native.lincomb([a[0], b[0]], [b, c]) == ref.lincomb([a[0], b[0]], [b, c])
    w = os.urandom(8 * 5000)
    assert native.wsums(w, [a, b, c]) == ref.wsums(w, [a, b, c])
