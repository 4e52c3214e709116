"""Module loading: imports relative to the importing file, aliases, diamonds, cycles.

``load_program`` parses the entry file and, transitively, every file it imports (each
file once, so diamonds are compiled once), and orders the modules so that every module
comes after the modules it imports (the entry last). Problems — a missing file, an
import cycle — are diagnostics located at the offending ``import`` statement.

Resolution (spec §2.10): ``import a.b.c`` → ``<dir of importer>/a/b/c.stfl`` with prefix
``a.b.c``; ``import "../x.stfl"`` → that path joined to the importer's directory, prefix
the file stem; ``as m`` replaces the prefix; ``std.*`` imports are no-ops.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

import attrs

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.diagnostics import Diagnostic, semantic_error
from stoffel.compiler.source import SourceFile


@attrs.define(eq=False)
class ImportEdge:
    node: ast.Import
    target: ModuleInfo
    prefix: str  # the alias, else the dotted path, else the quoted file's stem


@attrs.define(eq=False)
class ModuleInfo:
    path: str  # normalised absolute path: the module's identity
    key: str  # the name the module is known by in messages
    source: SourceFile
    module: ast.Module
    imports: list[ImportEdge] = attrs.field(factory=list)


@attrs.define
class Program:
    entry: ModuleInfo
    modules: list[ModuleInfo]  # dependencies first, the entry last
    diagnostics: list[Diagnostic]

    def module_of(self, path: str) -> ModuleInfo | None:
        norm = os.path.abspath(path)
        return next((m for m in self.modules if m.path == norm), None)


Parse = Callable[[SourceFile], tuple[ast.Module, list[Diagnostic]]]


def is_std_import(node: ast.Import) -> bool:
    return not node.quoted and (node.path == "std" or node.path.startswith("std."))


def import_target(node: ast.Import, importer: str) -> tuple[str, str, str]:
    """(absolute path, display key, prefix) of an import in file ``importer``."""
    directory = os.path.dirname(os.path.abspath(importer))
    if node.quoted:
        relative = node.path
        stem = os.path.splitext(os.path.basename(node.path))[0]
        key = stem
    else:
        relative = os.path.join(*node.path.split(".")) + ".stfl"
        key = node.path
    path = os.path.normpath(os.path.join(directory, relative))
    return path, key, node.alias or key


class _Loader:
    def __init__(self, parse: Parse, overlays: Mapping[str, str]) -> None:
        self.parse = parse
        self.overlays = {os.path.abspath(k): v for k, v in overlays.items()}
        self.loaded: dict[str, ModuleInfo] = {}
        self.order: list[ModuleInfo] = []
        self.diagnostics: list[Diagnostic] = []
        self.stack: list[tuple[str, str]] = []  # (path, key) of modules being loaded

    def read(self, path: str, display: str) -> SourceFile | None:
        if path in self.overlays:
            return SourceFile(display, self.overlays[path])
        try:
            return SourceFile.read(display)
        except (OSError, ValueError):  # ValueError: a NUL byte in the path
            return None

    def load(self, source: SourceFile, path: str, key: str) -> ModuleInfo:
        module, problems = self.parse(source)
        self.diagnostics.extend(problems)
        info = ModuleInfo(path, key, source, module)
        self.loaded[path] = info
        self.stack.append((path, key))
        for stmt in module.body:
            if isinstance(stmt, ast.Import) and not is_std_import(stmt):
                edge = self.follow(stmt, source.path)
                if edge is not None:
                    info.imports.append(edge)
        self.stack.pop()
        self.order.append(info)
        return info

    def follow(self, node: ast.Import, importer: str) -> ImportEdge | None:
        path, key, prefix = import_target(node, importer)
        on_stack = [p for p, _ in self.stack]
        if path in on_stack:
            keys = [k for _, k in self.stack[on_stack.index(path) :]]
            cycle = " -> ".join([*keys, key])
            self.diagnostics.append(
                semantic_error(
                    f"Circular import detected involving '{key}'",
                    node.span,
                    hint=f"Import cycle: {cycle}",
                )
            )
            return None
        if path in self.loaded:
            return ImportEdge(node, self.loaded[path], prefix)
        display = os.path.relpath(path) if not os.path.isabs(importer) else path
        source = self.read(path, display)
        if source is None:
            shown = os.path.relpath(path, os.path.dirname(os.path.abspath(importer)))
            self.diagnostics.append(
                semantic_error(
                    f"Module '{node.path}' not found. Expected file at '{shown}'",
                    node.span,
                    hint="check the module path; imports are relative to the importing file",
                )
            )
            return None
        return ImportEdge(node, self.load(source, path, key), prefix)


def load_program(entry: SourceFile, overlays: Mapping[str, str], parse: Parse) -> Program:
    """Load ``entry`` and everything it imports; ``overlays`` replace files' text."""
    loader = _Loader(parse, overlays)
    absolute = os.path.abspath(entry.path)
    key = os.path.splitext(os.path.basename(entry.path))[0]
    info = loader.load(entry, absolute, key)
    return Program(info, loader.order, loader.diagnostics)
