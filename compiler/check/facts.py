"""What the checker produces: the typed, analysed program (``CheckedProgram``).

Consumers (the SSA lowering, the language server) read these tables, all keyed by AST
node identity:

* ``types[expr]`` – the type of every checked expression (``type_of`` defaults to unknown)
* ``calls[call]`` – a ``CallInfo``: what is called (user function, builtin, constructor),
  the instantiated signature (type variables substituted), the generic bindings, and
  the arguments in parameter order with UFCS receivers prepended and defaults injected
* ``enum_values[attribute]`` – the int64 constant of each ``Enum.Member`` use
* ``oblivious_ifs[if_stmt]`` – for an ``if`` with a secret condition, the index of the
  first branch whose condition is secret; that branch and all later ones (and ``else``)
  run obliviously (DESIGN.md §3); ``oblivious_matches`` holds each ``match`` whose
  subject is secret (its cases compare obliviously, like an ``if``/``elif`` chain)
* ``functions[symbol]`` – ``FunctionInfo`` per user function: signature, direct effects,
  callees and ``effect_free`` (closed over the call graph)
* ``index`` – name resolution (``stoffel.compiler.resolve.symbols.ResolutionIndex``)
* ``main`` – the ``def main`` symbol of the entry module, if any

Helpers: ``type_of(expr)``, ``expression_at(file, line, column)`` (hover),
``symbol_of(node)``, ``function_of(def_node)``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

import attrs

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.resolve.symbols import ResolutionIndex, Signature, Symbol
from stoffel.compiler.source import Span
from stoffel.compiler.types.types import UNKNOWN, Type


class CallKind(enum.StrEnum):
    FUNCTION = "function"  # a user ``def``
    BUILTIN = "builtin"  # a stdlib ``{.builtin.}`` function or builtin-object method
    CONSTRUCTOR = "constructor"  # ``Point(x: 1)``
    UNKNOWN = "unknown"  # the call did not resolve (already reported)


@attrs.frozen
class CallInfo:
    kind: CallKind
    callee: Symbol | None
    signature: Signature | None  # instantiated: no type variables left
    type_args: Mapping[str, Type] = attrs.field(factory=dict)
    # One expression per non-variadic parameter, in order (defaults are the ``Param``'s
    # default literal); ``variadic`` holds the extra arguments packed into the list.
    arguments: tuple[ast.Expr, ...] = ()
    variadic: tuple[ast.Expr, ...] = ()
    fields: Mapping[str, ast.Expr] = attrs.field(factory=dict)  # constructors
    returns: Type = UNKNOWN


@attrs.frozen
class Effect:
    """Something a function does that must not happen under a secret condition."""

    kind: str  # "print", "reveal", "client output", "store", "list mutation", ...
    span: Span | None


@attrs.define(eq=False)
class FunctionInfo:
    symbol: Symbol
    node: ast.FunctionDef
    signature: Signature
    effects: list[Effect] = attrs.field(factory=list)
    callees: list[Symbol] = attrs.field(factory=list)
    effect_free: bool = True  # final after checking: no effects, transitively


@attrs.define
class CheckedProgram:
    modules: list[ast.Module]
    index: ResolutionIndex
    types: dict[ast.Expr, Type] = attrs.field(factory=dict)
    calls: dict[ast.Call, CallInfo] = attrs.field(factory=dict)
    enum_values: dict[ast.Attribute, int] = attrs.field(factory=dict)
    oblivious_ifs: dict[ast.If, int] = attrs.field(factory=dict)
    oblivious_matches: set[ast.Match] = attrs.field(factory=set)
    functions: dict[Symbol, FunctionInfo] = attrs.field(factory=dict)
    main: Symbol | None = None

    def type_of(self, expr: ast.Expr) -> Type:
        return self.types.get(expr, UNKNOWN)

    def expression_at(self, file: str, line: int, column: int) -> ast.Expr | None:
        """The narrowest checked expression covering a position (for hover)."""
        best: ast.Expr | None = None
        for expr in self.types:
            span = expr.span
            if span.file != file:
                continue
            if not (span.line, span.column) <= (line, column) <= (span.end_line, span.end_column):
                continue
            if best is None or span.end - span.start < best.span.end - best.span.start:
                best = expr
        return best

    def symbol_of(self, node: ast.Node) -> Symbol | None:
        """The symbol a name use or declaration node denotes (Name, Attribute, VarDecl…)."""
        return self.index.node_symbols.get(node)

    def function_of(self, node: ast.FunctionDef) -> FunctionInfo | None:
        return next((f for f in self.functions.values() if f.node is node), None)
