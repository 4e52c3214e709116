"""AST builder callbacks for expressions (grammar section "expressions")."""

from __future__ import annotations

from typing import Any

import attrs
from lark import Token

from stoffel.compiler.ast import nodes as n
from stoffel.compiler.source import Span
from stoffel.compiler.syntax import literals
from stoffel.compiler.syntax.build_base import BuilderBase, Piece

Children = list[Any]


class ExprRules(BuilderBase):
    def binop(self, c: Children) -> n.BinOp:
        left, op, right = c
        return n.BinOp(op=op.value, left=left, right=right, span=self.nodes_span(left, right))

    def range(self, c: Children) -> n.Range:
        start, stop = c
        return n.Range(start=start, stop=stop, span=self.nodes_span(start, stop))

    def unary(self, c: Children) -> n.UnaryOp:
        op, operand = c
        return n.UnaryOp(op=op.value, operand=operand, span=self.span(op, operand))

    def call(self, c: Children) -> n.Call:
        func, _lpar, args, rpar = c
        positional, keywords = args.value if args is not None else ((), ())
        if args is not None and args.kind == "misordered":
            # Already reported; the checker would only add cascades about the arguments.
            return n.ErrorExpr(span=self.span(func, rpar))
        return n.Call(
            func=func, args=positional, keywords=keywords, span=self.node_token_span(func, rpar)
        )

    def args(self, c: Children) -> Piece:
        positional: list[n.Expr] = []
        keywords: list[n.Keyword] = []
        kind = ""
        for arg in c:
            if isinstance(arg, n.Keyword):
                keywords.append(arg)
                continue
            if keywords:
                self.error(
                    "Positional arguments must come before named arguments",
                    arg,
                    "Move the positional arguments before the named ones",
                )
                kind = "misordered"
            positional.append(arg)
        return Piece(self.span(c[0], c[-1]), (tuple(positional), tuple(keywords)), kind)

    def keyword(self, c: Children) -> n.Keyword:
        name, value = c
        return n.Keyword(name=name.value, value=value, span=self.span(name, value))

    def index(self, c: Children) -> n.Expr:
        value, _lsqb, sub, rsqb = c
        span = self.node_token_span(value, rsqb)
        if isinstance(sub, Piece):
            start, stop, step = sub.value
            return n.Slice(value=value, start=start, stop=stop, step=step, span=span)
        return n.Index(value=value, index=sub, span=span)

    def slice2(self, c: Children) -> Piece:
        return Piece(None, (c[0], c[1], None), "slice")

    def slice3(self, c: Children) -> Piece:
        return Piece(None, (c[0], c[1], c[2]), "slice")

    def attribute(self, c: Children) -> n.Attribute:
        value, name = c
        return n.Attribute(value=value, attr=name.value, span=self.node_token_span(value, name))

    # ------------------------------------------------------------------------ atoms

    def name(self, c: Children) -> n.Name:
        (token,) = c
        return n.Name(id=token.value, span=self.token_span(token))

    def int_lit(self, c: Children) -> n.Expr:
        (token,) = c
        value, suffix, problem = literals.parse_int(token.value)
        if problem is not None:  # already reported by the scanner
            return n.ErrorExpr(span=self.span(token))
        return n.IntLit(value=value, suffix=suffix, text=token.value, span=self.token_span(token))

    def float_lit(self, c: Children) -> n.FloatLit:
        (token,) = c
        value = float(token.value.replace("_", ""))
        return n.FloatLit(value=value, text=token.value, span=self.span(token))

    def str_lit(self, c: Children) -> n.StrLit:
        (token,) = c
        return n.StrLit(value=literals.decode_string(token.value)[0], span=self.span(token))

    def fstring(self, c: Children) -> n.FString:
        (token,) = c
        parts: list[n.Expr] = []
        for piece in literals.split_fstring(token.value)[0]:
            span = self._inner_span(token, piece.offset, len(piece.text))
            if not piece.is_name:
                parts.append(n.StrLit(value=piece.text, span=span))
                continue
            names = [part.strip() for part in piece.text.split(".")]
            expr: n.Expr = n.Name(id=names[0], span=span)
            for attr in names[1:]:
                expr = n.Attribute(value=expr, attr=attr, span=span)
            parts.append(expr)
        return n.FString(parts=tuple(parts), span=self.span(token))

    def _inner_span(self, token: Token, offset: int, length: int) -> Span:
        # Tokens never span lines, so columns inside one are offsets from its start.
        length = min(length, len(token.value) - offset)
        return Span(
            file=self.path,
            start=token.start_pos + offset,
            end=token.start_pos + offset + length,
            line=token.line,
            column=token.column + offset,
            end_line=token.line,
            end_column=token.column + offset + length,
        )

    def true_lit(self, c: Children) -> n.BoolLit:
        return n.BoolLit(value=True, span=self.span(c[0]))

    def false_lit(self, c: Children) -> n.BoolLit:
        return n.BoolLit(value=False, span=self.span(c[0]))

    def none_lit(self, c: Children) -> n.NoneLit:
        return n.NoneLit(span=self.span(c[0]))

    def paren(self, c: Children) -> n.Expr:
        lpar, inner, rpar = c
        # The parentheses belong to the expression's extent (`(a+b)*c` starts at `(`).
        return attrs.evolve(inner, span=self.span(lpar, rpar))

    def list_lit(self, c: Children) -> n.ListLit:
        lsqb, items, rsqb = c
        elements = items if items is not None else ()
        return n.ListLit(elements=elements, span=self.span(lsqb, rsqb))

    def list_items(self, c: Children) -> tuple[n.Expr, ...]:
        trailing = c[-1]
        if trailing is not None:
            self.error(
                "Trailing comma is not allowed in a list literal",
                trailing,
                "Remove the trailing ','",
            )
        return tuple(c[:-1])

    def trailing_comma(self, c: Children) -> Token:
        return c[0]

    def list_comp(self, c: Children) -> n.ListComp:
        lsqb, element, _for, target, _in, iterable, _if, condition, rsqb = c
        return n.ListComp(
            element=element,
            target=target.value,
            iterable=iterable,
            condition=condition,
            span=self.span(lsqb, rsqb),
        )

    def dict_lit(self, c: Children) -> n.DictLit:
        lbrace, items, rbrace = c
        return n.DictLit(items=items or (), span=self.span(lbrace, rbrace))

    def dict_items(self, c: Children) -> tuple[n.DictItem, ...]:
        return tuple(c)

    def dict_item(self, c: Children) -> n.DictItem:
        key, value = c
        return n.DictItem(key=key, value=value, span=self.span(key, value))
