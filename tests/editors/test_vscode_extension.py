"""The VS Code extension (editors/vscode): static checks of its manifests and grammar, plus
the full extension CI (``editors/vscode/ci.sh``: npm ci, tsc, grammar tests, esbuild, vsce).

The static checks need nothing but Python. The CI run needs Node >= 20 and npm and is skipped,
with the reason, when npm is not on PATH.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
EXT = REPO / "editors" / "vscode"
GRAMMAR = EXT / "syntaxes" / "stoffel.tmLanguage.json"
VSIX = EXT / "dist" / "stoffel-lang.vsix"

KEYWORDS = [
    "var",
    "def",
    "main",
    "builtin",
    "type",
    "object",
    "enum",
    "if",
    "else",
    "elif",
    "while",
    "for",
    "in",
    "break",
    "continue",
    "pass",
    "return",
    "secret",
    "discard",
    "import",
    "as",
    "match",
    "case",
    "assert",
]
WORD_OPERATORS = ["and", "or", "xor", "not", "shl", "shr", "mod"]
CONSTANTS = ["True", "False", "None"]
TYPES = [
    "int64",
    "i64",
    "int32",
    "i32",
    "uint8",
    "u8",
    "float",
    "f64",
    "fix64",
    "fixed",
    "bool",
    "string",
    "list",
    "dict",
    "bytes",
]
NAMESPACES = [
    "Share",
    "ClientStore",
    "Mpc",
    "Field",
    "MpcOutput",
    "LocalStorage",
    "Crypto",
    "Bytes",
]

REQUIRED_SCOPES = [
    "source.stoffel",
    "storage.modifier.secret.stoffel",
    "keyword.control.conditional.stoffel",
    "keyword.control.loop.stoffel",
    "keyword.control.flow.stoffel",
    "keyword.control.import.stoffel",
    "keyword.control.conditional.match.stoffel",
    "keyword.control.conditional.case.stoffel",
    "keyword.other.assert.stoffel",
    "keyword.other.discard.stoffel",
    "storage.type.var.stoffel",
    "storage.type.function.stoffel",
    "storage.type.object.stoffel",
    "storage.type.enum.stoffel",
    "storage.modifier.builtin.stoffel",
    "entity.name.function.stoffel",
    "entity.name.type.object.stoffel",
    "entity.name.type.enum.stoffel",
    "variable.parameter.function.stoffel",
    "keyword.operator.logical.stoffel",
    "keyword.operator.arithmetic.mod.stoffel",
    "keyword.operator.bitwise.shift.stoffel",
    "constant.language.boolean.stoffel",
    "constant.language.none.stoffel",
    "support.type.primitive.stoffel",
    "support.type.collection.stoffel",
    "support.class.builtin.stoffel",
    "constant.numeric.integer.decimal.stoffel",
    "constant.numeric.integer.hexadecimal.stoffel",
    "constant.numeric.integer.binary.stoffel",
    "constant.numeric.integer.octal.stoffel",
    "keyword.other.unit.suffix.integer.stoffel",
    "constant.numeric.float.stoffel",
    "string.quoted.double.stoffel",
    "constant.character.escape.stoffel",
    "invalid.illegal.unrecognized-escape.stoffel",
    "string.interpolated.stoffel",
    "meta.interpolation.stoffel",
    "constant.character.escape.brace.stoffel",
    "comment.line.number-sign.stoffel",
    "keyword.operator.arithmetic.stoffel",
    "keyword.operator.comparison.stoffel",
    "keyword.operator.assignment.stoffel",
    "keyword.operator.assignment.compound.stoffel",
    "keyword.operator.arrow.stoffel",
    "keyword.operator.range.stoffel",
    "meta.pragma.stoffel",
    "keyword.other.pragma.stoffel",
]


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _scope_names(node: Any) -> set[str]:
    """Every scope named anywhere in a grammar (``name``/``contentName``, space separated)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("name", "contentName", "scopeName") and isinstance(value, str):
                found.update(value.split())
            else:
                found |= _scope_names(value)
    elif isinstance(node, list):
        for item in node:
            found |= _scope_names(item)
    return found


def _regexes(node: Any) -> list[str]:
    out: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("match", "begin", "end") and isinstance(value, str):
                out.append(value)
            else:
                out.extend(_regexes(value))
    elif isinstance(node, list):
        for item in node:
            out.extend(_regexes(item))
    return out


# --------------------------------------------------------------------------- static checks


def test_grammar_is_valid_json_and_names_the_scopes() -> None:
    grammar = _load(GRAMMAR)
    assert grammar["scopeName"] == "source.stoffel"
    assert grammar["patterns"]
    scopes = _scope_names(grammar)
    missing = [s for s in REQUIRED_SCOPES if s not in scopes]
    assert not missing, f"grammar lacks scopes: {missing}"


def test_grammar_includes_resolve() -> None:
    grammar = _load(GRAMMAR)
    repo = grammar["repository"]
    text = GRAMMAR.read_text(encoding="utf-8")
    includes = set(re.findall(r'"include":\s*"#([\w-]+)"', text))
    assert includes, "expected repository includes"
    assert includes <= set(repo), f"dangling includes: {sorted(includes - set(repo))}"


@pytest.mark.parametrize(
    "word", KEYWORDS + WORD_OPERATORS + CONSTANTS + TYPES + NAMESPACES, ids=str
)
def test_grammar_mentions_every_word(word: str) -> None:
    pattern = re.compile(rf"(?<![\w]){re.escape(word)}(?![\w])")
    regexes = [rx.replace(r"\b", " ") for rx in _regexes(_load(GRAMMAR))]
    assert any(pattern.search(rx) for rx in regexes), word


def test_package_manifest() -> None:
    pkg = _load(EXT / "package.json")
    assert pkg["name"] == "stoffel-lang"
    assert pkg["publisher"] == "stoffel"
    assert pkg["engines"]["vscode"] == "^1.91.0"
    assert pkg["main"] == "./dist/extension.js"
    assert "onLanguage:stoffel" in pkg["activationEvents"]
    contributes = pkg["contributes"]
    (lang,) = contributes["languages"]
    assert lang["id"] == "stoffel"
    assert "StoffelLang" in lang["aliases"]
    assert lang["extensions"] == [".stfl"]
    (grammar,) = contributes["grammars"]
    assert grammar["scopeName"] == "source.stoffel"
    assert (EXT / grammar["path"]).is_file()
    assert (EXT / contributes["snippets"][0]["path"]).is_file()
    assert (EXT / lang["configuration"]).is_file()
    props = contributes["configuration"]["properties"]
    for key in (
        "stoffel.server.path",
        "stoffel.server.pythonPath",
        "stoffel.server.args",
        "stoffel.trace.server",
    ):
        assert key in props, key
    assert props["stoffel.trace.server"]["enum"] == ["off", "messages", "verbose"]
    commands = {c["command"]: c for c in contributes["commands"]}
    restart = commands["stoffel.restartServer"]
    assert f"{restart['category']}: {restart['title']}" == "Stoffel: Restart Language Server"
    for script in ("compile", "typecheck", "test:grammar", "package"):
        assert script in pkg["scripts"], script
    assert pkg["devDependencies"]["@vscode/vsce"].startswith("^3")
    assert (EXT / "package-lock.json").is_file()
    assert (EXT / "LICENSE").is_file()


def test_language_configuration() -> None:
    conf = _load(EXT / "language-configuration.json")
    assert conf["comments"]["lineComment"] == "#"
    opens = {pair["open"] for pair in conf["autoClosingPairs"]}
    assert {"(", "[", "{", '"'} <= opens
    assert "'" not in opens, "StoffelLang has no single-quoted strings"
    assert all("'" not in pair for pair in conf["surroundingPairs"])
    assert conf["folding"]["offSide"] is True
    increase = re.compile(conf["indentationRules"]["increaseIndentPattern"])
    assert increase.search("  if x > 1:")
    assert increase.search("def main() -> int64:  # entry")
    assert not increase.search("  x = 1")
    assert conf["onEnterRules"]
    assert conf["wordPattern"]


def test_snippets_cover_the_common_forms() -> None:
    snippets = _load(EXT / "snippets" / "stoffel.json")
    bodies = {name: "\n".join(s["body"]) for name, s in snippets.items()}
    text = "\n".join(bodies.values())
    for needle in (
        "def ${1:name}(",
        "def main(",
        "elif ",
        "else:",
        "..${3:n}:",
        "while ",
        "object ${1:Name}:",
        "enum ${1:Name}:",
        "match ${1:value}:",
        "case _:",
        ": secret ",
        ".reveal()",
        "ClientStore.take_share(",
        ".send_to_client(",
    ):
        assert needle in text, needle
    for body in bodies.values():
        assert "\t" not in body, "snippets indent with 2 spaces"


def test_grammar_fixtures_exist() -> None:
    fixtures = sorted((EXT / "test" / "grammar").glob("*.stfl"))
    assert len(fixtures) >= 4
    for fixture in fixtures:
        first = fixture.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith('# SYNTAX TEST "source.stoffel"'), fixture.name


# --------------------------------------------------------------------------- full CI

NPM = shutil.which("npm")
needs_npm = pytest.mark.skipif(
    NPM is None, reason="npm is not on PATH: the VS Code extension CI needs Node >= 20 and npm"
)


@pytest.fixture(scope="module")
def ci_run() -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CI="1")
    result = subprocess.run(
        ["bash", str(EXT / "ci.sh")],
        cwd=EXT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if result.returncode != 0:
        tail = (result.stdout + result.stderr)[-6000:]
        pytest.fail(f"editors/vscode/ci.sh failed (exit {result.returncode}):\n{tail}")
    return result


@needs_npm
def test_ci_script_passes(ci_run: subprocess.CompletedProcess[str]) -> None:
    assert "RESULT: OK" in ci_run.stdout
    for step in ("install", "typecheck", "grammar", "unit", "compile", "package", "smoke"):
        assert re.search(rf"^\s+ok\s+{step}\b", ci_run.stdout, re.MULTILINE), step


@needs_npm
def test_vsix_contents(ci_run: subprocess.CompletedProcess[str]) -> None:
    assert VSIX.is_file(), ci_run.stdout[-2000:]
    with zipfile.ZipFile(VSIX) as vsix:
        names = set(vsix.namelist())
        for required in (
            "extension/package.json",
            "extension/syntaxes/stoffel.tmLanguage.json",
            "extension/dist/extension.js",
            "extension/language-configuration.json",
            "extension/snippets/stoffel.json",
            "extension.vsixmanifest",
        ):
            assert required in names, required
        assert not any(n.startswith("extension/node_modules/") for n in names)
        assert not any(n.startswith("extension/src/") for n in names)
        assert not any(n.startswith("extension/test/") for n in names)
        assert not any(n.endswith((".map", ".ts", ".lock", ".vsix")) for n in names), names
        manifest = json.loads(vsix.read("extension/package.json"))
        assert manifest["name"] == "stoffel-lang"
        assert manifest["publisher"] == "stoffel"
        bundled_grammar = json.loads(vsix.read("extension/syntaxes/stoffel.tmLanguage.json"))
        assert bundled_grammar["scopeName"] == "source.stoffel"
        bundle = vsix.read("extension/dist/extension.js").decode("utf-8")
        assert "stoffel.restartServer" in bundle
        assert "stoffel.lsp" in bundle


@needs_npm
def test_valid_programs_highlight_without_invalid_tokens(
    ci_run: subprocess.CompletedProcess[str],
) -> None:
    """The stdlib and the valid test cases must not contain any ``invalid.*`` token."""
    targets = [p for p in (REPO / "stdlib", REPO / "tests" / "cases" / "valid") if p.exists()]
    targets += [p for p in (REPO / "examples").glob("*.stfl") if p.name != "mistakes.stfl"]
    if not targets:
        pytest.skip("no StoffelLang sources to check")
    node = shutil.which("node")
    assert node, "npm is present but node is not"
    result = subprocess.run(
        [node, "test/corpus.mjs", *map(str, targets)],
        cwd=EXT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
