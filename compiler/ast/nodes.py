"""The StoffelLang abstract syntax tree.

Every node is a frozen attrs class carrying a ``span``. The tree keeps the surface forms
that the formatter and the language server need (``elif`` chains, compound assignment,
f-strings, ``match``, comprehensions, slices); the checker and the lowering give them
their meaning (spec/language.md §5 lists upstream's desugarings, which we apply later
rather than in the parser so that the tree can be printed back faithfully).

Field order is part of the contract: the AST printer walks fields in declaration order.
Nodes hash by identity; structural comparison goes through ``printer.dump``.
"""

from __future__ import annotations

import attrs

from stoffel.compiler.source import Span

# Nodes compare and hash by identity, so side tables (types, resolved symbols) can be
# keyed by node. Compare trees structurally with ``printer.dump`` instead.
_node = attrs.frozen(kw_only=True, eq=False)


@_node
class Node:
    span: Span = attrs.field(repr=False)


# --------------------------------------------------------------------------- types


@_node
class TypeExpr(Node):
    """A written type."""


@_node
class NamedType(TypeExpr):
    """``int64``, ``Point``, ``T`` — also dotted module-qualified names (``m.Point``)."""

    name: str


@_node
class GenericType(TypeExpr):
    """``list[T]``, ``dict[K, V]``, or a user generic ``Name[T, ...]``."""

    name: str
    args: tuple[TypeExpr, ...]


@_node
class SecretType(TypeExpr):
    """``secret T``."""

    inner: TypeExpr


# --------------------------------------------------------------------- expressions


@_node
class Expr(Node):
    pass


@_node
class IntLit(Expr):
    """An integer literal; ``suffix`` is ``i8``…``u64`` or None (an untyped literal)."""

    value: int
    suffix: str | None = None
    text: str = ""


@_node
class FloatLit(Expr):
    value: float
    text: str = ""


@_node
class StrLit(Expr):
    value: str


@_node
class BoolLit(Expr):
    value: bool


@_node
class NoneLit(Expr):
    pass


@_node
class FString(Expr):
    """``f"a{x}b{p.q}"``: parts are ``StrLit`` pieces and interpolated ``Name``/``Attribute``."""

    parts: tuple[Expr, ...]


@_node
class Name(Expr):
    id: str


@_node
class BinOp(Expr):
    """Binary operators: ``or xor and == != < <= > >= in + - * / % mod shl shr``."""

    op: str
    left: Expr
    right: Expr


@_node
class UnaryOp(Expr):
    """``-x`` or ``not x``."""

    op: str
    operand: Expr


@_node
class Range(Expr):
    """``start..stop`` (stop exclusive); meaningful only as a ``for`` iterable."""

    start: Expr
    stop: Expr


@_node
class Keyword(Node):
    """A named argument ``name: value``."""

    name: str
    value: Expr


@_node
class Call(Expr):
    func: Expr
    args: tuple[Expr, ...] = ()
    keywords: tuple[Keyword, ...] = ()


@_node
class Attribute(Expr):
    """``value.attr`` — a field read, an enum member, or a qualified name (``Share.open``)."""

    value: Expr
    attr: str


@_node
class Index(Expr):
    value: Expr
    index: Expr


@_node
class Slice(Expr):
    """``value[start:stop:step]``; omitted parts are None."""

    value: Expr
    start: Expr | None = None
    stop: Expr | None = None
    step: Expr | None = None


@_node
class ListLit(Expr):
    elements: tuple[Expr, ...] = ()


@_node
class DictItem(Node):
    key: Expr
    value: Expr


@_node
class DictLit(Expr):
    items: tuple[DictItem, ...] = ()


@_node
class ListComp(Expr):
    """``[element for target in iterable if condition]``."""

    element: Expr
    target: str
    iterable: Expr
    condition: Expr | None = None


@_node
class ErrorExpr(Expr):
    """Placeholder left by syntax-error recovery; the checker ignores it silently."""


# ---------------------------------------------------------------------- statements


@_node
class Stmt(Node):
    pass


@_node
class VarDecl(Stmt):
    name: str
    type: TypeExpr | None = None
    value: Expr | None = None
    name_span: Span = attrs.field(repr=False)


@_node
class Assign(Stmt):
    """``target = value``, or compound ``target op= value`` when ``op`` is set (``+`` …)."""

    target: Expr
    value: Expr
    op: str | None = None


@_node
class ExprStmt(Stmt):
    expr: Expr


@_node
class Discard(Stmt):
    expr: Expr


@_node
class Pass(Stmt):
    pass


@_node
class Return(Stmt):
    value: Expr | None = None


@_node
class Break(Stmt):
    pass


@_node
class Continue(Stmt):
    pass


@_node
class Assert(Stmt):
    condition: Expr
    message: Expr | None = None


@_node
class IfBranch(Node):
    condition: Expr
    body: tuple[Stmt, ...]


@_node
class If(Stmt):
    """``if``/``elif`` branches in order, then an optional ``else`` body."""

    branches: tuple[IfBranch, ...]
    else_body: tuple[Stmt, ...] | None = None


@_node
class While(Stmt):
    condition: Expr
    body: tuple[Stmt, ...]


@_node
class For(Stmt):
    """``for target in iterable:``; more than one target is parsed, then rejected."""

    targets: tuple[str, ...]
    iterable: Expr
    body: tuple[Stmt, ...]
    target_span: Span = attrs.field(repr=False)


@_node
class Case(Node):
    """``case pattern:``; ``pattern`` is None for ``case _``."""

    pattern: Expr | None
    body: tuple[Stmt, ...]


@_node
class Match(Stmt):
    subject: Expr
    cases: tuple[Case, ...]


@_node
class Import(Stmt):
    """``import a.b.c [as m]`` (``quoted`` False) or ``import "x.stfl" [as m]``."""

    path: str
    quoted: bool = False
    alias: str | None = None


@_node
class Pragma(Node):
    """``{.name.}`` or ``{.name: value.}`` (value a string literal's content)."""

    name: str
    value: str | None = None


@_node
class Param(Node):
    name: str
    type: TypeExpr | None = None
    default: Expr | None = None
    variadic: bool = False


@_node
class FunctionDef(Stmt):
    """A ``def``. ``body`` is None for a body-less ``{.builtin.}`` declaration."""

    name: str
    type_params: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    return_type: TypeExpr | None = None
    pragmas: tuple[Pragma, ...] = ()
    body: tuple[Stmt, ...] | None = None
    name_span: Span = attrs.field(repr=False)


@_node
class FieldDecl(Node):
    name: str
    type: TypeExpr


@_node
class ObjectDef(Stmt):
    name: str
    base: str | None = None
    fields: tuple[FieldDecl, ...] = ()
    name_span: Span = attrs.field(repr=False)


@_node
class EnumMember(Node):
    name: str
    value: Expr | None = None


@_node
class EnumDef(Stmt):
    name: str
    members: tuple[EnumMember, ...] = ()
    name_span: Span = attrs.field(repr=False)


@_node
class TypeAlias(Stmt):
    """``type Name = T``."""

    name: str
    type: TypeExpr
    name_span: Span = attrs.field(repr=False)


@_node
class BuiltinType(Stmt):
    """stdlib only: ``builtin type Name [= T]`` or ``builtin opaque Name``."""

    name: str
    type: TypeExpr | None = None
    opaque: bool = False


@_node
class BuiltinObject(Stmt):
    """stdlib only: ``builtin object Name:`` holding ``{.builtin.}`` method declarations."""

    name: str
    methods: tuple[FunctionDef, ...] = ()


@_node
class ErrorStmt(Stmt):
    """Placeholder for a statement that failed to parse (already reported)."""


@_node
class Module(Node):
    """One source file."""

    path: str
    body: tuple[Stmt, ...]
