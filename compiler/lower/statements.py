"""Statements and control flow: declarations, assignment (compound targets evaluated once),
if/elif/else, while, for over ranges (bounds evaluated once, end exclusive), lists and
strings, break/continue, match (an if chain), assert, return."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.lower.collections import CollectionLowering
from stoffel.compiler.lower.context import Loop
from stoffel.compiler.lower.operators import CLEAR_OPS
from stoffel.compiler.lower.types import ir_type, zero_const
from stoffel.compiler.lower.walk import walk
from stoffel.compiler.resolve.symbols import Symbol
from stoffel.compiler.ssa import ir
from stoffel.compiler.types import types as T

I64 = ir.CLEAR_I64
ONE = ir.Const(1, I64)
STRING = ir.Type("string")


class StatementLowering(CollectionLowering):
    def lower_block(self, body: tuple[ast.Stmt, ...]) -> None:
        for stmt in body:
            self.lower_stmt(stmt)

    def lower_stmt(self, s: ast.Stmt) -> None:
        saved = self.b.span
        self.b.span = s.span
        try:
            self._stmt(s)
        finally:
            self.b.span = saved

    def _stmt(self, s: ast.Stmt) -> None:
        match s:
            case ast.VarDecl():
                self.lower_var(s)
            case ast.Assign():
                self.lower_assign(s)
            case ast.ExprStmt() | ast.Discard():
                self.lower_expr(s.expr)
            case ast.Return():
                self.lower_return(s)
            case ast.If():
                self.lower_if(s)
            case ast.While():
                self.lower_while(s)
            case ast.For():
                self.lower_for(s)
            case ast.Break() | ast.Continue():
                loop = self.loops[-1]
                self.b.br(loop.brk if isinstance(s, ast.Break) else loop.cont)
            case ast.Assert():
                cond = self.lower_expr(s.condition)
                args = [cond] + ([self.lower_expr(s.message)] if s.message is not None else [])
                self.builtin("assert", args, None, effects=True)
            case ast.Match():
                self.lower_match(s)
            case _:
                pass  # declarations, imports, pass: nothing to run

    # ------------------------------------------------------------------ variables
    def lower_var(self, s: ast.VarDecl) -> None:
        sym = self.symbol(s)
        if sym is None:
            raise self.fail(f"unresolved variable '{s.name}'", s)
        ty = ir_type(sym.type)
        self.b.declare(sym, ty)
        if s.value is not None:
            value = self.coerce(self.lower_expr(s.value), self.type_of(s.value), sym.type)
        else:
            value = self.default_value(sym.type)
        self.write_var(sym, value)

    def default_value(self, t: T.Type) -> ir.Operand:
        """A declared-but-unassigned variable: objects and lists exist at once (language.md
        §8.15: their fields are assigned later), scalars are zero."""
        ty = ir_type(t)
        if ty.kind == "list":
            return self.new_list()
        if ty.kind in ("obj", "dict"):
            name = [ir.Const(t.name, STRING)] if isinstance(t, T.Obj) else []
            made = self.builtin("create_object", name, ty, effects=True)
            assert made is not None
            return made
        zero = zero_const(ty)
        return self.b.value("share", [zero], ty) if ty.secret and ty.kind != "share" else zero

    def lower_assign(self, s: ast.Assign) -> None:
        target = s.target
        if isinstance(target, ast.Name):
            sym = self.symbol(target)
            if sym is None:
                raise self.fail(f"unresolved name '{target.id}'", target)
            old = self.read_var(sym) if s.op else None
            self.write_var(sym, self._value(s, old, sym.type))
        elif isinstance(target, ast.Attribute):
            obj = self.field_receiver(self.lower_expr(target.value))
            key = ir.Const(target.attr, STRING)
            t = self.type_of(target)
            old = self.read_field(obj, target.attr, t) if s.op else None
            self.b.emit("setfield", [obj, key, self._value(s, old, t)])
        elif isinstance(target, ast.Index):
            obj = self.lower_expr(target.value)
            index = self.lower_expr(target.index)
            t = self.type_of(target)
            old = self.b.value("getindex", [obj, index], ir_type(t)) if s.op else None
            self.b.emit("setindex", [obj, index, self._value(s, old, t)])
        else:
            raise self.fail("cannot assign to this expression", target)

    def _value(self, s: ast.Assign, old: ir.Operand | None, t: T.Type) -> ir.Operand:
        if old is None or s.op is None:
            return self.coerce(self.lower_expr(s.value), self.type_of(s.value), t)
        # `x op= v`: the target was evaluated once above; combine like a BinOp would.
        rhs = self.lower_expr(s.value)
        return self.coerce(self.combine(s, s.op, old, rhs, t), T.UNKNOWN, t)

    def combine(
        self, node: ast.Node, op: str, a: ir.Operand, b: ir.Operand, t: T.Type
    ) -> ir.Operand:
        if a.type.secret or b.type.secret:
            return self.secret_op(op, a, b, ir_type(t), node)
        if a.type.kind == "list":
            out = self.list_binop(op, a, b)
            if out is not None:
                return out
        result = ir_type(t) if ir_type(t).kind != "any" else a.type
        if result.kind == "any":
            result = b.type
        opcode = CLEAR_OPS[op]
        if opcode not in ("shl", "shr"):
            a, b = self.convert(a, result), self.convert(b, result)
        return self.b.value(opcode, [a, b], result)

    def lower_return(self, s: ast.Return) -> None:
        if s.value is None:
            self.b.ret(None)
            return
        value = self.coerce(self.lower_expr(s.value), self.type_of(s.value), self.returns)
        self.b.ret(value)

    # ------------------------------------------------------------------ if / match
    def lower_if(self, s: ast.If) -> None:
        first_secret = self.checked.oblivious_ifs.get(s)
        branches = list(s.branches)
        clear = branches if first_secret is None else branches[:first_secret]
        join = self.b.new_block("endif")
        for branch in clear:
            cond = self.lower_condition(branch.condition)
            self._guarded(cond, branch.body, join, "then", "else")
        if first_secret is not None:
            secret = [(self._cond(b.condition), b.body) for b in branches[first_secret:]]
            self.lower_oblivious(secret, s.else_body)
        elif s.else_body is not None:
            self.lower_block(s.else_body)
        if self.b.reachable:
            self.b.br(join)
        self.b.seal(join)
        self.b.start(join)
        if not self.b.preds[join.label]:
            self.b.current = None

    def _guarded(
        self, cond: ir.Operand, body: Sequence[ast.Stmt], join: ir.Block, then: str, other: str
    ) -> None:
        """``if cond: body`` then on to ``join``; leaves the builder in the fall-through
        block (named ``other``), where the next test of the chain goes."""
        then_block, other_block = self.b.new_block(then), self.b.new_block(other)
        self.b.cbr(cond, then_block, other_block)
        self.b.seal(then_block)
        self.b.seal(other_block)
        self.b.start(then_block)
        self.lower_block(body)
        if self.b.reachable:
            self.b.br(join)
        self.b.start(other_block)

    def _cond(self, e: ast.Expr) -> Callable[[], ir.Operand]:
        return lambda: self.lower_condition(e)

    def lower_match(self, s: ast.Match) -> None:
        subject = self.lower_expr(s.subject)
        if subject.type.secret or s in self.checked.oblivious_matches:
            self._oblivious_match(s, subject)
            return
        join = self.b.new_block("endmatch")
        for case in s.cases:
            if case.pattern is None:
                self.lower_block(case.body)
                break
            pattern = self.lower_expr(case.pattern)
            cond = self.b.value("eq", [subject, pattern], ir.CLEAR_BOOL)
            self._guarded(cond, case.body, join, "case", "next")
        if self.b.reachable:
            self.b.br(join)
        self.b.seal(join)
        self.b.start(join)
        if not self.b.preds[join.label]:
            self.b.current = None

    def _oblivious_match(self, s: ast.Match, subject: ir.Operand) -> None:
        """A match on a secret: an oblivious if/elif chain of secret equalities."""
        branches: list[tuple[Callable[[], ir.Operand], tuple[ast.Stmt, ...]]] = []
        default: tuple[ast.Stmt, ...] | None = None
        for case in s.cases:
            if case.pattern is None:
                default = case.body
                break
            pattern = case.pattern

            def cond(p: ast.Expr = pattern) -> ir.Operand:
                return self.b.value("seq", [subject, self.lower_expr(p)], ir.SECRET_BOOL)

            branches.append((cond, case.body))
        self.lower_oblivious(branches, default)

    # ------------------------------------------------------------------ loops
    def loop(
        self,
        cond: Callable[[], ir.Operand],
        body: Callable[[], None],
        step: Callable[[], None] | None = None,
    ) -> None:
        """header: cond → body → (step) → header; break → exit, continue → step."""
        header = self.b.new_block("loop")
        self.b.br(header)
        self.b.start(header)
        c = cond()
        body_block, exit_block = self.b.new_block("body"), self.b.new_block("endloop")
        cont = self.b.new_block("step") if step is not None else header
        self.b.cbr(c, body_block, exit_block)
        self.b.seal(body_block)
        self.b.start(body_block)
        self.loops.append(Loop(exit_block, cont))
        try:
            body()
        finally:
            self.loops.pop()
        if self.b.reachable:
            self.b.br(cont)
        if step is not None:
            self.b.seal(cont)
            self.b.start(cont)
            step()
            self.b.br(header)
        self.b.seal(header)
        self.b.seal(exit_block)
        self.b.start(exit_block)

    def lower_while(self, s: ast.While) -> None:
        self.loop(lambda: self.lower_condition(s.condition), lambda: self.lower_block(s.body))

    def lower_for(self, s: ast.For) -> None:
        sym = self.symbol(s)
        key: Hashable = sym if sym is not None else ("for", id(s))
        if sym is not None:
            self.b.declare(sym, ir_type(sym.type))
        fixed = not any(isinstance(n, ast.Call) for n in walk(s.body))
        self.iterate(s.iterable, key, lambda: self.lower_block(s.body), fixed_length=fixed)

    def bind(self, key: object, value: ir.Operand) -> None:
        """The loop variable: a symbol (maybe captured) or a synthetic key."""
        if isinstance(key, Symbol):
            self.write_var(key, value)
        else:
            self.b.write(key, value)  # type: ignore[arg-type]

    def iterate(
        self,
        iterable: ast.Expr,
        key: object,
        body: Callable[[], None],
        *,
        fixed_length: bool = False,
    ) -> None:
        """Loop over a range (bounds once) or a list/string. The length of a list is read
        on every iteration (the body may append to it) unless ``fixed_length`` says the body
        makes no calls, so nothing can change it."""
        counter = ("counter", id(iterable), len(self.b.fn.blocks))
        self.b.declare(counter, I64)
        if isinstance(iterable, ast.Range):
            start = self.convert(self.lower_expr(iterable.start), I64)
            stop = self.convert(self.lower_expr(iterable.stop), I64)
            self.b.write(counter, start)

            def each() -> None:
                self.bind(key, self.b.read(counter))
                body()

            self.loop(
                lambda: self.b.value("lt", [self.b.read(counter), stop], ir.CLEAR_BOOL),
                each,
                lambda: self.b.write(
                    counter, self.b.value("add", [self.b.read(counter), ONE], I64)
                ),
            )
            return
        seq = self.lower_expr(iterable)
        elem_t = self.type_of(iterable)
        elem = (
            ir_type(elem_t.elem)
            if isinstance(elem_t, T.ListT)
            else (STRING if seq.type.kind == "string" else ir.Type("any"))
        )
        self.b.write(counter, ir.Const(0, I64))

        hoisted = self.builtin("len", [seq], I64) if fixed_length else None

        def cond() -> ir.Operand:
            n = hoisted if hoisted is not None else self.builtin("len", [seq], I64)
            assert n is not None
            return self.b.value("lt", [self.b.read(counter), n], ir.CLEAR_BOOL)

        def each_item() -> None:
            self.bind(key, self.b.value("getindex", [seq, self.b.read(counter)], elem))
            body()

        self.loop(
            cond,
            each_item,
            lambda: self.b.write(counter, self.b.value("add", [self.b.read(counter), ONE], I64)),
        )

    # Provided by ObliviousLowering.
    def lower_oblivious(
        self,
        branches: list[tuple[Callable[[], ir.Operand], tuple[ast.Stmt, ...]]],
        else_body: tuple[ast.Stmt, ...] | None,
    ) -> None:
        raise NotImplementedError
