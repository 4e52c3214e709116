"""Calls (spec §2.3, §2.8): callee resolution with UFCS and receiver-bound builtin
methods, argument binding (named arguments, defaults, variadics), generic
instantiation, constructors, and the special builtins (``len``, ``reveal``,
``Share.random``)."""

from __future__ import annotations

import attrs

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.binding import ArgumentBinding, BoundArg, has_typevars, unify
from stoffel.compiler.check.context import CheckerBase
from stoffel.compiler.check.expressions import METHOD_SUGGESTIONS, ExpressionChecks
from stoffel.compiler.check.facts import CallInfo, CallKind
from stoffel.compiler.check.flows import FlowChecks
from stoffel.compiler.check.suggest import did_you_mean, suggest
from stoffel.compiler.resolve.symbols import (
    CALLABLE_KINDS,
    TYPE_KINDS,
    Signature,
    Symbol,
    SymbolKind,
    name_span,
)
from stoffel.compiler.source import Span
from stoffel.compiler.types.compat import Mismatch, join, mismatch
from stoffel.compiler.types.types import (
    SCALAR_NAMES,
    SHARE,
    STRING,
    UNKNOWN,
    Bool,
    Int,
    ListT,
    Obj,
    Secret,
    Type,
    TypeVar,
    clear,
    contains_secret,
    is_secret,
    is_unknown,
    substitute,
)

_INFERRING = frozenset({"append", "insert", "extend"})
_TYPE_NAMESPACES = frozenset({SymbolKind.OBJECT, SymbolKind.ENUM, SymbolKind.TYPE_ALIAS})

# Builtins that compare list elements (or a value against them) with the VM's clear
# equality/ordering; spec §4 "List helpers".
CLEAR_COMPARING_BUILTINS = frozenset({"count", "index", "remove", "sort", "contains"})


def _as_type_expr(node: ast.Expr) -> ast.TypeExpr | None:
    """Read an expression written in type position (``int64``, ``list[int64]``)."""
    if isinstance(node, ast.Name):
        return ast.NamedType(span=node.span, name=node.id)
    if isinstance(node, ast.Index) and isinstance(node.value, ast.Name):
        inner = _as_type_expr(node.index)
        if inner is not None:
            return ast.GenericType(span=node.span, name=node.value.id, args=(inner,))
    return None


class CallChecks(ArgumentBinding, FlowChecks, ExpressionChecks, CheckerBase):
    untyped_lists: dict[Symbol, tuple[Type, int] | None]
    explicit: list[Type] | None = None  # `f[T](...)`: type arguments for the next invoke

    def visit_Call(self, node: ast.Call, expected: Type | None) -> Type:
        func = node.func
        if isinstance(func, ast.Name):
            return self.call_name(node, func, expected)
        if isinstance(func, ast.Attribute):
            return self.call_attribute(node, func, expected)
        if isinstance(func, ast.Index) and isinstance(func.value, ast.Name | ast.Attribute):
            explicit = self.explicit_type_args(func.index)
            if explicit is not None:
                return self.call_instantiated(node, func, explicit, expected)
        self.expr(func)
        self.semantic_error("Expression is not callable", func.span)
        return self.unresolved(node)

    def explicit_type_args(self, index: ast.Expr) -> list[Type] | None:
        """``f[int64](x)``: the bracket holds type names, not an index expression."""
        written = _as_type_expr(index)
        if written is None:
            return None
        first = written.name if isinstance(written, ast.NamedType | ast.GenericType) else ""
        symbol = self.lookup(first)
        builtin_type = first in SCALAR_NAMES or first in ("list", "dict")
        if not builtin_type and (symbol is None or symbol.kind not in TYPE_KINDS):
            return None
        return [self.resolve_type(written)]

    def call_instantiated(
        self, node: ast.Call, func: ast.Index, explicit: list[Type], expected: Type | None
    ) -> Type:
        plain = attrs.evolve(node, func=func.value)
        self.explicit = explicit
        try:
            found = self.visit_Call(plain, expected)
        finally:
            self.explicit = None
        if plain in self.result.calls:
            self.result.calls[node] = self.result.calls.pop(plain)
        return found

    def unresolved(self, node: ast.Call, skip_first: bool = False) -> Type:
        for arg in node.args[1 if skip_first else 0 :]:
            self.expr(arg)
        for keyword in node.keywords:
            self.expr(keyword.value)
        self.result.calls[node] = CallInfo(CallKind.UNKNOWN, None, None)
        return UNKNOWN

    # ------------------------------------------------------------- resolution

    def call_name(self, node: ast.Call, func: ast.Name, expected: Type | None) -> Type:
        symbol = self.lookup(func.id)
        if symbol is not None and symbol.kind in CALLABLE_KINDS:
            self.use(func, func.span, symbol)
            return self.invoke(node, symbol, func.id, func.span, None, expected)
        if symbol is not None and symbol.kind is SymbolKind.OBJECT:
            self.use(func, func.span, symbol)
            return self.construct(node, symbol)
        if symbol is not None:
            self.use(func, func.span, symbol)
            self.semantic_error(f"'{func.id}' is not a function", func.span)
            return self.unresolved(node)
        if node.args:
            receiver = (node.args[0], self.expr(node.args[0]))
            method = self.receiver_method(func.id, receiver[1])
            if method is not None:
                self.use(func, func.span, method)
                return self.invoke(node, method, func.id, func.span, receiver, expected)
            self.undeclared_function(func.id, func.span)
            return self.unresolved(node, skip_first=True)
        self.undeclared_function(func.id, func.span)
        return self.unresolved(node)

    def call_attribute(self, node: ast.Call, func: ast.Attribute, expected: Type | None) -> Type:
        span = name_span(func.span, func.attr, from_end=True)
        member = self.module_member(func)
        if member is not None:
            if member.kind in CALLABLE_KINDS:
                return self.invoke(node, member, func.attr, span, None, expected)
            if member.kind is SymbolKind.OBJECT:
                return self.construct(node, member)
            if member.kind is not SymbolKind.MODULE:
                self.semantic_error(f"'{func.attr}' is not a function", span)
            return self.unresolved(node)
        if isinstance(func.value, ast.Name):
            owner = self.lookup(func.value.id)
            if owner is not None and owner.kind is SymbolKind.BUILTIN_OBJECT:
                self.use(func.value, func.value.span, owner)
                method = owner.members.get(func.attr)
                if method is None:
                    self.semantic_error(
                        f"Unknown method '{func.attr}' on builtin object '{owner.name}'",
                        span,
                        hint=did_you_mean(func.attr, owner.members),
                    )
                    return self.unresolved(node)
                self.use(func, span, method)
                name = f"{owner.name}.{func.attr}"
                return self.invoke(node, method, name, span, None, expected)
            if owner is not None and owner.kind in _TYPE_NAMESPACES:
                # `Point.create(...)`: a type name is no namespace for functions.
                self.use(func.value, func.value.span, owner)
                self.semantic_error(
                    f"'{owner.name}.{func.attr}' is not a valid function name",
                    func.span,
                    hint=f"StoffelLang has no methods; define a function '{func.attr}' and "
                    "call it directly",
                )
                return self.unresolved(node)
        receiver = (func.value, self.expr(func.value))
        symbol = self.lookup(func.attr)
        if symbol is not None and symbol.kind in CALLABLE_KINDS:
            self.use(func, span, symbol)
            return self.invoke(node, symbol, func.attr, span, receiver, expected)
        method = self.receiver_method(func.attr, receiver[1])
        if method is not None:
            self.use(func, span, method)
            return self.invoke(node, method, func.attr, span, receiver, expected)
        if symbol is not None:
            self.semantic_error(f"'{func.attr}' is not a function", span)
        elif isinstance(receiver[1], Obj) and receiver[1].name in self.objects:
            self.semantic_error(
                f"Method calls like '.{func.attr}()' are not supported",
                span,
                hint=f"objects have no methods; define 'def {func.attr}(x: "
                f"{receiver[1].name}, ...)' and call it as x.{func.attr}(...)",
            )
        elif func.attr in METHOD_SUGGESTIONS and not is_unknown(receiver[1]):
            self.semantic_error(
                f"Method '.{func.attr}()' is not supported",
                span,
                hint=f"use {METHOD_SUGGESTIONS[func.attr]}",
            )
        else:
            self.undeclared_function(func.attr, span)
        return self.unresolved(node)

    def receiver_method(self, name: str, receiver: Type) -> Symbol | None:
        """A builtin-object method whose first parameter takes the receiver (§2.8)."""
        if is_secret(receiver):
            owner = self.builtins.objects.get("Share")
        elif isinstance(receiver, Obj):
            owner = self.builtins.objects.get(receiver.name)
        else:
            owner = None
        if owner is None:
            return None
        method = owner.members.get(name)
        if method is None or method.signature is None or not method.signature.params:
            return None
        return method if method.signature.params[0].type == Obj(owner.name) else None

    def undeclared_function(self, name: str, span: Span) -> None:
        plain = [n for n, s in self.scope.visible().items() if s.kind in CALLABLE_KINDS]
        qualified = self.builtins.callable_names()
        hint = did_you_mean(name, plain + qualified)
        if hint is None:
            # `take_shar(...)` → 'ClientStore.take_share': match on the method name.
            methods = {q.rsplit(".", 1)[-1]: q for q in sorted(qualified, reverse=True)}
            found = suggest(name, methods)
            hint = f"Did you mean '{methods[found]}'?" if found else None
        self.semantic_error(f"Use of undeclared function '{name}'", span, hint=hint)

    # ----------------------------------------------------------------- invoke

    def invoke(
        self,
        node: ast.Call,
        symbol: Symbol,
        name: str,
        span: Span,
        receiver: tuple[ast.Expr, Type] | None,
        expected: Type | None,
    ) -> Type:
        sig = symbol.signature or Signature((), UNKNOWN)
        args = list(node.args)
        if receiver is not None and not (args and args[0] is receiver[0]):
            args.insert(0, receiver[0])  # `x.f(a)` is `f(x, a)`; `open(s)` already is
        bound_args, by_name = self.bind(node, symbol, name, span, args)
        explicit, self.explicit = self.explicit, None
        bindings: dict[str, Type] = dict(zip(sig.type_params, explicit or (), strict=False))
        for arg in bound_args:
            if receiver is not None and arg.expr is receiver[0]:
                arg.found = receiver[1]
            else:
                hint = None if has_typevars(arg.target) else arg.target
                if hint is None and isinstance(arg.target, TypeVar):
                    hint = bindings.get(arg.target.name)
                arg.found = self.expr(arg.expr, hint)
            unify(arg.target, arg.found, bindings)
        qualified = symbol.qualified_name
        if symbol.is_builtin and qualified in CLEAR_COMPARING_BUILTINS:
            self.reject_secret_comparison(name, bound_args)
        handled = self.infer_list_use(symbol, bound_args)
        for arg in bound_args:
            if handled:
                break
            self.check_argument(symbol, name, arg, bindings)
        returns = substitute(sig.returns, bindings)
        returns = self.special_return(node, symbol, qualified, bound_args, returns, expected)
        instantiated = Signature(
            tuple(attrs.evolve(p, type=substitute(p.type, bindings)) for p in sig.params),
            returns,
        )
        kind = CallKind.FUNCTION if symbol.kind is SymbolKind.FUNCTION else CallKind.BUILTIN
        fixed = [p for p in sig.params if not p.variadic]
        variadic = tuple(a.expr for a in bound_args if a.param.variadic)
        self.result.calls[node] = CallInfo(
            kind,
            symbol,
            instantiated,
            dict(bindings),
            tuple(by_name.get(p.name) or ast.ErrorExpr(span=span) for p in fixed),
            variadic,
            returns=returns,
        )
        self.note_call(node, symbol, name, span, [a.expr for a in bound_args])
        return returns

    def reject_secret_comparison(self, name: str, args: list[BoundArg]) -> None:
        """List helpers that compare elements run in the clear; on secrets they would
        reveal (or, on real shares, miscompute) how the secrets compare."""
        for arg in args:
            if contains_secret(arg.found):
                self.type_error(
                    f"'{name}' compares values in the clear and cannot be used on secret values",
                    arg.expr.span,
                    hint="loop over the elements with secret comparisons (==, <) instead",
                )
                return

    def check_argument(self, symbol: Symbol, name: str, arg: BoundArg, bindings: dict) -> None:
        target = substitute(arg.target, bindings)
        found = arg.found
        if symbol.qualified_name == "len" and found == STRING:
            return
        secret_slot = (isinstance(arg.target, Secret) and has_typevars(arg.target)) or (
            symbol.is_builtin and arg.target == SHARE
        )
        if secret_slot and not is_secret(found) and not is_unknown(found):
            if found != Obj("Object"):
                self.type_error(f"Expected secret value, found '{found}'", arg.expr.span)
            return
        kind = mismatch(found, target)
        if kind is None:
            return
        if kind is Mismatch.REVEAL:
            self.type_error(
                f"Cannot implicitly reveal '{found}' as '{target}'",
                arg.expr.span,
                hint="call .reveal() to reveal the value explicitly",
            )
        elif kind is Mismatch.INTEGER:
            self.type_error(
                f"Argument {arg.position} to function '{name}' has type '{found}', "
                f"but parameter expects '{target}'",
                arg.expr.span,
            )
        else:
            self.type_error(f"Type mismatch. Expected '{target}', found '{found}'", arg.expr.span)

    def special_return(
        self,
        node: ast.Call,
        symbol: Symbol,
        qualified: str,
        args: list[BoundArg],
        returns: Type,
        expected: Type | None,
    ) -> Type:
        if qualified == "Share.random":
            inner = clear(expected) if isinstance(expected, Secret) else None
            if not isinstance(inner, Int | Bool):
                self.type_error(
                    "Share.random() requires an expected secret integer type",
                    node.span,
                    hint="add a typed secret integer context, e.g. 'var r: secret int64 = "
                    "Share.random()'",
                )
                return SHARE
            return expected if expected is not None else SHARE
        if qualified in ("reveal", "Share.open") and args:
            found = args[0].found
            if isinstance(found, Secret):
                return found.inner
            if qualified == "reveal":
                return UNKNOWN
        return returns

    # ------------------------------------------------------- local inference

    def infer_list_use(self, symbol: Symbol, args: list[BoundArg]) -> bool:
        """``var xs = []`` then ``xs.append(v)``: the first use fixes the element type."""
        if not symbol.is_builtin or symbol.name not in _INFERRING or len(args) < 2:
            return False
        first = args[0].expr
        if not isinstance(first, ast.Name):
            return False
        variable = self.index.node_symbols.get(first)
        if variable is None or variable not in self.untyped_lists:
            return False
        value = args[-1]
        found = value.found
        if symbol.name == "extend":
            found = found.elem if isinstance(found, ListT) else UNKNOWN
        if is_unknown(found):
            return False
        origin = self.untyped_lists[variable]
        line = value.expr.span.line
        if origin is None:
            self.untyped_lists[variable] = (found, line)
            variable.type = ListT(found)
            return True
        previous, previous_line = origin
        if join(found, previous) is None:
            self.type_error(
                f"Cannot infer a single type for variable '{variable.name}': "
                f"'{symbol.name}' at line {previous_line} requires '{previous}', "
                f"but '{symbol.name}' at line {line} requires '{found}'",
                value.expr.span,
            )
            return True
        return False

    # -------------------------------------------------------------- objects

    def construct(self, node: ast.Call, obj: Symbol) -> Type:
        if node.args:
            self.semantic_error(
                f"Constructor for '{obj.name}' expects named field arguments",
                node.args[0].span,
                hint=f"use {obj.name}(field: value)",
            )
            for arg in node.args:
                self.expr(arg)
        seen: set[str] = set()
        fields: dict[str, ast.Expr] = {}
        for keyword in node.keywords:
            field = obj.members.get(keyword.name)
            span = name_span(keyword.span, keyword.name)
            if field is None:
                self.semantic_error(
                    f"Unknown field '{keyword.name}' for object '{obj.name}'",
                    span,
                    hint=did_you_mean(keyword.name, obj.members),
                )
                self.expr(keyword.value)
                continue
            if keyword.name in seen:
                self.semantic_error(
                    f"Duplicate field '{keyword.name}' in constructor for '{obj.name}'", span
                )
                self.expr(keyword.value)
                continue
            seen.add(keyword.name)
            fields[keyword.name] = keyword.value
            self.use(keyword, span, field)
            found = self.expr(keyword.value, field.type)
            self.check_assign(None, found, field.type, keyword.value.span)
        self.result.calls[node] = CallInfo(
            CallKind.CONSTRUCTOR, obj, None, fields=fields, returns=obj.type
        )
        return obj.type

    # Provided by the secrecy mixin.
    def note_call(
        self, node: ast.Call, symbol: Symbol, name: str, span: Span, args: list[ast.Expr]
    ) -> None:
        raise NotImplementedError
