"""Module loading (spec §2.10): relative paths, aliases, diamonds, cycles, missing files."""

from __future__ import annotations

from pathlib import Path

import pytest

from stoffel.compiler.driver import Compilation


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "main.stfl"


def _messages(compilation: Compilation) -> list[tuple[str, int, int, str]]:
    return [
        (Path(d.span.file).name, d.span.line, d.span.column, d.message)
        for d in compilation.diagnostics
        if d.span
    ]


def test_dotted_import_is_relative_to_the_importer(tmp_path: Path) -> None:
    main = _write(
        tmp_path,
        {
            "main.stfl": "import pkg.util\nvar a = helper()\nvar b = pkg.util.helper()\n",
            "pkg/util.stfl": "import inner\ndef helper() -> int64:\n  return deep()\n",
            "pkg/inner.stfl": "def deep() -> int64:\n  return 1\n",
        },
    )
    compilation = Compilation(main)
    assert _messages(compilation) == []
    assert [Path(m.path).name for m in compilation.program.modules] == [
        "inner.stfl",
        "util.stfl",
        "main.stfl",
    ]


def test_diamond_is_loaded_once(tmp_path: Path) -> None:
    main = _write(
        tmp_path,
        {
            "main.stfl": "import b\nimport c\nprint(fb(), fc())\n",
            "b.stfl": "import d\ndef fb() -> int64:\n  return fd()\n",
            "c.stfl": "import d\ndef fc() -> int64:\n  return fd()\n",
            "d.stfl": "def fd() -> int64:\n  return 4\n",
        },
    )
    compilation = Compilation(main)
    assert _messages(compilation) == []
    names = [Path(m.path).name for m in compilation.program.modules]
    assert names.count("d.stfl") == 1 and names[-1] == "main.stfl"


@pytest.mark.parametrize(
    ("files", "expected", "hint"),
    [
        (
            {"main.stfl": "import a\n", "a.stfl": "import b\n", "b.stfl": "import a\n"},
            ("b.stfl", 1, 1, "Circular import detected involving 'a'"),
            "Import cycle: a -> b -> a",
        ),
        (
            {"main.stfl": "import x\n", "x.stfl": "import x\n"},
            ("x.stfl", 1, 1, "Circular import detected involving 'x'"),
            "Import cycle: x -> x",
        ),
        (
            {"main.stfl": "var a = 1\nimport no.such\n"},
            ("main.stfl", 2, 1, "Module 'no.such' not found. Expected file at 'no/such.stfl'"),
            "check the module path; imports are relative to the importing file",
        ),
        (
            {"main.stfl": 'import "../up.stfl"\n'},
            ("main.stfl", 1, 1, "Module '../up.stfl' not found. Expected file at '../up.stfl'"),
            "check the module path; imports are relative to the importing file",
        ),
    ],
)
def test_import_errors_point_at_the_import(
    tmp_path: Path, files: dict[str, str], expected: tuple, hint: str
) -> None:
    sub = tmp_path / "proj"
    sub.mkdir()
    compilation = Compilation(_write(sub, files))
    assert _messages(compilation) == [expected]
    assert compilation.diagnostics[0].hint == hint


def test_aliases_quoted_paths_and_std_imports(tmp_path: Path) -> None:
    main = _write(
        tmp_path,
        {
            "main.stfl": (
                'import std.mpc\nimport lib.maths as m\nimport "lib/text.stfl"\n'
                "var a = m.twice(2) + twice(1)\nvar b: string = text.shout()\n"
            ),
            "lib/maths.stfl": "def twice(x: int64) -> int64:\n  return 2 * x\n",
            "lib/text.stfl": 'def shout() -> string:\n  return "A"\n',
        },
    )
    assert _messages(Compilation(main)) == []


def test_visibility_is_not_transitive_and_collisions_are_reported(tmp_path: Path) -> None:
    main = _write(
        tmp_path,
        {
            "main.stfl": "import b\nimport c\nvar x = fd()\n",
            "b.stfl": "import d\ndef same() -> int64:\n  return 1\n",
            "c.stfl": "def same() -> int64:\n  return 2\n",
            "d.stfl": "def fd() -> int64:\n  return 4\n",
        },
    )
    assert _messages(Compilation(main)) == [
        ("main.stfl", 2, 1, "Symbol 'same' already declared in this scope"),
        ("main.stfl", 3, 9, "Use of undeclared function 'fd'"),
    ]


def test_module_is_not_a_type(tmp_path: Path) -> None:
    main = _write(
        tmp_path,
        {"main.stfl": "import lib as m\nvar a: m = 1\n", "lib.stfl": "var z = 1\n"},
    )
    assert _messages(Compilation(main)) == [("main.stfl", 2, 8, "'m' is a module, not a type")]
