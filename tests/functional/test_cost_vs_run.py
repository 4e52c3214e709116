"""``stoffelc --cost`` against what ``stoffel run --json`` counts (DESIGN §2 item 8, §6).

Multiplications, comparisons and openings (and random bits, preprocessing) must match
exactly on the ``local`` backend with real MPC (``local`` measures the preprocessing
material it consumes, which its protocols economise, so preprocessing and bytes are compared
with the ``clear`` backend, which charges the cost table). Rounds follow the documented model
(compiler/cost/__init__.py, docs/cost-model.md): the model's online rounds equal the ``clear``
backend's count exactly, and ``local`` — which also counts the rounds of preprocessing it
generates on demand — reports at least that many, exactly that many when no preprocessing
is needed (openings only) or when the trusted dealer supplies it (the online rounds alone).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stoffel.api import compile
from stoffel.cli.common import ArgumentParser
from stoffel.cli.run import add_run_arguments, run_program
from stoffel.cli.stoffelc import main as stoffelc_main
from stoffel.compiler.cost import program_cost

from .directives import expectation_for, run_cases
from .runner import run_case

CASES = sorted((Path(__file__).resolve().parent.parent / "cases" / "cost").glob("*.stfl"))
EXACT = ("multiplications", "comparisons", "openings", "random_bits")


def _cost(path: Path, n: int, t: int, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    argv = ["--cost", "--json", "--parties", str(n), "--threshold", str(t), str(path)]
    code = stoffelc_main(argv)
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    return doc  # type: ignore[no-any-return]


def _run(
    path: Path, backend: str, n: int, t: int, capsys: pytest.CaptureFixture[str]
) -> dict[str, Any]:
    parser = ArgumentParser(prog="stoffel run")
    add_run_arguments(parser)
    argv = [str(path), "--json", "--backend", backend, "--parties", str(n), "--threshold", str(t)]
    code = run_program(parser.parse_args(argv))
    doc = json.loads(capsys.readouterr().out)
    assert code == 0, doc
    return doc["stats"]  # type: ignore[no-any-return]


def _compare(path: Path, n: int, t: int, capsys: pytest.CaptureFixture[str]) -> None:
    cost = _cost(path, n, t, capsys)
    total = cost["total"]
    assert (cost["parties"], cost["threshold"]) == (n, t)
    assert total["exact"] is True, total.get("notes")
    local = _run(path, "local", n, t, capsys)
    for key in EXACT:
        assert total[key] == local[key], key
    clear = _run(path, "clear", n, t, capsys)
    assert total["rounds"] == clear["rounds"]
    assert total["bytes_per_party"] == clear["bytes_per_party"]
    assert total["preprocessing"] == clear["preprocessing"]
    # Online rounds are exact on local too (preprocessing rounds are reported apart).
    assert local["rounds"] == total["rounds"]
    assert local["preprocessing"] == total["preprocessing"]


@pytest.mark.parametrize("nt", [(3, 1), (5, 1)], ids=lambda nt: f"n{nt[0]}t{nt[1]}")
@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_cost_matches_local_run(
    case: Path, nt: tuple[int, int], capsys: pytest.CaptureFixture[str]
) -> None:
    _compare(case, *nt, capsys)


@pytest.mark.slow
@pytest.mark.parametrize("nt", [(5, 2), (4, 1), (7, 3)], ids=lambda nt: f"n{nt[0]}t{nt[1]}")
@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_cost_matches_local_run_sweep(
    case: Path, nt: tuple[int, int], capsys: pytest.CaptureFixture[str]
) -> None:
    _compare(case, *nt, capsys)


def test_openings_only_rounds_are_exact_on_local(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "opens.stfl"
    src.write_text(
        "def main() -> int64:\n"
        "  var a: secret int64 = 3\n"
        "  var b: secret int64 = 4\n"
        "  print(a.reveal())\n"
        "  print((a + b).reveal(), b.reveal())\n"
        "  return (a - b).reveal()\n",
        encoding="utf-8",
    )
    total = _cost(src, 3, 1, capsys)["total"]
    local = _run(src, "local", 3, 1, capsys)
    assert (total["rounds"], total["openings"]) == (local["rounds"], local["openings"])


def test_enough_cost_programs() -> None:
    assert len(CASES) >= 10


# ------------------------------------------------------------------ the whole secret corpus
def _corpus() -> list[Path]:
    out = []
    for case in run_cases():
        if expectation_for(case).runnable and compile(str(case), 0).touches_secrets():
            out.append(case)
    return out


CORPUS = _corpus()


@pytest.mark.parametrize("opt", [0, 1, 2, 3], ids=lambda o: f"O{o}")
@pytest.mark.parametrize("case", CORPUS, ids=lambda p: p.stem)
def test_exact_costs_equal_the_clear_backend_on_the_corpus(case: Path, opt: int) -> None:
    """Every secret case: where the model says exact, every schema count but
    ``instructions`` equals the clear backend's; where it does not, it says why."""
    program = compile(str(case), opt)
    total = program_cost(program.compiled.module, 5, 1).total.as_dict()
    if not total["exact"]:
        assert total["notes"]
        return
    stats = run_case(case, expectation_for(case).args, opt, "clear").stats
    for key in ("rounds", *EXACT, "bytes_per_party", "preprocessing"):
        assert total[key] == stats[key], key


def test_corpus_is_mostly_exact() -> None:
    exact = [c for c in CORPUS if program_cost(compile(str(c)).compiled.module).total.exact]
    assert len(CORPUS) >= 20 and len(exact) >= len(CORPUS) - 8


# ------------------------------------------------------------------ the command line
def test_plain_table_lists_functions_total_and_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "p.stfl"
    src.write_text(
        "def f(xs: list[secret int64]) -> secret int64:\n"
        "  var acc: secret int64 = 0\n"
        "  for x in xs:\n"
        "    acc = acc + x * x\n"
        "  return acc\n\n"
        "def main() -> int64:\n"
        "  return f([1, 2]).reveal()\n",
        encoding="utf-8",
    )
    assert stoffelc_main(["--cost", "--parties", "3", str(src)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("cost at n = 3 parties, t = 1")
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[2:5]}
    assert rows["f*"][:4] == ["1", "1", "0", "0"]  # one iteration of an unknown-length loop
    assert rows["main"][:4] == ["2", "2", "0", "1"]
    assert rows["total"][:4] == ["2", "2", "0", "1"]
    assert "f: line 3: loop trip count is not static; one iteration counted" in out


@pytest.mark.parametrize(
    "argv",
    [["--parties", "2", "--threshold", "1"], ["--parties", "4", "--threshold", "2"]],
)
def test_too_few_parties_is_a_usage_error(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "p.stfl"
    src.write_text("def main() -> int64:\n  return 1\n", encoding="utf-8")
    assert stoffelc_main(["--cost", *argv, str(src)]) == 2
    assert "2t+1" in capsys.readouterr().err


def test_compile_errors_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "bad.stfl"
    src.write_text("def main() -> int64:\n  return nope\n", encoding="utf-8")
    assert stoffelc_main(["--cost", "--json", str(src)]) == 1
    assert capsys.readouterr().out == ""


# ------------------------------------------------------------------ online rounds on local
def _local_with_dealer(path: Path, n: int, t: int) -> dict[str, Any]:
    """Run on ``local`` with the trusted dealer (tests only), so no preprocessing happens on
    the channels and the measured rounds are the online phase alone."""
    from stoffel.api import NATIVES
    from stoffel.runtime.backends.local import create_local_run
    from stoffel.vm.interpreter import VM

    program = compile(str(path), 2)
    run = create_local_run(n_parties=n, threshold=t, preprocessing="dealer")

    def party(backend: Any) -> dict[str, Any]:
        vm = VM(program.binary, backend=backend, natives=NATIVES)
        vm.reveal(vm.run("main", []))
        return backend.stats.as_dict()  # type: ignore[no-any-return]

    try:
        return run.run_parties(party)[0]
    finally:
        run.close()


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_online_rounds_on_local_equal_the_model(case: Path) -> None:
    total = program_cost(compile(str(case), 2).compiled.module, 3, 1).total
    stats = _local_with_dealer(case, 3, 1)
    assert stats["rounds"] == total.rounds
    assert stats["multiplications"] == total.multiplications
