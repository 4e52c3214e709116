"""Module-level declarations: imports into scope, predeclared types and functions
(so a function may call one defined later, DESIGN.md §3), objects, enums, aliases,
function bodies with their parameter rules, and the entry rules of spec §2.12."""

from __future__ import annotations

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.context import FunctionContext
from stoffel.compiler.check.facts import FunctionInfo
from stoffel.compiler.check.literals import untyped_int
from stoffel.compiler.check.returns import block_returns
from stoffel.compiler.check.signatures import signature_of
from stoffel.compiler.check.statements import StatementChecks
from stoffel.compiler.diagnostics import Note
from stoffel.compiler.resolve.modules import ImportEdge, ModuleInfo
from stoffel.compiler.resolve.symbols import Symbol, SymbolKind, name_span
from stoffel.compiler.types.types import INT64, NIL, UNKNOWN, VOID, Obj

_DEFINITIONS = (
    ast.FunctionDef,
    ast.ObjectDef,
    ast.EnumDef,
    ast.TypeAlias,
    ast.Import,
    ast.Pass,
    ast.ErrorStmt,
    ast.BuiltinType,
    ast.BuiltinObject,
)
_EXPORTED = (
    SymbolKind.FUNCTION,
    SymbolKind.VARIABLE,
    SymbolKind.OBJECT,
    SymbolKind.ENUM,
    SymbolKind.TYPE_ALIAS,
)


def _is_literal(node: ast.Expr) -> bool:
    if isinstance(node, ast.UnaryOp) and node.op == "-":
        return _is_literal(node.operand)
    return isinstance(node, ast.IntLit | ast.FloatLit | ast.StrLit | ast.BoolLit | ast.NoneLit)


class DeclarationChecks(StatementChecks):
    function_symbols: dict[ast.FunctionDef, Symbol]

    def check_module(self, info: ModuleInfo, is_entry: bool) -> None:
        self.module = info
        self.prefixes = {}
        span = info.source.span(0, len(info.source.text))
        with self.new_scope("module", span) as scope:
            for edge in info.imports:
                self.import_module(edge)
            body = info.module.body
            with self.guarded(info.module.span):
                self.predeclare(body)
            self.entry_rules(body, is_entry)
            self.block(body)
            self.exports[info.path] = {
                name: symbol
                for name, symbol in scope.names.items()
                if symbol.module == info.source.path and symbol.kind in _EXPORTED
            }
        self.module = None

    # ---------------------------------------------------------------- imports

    def import_module(self, edge: ImportEdge) -> None:
        exports = self.exports.get(edge.target.path, {})
        self.prefixes[edge.prefix] = exports
        head = edge.prefix.split(".")[0]
        if head not in self.scope.names:
            # Its "definition" is the start of the imported file (go-to-definition).
            module = Symbol(
                head,
                SymbolKind.MODULE,
                edge.target.source.span(0, 0),
                node=edge.node,
                module=edge.target.key,
            )
            self.scope.names[head] = module
            self.index.define(module)
            self.index.node_symbols[edge.node] = module
        for name, symbol in exports.items():
            existing = self.scope.names.get(name)
            if existing is not None and existing is not symbol and not existing.is_builtin:
                where = existing.span
                self.semantic_error(
                    f"Symbol '{name}' already declared in this scope",
                    edge.node.span,
                    hint=f"Original declaration was here: {where}" if where else None,
                    notes=(Note(message="original declaration", span=where),) if where else (),
                )
                continue
            self.scope.names[name] = symbol

    # ----------------------------------------------------------- predeclaring

    def predeclare(self, body: tuple[ast.Stmt, ...]) -> None:
        objects = [s for s in body if isinstance(s, ast.ObjectDef)]
        for stmt in body:
            if isinstance(stmt, ast.ObjectDef):
                self.declare_object(stmt)
            elif isinstance(stmt, ast.EnumDef):
                self.declare_enum(stmt)
        for stmt in body:
            if isinstance(stmt, ast.TypeAlias):
                self.declare_alias(stmt)
        for stmt in objects:
            self.declare_fields(stmt)
        for stmt in body:
            if isinstance(stmt, ast.FunctionDef):
                self.declare_function(stmt)

    def declare_object(self, node: ast.ObjectDef) -> Symbol:
        symbol = Symbol(
            node.name,
            SymbolKind.OBJECT,
            node.name_span,
            type=Obj(node.name),
            node=node,
            module=self.module_path(),
        )
        self.declare(symbol)
        self.objects[node.name] = symbol
        return symbol

    def declare_fields(self, node: ast.ObjectDef) -> None:
        symbol = self.objects[node.name]
        if node.base is not None:
            base = self.lookup(node.base)
            if base is None or base.kind is not SymbolKind.OBJECT:
                self.semantic_error(f"Undefined type '{node.base}'", node.name_span)
            else:
                symbol.members.update(base.members)
        for field in node.fields:
            symbol.members[field.name] = member = Symbol(
                field.name,
                SymbolKind.FIELD,
                name_span(field.span, field.name),
                type=self.resolve_type(field.type),
                node=field,
                module=self.module_path(),
                owner=node.name,
            )
            self.index.define(member)

    def declare_enum(self, node: ast.EnumDef) -> None:
        symbol = Symbol(
            node.name,
            SymbolKind.ENUM,
            node.name_span,
            type=INT64,
            node=node,
            module=self.module_path(),
        )
        self.declare(symbol)
        value = 0
        for member in node.members:
            span = name_span(member.span, member.name)
            if member.value is not None:
                explicit = untyped_int(member.value)
                if explicit is None and isinstance(member.value, ast.IntLit):
                    explicit = member.value.value
                if explicit is None:
                    self.semantic_error(
                        f"Enum member '{member.name}' must use an integer literal value",
                        member.value.span,
                    )
                elif not INT64.min <= explicit <= INT64.max:
                    self.semantic_error(
                        f"Enum member '{member.name}' value {explicit} does not fit in int64",
                        member.value.span,
                    )
                else:
                    value = explicit
                    self.result.types[member.value] = INT64
            if member.name in symbol.members:
                self.semantic_error(f"Duplicate enum member '{member.name}'", span)
                continue
            symbol.members[member.name] = entry = Symbol(
                member.name,
                SymbolKind.ENUM_MEMBER,
                span,
                type=INT64,
                node=member,
                module=self.module_path(),
                owner=node.name,
                value=value,
            )
            self.index.define(entry)
            value += 1

    def declare_alias(self, node: ast.TypeAlias) -> None:
        self.declare(
            Symbol(
                node.name,
                SymbolKind.TYPE_ALIAS,
                node.name_span,
                type=self.resolve_type(node.type),
                node=node,
                module=self.module_path(),
            )
        )

    def declare_function(self, node: ast.FunctionDef) -> Symbol:
        signature = signature_of(node, self.types_resolver)
        symbol = Symbol(
            node.name,
            SymbolKind.FUNCTION,
            node.name_span,
            node=node,
            module=self.module_path(),
            signature=signature,
        )
        for param, declared in zip(node.params, signature.params, strict=True):
            # Created with the signature so that named arguments of calls seen before
            # the body can already refer to them.
            symbol.members[param.name] = Symbol(
                param.name,
                SymbolKind.PARAMETER,
                name_span(param.span, param.name, skip=1 if param.variadic else 0),
                type=declared.type,
                node=param,
                module=self.module_path(),
                owner=None,
            )
        self.function_symbols[node] = symbol
        existing = self.scope.names.get(node.name)
        self.index.define(symbol)
        self.index.node_symbols[node] = symbol
        if (
            existing is not None
            and existing.kind is SymbolKind.FUNCTION
            and (existing.module == symbol.module)
        ):
            message = (
                "Multiple 'main' procedures defined"
                if node.name == "main"
                else f"Function '{node.name}' already defined"
            )
            self.semantic_error(message, node.name_span)
        elif existing is not None and not existing.is_builtin:
            self.report_redeclared(symbol, existing)
        else:
            self.scope.names[node.name] = symbol
        return symbol

    def entry_rules(self, body: tuple[ast.Stmt, ...], is_entry: bool) -> None:
        mains = [s for s in body if isinstance(s, ast.FunctionDef) and s.name == "main"]
        if not mains:
            return
        if is_entry:
            self.result.main = self.function_symbols.get(mains[0])
        stray = next((s for s in body if not isinstance(s, _DEFINITIONS)), None)
        if stray is not None:
            self.semantic_error(
                "Cannot mix top-level code with 'def main' entry",
                stray.span,
                hint="move top-level statements into 'def main'",
            )

    # ------------------------------------------------------- nested definitions

    def visit_ObjectDef(self, node: ast.ObjectDef) -> None:
        if node.name not in self.objects or self.objects[node.name].node is not node:
            self.declare_object(node)
            self.declare_fields(node)

    def visit_EnumDef(self, node: ast.EnumDef) -> None:
        if node not in self.index.node_symbols:
            self.declare_enum(node)

    def visit_TypeAlias(self, node: ast.TypeAlias) -> None:
        if node not in self.index.node_symbols:
            self.declare_alias(node)

    def visit_BuiltinType(self, node: ast.BuiltinType) -> None:
        pass

    def visit_BuiltinObject(self, node: ast.BuiltinObject) -> None:
        pass

    # -------------------------------------------------------------- functions

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        symbol = self.function_symbols.get(node) or self.declare_function(node)
        signature = symbol.signature
        assert signature is not None
        info = FunctionInfo(symbol, node, signature)
        self.result.functions[symbol] = info
        self.check_params(node)
        if node.body is None:
            return
        saved = (self.function, self.loop_depth, self.region)
        self.function = FunctionContext(info, signature.returns)
        self.loop_depth, self.region = 0, None
        try:
            with self.new_scope("function", node.span):
                for name in node.type_params:
                    self.scope.names[name] = Symbol(name, SymbolKind.TYPE_PARAM, None)
                for param in node.params:
                    parameter = symbol.members.get(param.name)
                    if parameter is not None and parameter.node is param:
                        self.declare(parameter)
                self.block(node.body)
        finally:
            self.function, self.loop_depth, self.region = saved
        returns = signature.returns
        if returns not in (VOID, NIL, UNKNOWN) and not block_returns(node.body):
            self.semantic_error(
                f"Function '{node.name}' declares return type '{returns}' but not all paths "
                "return a value",
                node.name_span,
                hint="add a return statement at the end of the function",
            )

    def check_params(self, node: ast.FunctionDef) -> None:
        seen_default = False
        for index, param in enumerate(node.params):
            if param.variadic:
                if param.default is not None:
                    self.semantic_error(
                        "A variadic parameter cannot have a default value", param.span
                    )
                if index != len(node.params) - 1:
                    self.semantic_error(
                        "A variadic parameter (*args) must be the last parameter", param.span
                    )
                continue
            if param.default is not None:
                seen_default = True
                if not _is_literal(param.default):
                    self.semantic_error(
                        f"Default value for parameter '{param.name}' must be a literal",
                        param.default.span,
                    )
                    continue
                declared = self.resolve_type(param.type, node.type_params)
                found = self.expr(param.default, declared if param.type else None)
                if param.type is not None:
                    self.check_init(param.name, found, declared, param.default.span)
            elif seen_default:
                self.semantic_error(
                    f"Parameter '{param.name}' without a default follows a parameter with one",
                    param.span,
                )
