"""Statements: declarations, assignments, control flow, returns, loops (spec §2.1–2.2)."""

from __future__ import annotations

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.calls import CallChecks
from stoffel.compiler.check.context import CheckerBase, SecretRegion
from stoffel.compiler.check.literals import is_untyped_literal
from stoffel.compiler.check.operators import OperatorChecks
from stoffel.compiler.check.secrecy import SecrecyChecks
from stoffel.compiler.resolve.symbols import CALLABLE_KINDS, TYPE_KINDS, Symbol, SymbolKind
from stoffel.compiler.source import Span
from stoffel.compiler.types.types import (
    BOOL,
    INT64,
    NIL,
    SHARE,
    STRING,
    UNKNOWN,
    VOID,
    Bool,
    Int,
    ListT,
    Nil,
    Obj,
    Type,
    clear,
    is_secret,
    is_unknown,
)

_ASSIGNABLE = (SymbolKind.VARIABLE, SymbolKind.PARAMETER)


class StatementChecks(SecrecyChecks, CallChecks, OperatorChecks, CheckerBase):
    # ------------------------------------------------------------ variables

    def visit_VarDecl(self, node: ast.VarDecl) -> None:
        declared = self.resolve_type(node.type, self.type_params()) if node.type else None
        found: Type = UNKNOWN
        if node.value is not None:
            found = self.expr(node.value, declared)
            if declared is not None:
                self.check_init(node.name, found, declared, node.value.span)
            elif found == VOID:
                self.type_error(
                    f"Cannot initialize variable '{node.name}' with a value of type 'void'",
                    node.value.span,
                )
                found = UNKNOWN
        kind = declared if declared is not None else found
        if isinstance(kind, Nil):
            kind = UNKNOWN  # `var x = None`: the type comes from later assignments
        symbol = Symbol(
            node.name,
            SymbolKind.VARIABLE,
            node.name_span,
            type=kind,
            node=node,
            module=self.module_path(),
        )
        if (
            declared is None
            and isinstance(found, ListT)
            and is_unknown(found.elem)
            and isinstance(node.value, ast.ListLit)
        ):
            self.untyped_lists[symbol] = None
        self.declare(symbol)

    def type_params(self) -> tuple[str, ...]:
        if self.function is None:
            return ()
        sig = self.function.info.signature
        return sig.type_params

    def visit_Assign(self, node: ast.Assign) -> None:
        target = node.target
        symbol: Symbol | None = None
        name: str | None = None
        if isinstance(target, ast.Name):
            symbol = self.lookup(target.id)
            if symbol is None:
                self.undeclared_identifier(target.id, target.span)
                self.expr(node.value)
                return
            self.use(target, target.span, symbol)
            if symbol.kind not in _ASSIGNABLE:
                self.semantic_error("Invalid assignment target", target.span)
                self.expr(node.value)
                return
            slot, name = symbol.type, target.id
            self.result.types[target] = slot
        elif isinstance(target, ast.Attribute | ast.Index):
            slot = self.expr(target)
            if not self.is_function_local(target):
                self.record_effect("store", target.span)
        else:
            self.semantic_error("Invalid assignment target", target.span)
            self.expr(node.value)
            return
        if node.op is not None:
            hint = clear(slot) if is_untyped_literal(node.value) else None
            right = self.expr(node.value, hint)
            combined = ast.BinOp(span=node.span, op=node.op, left=target, right=node.value)
            found = self.arithmetic(combined, slot, right)
        else:
            found = self.expr(node.value, slot)
        if symbol is not None:
            slot = self.refine_untyped(symbol, found, slot, node.span.line)
        self.check_assign(name, found, slot, node.value.span)
        if (
            symbol is not None
            and self.function is not None
            and symbol.module is not None
            and symbol not in self.function_locals()
        ):
            self.record_effect("global assignment", target.span)
        self.check_secret_assignment(target, symbol, is_secret(slot) or slot == SHARE)

    def refine_untyped(self, symbol: Symbol, found: Type, slot: Type, line: int) -> Type:
        """Local inference: the first assignment fixes an untyped `var`'s type."""
        if (
            symbol in self.untyped_lists
            and isinstance(found, ListT)
            and self.untyped_lists[symbol] is None
            and not is_unknown(found.elem)
        ):
            symbol.type = found
            self.untyped_lists[symbol] = (found.elem, line)
            return found
        untyped = isinstance(symbol.node, ast.VarDecl) and symbol.node.type is None
        if untyped and is_unknown(symbol.type) and not is_unknown(found):
            symbol.type = found  # `var x = None` then `x = 5`
            return found
        return slot

    def visit_ExprStmt(self, node: ast.ExprStmt) -> None:
        self.expr(node.expr)

    def visit_Discard(self, node: ast.Discard) -> None:
        self.expr(node.expr)

    def visit_Pass(self, node: ast.Pass) -> None:
        pass

    def visit_Import(self, node: ast.Import) -> None:
        pass  # resolved by stoffel.compiler.resolve.modules before checking

    # ---------------------------------------------------------- control flow

    def condition(self, node: ast.Expr, what: str) -> Type:
        found = self.expr(node)  # no bool context: integers are not truthy (§2.2)
        if not (isinstance(clear(found), Bool) or is_unknown(found) or found == SHARE):
            self.type_error(f"{what} must be of type 'bool'", node.span)
        elif isinstance(node, ast.Name) and self._names_no_value(node.id):
            # A function or type name types as unknown (it can be passed by name), but as
            # a condition it can never be a bool.
            self.type_error(f"{what} must be of type 'bool'", node.span)
        return found

    def _names_no_value(self, name: str) -> bool:
        symbol = self.lookup(name)
        return symbol is not None and (symbol.kind in CALLABLE_KINDS or symbol.kind in TYPE_KINDS)

    def visit_If(self, node: ast.If) -> None:
        outer = self.region
        for index, branch in enumerate(node.branches):
            found = self.condition(branch.condition, "If-condition")
            if is_secret(found) and node not in self.result.oblivious_ifs:
                self.result.oblivious_ifs[node] = index
                if self.region is None:
                    self.region = SecretRegion(branch.condition, loop_depth=self.loop_depth)
            self.block(branch.body)
        self.block(node.else_body)
        self.region = outer

    def visit_While(self, node: ast.While) -> None:
        found = self.condition(node.condition, "While-condition")
        if is_secret(found):
            self.type_error(
                "Branching with secret values isn't supported yet (secret condition in 'while')",
                node.condition.span,
                hint="loop a clear number of times and select results with the secret "
                "condition, or reveal it",
            )
        self.loop_depth += 1
        try:
            self.block(node.body)
        finally:
            self.loop_depth -= 1

    def iteration_type(self, iterable: ast.Expr, span: Span) -> Type:
        if isinstance(iterable, ast.Range):
            return self.range_type(iterable)
        found = self.expr(iterable)
        if isinstance(found, ListT):
            return found.elem
        if found == STRING:
            return STRING
        if is_unknown(found) or found == Obj("Object"):
            return UNKNOWN
        self.type_error(
            f"Cannot iterate over type '{found}'; expected a range (a..b) or a List",
            iterable.span,
        )
        return UNKNOWN

    def range_type(self, node: ast.Range) -> Type:
        if is_untyped_literal(node.start) and not is_untyped_literal(node.stop):
            stop = self.expr(node.stop)
            start = self.expr(node.start, clear(stop) if isinstance(clear(stop), Int) else None)
        else:
            start = self.expr(node.start)
            stop = self.expr(node.stop, clear(start) if isinstance(clear(start), Int) else None)
        self.result.types[node] = UNKNOWN
        for bound, found in ((node.start, start), (node.stop, stop)):
            if is_secret(found):
                self.type_error(
                    "Secret values are not supported in for-loop range bounds",
                    bound.span,
                    hint="reveal the bound, or loop to a public maximum and select obliviously",
                )
            elif not isinstance(found, Int) and not is_unknown(found):
                self.type_error(f"Range bounds must be integers, found '{found}'", bound.span)
        if isinstance(start, Int) and isinstance(stop, Int) and start != stop:
            self.type_error(
                f"Range bounds must have matching integer types, found '{start}' and '{stop}'",
                node.span,
            )
        return start if isinstance(start, Int) else INT64

    def visit_For(self, node: ast.For) -> None:
        if len(node.targets) > 1:
            self.semantic_error(
                "For-loop with multiple variables not supported yet", node.target_span
            )
        element = self.iteration_type(node.iterable, node.iterable.span)
        with self.new_scope("for", node.span):
            for name in node.targets[:1]:
                self.declare(
                    Symbol(
                        name,
                        SymbolKind.VARIABLE,
                        node.target_span,
                        type=element,
                        node=node,
                        module=self.module_path(),
                    )
                )
            self.loop_depth += 1
            try:
                self.block(node.body)
            finally:
                self.loop_depth -= 1

    def visit_Match(self, node: ast.Match) -> None:
        subject = self.expr(node.subject)
        outer = self.region
        if is_secret(subject):
            self.result.oblivious_matches.add(node)
            if self.region is None:
                self.region = SecretRegion(node.subject, loop_depth=self.loop_depth)
        for case in node.cases:
            if case.pattern is not None:
                pattern = self.expr(case.pattern, clear(subject))
                compare = ast.BinOp(
                    span=case.pattern.span, op="==", left=node.subject, right=case.pattern
                )
                self.comparison(compare, subject, pattern)
            self.block(case.body)
        self.region = outer

    def visit_Break(self, node: ast.Break) -> None:
        self.loop_jump(node, "break")

    def visit_Continue(self, node: ast.Continue) -> None:
        self.loop_jump(node, "continue")

    def loop_jump(self, node: ast.Stmt, what: str) -> None:
        if self.loop_depth == 0:
            self.semantic_error(f"'{what}' outside of a loop", node.span)
        elif self.region is not None and self.loop_depth <= self.region.loop_depth:
            self.check_secret_jump(node, what)

    def visit_Return(self, node: ast.Return) -> None:
        if self.function is None:
            self.semantic_error("'return' statement outside of function", node.span)
            if node.value is not None:
                self.expr(node.value)
            return
        self.check_secret_jump(node, "return")
        returns = self.function.returns
        if node.value is None:
            if returns not in (VOID, NIL) and not is_unknown(returns):
                self.type_error(
                    f"Cannot return value of type 'void' from function returning '{returns}'",
                    node.span,
                )
            return
        found = self.expr(node.value, None if returns == VOID else returns)
        if returns == VOID:
            if found not in (NIL, VOID) and not is_unknown(found):
                self.type_error(
                    f"Cannot return value of type '{found}' from function returning 'void'",
                    node.value.span,
                )
            return
        self.check_flow(
            found,
            returns,
            node.value.span,
            f"Cannot return value of type '{found}' from function returning '{returns}'",
        )

    def visit_Assert(self, node: ast.Assert) -> None:
        found = self.expr(node.condition, BOOL)
        self.check_flow(
            found,
            BOOL,
            node.condition.span,
            f"Type mismatch. Expected 'bool', found '{found}'",
        )
        if node.message is not None:
            self.expr(node.message, STRING)
        self.record_effect("assert", node.span)
        if self.region is not None:
            self.effectful_call("assert", "assert", node.span)
