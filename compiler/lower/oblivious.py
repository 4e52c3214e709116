"""Secret ``if``/``elif``/``else`` (DESIGN §3): every branch runs, and each secret variable
assigned in the branches gets ``select(c, then, else)`` = c·(a−b)+b. Nested secret ifs
select with their own condition first, so the outer select sees the merged value."""

from __future__ import annotations

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.lower.collections import _fields
from stoffel.compiler.lower.statements import StatementLowering
from stoffel.compiler.lower.types import ir_type
from stoffel.compiler.resolve.symbols import Symbol
from stoffel.compiler.ssa import ir


class ObliviousLowering(StatementLowering):
    def lower_oblivious(
        self, branches: list[ast.IfBranch], else_body: tuple[ast.Stmt, ...] | None
    ) -> None:
        if not branches:
            if else_body is not None:
                self.lower_block(else_body)
            return
        first, rest = branches[0], branches[1:]
        cond = self.lower_expr(first.condition)
        if not cond.type.secret:
            cond = self.b.value("share", [cond], ir.SECRET_BOOL)
        bodies = [b.body for b in branches] + ([else_body] if else_body is not None else [])
        merged = self._assigned_outer(bodies)
        before = {sym: self.b.read(sym) for sym in merged}
        self.lower_block(first.body)
        then_vals = {sym: self.b.read(sym) for sym in merged}
        for sym, value in before.items():
            self.b.write(sym, value)
        self.lower_oblivious(rest, else_body)
        for sym in merged:
            a, b = then_vals[sym], self.b.read(sym)
            if a == b:
                continue
            ty = ir_type(sym.type)
            if not ty.secret:
                ty = ty.as_secret()
            a, b = (v if v.type.secret else self.b.value("share", [v], ty) for v in (a, b))
            self.b.write(sym, self.b.value("select", [cond, a, b], ty))

    def _assigned_outer(self, bodies: list[tuple[ast.Stmt, ...]]) -> list[Symbol]:
        """Variables assigned in the branches and declared before them, in source order."""
        assigned: list[Symbol] = []
        declared: set[Symbol] = set()
        stack: list[object] = [s for body in reversed(bodies) for s in reversed(body)]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.VarDecl):
                sym = self.symbol(node)
                if sym is not None:
                    declared.add(sym)
            elif isinstance(node, ast.Assign) and isinstance(node.target, ast.Name):
                sym = self.symbol(node.target)
                if sym is not None and sym not in assigned:
                    assigned.append(sym)
            if isinstance(node, ast.Stmt | ast.IfBranch):
                children = [
                    v for v in _fields(node) if isinstance(v, ast.Stmt | ast.IfBranch | tuple)
                ]
                for child in reversed(children):
                    if isinstance(child, tuple):
                        stack.extend(
                            c for c in reversed(child) if isinstance(c, ast.Stmt | ast.IfBranch)
                        )
                    else:
                        stack.append(child)
        return [s for s in assigned if s not in declared and s in self.b.var_types]
