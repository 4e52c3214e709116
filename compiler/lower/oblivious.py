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
        cells = self._cache_cells(bodies)
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
        self._publish_cells(cells)

    def _cache_cells(self, bodies: list[Body]) -> list[Symbol]:
        """Upvalue-cell variables assigned in the branches are kept in SSA while the branches
        are lowered (each branch must start from the value before the ``if``, not from what
        an earlier branch stored in the cell) and published once, merged, afterwards."""
        assigned, declared = self._assignments(bodies)
        cells = [s for s in assigned if s not in declared and self.in_cell(s)]
        for sym in cells:
            value = self.read_var(sym)
            if sym not in self.b.var_types:
                self.b.declare(sym, ir_type(sym.type))
            self.b.write(sym, value)
        self.cached_cells.update(cells)
        return cells

    def _publish_cells(self, cells: list[Symbol]) -> None:
        self.cached_cells.difference_update(cells)
        for sym in cells:
            name = ir.Const(sym.name, ir.Type("string"))
            self.b.emit("builtin", [name, self.b.read(sym)], callee="set_upvalue", effects=True)

    def _assigned_outer(self, bodies: list[Body]) -> list[Symbol]:
        """Variables assigned in the branches and declared before them, in source order."""
        assigned, declared = self._assignments(bodies)
        return [s for s in assigned if s not in declared and s in self.b.var_types]

    def _assignments(self, bodies: list[Body]) -> tuple[list[Symbol], set[Symbol]]:
        """Variables assigned in the branches (source order) and those declared there."""
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
        return assigned, declared
