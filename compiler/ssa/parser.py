"""Parse the IR text form (printer.py) back into IR objects; used by every pass test.

The grammar lives in this module rather than in a ``.lark`` file because package data is
declared per package in pyproject.toml, which this package does not own. Lines matter
(one instruction per line); ``; line N`` comments carry source lines, other ``;``
comments (such as ``; preds: …``) are ignored because they are recomputed when printing.
"""

from __future__ import annotations

import json
from typing import Any

import attrs
from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedInput, VisitError

from stoffel.compiler.ssa.ir import (
    Block,
    Const,
    ConstValue,
    Function,
    Instr,
    Module,
    Operand,
    Type,
    Var,
    parse_type,
)

GRAMMAR = r"""
module: _NL* (function _NL*)*
function: "fn" GLOBAL "(" [param ("," param)*] ")" ["->" NAME] "{" _NL+ block* "}"
param: LOCAL ":" NAME
block: LABEL _NL+ stmt*
stmt: [LOCAL ":" NAME "="] NAME [args] ATTR* [LINE_ANN] _NL+
args: GLOBAL "(" [operand ("," operand)*] ")"   -> call_args
    | incoming ("," incoming)*                   -> phi_args
    | arg ("," arg)*                             -> plain_args
incoming: "[" operand "," NAME "]"
?arg: operand | NAME -> label
operand: LOCAL -> local
       | literal ":" NAME -> const
literal: SIGNED_INT -> int_lit
       | FLOAT_LIT -> float_lit
       | STRING -> str_lit
       | "true" -> true_lit
       | "false" -> false_lit
       | "nil" -> nil_lit

GLOBAL: /@[A-Za-z_][\w.]*/
LOCAL: /%[\w.]+/
NAME: /[A-Za-z_][\w.]*/
LABEL.2: /[A-Za-z_][\w.]*:/
ATTR: /![a-z_]+(=-?\d+)?/
SIGNED_INT: /-?\d+/
FLOAT_LIT.2: /-?(\d+\.\d*([eE][-+]?\d+)?|\d+[eE][-+]?\d+|inf)|nan/
STRING: /"(\\.|[^"\\])*"/
LINE_ANN.3: /;[ \t]*line[ \t]+\d+/
COMMENT: /;[^\n]*/
_NL: /\r?\n/
%ignore /[ \t]+/
%ignore COMMENT
"""


class IRParseError(Exception):
    """Bad IR text; the message names the line and column."""


@attrs.frozen
class _RawStmt:
    result: tuple[str, str] | None
    opcode: str
    kind: str
    args: list[Any]
    callee: str | None
    attrs: list[str]
    line: int | None
    pos: int


_LARK = Lark(GRAMMAR, start="module", parser="lalr", propagate_positions=True)


class _ToRaw(Transformer[Token, Any]):
    """Turn the tree into plain tuples; name resolution happens afterwards (uses may
    precede definitions in the text, e.g. phis of loop headers)."""

    def module(self, items: list[Any]) -> list[Any]:
        return items

    def function(self, items: list[Any]) -> tuple[Any, ...]:
        name, *rest = items
        params = [p for p in rest if isinstance(p, tuple) and p and p[0] == "param"]
        ret = next((r for r in rest if isinstance(r, Token) and r.type == "NAME"), None)
        blocks = [b for b in rest if isinstance(b, tuple) and b and b[0] == "block"]
        return ("function", str(name)[1:], params, ret and str(ret), blocks)

    def param(self, items: list[Token]) -> tuple[str, str, str]:
        return ("param", str(items[0])[1:], str(items[1]))

    def block(self, items: list[Any]) -> tuple[str, str, list[_RawStmt]]:
        return ("block", str(items[0])[:-1], list(items[1:]))

    @v_args(meta=True)
    def stmt(self, meta: Any, items: list[Any]) -> _RawStmt:
        local, ty, opcode, args, *rest = items
        result = (str(local)[1:], str(ty)) if local is not None else None
        kind, arglist, callee = args if args is not None else ("plain", [], None)
        attrs_ = [str(t) for t in rest if isinstance(t, Token) and t.type == "ATTR"]
        ann = next((t for t in rest if isinstance(t, Token) and t.type == "LINE_ANN"), None)
        line = int(str(ann).split()[-1]) if ann is not None else None
        return _RawStmt(result, str(opcode), kind, arglist, callee, attrs_, line, meta.line)

    def call_args(self, items: list[Any]) -> tuple[str, list[Any], str]:
        return ("call", [i for i in items[1:] if i is not None], str(items[0])[1:])

    def phi_args(self, items: list[Any]) -> tuple[str, list[Any], None]:
        return ("phi", items, None)

    def plain_args(self, items: list[Any]) -> tuple[str, list[Any], None]:
        return ("plain", items, None)

    def incoming(self, items: list[Any]) -> tuple[Any, str]:
        return (items[0], str(items[1]))

    def label(self, items: list[Token]) -> tuple[str, str]:
        return ("label", str(items[0]))

    def local(self, items: list[Token]) -> tuple[str, str]:
        return ("local", str(items[0])[1:])

    def const(self, items: list[Any]) -> tuple[str, ConstValue, str]:
        return ("const", items[0], str(items[1]))

    def int_lit(self, items: list[Token]) -> int:
        return int(items[0])

    def float_lit(self, items: list[Token]) -> float:
        return float(items[0])

    def str_lit(self, items: list[Token]) -> str:
        return str(json.loads(str(items[0])))

    def true_lit(self, _: list[Any]) -> bool:
        return True

    def false_lit(self, _: list[Any]) -> bool:
        return False

    def nil_lit(self, _: list[Any]) -> None:
        return None


def _build_function(raw: tuple[Any, ...]) -> Function:
    _, name, params, ret, blocks = raw
    types: dict[str, Type] = {}

    def define(vname: str, tname: str, line: int) -> Var:
        if vname in types:
            raise IRParseError(f"line {line}: %{vname} is defined twice")
        types[vname] = parse_type(tname)
        return Var(vname, types[vname])

    fn = Function(name, [define(p[1], p[2], 0) for p in params], parse_type(ret) if ret else None)
    for _, _label, stmts in blocks:
        for s in stmts:
            if s.result is not None:
                define(s.result[0], s.result[1], s.pos)

    def operand(arg: tuple[Any, ...], line: int) -> Operand:
        if arg[0] == "local":
            if arg[1] not in types:
                raise IRParseError(f"line {line}: %{arg[1]} is never defined")
            return Var(arg[1], types[arg[1]])
        if arg[0] == "const":
            try:
                value = arg[1]
                if arg[2] == "f64" and isinstance(value, int):
                    value = float(value)
                return Const(value, Type(arg[2]))
            except ValueError as e:
                raise IRParseError(f"line {line}: {e}") from None
        raise IRParseError(f"line {line}: expected a value, found label {arg[1]!r}")

    for _, label, stmts in blocks:
        block = Block(label)
        for s in stmts:
            inst = Instr(s.opcode, line=s.line)
            if s.result is not None:
                inst.result = Var(s.result[0], types[s.result[0]])
            if s.kind == "phi":
                inst.operands = [operand(a, s.pos) for a, _ in s.args]
                inst.labels = [lab for _, lab in s.args]
            else:
                inst.callee = s.callee
                inst.operands = [operand(a, s.pos) for a in s.args if a[0] != "label"]
                inst.labels = [a[1] for a in s.args if a[0] == "label"]
            for attr in s.attrs:
                key, _, val = attr[1:].partition("=")
                if key == "effects" and not val:
                    inst.effects = True
                elif key == "batch" and val:
                    inst.batch = int(val)
                else:
                    raise IRParseError(f"line {s.pos}: unknown attribute {attr}")
            if (s.opcode == "phi") != (s.kind == "phi"):
                raise IRParseError(f"line {s.pos}: phi operands are written [%v, label]")
            if s.opcode == "phi":
                if block.instrs:
                    raise IRParseError(f"line {s.pos}: phi after a non-phi instruction")
                block.phis.append(inst)
            else:
                block.instrs.append(inst)
        fn.blocks.append(block)
    return fn


def parse_module(text: str) -> Module:
    try:
        tree = _LARK.parse(text if text.endswith("\n") else text + "\n")
        raws = _ToRaw().transform(tree)
    except VisitError as e:
        raise e.orig_exc from None
    except UnexpectedInput as e:
        raise IRParseError(f"line {e.line}, column {e.column}: {e}") from None
    module = Module()
    for raw in raws:
        try:
            module.add(_build_function(raw))
        except ValueError as e:
            raise IRParseError(str(e)) from None
    return module


def parse_function(text: str) -> Function:
    """Parse text holding exactly one function (convenient in tests)."""
    module = parse_module(text)
    if len(module.functions) != 1:
        raise IRParseError(f"expected one function, found {len(module.functions)}")
    return module.functions[0]
