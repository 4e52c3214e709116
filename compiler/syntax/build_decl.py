"""AST builder callbacks for declarations (functions, objects, enums, builtins) and types."""

from __future__ import annotations

from typing import Any

from stoffel.compiler.ast import nodes as n
from stoffel.compiler.syntax import literals
from stoffel.compiler.syntax.build_base import BuilderBase, Piece, flatten
from stoffel.compiler.syntax.build_stmt import EMPTY_BLOCK, EMPTY_BLOCK_HINT

Children = list[Any]

_GENERIC_SPELLING = {"List": "list", "Dict": "dict"}
MISSING_COLON = "In function definition: Expected ':', found newline"


class DeclRules(BuilderBase):
    # -------------------------------------------------------------------- functions

    def funcdef(self, c: Children) -> n.FunctionDef:
        def_, name, type_params, _lpar, params, _rpar, ret, pragmas, tail = c
        pragma_list = pragmas.value if pragmas is not None else ()
        builtin = any(p.name == "builtin" for p in pragma_list)
        body: tuple[n.Stmt, ...] | None = tail.value
        if tail.kind == "bodyless":
            if not builtin:
                self.error(MISSING_COLON, tail.span, "Try adding ':' here")
                body = tail.value or ()
            else:
                body = None
        elif tail.kind == "empty":
            if builtin:
                body = None
            else:
                self.error(EMPTY_BLOCK, tail.span, EMPTY_BLOCK_HINT)
        return n.FunctionDef(
            name=name.value,
            type_params=type_params or (),
            params=params or (),
            return_type=ret if isinstance(ret, n.TypeExpr) else None,
            pragmas=pragma_list,
            body=body,
            name_span=self.span(name),
            span=self.span(def_, tail),
        )

    def type_params(self, c: Children) -> tuple[str, ...]:
        return tuple(t.value for t in c[1:-1])

    def params(self, c: Children) -> tuple[n.Param, ...]:
        return tuple(c)

    def param(self, c: Children) -> n.Param:
        name, type_, default = c
        return n.Param(name=name.value, type=type_, default=default, span=self.span_of(c))

    def variadic_param(self, c: Children) -> n.Param:
        _star, name, type_ = c
        return n.Param(name=name.value, type=type_, variadic=True, span=self.span_of(c))

    def tuple_ret(self, c: Children) -> n.TypeExpr | None:
        types = c[1:-1]
        if len(types) == 1:
            return types[0]
        self.error(
            "Tuple return types are not supported",
            self.span(c[0], c[-1]),
            "Return an object or a list instead",
        )
        return None

    def pragmas(self, c: Children) -> Piece:
        return Piece(self.span(c[0], c[-1]), tuple(c[1:-1]))

    def pragma(self, c: Children) -> n.Pragma:
        name, value = c
        text = literals.decode_string(value.value)[0] if value is not None else None
        return n.Pragma(name=name.value, value=text, span=self.span_of(c))

    def bodyless(self, c: Children) -> Piece:
        # A header without ':' may still have an indented body (a forgotten colon).
        body = flatten(c)
        span = self.span(c[0], body[-1]) if body else self.span(c[0])
        return Piece(span, tuple(body) if body else None, "bodyless")

    # -------------------------------------------------------------- objects, enums

    def object_def(self, c: Children) -> n.ObjectDef:
        object_, name, _lpar, base, _rpar, body = c
        if not body.value:
            self.error(
                "Object definition must have at least one field",
                self.span(object_, name),
                "Declare fields as indented 'name: type' lines",
            )
        return n.ObjectDef(
            name=name.value,
            base=base.value if base is not None else None,
            fields=tuple(f for f in body.value if isinstance(f, n.FieldDecl)),
            name_span=self.span(name),
            span=self.span(object_, body),
        )

    def object_body(self, c: Children) -> Piece:
        return self._item_block(c)

    def field_decl(self, c: Children) -> n.FieldDecl:
        name, type_ = c
        return n.FieldDecl(name=name.value, type=type_, span=self.span(name, type_))

    def enum_def(self, c: Children) -> n.EnumDef:
        enum, name, body = c
        if not body.value:
            self.error(
                "Enum must declare at least one member",
                self.span(enum, name),
                "List the members on indented lines below the enum header",
            )
        return n.EnumDef(
            name=name.value,
            members=tuple(m for m in body.value if isinstance(m, n.EnumMember)),
            name_span=self.span(name),
            span=self.span(enum, body),
        )

    def enum_body(self, c: Children) -> Piece:
        return self._item_block(c)

    def enum_member(self, c: Children) -> n.EnumMember:
        name, value = c
        if value is not None and not isinstance(value, n.IntLit):
            if not isinstance(value, n.ErrorExpr):
                self.error(
                    f"Enum member '{name.value}' must use an integer literal value",
                    value,
                    f"Write an integer such as '{name.value} = 1'",
                )
            value = None
        return n.EnumMember(name=name.value, value=value, span=self.span_of(c))

    def type_alias(self, c: Children) -> n.TypeAlias:
        type_, name, target = c
        return n.TypeAlias(
            name=name.value, type=target, name_span=self.span(name), span=self.span(type_, target)
        )

    # --------------------------------------------------------------------- builtins

    def builtin_type(self, c: Children) -> n.BuiltinType:
        _builtin, _type, name, type_ = c
        return n.BuiltinType(name=name.value, type=type_, span=self.span_of(c))

    def builtin_opaque(self, c: Children) -> n.Stmt:
        _builtin, word, name = c
        span = self.span_of(c)
        if word.value != "opaque":
            self.error(
                f"In builtin declaration: Expected 'type', 'opaque' or 'object', found "
                f"identifier '{word.value}'",
                word,
                "Try adding 'type', 'opaque' or 'object' here",
            )
            return n.ErrorStmt(span=span)
        return n.BuiltinType(name=name.value, opaque=True, span=span)

    def builtin_object(self, c: Children) -> n.BuiltinObject:
        builtin, _object, name, body = c
        methods = [m for m in body.value if isinstance(m, n.FunctionDef)]
        for method in methods:
            if not any(p.name == "builtin" for p in method.pragmas):
                # The missing pragma is the real mistake; drop the "Expected ':'" it caused.
                within = method.span.start, method.span.end
                self.diagnostics[:] = [
                    d
                    for d in self.diagnostics
                    if d.message != MISSING_COLON
                    or d.span is None
                    or not within[0] <= d.span.start <= within[1]
                ]
                self.error(
                    "Builtin object methods must use the {.builtin.} pragma",
                    method.name_span,
                    "Add {.builtin.} after the method's signature",
                )
        return n.BuiltinObject(
            name=name.value, methods=tuple(methods), span=self.span(builtin, body)
        )

    def builtin_body(self, c: Children) -> Piece:
        return self._item_block(c)

    # ------------------------------------------------------------------------ types

    def secret_type(self, c: Children) -> n.SecretType:
        secret, inner = c
        return n.SecretType(inner=inner, span=self.span(secret, inner))

    def named_type(self, c: Children) -> n.NamedType:
        (dotted,) = c
        return n.NamedType(name=dotted.value, span=dotted.span)

    def none_type(self, c: Children) -> n.NamedType:
        return n.NamedType(name="None", span=self.span(c[0]))

    def generic_type(self, c: Children) -> n.GenericType:
        name, _lsqb, *args, rsqb = c
        spelled = name.value
        if spelled in _GENERIC_SPELLING:
            fixed = _GENERIC_SPELLING[spelled]
            self.error(f"Unknown generic type: {spelled}", name, f"Did you mean '{fixed}'?")
            spelled = fixed
        return n.GenericType(name=spelled, args=tuple(args), span=self.span(name, rsqb))
