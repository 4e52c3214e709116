"""Calls: user functions (defaults injected and variadics packed by the checker's CallInfo),
builtins (VM symbols), object constructors. Reveals and client inputs become the IR's
``open`` and ``input`` ops so that round scheduling sees them."""

from __future__ import annotations

from stoffel.compiler.ast import nodes as ast
from stoffel.compiler.check.facts import CallInfo, CallKind
from stoffel.compiler.lower.expressions import ExpressionLowering
from stoffel.compiler.lower.types import ir_type
from stoffel.compiler.ssa import ir
from stoffel.compiler.types import types as T

#: Builtins without effects and without reads of mutable memory: free to drop or move.
PURE_BUILTINS = frozenset(
    {"to_string", "type", "range", "Share.add", "Share.sub", "Share.neg", "Share.add_scalar"}
    | {"Share.mul_scalar", "Share.get_type", "Share.get_party_id", "Share.retag"}
    | {"Share.from_clear", "Share.from_clear_int", "Share.from_clear_uint"}
    | {"Share.from_clear_fixed", "Mpc.party_id", "Mpc.n_parties", "Mpc.threshold"}
    | {"Mpc.protocol_name", "Mpc.curve", "Mpc.field", "Mpc.is_ready", "Mpc.has_capability"}
    | {"Mpc.capabilities", "Mpc.instance_id", "ClientStore.get_number_clients"}
    | {"ClientStore.get_number_input_clients", "ClientStore.get_number_output_clients"}
    | {f"Field.{n}" for n in ("from_int", "zero", "one", "add", "sub", "mul", "eq", "neg")}
    | {"Field.is_zero", "Field.inverse"}
)
REVEALS = frozenset({"Share.open", "Share.reveal"})
#: Sending a share to a client: the IR's `output` op (client id first).
OUTPUTS = frozenset({"MpcOutput.send_to_client", "Share.send_to_client"})
#: ClientStore.take_share* → the secret type of the input slot.
INPUTS = {
    "ClientStore.take_share": ir.SECRET_I64,
    "ClientStore.take_share_fixed": ir.Type("fix64", secret=True),
    "ClientStore.take_share_bool": ir.SECRET_BOOL,
}


class CallLowering(ExpressionLowering):
    def builtin(
        self, name: str, args: list[ir.Operand], ty: ir.Type | None, effects: bool | None = None
    ) -> ir.Var | None:
        if effects is None:
            effects = name not in PURE_BUILTINS
        if ty is not None and ty.kind == "nil":
            ty = None
        return self.b.emit("builtin", args, ty, callee=name, effects=effects)

    def lower_call(self, e: ast.Call) -> ir.Operand:
        info = self.checked.calls.get(e)
        if info is None or info.kind is CallKind.UNKNOWN or info.callee is None:
            raise self.fail("this call cannot be compiled (it did not resolve)", e)
        if info.kind is CallKind.CONSTRUCTOR:
            return self.construct(e, info)
        sig = info.signature
        params = list(sig.params) if sig is not None else []
        args: list[ir.Operand] = []
        for i, arg in enumerate(info.arguments):
            want = params[i].type if i < len(params) else T.UNKNOWN
            value = self.default_literal(arg, want) if arg not in self.checked.types else None
            if value is None:
                value = self.lower_expr(arg)
            args.append(self.coerce(value, self.type_of(arg), want))
        variadic_t = next((p.type for p in params if p.variadic), T.UNKNOWN)
        extra = [
            self.coerce(self.lower_expr(v), self.type_of(v), variadic_t) for v in info.variadic
        ]
        returns = ir_type(info.returns)
        if info.kind is CallKind.FUNCTION:
            if any(p.variadic for p in params):
                packed = self.builtin("create_array", [], ir.Type("list"), effects=True)
                assert packed is not None
                for v in extra:
                    self.builtin("append", [packed, v], None, effects=True)
                args.append(packed)
            name = self.pc.names.get(info.callee, info.callee.name)
            # A generic function is lowered once, returning `any`; the call's result has
            # the callee's type and an explicit `copy` narrows it to this instantiation,
            # so inlining (which substitutes the returned value) keeps every use typed.
            sig = info.callee.signature
            declared = ir_type(sig.returns) if sig is not None else returns
            generic = declared == ir.Type("any") and returns.kind not in ("any", "nil")
            result = self.b.emit(
                "call",
                args,
                declared if generic else None if returns.kind == "nil" else returns,
                callee=name,
                effects=self.effectful(info),
            )
            if generic and result is not None:
                return self.b.value("copy", [result], returns)
            return result if result is not None else ir.Const(None, ir.CLEAR_NIL)
        return self.call_builtin(e, info, args + extra, returns)

    def effectful(self, info: CallInfo) -> bool:
        """Always: even an effect-free function may fail at run time (overflow, division by
        zero), and dropping or reordering an unused call would hide that at -O1+."""
        return True

    def call_builtin(
        self, e: ast.Call, info: CallInfo, args: list[ir.Operand], returns: ir.Type
    ) -> ir.Operand:
        assert info.callee is not None
        name = info.callee.vm_symbol or info.callee.qualified_name
        if name in REVEALS and len(args) == 1 and args[0].type.secret:
            ty = returns if not returns.secret and returns.kind not in ("nil",) else ir.Type("any")
            if args[0].type.kind != "share":
                ty = args[0].type.as_clear()
            return self.b.value("open", args, ty)
        # The VM draws Share.random uniformly from the declared type's range; int64 (and
        # the untyped handle) is the argument-less upstream call.
        if name == "Share.random" and not args and returns.kind not in ("i64", "share"):
            args = [ir.Const(returns.kind, ir.Type("string"))]
        if name in INPUTS and len(args) == 2:
            return self.b.value("input", args, INPUTS[name])
        if name in OUTPUTS and len(args) == 2:
            client, value = (args[1], args[0]) if name == "Share.send_to_client" else args
            if value.type.secret and not client.type.secret and client.type.is_int:
                return self.b.value("output", [client, value], ir.CLEAR_BOOL)
        result = self.builtin(name, args, returns)
        return result if result is not None else ir.Const(None, ir.CLEAR_NIL)

    def construct(self, e: ast.Call, info: CallInfo) -> ir.Operand:
        assert info.callee is not None
        obj = self.builtin(
            "create_object", [ir.Const(info.callee.name, ir.Type("string"))], ir.Type("obj"), True
        )
        assert obj is not None
        for name, expr in info.fields.items():
            field = info.callee.members.get(name)
            want = field.type if field is not None else T.UNKNOWN
            value = self.coerce(self.lower_expr(expr), self.type_of(expr), want)
            self.b.emit("setfield", [obj, ir.Const(name, ir.Type("string")), value])
        return obj
