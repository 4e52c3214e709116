"""List and dict literals and comprehensions (built with create_array/append and
create_object/set_field, the VM's only container operations)."""

from __future__ import annotations

from collections.abc import Callable

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.lower.calls import CallLowering
from stoffel.compiler.lower.types import ir_type
from stoffel.compiler.lower.walk import walk
from stoffel.compiler.ssa import ir
from stoffel.compiler.types import types as T

LIST = ir.Type("list")
I64 = ir.CLEAR_I64


class CollectionLowering(CallLowering):
    def new_list(self) -> ir.Var:
        xs = self.builtin("create_array", [], LIST, effects=True)
        assert xs is not None
        return xs

    def lower_list(self, e: ast.ListLit) -> ir.Operand:
        t = self.type_of(e)
        elem = t.elem if isinstance(t, T.ListT) else T.UNKNOWN
        xs = self.new_list()
        for item in e.elements:
            value = self.coerce(self.lower_expr(item), self.type_of(item), elem)
            self.builtin("append", [xs, value], None, effects=True)
        return xs

    def lower_dict(self, e: ast.DictLit) -> ir.Operand:
        t = self.type_of(e)
        vt = t.value if isinstance(t, T.DictT) else T.UNKNOWN
        d = self.builtin("create_object", [], ir.Type("dict"), effects=True)
        assert d is not None
        for item in e.items:
            key = self.lower_expr(item.key)
            value = self.coerce(self.lower_expr(item.value), self.type_of(item.value), vt)
            self.b.emit("setindex", [d, key, value])
        return d

    def lower_comprehension(self, e: ast.ListComp) -> ir.Operand:
        t = self.type_of(e)
        elem = t.elem if isinstance(t, T.ListT) else T.UNKNOWN
        out = self.new_list()
        key = self._comp_key(e)

        def body() -> None:
            if e.condition is not None:
                cond = self.lower_condition(e.condition)
                then, done = self.b.new_block("comp_then"), self.b.new_block("comp_next")
                self.b.cbr(cond, then, done)
                self.b.seal(then)
                self.b.start(then)
                self._append(out, e.element, elem)
                self.b.br(done)
                self.b.seal(done)
                self.b.start(done)
            else:
                self._append(out, e.element, elem)

        old = self.aliases.get(e.target)
        self.aliases[e.target] = key
        try:
            calls = any(isinstance(n, ast.Call) for n in walk([e.element, e.condition]))
            self.iterate(e.iterable, key, body, fixed_length=not calls)
        finally:
            if old is None:
                self.aliases.pop(e.target, None)
            else:
                self.aliases[e.target] = old
        return out

    def _append(self, out: ir.Var, element: ast.Expr, elem: T.Type) -> None:
        value = self.coerce(self.lower_expr(element), self.type_of(element), elem)
        self.builtin("append", [out, value], None, effects=True)

    def _comp_key(self, e: ast.ListComp) -> object:
        """The comprehension variable's symbol: the one its uses resolved to."""
        for node in walk([e.element, e.condition]):
            if isinstance(node, ast.Name) and node.id == e.target:
                sym = self.symbol(node)
                if sym is not None:
                    self.b.declare(sym, ir_type(sym.type))
                    return sym
        key = ("comp", id(e))
        self.b.declare(key, ir.Type("any"))
        return key

    # Provided by StatementLowering.
    def iterate(
        self,
        iterable: ast.Expr,
        key: object,
        body: Callable[[], None],
        *,
        fixed_length: bool = False,
    ) -> None:
        raise NotImplementedError
