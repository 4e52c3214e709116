"""Argument binding (spec §2.3): positional, named, defaults, variadics; generic unification."""

from __future__ import annotations

import attrs

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.context import CheckerBase
from stoffel.compiler.check.suggest import did_you_mean
from stoffel.compiler.resolve.symbols import ParamInfo, Signature, Symbol, SymbolKind, name_span
from stoffel.compiler.source import Span
from stoffel.compiler.types.compat import join
from stoffel.compiler.types.types import (
    UNKNOWN,
    DictT,
    ListT,
    Secret,
    Type,
    TypeVar,
    is_unknown,
)


@attrs.define
class BoundArg:
    param: ParamInfo
    expr: ast.Expr
    target: Type  # the parameter type (element type for variadic extras)
    found: Type = UNKNOWN
    position: int = 0


def has_typevars(t: Type) -> bool:
    if isinstance(t, TypeVar):
        return True
    if isinstance(t, ListT | Secret):
        return has_typevars(t.elem if isinstance(t, ListT) else t.inner)
    if isinstance(t, DictT):
        return has_typevars(t.key) or has_typevars(t.value)
    return False


def unify(pattern: Type, actual: Type, bindings: dict[str, Type]) -> None:
    """Bind the type variables of ``pattern`` from an argument of type ``actual``."""
    if isinstance(pattern, TypeVar):
        bound = bindings.get(pattern.name)
        if bound is None or is_unknown(bound):
            bindings[pattern.name] = actual
        elif not is_unknown(actual):
            merged = join(actual, bound)
            if merged is not None:
                bindings[pattern.name] = merged
    elif isinstance(pattern, ListT) and isinstance(actual, ListT):
        unify(pattern.elem, actual.elem, bindings)
    elif isinstance(pattern, DictT) and isinstance(actual, DictT):
        unify(pattern.key, actual.key, bindings)
        unify(pattern.value, actual.value, bindings)
    elif isinstance(pattern, Secret) and isinstance(actual, Secret):
        unify(pattern.inner, actual.inner, bindings)


def _arity_text(required: int, total: int) -> str:
    return str(total) if required == total else f"{required} to {total}"


class ArgumentBinding(CheckerBase):
    # ---------------------------------------------------------------- binding

    def bind(
        self,
        node: ast.Call,
        symbol: Symbol,
        name: str,
        span: Span,
        args: list[ast.Expr],
    ) -> tuple[list[BoundArg], dict[str, ast.Expr]]:
        """Match arguments to parameters, reporting every §2.3 call-shape error."""
        sig = symbol.signature or Signature((), UNKNOWN)
        fixed = [p for p in sig.params if not p.variadic]
        variadic = next((p for p in sig.params if p.variadic), None)
        keywords = node.keywords
        if keywords and symbol.kind is not SymbolKind.FUNCTION:
            self.semantic_error(
                "Named arguments are only supported for object constructors and "
                "user-defined functions",
                keywords[0].span,
            )
        elif keywords and variadic is not None:
            self.semantic_error(
                f"Named arguments cannot be combined with the variadic function '{name}'",
                keywords[0].span,
            )
        # Positional-after-named is a syntax error (the parser reports it).
        required = sum(1 for p in fixed if p.default is None)
        bound: dict[str, ast.Expr] = {}
        result: list[BoundArg] = []
        for index, (param, arg) in enumerate(zip(fixed, args, strict=False)):
            bound[param.name] = arg
            result.append(BoundArg(param, arg, param.type, position=index + 1))
        if variadic is not None:
            elem = variadic.type.elem if isinstance(variadic.type, ListT) else UNKNOWN
            for index, arg in enumerate(args[len(fixed) :], start=len(fixed)):
                result.append(BoundArg(variadic, arg, elem, position=index + 1))
        elif len(args) > len(fixed):
            message = (
                f"Function '{name}' expects {_arity_text(required, len(fixed))} argument(s), "
                + ("but more were provided" if keywords else f"but {len(args)} were provided")
            )
            self.semantic_error(message, span)
            for arg in args[len(fixed) :]:
                self.expr(arg)
        for keyword in keywords:
            param = next((p for p in fixed if p.name == keyword.name), None)
            if symbol.kind is not SymbolKind.FUNCTION or variadic is not None:
                self.expr(keyword.value)
                continue
            if param is None:
                self.semantic_error(
                    f"Function '{name}' has no parameter named '{keyword.name}'",
                    keyword.span,
                    hint=did_you_mean(keyword.name, [p.name for p in fixed]),
                )
                self.expr(keyword.value)
            elif param.name in bound:
                self.semantic_error(
                    f"Argument '{keyword.name}' provided more than once", keyword.span
                )
                self.expr(keyword.value)
            else:
                bound[param.name] = keyword.value
                parameter = symbol.members.get(param.name)
                if parameter is not None:
                    self.use(keyword, name_span(keyword.span, keyword.name), parameter)
                position = fixed.index(param) + 1
                result.append(BoundArg(param, keyword.value, param.type, position=position))
        missing = [p for p in fixed if p.name not in bound and p.default is None]
        if missing and len(args) <= len(fixed):
            if keywords:
                self.semantic_error(
                    f"Missing argument '{missing[0].name}' in call to '{name}'", span
                )
            elif variadic is not None:
                self.semantic_error(
                    f"Function '{name}' expects at least {required} argument(s), "
                    f"but {len(args)} were provided",
                    span,
                )
            else:
                self.semantic_error(
                    f"Function '{name}' expects {_arity_text(required, len(fixed))} "
                    f"argument(s), but {len(args)} were provided",
                    span,
                )
        defaults = {p.name: p.default for p in fixed if p.name not in bound and p.default}
        return result, {**bound, **defaults}
