"""Diagnostics after an edit without re-checking the whole file.

Checking a 2,000-line file takes longer than an editor may wait, yet a keystroke
changes one function. Given the previous version's diagnostics (the *baseline*) this
module computes the new version's diagnostics by checking a reduced program:

* statements whose text did not change keep their baseline diagnostics (moved by the
  number of lines inserted above them);
* the changed statements must be ``def``s whose header (name, parameters, return type,
  pragmas) is unchanged, so nothing else can see a difference — except through
  effects (DESIGN §3: calls under a secret ``if``), so a change of the function's
  "effect free" status falls back to a full check;
* the reduced program keeps the changed functions and every top-level statement that
  is not a ``def``; the other ``def``s keep their header and get a one-line body —
  ``pass`` if they are effect free, ``print()`` if not — since their signatures and
  effect-freedom are all the changed code can observe (an "it has effects (K)"
  message names the callee's real first effect K, taken from the baseline);
  diagnostics found outside the changed statements are discarded;
* a file with syntax errors gets no type diagnostics at all (as in the driver), so
  then no check is needed.

Anything else (a header changed, statements added or removed, imports changed, too
many changes) returns None and the caller runs the full check.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from typing import Final

import attrs

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.checker import check_program
from stoffel.compiler.check.facts import CheckedProgram
from stoffel.compiler.diagnostics import Code, Diagnostic, Note
from stoffel.compiler.driver import Compilation
from stoffel.compiler.fmt.headers import function as header_text
from stoffel.compiler.resolve.modules import ModuleInfo, Program
from stoffel.compiler.source import Span

MAX_CHANGED: Final[int] = 3


@attrs.frozen
class Baseline:
    """What the next version needs from this one."""

    module: ast.Module
    lines: Sequence[str]
    diagnostics: tuple[Diagnostic, ...]
    effect_free: Mapping[ast.FunctionDef, bool]
    first_effect: Mapping[str, str]  # entry function name → kind of its first effect
    overlays: Mapping[str, str]


@attrs.frozen
class Quick:
    diagnostics: list[Diagnostic]
    effect_free: dict[ast.FunctionDef, bool]
    first_effect: dict[str, str]
    checked: CheckedProgram | None  # the reduced program's facts (for notes), if checked


def quick_diagnostics(
    baseline: Baseline, compilation: Compilation, lines: Sequence[str]
) -> Quick | None:
    if baseline.overlays != compilation.overlays:
        return None
    program = compilation.program
    entry = program.entry
    if any(d.code is Code.INTERNAL for d in program.diagnostics):
        return None
    if _has_syntax_errors(program.diagnostics, entry.source.path):
        return _syntax_only(baseline, program, entry)
    if _has_syntax_errors(baseline.diagnostics, entry.source.path):
        return None  # the baseline has no type diagnostics to reuse
    old, new = baseline.module.body, entry.module.body
    if len(old) != len(new):
        return None
    changed: list[int] = []
    for index, (before, after) in enumerate(zip(old, new, strict=True)):
        if before is after or _same_text(baseline.lines, before, lines, after):
            continue
        if not _same_header(before, after):
            return None
        changed.append(index)
    if len(changed) > MAX_CHANGED or _infers_globals(new):
        return None
    effect_free = _carry_effects(baseline, old, new)
    first_effect = dict(baseline.first_effect)
    if changed:
        reduced = _reduced_program(program, entry, new, set(changed), effect_free)
        checked, found = check_program(reduced)
        for index in changed:
            info = checked.function_of(new[index])
            status = info.effect_free if info is not None else True
            if status != baseline.effect_free.get(old[index], status):  # type: ignore[arg-type]
                return None
            effect_free[new[index]] = status  # type: ignore[index]
            if info is not None and not status:
                first_effect[info.node.name] = _first_effect(checked, info.symbol)
    else:
        checked, found = None, []
    path = os.path.abspath(entry.source.path)
    fresh = [
        _real_effect(d, first_effect) for d in found if _inside(d, path, [new[i] for i in changed])
    ]
    kept = _moved(baseline, path, old, new, changed)
    merged = _unique([*compilation._problems, *program.diagnostics, *kept, *fresh])
    return Quick(
        diagnostics=merged, effect_free=effect_free, first_effect=first_effect, checked=checked
    )


def _has_syntax_errors(diagnostics: Sequence[Diagnostic], path: str) -> bool:
    path = os.path.abspath(path)
    return any(
        d.code is Code.SYNTAX and d.span is not None and os.path.abspath(d.span.file) == path
        for d in diagnostics
    )


def _syntax_only(baseline: Baseline, program: Program, entry: ModuleInfo) -> Quick:
    """A broken entry file shows only its syntax errors; other files keep theirs."""
    path = os.path.abspath(entry.source.path)
    others = [
        d
        for d in baseline.diagnostics
        if d.span is not None and os.path.abspath(d.span.file) != path and d.code is not Code.SYNTAX
    ]
    return Quick(
        diagnostics=_unique([*program.diagnostics, *others]),
        effect_free=dict(baseline.effect_free),
        first_effect=dict(baseline.first_effect),
        checked=None,
    )


def _same_text(
    old_lines: Sequence[str], before: ast.Stmt, new_lines: Sequence[str], after: ast.Stmt
) -> bool:
    if type(before) is not type(after):
        return False
    a, b = before.span, after.span
    if a.end_line - a.line != b.end_line - b.line:
        return False
    return old_lines[a.line - 1 : a.end_line] == new_lines[b.line - 1 : b.end_line]


def _same_header(before: ast.Stmt, after: ast.Stmt) -> bool:
    return (
        isinstance(before, ast.FunctionDef)
        and isinstance(after, ast.FunctionDef)
        and before.body is not None
        and after.body is not None
        and header_text(before) == header_text(after)
    )


def _carry_effects(
    baseline: Baseline, old: Sequence[ast.Stmt], new: Sequence[ast.Stmt]
) -> dict[ast.FunctionDef, bool]:
    carried: dict[ast.FunctionDef, bool] = {}
    for before, after in zip(old, new, strict=True):
        if (
            isinstance(before, ast.FunctionDef)
            and isinstance(after, ast.FunctionDef)
            and before in baseline.effect_free
        ):
            carried[after] = baseline.effect_free[before]
    return carried


def _reduced_program(
    program: Program,
    entry: ModuleInfo,
    body: Sequence[ast.Stmt],
    changed: set[int],
    effect_free: Mapping[ast.FunctionDef, bool],
) -> Program:
    reduced: list[ast.Stmt] = []
    for index, stmt in enumerate(body):
        if index not in changed and isinstance(stmt, ast.FunctionDef) and stmt.body:
            reduced.append(attrs.evolve(stmt, body=(_stub(stmt, effect_free.get(stmt)),)))
        else:
            reduced.append(stmt)
    module = attrs.evolve(entry.module, body=tuple(reduced))
    info = ModuleInfo(entry.path, entry.key, entry.source, module, imports=entry.imports)
    modules = [info if m is entry else m for m in program.modules]
    return Program(info, modules, program.diagnostics)


def _stub(node: ast.FunctionDef, effect_free: bool | None) -> ast.Stmt:
    assert node.body
    span = node.body[0].span
    if effect_free:
        return ast.Pass(span=span)
    call = ast.Call(func=ast.Name(id="print", span=span), span=span)
    return ast.ExprStmt(expr=call, span=span)


def _infers_globals(body: Sequence[ast.Stmt]) -> bool:
    """A top-level ``var xs = []`` takes its type from uses, possibly in stubbed code."""
    return any(
        isinstance(s, ast.VarDecl) and s.type is None and isinstance(s.value, ast.ListLit)
        for s in body
    )


_EFFECTFUL_CALL: Final = re.compile(
    r"^(Cannot call '([^']+)' .*: it has effects \()print(\).*)$", re.S
)


def _real_effect(diagnostic: Diagnostic, first_effect: Mapping[str, str]) -> Diagnostic:
    """A stub's effect is ``print``; name the callee's real first effect instead."""
    match = _EFFECTFUL_CALL.match(diagnostic.message)
    if match is None:
        return diagnostic
    kind = first_effect.get(match.group(2).rsplit(".", 1)[-1], "print")
    return attrs.evolve(diagnostic, message=f"{match.group(1)}{kind}{match.group(3)}")


def first_effects(checked: CheckedProgram, module: ast.Module) -> dict[str, str]:
    """Kind of the first effect of every effectful top-level function of ``module``."""
    top = set(map(id, module.body))
    return {
        info.node.name: _first_effect(checked, info.symbol)
        for info in checked.functions.values()
        if id(info.node) in top and not info.effect_free
    }


def _first_effect(checked: CheckedProgram, symbol: object) -> str:
    # The checker's rule (secrecy._first_effect): depth-first over callees.
    functions = checked.functions
    seen: set[int] = set()
    stack = [functions[symbol]] if symbol in functions else []  # type: ignore[index]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if current.effects:
            return current.effects[0].kind
        stack.extend(functions[c] for c in current.callees if c in functions)
    return "effects"


def _inside(diagnostic: Diagnostic, path: str, statements: Sequence[ast.Stmt]) -> bool:
    span = diagnostic.span
    if span is None or os.path.abspath(span.file) != path:
        return False
    return any(s.span.line <= span.line <= s.span.end_line for s in statements)


def _moved(
    baseline: Baseline,
    path: str,
    old: Sequence[ast.Stmt],
    new: Sequence[ast.Stmt],
    changed: list[int],
) -> list[Diagnostic]:
    """Baseline type diagnostics outside the changed statements, at their new lines."""
    shifts = [(o.span.line, o.span.end_line, n.span.line - o.span.line, n.span.start - o.span.start)
              for o, n in zip(old, new, strict=True)]  # fmt: skip
    dropped = [(old[i].span.line, old[i].span.end_line) for i in changed]
    kept: list[Diagnostic] = []
    for diagnostic in baseline.diagnostics:
        span = diagnostic.span
        if diagnostic.code is Code.SYNTAX:
            continue
        if span is None or os.path.abspath(span.file) != path:
            kept.append(diagnostic)
            continue
        if any(low <= span.line <= high for low, high in dropped):
            continue
        kept.append(_shift(diagnostic, path, shifts))
    return kept


def _shift(
    diagnostic: Diagnostic, path: str, shifts: list[tuple[int, int, int, int]]
) -> Diagnostic:
    def move(span: Span | None) -> Span | None:
        if span is None or os.path.abspath(span.file) != path:
            return span
        # The statement containing the line, else the last one above it.
        lines, chars = 0, 0
        for low, high, delta, offset in shifts:
            if low <= span.line:
                lines, chars = delta, offset
            if low <= span.line <= high:
                break
        if not lines and not chars:
            return span
        return attrs.evolve(span, line=span.line + lines, end_line=span.end_line + lines,
                            start=span.start + chars, end=span.end + chars)  # fmt: skip

    notes = tuple(Note(message=n.message, span=move(n.span)) for n in diagnostic.notes)
    return attrs.evolve(diagnostic, span=move(diagnostic.span), notes=notes)


def _unique(found: list[Diagnostic]) -> list[Diagnostic]:
    unique: list[Diagnostic] = []
    seen: set[Diagnostic] = set()
    for diagnostic in found:
        if diagnostic not in seen:
            seen.add(diagnostic)
            unique.append(diagnostic)
    return sorted(unique, key=_position)


def _position(d: Diagnostic) -> tuple[str, int, int, str, str]:
    if d.span is None:
        return ("", 0, 0, d.code.value, d.message)
    return (d.span.file, d.span.line, d.span.column, d.code.value, d.message)
