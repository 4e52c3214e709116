"""AST builder callbacks for statements, blocks and control flow."""

from __future__ import annotations

from typing import Any

from lark import Token

from stoffel.compiler.ast import nodes as n
from stoffel.compiler.syntax import literals
from stoffel.compiler.syntax.build_base import BuilderBase, Piece, flatten

Children = list[Any]

EMPTY_BLOCK = "Expected an indented block after ':'"
EMPTY_BLOCK_HINT = "Indent the block's statements by 2 spaces; write 'pass' for an empty block"


class StmtRules(BuilderBase):
    def error_stmt(self, c: Children) -> list[n.Stmt]:
        # The body of a broken block header still yields statements (and symbols).
        return [n.ErrorStmt(span=self.span(c[0])), *flatten(c[1:])]

    def var_decl(self, c: Children) -> n.Stmt:
        _var, name, type_, value = c
        span = self.span_of(c)
        if type_ is None and value is None:
            self.error(
                "Variable declaration needs either a type annotation or an initial value",
                span,
                f"Add a type ('var {name.value}: int64') or a value ('var {name.value} = 0')",
            )
            return n.ErrorStmt(span=span)
        return n.VarDecl(
            name=name.value, type=type_, value=value, name_span=self.span(name), span=span
        )

    def tuple_var_decl(self, c: Children) -> n.Stmt:
        span = self.span_of(c)
        self.error(
            "Tuple unpacking is not supported: a declaration binds exactly one variable",
            span,
            "Declare each variable with its own 'var'",
        )
        return n.ErrorStmt(span=span)

    def assign(self, c: Children) -> n.Assign:
        target, value = c
        return n.Assign(target=target, value=value, span=self.nodes_span(target, value))

    def aug_assign(self, c: Children) -> n.Assign:
        target, op, value = c
        return n.Assign(target=target, value=value, op=op.value[:-1], span=self.span(target, value))

    def tuple_assign(self, c: Children) -> n.Stmt:
        span = self.span_of(c)
        self.error(
            "Tuple unpacking is not supported: an assignment has exactly one target",
            span,
            "Assign each variable in its own statement",
        )
        return n.ErrorStmt(span=span)

    def expr_stmt(self, c: Children) -> n.ExprStmt:
        return n.ExprStmt(expr=c[0], span=c[0].span)

    def return_stmt(self, c: Children) -> n.Return:
        return n.Return(value=c[1], span=self.span_of(c))

    def pass_stmt(self, c: Children) -> n.Pass:
        return n.Pass(span=self.span(c[0]))

    def break_stmt(self, c: Children) -> n.Break:
        return n.Break(span=self.span(c[0]))

    def continue_stmt(self, c: Children) -> n.Continue:
        return n.Continue(span=self.span(c[0]))

    def discard_stmt(self, c: Children) -> n.Discard:
        return n.Discard(expr=c[1], span=self.span_of(c))

    def assert_stmt(self, c: Children) -> n.Assert:
        return n.Assert(condition=c[1], message=c[2], span=self.span_of(c))

    def import_stmt(self, c: Children) -> n.Import:
        _import, path, _as, alias = c
        span = self.span_of(c)
        alias_name = alias.value if alias is not None else None
        if isinstance(path, Token):
            text = literals.decode_string(path.value)[0]
            return n.Import(path=text, quoted=True, alias=alias_name, span=span)
        return n.Import(path=path.value, alias=alias_name, span=span)

    def dotted_name(self, c: Children) -> Piece:
        name = c[0].value if len(c) == 1 else ".".join([t.value for t in c])
        return Piece(self.span(c[0], c[-1]), name)

    # ----------------------------------------------------------------------- blocks

    def full_block(self, c: Children) -> Piece:
        body = flatten(c)
        return Piece(self.span(body[0], body[-1]), tuple(body), "block")

    def empty_block(self, c: Children) -> Piece:
        colon = c[0]
        return Piece(self.span(colon), (), "empty", anchor=colon)

    def body(self, block: Piece) -> tuple[n.Stmt, ...]:
        """A block's statements; an empty block (no indented lines) is reported here."""
        if block.kind == "empty":
            self.error(EMPTY_BLOCK, block.span, EMPTY_BLOCK_HINT)
        return block.value

    def if_stmt(self, c: Children) -> n.If:
        if_, condition, block, *elifs, else_ = c
        branches = [
            n.IfBranch(condition=condition, body=self.body(block), span=self.span(if_, block))
        ]
        branches.extend(elifs)
        else_body = self.body(else_.value) if else_ is not None else None
        return n.If(branches=tuple(branches), else_body=else_body, span=self.span_of(c))

    def elif_clause(self, c: Children) -> n.IfBranch:
        elif_, condition, block = c
        return n.IfBranch(condition=condition, body=self.body(block), span=self.span(elif_, block))

    def else_clause(self, c: Children) -> Piece:
        else_, block = c
        return Piece(self.span(else_, block), block)

    def while_stmt(self, c: Children) -> n.While:
        while_, condition, block = c
        return n.While(condition=condition, body=self.body(block), span=self.span(while_, block))

    def for_stmt(self, c: Children) -> n.For:
        for_, *names, _in, iterable, block = c
        return n.For(
            targets=tuple(t.value for t in names),
            iterable=iterable,
            body=self.body(block),
            target_span=self.span(names[0], names[-1]),
            span=self.span(for_, block),
        )

    def match_stmt(self, c: Children) -> n.Match:
        match, subject, body = c
        items = body.value
        if not items:
            self.error(
                "match must have at least one case",
                self.span(match, subject),
                "Add indented 'case value:' blocks below the match",
            )
        cases = [item for item in items if isinstance(item, n.Case)]
        for case in cases[:-1]:
            if case.pattern is None:
                self.error(
                    "'case _' must be the last case in a match",
                    case.span,
                    "Move 'case _' after all other cases",
                )
        return n.Match(subject=subject, cases=tuple(cases), span=self.span_of(c))

    def match_body(self, c: Children) -> Piece:
        return self._item_block(c)

    def case_clause(self, c: Children) -> n.Case:
        case, pattern, block = c
        if isinstance(pattern, n.Name) and pattern.id == "_":
            pattern = None
        return n.Case(pattern=pattern, body=self.body(block), span=self.span(case, block))
