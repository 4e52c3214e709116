"""Canonical text of expressions and type annotations.

Parentheses are not kept in the AST (the parser folds them into spans), so they are
re-derived from precedence (spec §1.3): an operand is wrapped exactly when printing it
bare would make the parser build a different tree. Literal text is kept as written
(``0xFF``, ``1_000``, ``2.5e-2``): numbers keep their ``text``, strings are re-encoded
from their value, which gives back the written text because StoffelLang has only the
four escapes ``\\n \\t \\\\ \\"``.
"""

from __future__ import annotations

from typing import Final

from stoffel.compiler.ast import nodes as n

# Binding strength (higher binds tighter); matches the grammar's expression levels.
_BINARY: Final[dict[str, int]] = {
    "or": 1,
    "xor": 1,
    "and": 2,
    "==": 3,
    "!=": 3,
    "<": 3,
    "<=": 3,
    ">": 3,
    ">=": 3,
    "in": 3,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "%": 6,
    "mod": 6,
    "shl": 6,
    "shr": 6,
}
RANGE: Final[int] = 4
UNARY: Final[int] = 7
POSTFIX: Final[int] = 8
ATOM: Final[int] = 9
_ESCAPE: Final[dict[str, str]] = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}


class FormatError(Exception):
    """The tree holds something the formatter cannot print (an error placeholder)."""


def string_literal(value: str) -> str:
    return '"' + "".join(_ESCAPE.get(ch, ch) for ch in value) + '"'


def precedence(expr: n.Expr) -> int:
    if isinstance(expr, n.BinOp):
        return _BINARY[expr.op]
    if isinstance(expr, n.Range):
        return RANGE
    if isinstance(expr, n.UnaryOp):
        return UNARY
    if isinstance(expr, n.Call | n.Attribute | n.Index | n.Slice):
        return POSTFIX
    return ATOM


def expr(node: n.Expr, minimum: int = 0) -> str:
    """``node`` as text, parenthesised if it binds looser than ``minimum``."""
    text = _bare(node)
    return f"({text})" if precedence(node) < minimum else text


def _bare(node: n.Expr) -> str:
    match node:
        case n.BinOp(op=op, left=left, right=right):
            level = _BINARY[op]
            return f"{expr(left, level)} {op} {expr(right, level + 1)}"
        case n.Range(start=start, stop=stop):
            return f"{expr(start, RANGE)}..{expr(stop, RANGE + 1)}"
        case n.UnaryOp(op="not", operand=operand):
            return f"not {expr(operand, UNARY)}"
        case n.UnaryOp(op=op, operand=operand):
            inner = expr(operand, UNARY)
            # `--x` or `-+` would lex as one operator run; keep the operators apart.
            return f"{op} {inner}" if inner[:1] in "-+" else f"{op}{inner}"
        case n.Call(func=func, args=args, keywords=keywords):
            parts = [expr(a) for a in args] + [f"{k.name}: {expr(k.value)}" for k in keywords]
            return f"{expr(func, POSTFIX)}({', '.join(parts)})"
        case n.Attribute(value=value, attr=attr):
            return f"{expr(value, POSTFIX)}.{attr}"
        case n.Index(value=value, index=index):
            return f"{expr(value, POSTFIX)}[{expr(index)}]"
        case n.Slice(value=value, start=start, stop=stop, step=step):
            bounds = [_opt(start), _opt(stop)] + ([_opt(step)] if step is not None else [])
            return f"{expr(value, POSTFIX)}[{':'.join(bounds)}]"
        case n.ListLit(elements=elements):
            return "[" + ", ".join(expr(e) for e in elements) + "]"
        case n.DictLit(items=items):
            return "{" + ", ".join(f"{expr(i.key)}: {expr(i.value)}" for i in items) + "}"
        case n.ListComp(element=element, target=target, iterable=iterable, condition=cond):
            tail = f" if {expr(cond)}" if cond is not None else ""
            return f"[{expr(element)} for {target} in {expr(iterable)}{tail}]"
        case n.IntLit(text=text, value=value, suffix=suffix):
            return text or f"{value}{suffix or ''}"
        case n.FloatLit(text=text, value=value):
            return text or repr(value)
        case n.StrLit(value=value):
            return string_literal(value)
        case n.FString(parts=parts):
            return _fstring(parts)
        case n.BoolLit(value=value):
            return "True" if value else "False"
        case n.NoneLit():
            return "None"
        case n.Name(id=name):
            return name
    raise FormatError(f"cannot format {type(node).__name__}")


def _opt(node: n.Expr | None) -> str:
    return "" if node is None else expr(node)


def _fstring(parts: tuple[n.Expr, ...]) -> str:
    out: list[str] = []
    for part in parts:
        if isinstance(part, n.StrLit):
            escaped = string_literal(part.value)[1:-1]
            out.append(escaped.replace("{", "{{").replace("}", "}}"))
        else:
            out.append("{" + expr(part) + "}")
    return 'f"' + "".join(out) + '"'


def type_expr(node: n.TypeExpr) -> str:
    match node:
        case n.SecretType(inner=inner):
            return f"secret {type_expr(inner)}"
        case n.GenericType(name=name, args=args):
            return f"{name}[{', '.join(type_expr(a) for a in args)}]"
        case n.NamedType(name=name):
            return name
    raise FormatError(f"cannot format {type(node).__name__}")
