"""Names, field and enum access, indexing, slices, list/dict literals, comprehensions."""

from __future__ import annotations

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.context import CheckerBase
from stoffel.compiler.check.literals import untyped_int
from stoffel.compiler.check.suggest import did_you_mean
from stoffel.compiler.resolve.symbols import Symbol, SymbolKind, name_span
from stoffel.compiler.types.compat import join
from stoffel.compiler.types.types import (
    BOOL,
    INT64,
    STRING,
    UNKNOWN,
    Bool,
    DictT,
    Fix,
    Float,
    Int,
    ListT,
    Obj,
    Type,
    clear,
    contains_secret,
    is_integer,
    is_secret,
    is_unknown,
)

# `.name` on a list, string or primitive: what to write instead (spec §2.8).
METHOD_SUGGESTIONS = {
    "pop": "array_pop(arr)",
    "get": "arr[index]",
    "set": "arr[index] = value",
    "open": "Share.open(value) or value.reveal()",
}

_VALUE_KINDS = (SymbolKind.VARIABLE, SymbolKind.PARAMETER)


def dotted_name(node: ast.Expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted_name(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


class ExpressionChecks(CheckerBase):
    objects: dict[str, Symbol]

    # ---------------------------------------------------------------- names

    def visit_Name(self, node: ast.Name, expected: Type | None) -> Type:
        symbol = self.lookup(node.id)
        if symbol is None:
            self.undeclared_identifier(node.id, node.span)
            return UNKNOWN
        self.use(node, node.span, symbol)
        if symbol.kind in _VALUE_KINDS:
            return symbol.type
        if symbol.kind is SymbolKind.ENUM_MEMBER:
            return INT64
        # A function, type or module named as a value lowers to its name (what
        # create_closure and friends take), so it is typed as the string it is.
        return STRING

    def module_member(self, node: ast.Attribute) -> Symbol | None:
        """``prefix.name`` where ``prefix`` is an import prefix or alias, else None."""
        prefix = dotted_name(node.value)
        if prefix is None or prefix not in self.prefixes:
            return None
        head = prefix.split(".")[0]
        shadow = self.lookup(head)
        if shadow is not None and shadow.kind is not SymbolKind.MODULE:
            return None
        if shadow is not None and isinstance(node.value, ast.Name):
            self.use(node.value, node.value.span, shadow)
        exports = self.prefixes[prefix]
        symbol = exports.get(node.attr)
        span = name_span(node.span, node.attr, from_end=True)
        if symbol is None:
            self.semantic_error(
                f"Module '{prefix}' has no member '{node.attr}'",
                span,
                hint=did_you_mean(node.attr, exports),
            )
            return Symbol(node.attr, SymbolKind.MODULE, None)
        self.use(node, span, symbol)
        return symbol

    def visit_Attribute(self, node: ast.Attribute, expected: Type | None) -> Type:
        member = self.module_member(node)
        if member is not None:
            if member.kind in _VALUE_KINDS:
                return member.type
            return INT64 if member.kind is SymbolKind.ENUM_MEMBER else UNKNOWN
        if isinstance(node.value, ast.Name | ast.Attribute):
            owner = self.static_symbol(node.value)
            if owner is not None and owner.kind is SymbolKind.ENUM:
                return self.enum_member(node, owner)
            if owner is not None and owner.kind is SymbolKind.BUILTIN_OBJECT:
                self.builtin_member_value(node, owner)
                return UNKNOWN
        value = self.expr(node.value)
        return self.field_type(node, value)

    def builtin_member_value(self, node: ast.Attribute, owner: Symbol) -> None:
        """``Share.x`` not called: builtin objects have only methods, and a method is no
        value (upstream fails at run time; lowering has nothing to give it)."""
        span = name_span(node.span, node.attr, from_end=True)
        method = owner.members.get(node.attr)
        if method is None:
            self.semantic_error(
                f"Unknown method '{node.attr}' on builtin object '{owner.name}'",
                span,
                hint=did_you_mean(node.attr, owner.members),
            )
            return
        self.use(node, span, method)
        self.semantic_error(
            f"'{owner.name}.{node.attr}' is a method, not a value",
            span,
            hint=f"call it: {owner.name}.{node.attr}(...)",
        )

    def static_symbol(self, node: ast.Expr) -> Symbol | None:
        """An enum or builtin object named by ``node`` (``Color``, ``m.Color``), recorded as
        a use; None when ``node`` is an ordinary value."""
        symbol: Symbol | None = None
        if isinstance(node, ast.Name):
            symbol = self.lookup(node.id)
            span = node.span
        elif isinstance(node, ast.Attribute) and self.is_module_path(node.value):
            symbol = self.lookup_qualified(f"{dotted_name(node.value)}.{node.attr}")
            span = name_span(node.span, node.attr, from_end=True)
            head = node.value
            while isinstance(head, ast.Attribute):
                head = head.value
            module = self.lookup(head.id) if isinstance(head, ast.Name) else None
            if symbol is not None and module is not None:
                self.use(head, head.span, module)
        if symbol is None or symbol.kind not in (SymbolKind.ENUM, SymbolKind.BUILTIN_OBJECT):
            return None
        self.use(node, span, symbol)
        return symbol

    def is_module_path(self, node: ast.Expr) -> bool:
        prefix = dotted_name(node)
        if prefix is None or prefix not in self.prefixes:
            return False
        shadow = self.lookup(prefix.split(".")[0])
        return shadow is None or shadow.kind is SymbolKind.MODULE

    def enum_member(self, node: ast.Attribute, enum: Symbol) -> Type:
        member = enum.members.get(node.attr)
        span = name_span(node.span, node.attr, from_end=True)
        if member is None:
            self.semantic_error(
                f"Enum '{enum.name}' has no member '{node.attr}'",
                span,
                hint=did_you_mean(node.attr, enum.members),
            )
            return INT64
        self.use(node, span, member)
        if member.value is not None:
            self.result.enum_values[node] = member.value
        return INT64

    def field_type(self, node: ast.Attribute, value: Type) -> Type:
        span = name_span(node.span, node.attr, from_end=True)
        if isinstance(value, Obj) and value.name in self.objects:
            obj = self.objects[value.name]
            field = obj.members.get(node.attr)
            if field is None:
                self.semantic_error(
                    f"Unknown field '{node.attr}' for object '{obj.name}'",
                    span,
                    hint=did_you_mean(node.attr, obj.members),
                )
                return UNKNOWN
            self.use(node, span, field)
            return field.type
        if is_secret(value) or isinstance(clear(value), Int | Float | Fix | Bool):
            # A field read on a number, bool or secret can never succeed; upstream lets it
            # through as unknown and fails at run time. Worse, on a secret the unknown result
            # would be a clear value derived from the secret, so we reject it here.
            self.type_error(
                f"Type '{value}' has no field '{node.attr}'",
                span,
                hint="fields exist only on objects; call functions with f(x) or x.f()",
            )
            return UNKNOWN
        plain = not is_unknown(value) and not isinstance(value, Obj)
        if plain and node.attr in METHOD_SUGGESTIONS:
            self.semantic_error(
                f"Method '.{node.attr}' is not supported on this type",
                span,
                hint=f"use {METHOD_SUGGESTIONS[node.attr]}",
            )
        return UNKNOWN

    # ------------------------------------------------------------- indexing

    def check_index(self, index: ast.Expr, expected: Type) -> Type:
        found = self.expr(index, expected)
        if is_secret(found):
            self.type_error(
                "Cannot index with a secret value",
                index.span,
                hint="reveal the index, or select obliviously with a loop over all elements",
            )
        return found

    def visit_Index(self, node: ast.Index, expected: Type | None) -> Type:
        container = self.expr(node.value)
        if isinstance(container, DictT):
            key = self.check_index(node.index, container.key)
            if not is_secret(key) and join(key, container.key) is None:
                self.type_error(
                    f"Dict key must be '{container.key}', found '{key}'", node.index.span
                )
            return container.value
        found = self.check_index(node.index, INT64)
        if not is_secret(found) and not is_integer(found) and not is_unknown(found):
            self.type_error(f"Index must be an integer, found '{found}'", node.index.span)
        if isinstance(container, ListT):
            return container.elem
        if container == STRING:
            return STRING
        if not is_unknown(container) and container != Obj("Object"):
            self.type_error(f"Cannot index into a value of type '{container}'", node.span)
        return UNKNOWN

    def visit_Slice(self, node: ast.Slice, expected: Type | None) -> Type:
        container = self.expr(node.value)
        for part in (node.start, node.stop, node.step):
            if part is not None:
                found = self.check_index(part, INT64)
                if not is_secret(found) and not is_integer(found) and not is_unknown(found):
                    self.type_error(f"Index must be an integer, found '{found}'", part.span)
        if isinstance(container, ListT) or container == STRING:
            return container
        return UNKNOWN

    # ---------------------------------------------------------- collections

    def homogeneous(
        self, elements: list[ast.Expr], expected: Type | None, what: str
    ) -> Type | None:
        """The common type of ``elements``; literals adapt to the first typed element."""
        common: Type | None = None
        # The first element that is not an untyped int literal sets the type (§2.9).
        typed = [e for e in elements if untyped_int(e) is None]
        literals = [e for e in elements if untyped_int(e) is not None]
        for element in typed:
            common = self._merge(common, self.expr(element, expected), element, what)
        for element in literals:
            target = expected if expected is not None else common
            common = self._merge(common, self.expr(element, target), element, what)
        return common

    def _merge(self, common: Type | None, found: Type, node: ast.Expr, what: str) -> Type:
        if common is None:
            return found
        merged = join(found, common)
        if merged is None:
            self.type_error(
                f"{what} must share one type: expected '{common}', found '{found}'", node.span
            )
            return common
        return merged

    def visit_ListLit(self, node: ast.ListLit, expected: Type | None) -> Type:
        elem = expected.elem if isinstance(expected, ListT) else None
        common = self.homogeneous(list(node.elements), elem, "List elements")
        if common is None:
            return ListT(elem if elem is not None else UNKNOWN)
        return ListT(common)

    def visit_DictLit(self, node: ast.DictLit, expected: Type | None) -> Type:
        key_exp = expected.key if isinstance(expected, DictT) else None
        value_exp = expected.value if isinstance(expected, DictT) else None
        keys = self.homogeneous([i.key for i in node.items], key_exp, "Dict keys")
        if keys is not None and contains_secret(keys):
            # Keys are hashed and compared in the clear by the VM.
            self.type_error(
                "Dict keys cannot be secret",
                node.items[0].key.span,
                hint="reveal the keys, or keep secrets as the dict's values",
            )
        values = self.homogeneous([i.value for i in node.items], value_exp, "Dict values")
        return DictT(
            keys or key_exp or UNKNOWN,
            values or value_exp or UNKNOWN,
        )

    def visit_ListComp(self, node: ast.ListComp, expected: Type | None) -> Type:
        iterated = self.iteration_type(node.iterable, node.iterable.span)
        with self.new_scope("for", node.span):
            target = Symbol(
                node.target, SymbolKind.VARIABLE, None, type=iterated, module=self.module_path()
            )
            self.scope.names[node.target] = target
            if node.condition is not None:
                self.condition(node.condition, "If-condition")
            elem = expected.elem if isinstance(expected, ListT) else None
            return ListT(self.expr(node.element, elem))

    def visit_Range(self, node: ast.Range, expected: Type | None) -> Type:
        self.expr(node.start)
        self.expr(node.stop)
        return UNKNOWN

    # Provided by other mixins.
    def iteration_type(self, iterable: ast.Expr, span: object) -> Type:
        raise NotImplementedError

    def condition(self, node: ast.Expr, what: str) -> Type:
        raise NotImplementedError

    def module_path(self) -> str | None:
        return self.module.source.path if self.module is not None else None


__all__ = ["BOOL", "METHOD_SUGGESTIONS", "ExpressionChecks", "dotted_name"]
