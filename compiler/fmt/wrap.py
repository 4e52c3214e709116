"""Long statements: one argument (or element) per line.

A statement whose one-line form is wider than ``MAX_WIDTH`` is broken inside its
outermost call, list or dict: the opening bracket ends the first line, each item gets
a line of its own (one level deeper), and the closing bracket a line of its own.
Newlines inside brackets are not significant in StoffelLang, so this never changes
the program. No trailing comma is added (list literals do not allow one).
"""

from __future__ import annotations

from typing import Final

from stoffel.compiler.ast import nodes as n
from stoffel.compiler.fmt.exprs import POSTFIX, expr, type_expr

MAX_WIDTH: Final[int] = 100


def _prefix(stmt: n.Stmt) -> tuple[str, n.Expr | None]:
    """The text before the statement's main expression, and that expression."""
    match stmt:
        case n.VarDecl(name=name, type=annotation, value=value) if value is not None:
            typed = f": {type_expr(annotation)}" if annotation is not None else ""
            return f"var {name}{typed} = ", value
        case n.Assign(target=target, value=value, op=op):
            return f"{expr(target)} {op or ''}= ", value
        case n.ExprStmt(expr=value):
            return "", value
        case n.Return(value=value) if value is not None:
            return "return ", value
        case n.Discard(expr=value):
            return "discard ", value
    return "", None


def wrap(stmt: n.Stmt, width: int) -> list[str] | None:
    """The statement on several lines, or None if it fits or cannot be broken."""
    head, value = _prefix(stmt)
    match value:
        case n.Call(func=func, args=args, keywords=keywords) if args or keywords:
            opener, closer = f"{expr(func, POSTFIX)}(", ")"
            items = [expr(a) for a in args] + [f"{k.name}: {expr(k.value)}" for k in keywords]
        case n.ListLit(elements=elements) if elements:
            opener, closer, items = "[", "]", [expr(e) for e in elements]
        case n.DictLit(items=pairs) if pairs:
            opener, closer = "{", "}"
            items = [f"{expr(p.key)}: {expr(p.value)}" for p in pairs]
        case _:
            return None
    if len(items) < 2 and width <= MAX_WIDTH:
        return None
    lines = [head + opener]
    lines.extend(f"  {item}," for item in items[:-1])
    lines.append(f"  {items[-1]}")
    lines.append(closer)
    return lines
