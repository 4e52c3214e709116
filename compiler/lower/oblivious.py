"""Secret ``if``/``elif``/``else`` (DESIGN §3): every branch runs, and each secret variable
assigned in the branches gets ``select(c, then, else)`` = c·(a−b)+b. Nested secret ifs
select with their own condition first, so the outer select sees the merged value."""

from __future__ import annotations

from collections.abc import Callable

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.lower.statements import StatementLowering
from stoffel.compiler.lower.types import ir_type
from stoffel.compiler.lower.walk import walk
from stoffel.compiler.resolve.symbols import Symbol
from stoffel.compiler.ssa import ir

Body = tuple[ast.Stmt, ...]
Branch = tuple[Callable[[], ir.Operand], Body]


class ObliviousLowering(StatementLowering):
    def lower_oblivious(self, branches: list[Branch], else_body: Body | None) -> None:
        """``branches``: (condition, body) pairs; conditions are lowered lazily, in order,
        so each is evaluated after the branches before it (as a chain would)."""
        if not branches:
            if else_body is not None:
                self.lower_block(else_body)
            return
        (condition, body), rest = branches[0], branches[1:]
        cond = condition()
        if not cond.type.secret:
            cond = self.b.value("share", [cond], ir.SECRET_BOOL)
        bodies = [b for _, b in branches] + ([else_body] if else_body is not None else [])
        merged = self._assigned_outer(bodies)
        before = {sym: self.b.read(sym) for sym in merged}
        self.lower_block(body)
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
            self.write_var(sym, self.b.value("select", [cond, a, b], ty))

    def _assigned_outer(self, bodies: list[Body]) -> list[Symbol]:
        """Variables assigned in the branches and declared before them, in source order."""
        assigned: list[Symbol] = []
        declared: set[Symbol] = set()
        for node in walk([s for body in bodies for s in body]):
            if isinstance(node, ast.VarDecl):
                sym = self.symbol(node)
                if sym is not None:
                    declared.add(sym)
            elif isinstance(node, ast.Assign) and isinstance(node.target, ast.Name):
                sym = self.symbol(node.target)
                if sym is not None and sym not in assigned:
                    assigned.append(sym)
        return [s for s in assigned if s not in declared and s in self.b.var_types]
