"""Random and mutated source through ``stoffelc check``'s entry point.

The only acceptable outcome is a list of user diagnostics (E001/E101/E201): an
exception escaping, or an E901 (a compiler bug), fails the test. CI runs 5,000 cases
(2,500 per strategy); ``-m slow`` runs ten times as many.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from stoffel.compiler.diagnostics import Code
from stoffel.compiler.driver import check_file

from .strategies import corpus, mutated_sources, programs

USER_CODES = {Code.SYNTAX, Code.TYPE, Code.SEMANTIC}
SEEDS = corpus()
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


def _check_text(tmp_dir: Path, text: str) -> None:
    path = tmp_dir / "fuzz.stfl"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    diagnostics = check_file(path)
    bad = [d for d in diagnostics if d.code not in USER_CODES]
    assert not bad, f"{bad}\n--- source ---\n{text}"
    for diagnostic in diagnostics:
        assert diagnostic.span is not None, diagnostic


@pytest.fixture(scope="module")
def tmp_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@settings(FUZZ, max_examples=2500)
@given(source=programs)
def test_grammar_generated_programs(tmp_dir: Path, source: str) -> None:
    _check_text(tmp_dir, source)


@settings(FUZZ, max_examples=2500)
@given(source=mutated_sources(SEEDS))
def test_mutated_corpus_programs(tmp_dir: Path, source: str) -> None:
    _check_text(tmp_dir, source)


@pytest.mark.slow
@settings(FUZZ, max_examples=25000)
@given(source=mutated_sources(SEEDS))
def test_mutated_corpus_programs_long(tmp_dir: Path, source: str) -> None:
    _check_text(tmp_dir, source)
