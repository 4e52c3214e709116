"""One-line canonical text of each statement (or of a compound statement's header)."""

from __future__ import annotations

from stoffel.compiler.ast import nodes as n
from stoffel.compiler.fmt.exprs import FormatError, expr, string_literal, type_expr


def simple(stmt: n.Stmt) -> str:
    """The full text of a statement that has no body."""
    match stmt:
        case n.VarDecl(name=name, type=annotation, value=value):
            text = f"var {name}"
            if annotation is not None:
                text += f": {type_expr(annotation)}"
            return text + (f" = {expr(value)}" if value is not None else "")
        case n.Assign(target=target, value=value, op=op):
            return f"{expr(target)} {op or ''}= {expr(value)}"
        case n.ExprStmt(expr=value):
            return expr(value)
        case n.Discard(expr=value):
            return f"discard {expr(value)}"
        case n.Pass():
            return "pass"
        case n.Return(value=value):
            return "return" if value is None else f"return {expr(value)}"
        case n.Break():
            return "break"
        case n.Continue():
            return "continue"
        case n.Assert(condition=condition, message=message):
            tail = f", {expr(message)}" if message is not None else ""
            return f"assert {expr(condition)}{tail}"
        case n.Import(path=path, quoted=quoted, alias=alias):
            target = string_literal(path) if quoted else path
            return f"import {target}" + (f" as {alias}" if alias else "")
        case n.TypeAlias(name=name, type=aliased):
            return f"type {name} = {type_expr(aliased)}"
        case n.BuiltinType(name=name, type=aliased, opaque=True):
            return f"builtin opaque {name}"
        case n.BuiltinType(name=name, type=aliased):
            tail = f" = {type_expr(aliased)}" if aliased is not None else ""
            return f"builtin type {name}{tail}"
    raise FormatError(f"cannot format {type(stmt).__name__}")


def function(node: n.FunctionDef) -> str:
    generic = f"[{', '.join(node.type_params)}]" if node.type_params else ""
    params = ", ".join(_param(p) for p in node.params)
    text = f"def {node.name}{generic}({params})"
    if node.return_type is not None:
        text += f" -> {type_expr(node.return_type)}"
    if node.pragmas:
        text += " {." + ", ".join(_pragma(p) for p in node.pragmas) + ".}"
    return text if node.body is None else text + ":"


def _param(param: n.Param) -> str:
    text = ("*" if param.variadic else "") + param.name
    if param.type is not None:
        text += f": {type_expr(param.type)}"
    if param.default is not None:
        text += f" = {expr(param.default)}"
    return text


def _pragma(pragma: n.Pragma) -> str:
    if pragma.value is None:
        return pragma.name
    return f"{pragma.name}: {string_literal(pragma.value)}"


def header(node: n.Node) -> str:
    """The first line of a compound statement, or of an item inside one."""
    match node:
        case n.FunctionDef():
            return function(node)
        case n.While(condition=condition):
            return f"while {expr(condition)}:"
        case n.For(targets=targets, iterable=iterable):
            return f"for {', '.join(targets)} in {expr(iterable)}:"
        case n.Match(subject=subject):
            return f"match {expr(subject)}:"
        case n.Case(pattern=None):
            return "case _:"
        case n.Case(pattern=pattern):
            return f"case {expr(pattern)}:"
        case n.ObjectDef(name=name, base=base):
            return f"object {name}" + (f"({base})" if base else "") + ":"
        case n.EnumDef(name=name):
            return f"enum {name}:"
        case n.BuiltinObject(name=name):
            return f"builtin object {name}:"
        case n.FieldDecl(name=name, type=annotation):
            return f"{name}: {type_expr(annotation)}"
        case n.EnumMember(name=name, value=value):
            return name if value is None else f"{name} = {expr(value)}"
    raise FormatError(f"cannot format {type(node).__name__}")


def header_end_line(node: n.Node) -> int:
    """The last source line of a header: comments on it trail the header."""
    parts: list[n.Node | None] = []
    match node:
        case n.FunctionDef():
            parts = [*node.params, node.return_type, *node.pragmas]
            lines = [node.name_span.end_line]
        case n.While(condition=condition) | n.IfBranch(condition=condition):
            parts, lines = [condition], [node.span.line]
        case n.For(iterable=iterable):
            parts, lines = [iterable], [node.span.line]
        case n.Match(subject=subject):
            parts, lines = [subject], [node.span.line]
        case n.Case(pattern=pattern):
            parts, lines = [pattern], [node.span.line]
        case n.ObjectDef() | n.EnumDef():
            lines = [node.name_span.end_line]
        case _:
            lines = [node.span.line]
    return max([*lines, *(p.span.end_line for p in parts if p is not None)])
