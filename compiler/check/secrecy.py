"""Secret branches (DESIGN.md §3) and effect tracking.

Inside a branch of an ``if`` on a secret condition both branches run and results are
selected obliviously, so anything that cannot be selected is rejected: assigning a
clear variable declared outside, ``print``, ``return``, ``break``/``continue``,
revealing, client output, stores into list elements or object fields, and calls with
effects. Calls to user functions are checked once every body has been seen, against
``FunctionInfo.effect_free`` closed over the call graph.
"""

from __future__ import annotations

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.context import CheckerBase
from stoffel.compiler.check.facts import Effect, FunctionInfo
from stoffel.compiler.resolve.symbols import Symbol, SymbolKind
from stoffel.compiler.source import Span

# Builtins that must not run under a secret condition, by qualified name → effect.
BUILTIN_EFFECTS: dict[str, str] = {
    "print": "print",
    "assert": "assert",
    **{
        name: "reveal"
        for name in (
            "reveal",
            "Share.open",
            "Share.reveal",
            "Share.open_fixed",
            "Share.batch_open",
            "Share.batch_open_fixed",
            "Share.open_field",
            "Share.open_exp",
            "Share.open_exp_custom",
        )
    },
    "MpcOutput.send_to_client": "client output",
    "Share.send_to_client": "client output",
    **{
        name: "list mutation"
        for name in ("append", "extend", "pop", "remove", "insert", "clear", "reverse", "sort")
    },
    "delete": "list mutation",
    "LocalStorage.store": "store",
    "LocalStorage.delete": "store",
    "set_upvalue": "store",
    "Rbc.broadcast": "broadcast",
    "Rbc.receive": "broadcast",
    "Rbc.receive_any": "broadcast",
    "call_closure": "closure call",
    "call_closure_with_arg": "closure call",
}

_LEAK = "(it would leak the condition)"
_FLOW = "(control flow cannot depend on a secret)"
_WHERE = "in a branch on a secret condition"


class SecrecyChecks(CheckerBase):
    deferred_calls: list[tuple[Symbol, str, Span]]

    def record_effect(self, kind: str, span: Span | None) -> None:
        if self.function is not None:
            self.function.info.effects.append(Effect(kind, span))

    def note_call(
        self, node: ast.Call, symbol: Symbol, name: str, span: Span, args: list[ast.Expr]
    ) -> None:
        if symbol.kind is SymbolKind.FUNCTION:
            if self.function is not None:
                self.function.info.callees.append(symbol)
            if self.region is not None:
                self.deferred_calls.append((symbol, name, span))
            return
        effect = BUILTIN_EFFECTS.get(symbol.qualified_name)
        if effect is None:
            return
        if not (effect == "list mutation" and args and self.is_function_local(args[0])):
            self.record_effect(effect, span)
        if self.region is None:
            return
        if effect == "list mutation" and args and self._region_local(args[0]):
            return  # mutating a list created inside the branch cannot leak
        if effect == "print":
            self.semantic_error(
                f"Cannot print {_WHERE} {_LEAK}",
                span,
                hint="assign the value to a secret variable and print it after the 'if'",
            )
        elif effect == "reveal":
            self.semantic_error(
                f"Cannot reveal a secret {_WHERE} {_LEAK}", span, hint="reveal after the 'if'"
            )
        elif effect == "client output":
            self.semantic_error(
                f"Cannot send output to a client {_WHERE} {_LEAK}",
                span,
                hint="select the value obliviously and send it after the 'if'",
            )
        else:
            self.effectful_call(name, effect, span)

    def effectful_call(self, name: str, effect: str, span: Span) -> None:
        self.semantic_error(
            f"Cannot call '{name}' {_WHERE}: it has effects ({effect})",
            span,
            hint="only effect-free calls may run under a secret condition; "
            "move the call after the 'if'",
        )

    def _region_local(self, expr: ast.Expr) -> bool:
        symbol = self.index.node_symbols.get(expr) if isinstance(expr, ast.Name) else None
        return self.region is not None and symbol in self.region.locals

    def check_secret_assignment(
        self, target: ast.Expr, symbol: Symbol | None, secret: bool
    ) -> None:
        if self.region is None:
            return
        if isinstance(target, ast.Name):
            if symbol is None or symbol in self.region.locals or secret:
                return
            self.semantic_error(
                f"Cannot assign to clear variable '{target.id}' {_WHERE} {_LEAK}",
                target.span,
                hint=f"declare '{target.id}' with a secret type (e.g. 'secret int64') so the "
                "branches can be selected obliviously",
            )
        else:
            self.semantic_error(
                f"Cannot store into a list element or object field {_WHERE} "
                "(stores are not selected obliviously)",
                target.span,
                hint="assign to a secret local variable and store it after the 'if'",
            )

    def check_secret_jump(self, node: ast.Stmt, what: str) -> None:
        if self.region is None:
            return
        hint = (
            "assign the result to a secret variable declared before the 'if' and return it after"
            if what == "return"
            else "loop over the whole range and select results with the condition"
        )
        self.semantic_error(f"Cannot use '{what}' {_WHERE} {_FLOW}", node.span, hint=hint)

    def finish_effects(self) -> None:
        """Close effect-freedom over the call graph, then judge deferred calls."""
        functions = self.result.functions
        for info in functions.values():
            info.effect_free = not info.effects
        changed = True
        while changed:
            changed = False
            for info in functions.values():
                if info.effect_free and any(
                    c in functions and not functions[c].effect_free for c in info.callees
                ):
                    info.effect_free = False
                    changed = True
        for symbol, name, span in self.deferred_calls:
            info = functions.get(symbol)
            if info is not None and not info.effect_free:
                self.effectful_call(name, _first_effect(info, functions), span)


def _first_effect(info: FunctionInfo, functions: dict[Symbol, FunctionInfo]) -> str:
    seen: set[int] = set()
    stack = [info]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if current.effects:
            return current.effects[0].kind
        stack.extend(functions[c] for c in current.callees if c in functions)
    return "effects"
