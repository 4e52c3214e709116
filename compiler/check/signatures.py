"""Function signatures from ``def`` headers (user functions and stdlib stubs)."""

from __future__ import annotations

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.typeexpr import TypeResolver
from stoffel.compiler.resolve.symbols import ParamInfo, Signature
from stoffel.compiler.types.types import UNKNOWN, VOID, ListT, Nil, Type


def signature_of(node: ast.FunctionDef, resolver: TypeResolver) -> Signature:
    params = []
    for param in node.params:
        declared: Type = resolver.resolve(param.type, node.type_params)
        if param.type is None:
            declared = UNKNOWN
        if param.variadic:
            declared = ListT(declared)
        params.append(ParamInfo(param.name, declared, param.default, param.variadic))
    returns = resolver.resolve(node.return_type, node.type_params)
    if node.return_type is None or isinstance(returns, Nil):
        returns = VOID  # `-> None` and no arrow both mean void (§2.3)
    return Signature(tuple(params), returns, tuple(node.type_params))


def vm_symbol_of(node: ast.FunctionDef, owner: str | None = None) -> str | None:
    for pragma in node.pragmas:
        if pragma.name == "builtin":
            if pragma.value:
                return pragma.value
            return f"{owner}.{node.name}" if owner else node.name
    return None
