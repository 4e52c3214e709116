"""Instruction selection for the non-terminator IR opcodes.

Secret opcodes map onto the same arithmetic opcodes as clear ones (the register bank makes
them MPC operations, bytecode.md §1.1); protocol ops the ISA has no opcode for (secret
comparisons, select) call the VM's ``Share.*`` builtins; ``open`` is the secret→clear MOV.
"""

from __future__ import annotations

from typing import Any

from stoffel.compiler.lower.context import CAST_BUILTIN
from stoffel.compiler.ssa import ir
from stoffel.vm.isa import Opcode

R_A, R_B, R_C, R_T, R_X = 11, 12, 13, 14, 15
ARITH = {
    "add": Opcode.ADD,
    "sub": Opcode.SUB,
    "mul": Opcode.MUL,
    "div": Opcode.DIV,
    "rem": Opcode.MOD,
    "and": Opcode.AND,
    "or": Opcode.OR,
    "xor": Opcode.XOR,
    "shl": Opcode.SHL,
    "shr": Opcode.SHR,
    "sadd": Opcode.ADD,
    "ssub": Opcode.SUB,
    "smul": Opcode.MUL,
    "smulc": Opcode.MUL,
    "sfmul": Opcode.MUL,
    "sdivc": Opcode.DIV,
    "sand": Opcode.AND,
    "sor": Opcode.OR,
    "sxor": Opcode.XOR,
}
CALLS = {
    "slt": "Share.lt",
    "sle": "Share.le",
    "sgt": "Share.gt",
    "sge": "Share.ge",
    "seq": "Share.eq",
    "sne": "Share.ne",
    "select": "Share.select",
    "getfield": "get_field",
    "getindex": "get_field",
    "setfield": "set_field",
    "setindex": "set_field",
    "output": "MpcOutput.send_to_client",
}
INPUT_BUILTINS = {"fix64": "ClientStore.take_share_fixed", "bool": "ClientStore.take_share_bool"}
COMPARE_JUMPS: dict[str, tuple[Opcode, ...]] = {
    "eq": (Opcode.JMPEQ,),
    "ne": (Opcode.JMPNEQ,),
    "lt": (Opcode.JMPLT,),
    "gt": (Opcode.JMPGT,),
    "le": (Opcode.JMPLT, Opcode.JMPEQ),
    "ge": (Opcode.JMPGT, Opcode.JMPEQ),
}
#: Jumps taken exactly when the comparison is false (the flag is always -1, 0 or 1).
NEGATED_JUMPS: dict[str, tuple[Opcode, ...]] = {
    "eq": (Opcode.JMPNEQ,),
    "ne": (Opcode.JMPEQ,),
    "lt": (Opcode.JMPGT, Opcode.JMPEQ),
    "gt": (Opcode.JMPLT, Opcode.JMPEQ),
    "le": (Opcode.JMPGT,),
    "ge": (Opcode.JMPLT,),
}


class SelectMixin:
    # Provided by FunctionEmitter.
    pool: Any

    def op(self, opcode: Opcode, *args: Any) -> None: ...
    def src(self, operand: ir.Operand, scratch: int) -> int: ...
    def dst(self, v: ir.Var | None) -> int: ...
    def store(self, v: ir.Var | None, reg: int) -> None: ...
    def label(self, base: str = "L") -> str: ...
    def place(self, name: str) -> None: ...

    def const(self, reg: int, value: Any) -> None:
        self.op(Opcode.LDI, reg, self.pool.index(value))

    def select(self, inst: ir.Instr) -> None:
        op, ops, res = inst.opcode, inst.operands, inst.result
        if op in ARITH:
            a, b = self.src(ops[0], R_A), self.src(ops[1], R_B)
            d = self.dst(res)
            self.op(ARITH[op], d, a, b)
            self.store(res, d)
        elif op in ("copy", "share", "open"):
            d = self.dst(res)
            if isinstance(ops[0], ir.Const):
                self.const(d, _value(ops[0]))
            else:
                self.op(Opcode.MOV, d, self.src(ops[0], R_A))
            self.store(res, d)
        elif op in ("neg", "sneg"):
            zero = _zero(ops[0].type)
            self.const(R_B, zero)
            a = self.src(ops[0], R_A)
            d = self.dst(res)
            self.op(Opcode.SUB, d, R_B, a)
            self.store(res, d)
        elif op in ("not", "snot"):
            a = self.src(ops[0], R_A)
            d = self.dst(res)
            self.op(Opcode.NOT, d, a)
            self.store(res, d)
        elif op == "mod":
            self.floored_mod(inst)
        elif op in COMPARE_JUMPS:
            self.materialize(inst)
        elif op == "cast":
            assert res is not None
            self.call(CAST_BUILTIN, [ops[0], ir.Const(res.type.kind, ir.Type("string"))], res)
        elif op in CALLS:
            self.call(CALLS[op], ops, res)
        elif op in ("call", "builtin"):
            assert inst.callee is not None
            self.call(inst.callee, ops, res)
        elif op == "input":
            assert res is not None
            name = INPUT_BUILTINS.get(res.type.kind, "ClientStore.take_share")
            self.call(name, ops, res)
        elif op == "srandom":
            self.call("Share.random", [], res)
        elif op == "strunc":
            raise NotImplementedError("strunc is never emitted by the lowering")
        else:
            raise NotImplementedError(f"no instruction selection for `{op}`")

    def call(self, name: str, args: list[ir.Operand], res: ir.Var | None) -> None:
        for a in args:
            self.op(Opcode.PUSHARG, self.src(a, R_A))
        self.op(Opcode.CALL, name)
        if res is not None:
            self.store(res, 0)

    def materialize(self, inst: ir.Instr) -> None:
        """A clear comparison as a value: CMP, then jumps that load true or false."""
        a, b = self.src(inst.operands[0], R_A), self.src(inst.operands[1], R_B)
        d = self.dst(inst.result)
        yes, done = self.label(), self.label()
        self.op(Opcode.CMP, a, b)
        for jump in COMPARE_JUMPS[inst.opcode]:
            self.op(jump, yes)
        self.const(d, False)
        self.op(Opcode.JMP, done)
        self.place(yes)
        self.const(d, True)
        self.place(done)
        self.store(inst.result, d)

    def floored_mod(self, inst: ir.Instr) -> None:
        """``a mod b`` floors: the remainder takes the divisor's sign (language.md §8.6)."""
        a, b = self.src(inst.operands[0], R_A), self.src(inst.operands[1], R_B)
        t = R_T
        self.op(Opcode.MOD, t, a, b)
        self.const(R_C, _zero(inst.operands[0].type))
        done, neg, fix = self.label(), self.label(), self.label()
        self.op(Opcode.CMP, t, R_C)
        self.op(Opcode.JMPEQ, done)
        self.op(Opcode.JMPLT, neg)
        self.op(Opcode.CMP, b, R_C)
        self.op(Opcode.JMPLT, fix)
        self.op(Opcode.JMP, done)
        self.place(neg)
        self.op(Opcode.CMP, b, R_C)
        self.op(Opcode.JMPGT, fix)
        self.op(Opcode.JMP, done)
        self.place(fix)
        self.op(Opcode.ADD, t, t, b)
        self.place(done)
        self.store(inst.result, t)


def _value(c: ir.Const) -> Any:
    from stoffel.compiler.codegen.constants import vm_value

    return vm_value(c)


def _zero(t: ir.Type) -> Any:
    from stoffel.compiler.codegen.constants import vm_value

    kind = t.as_clear().kind if t.secret else t.kind
    if kind == "f64" or kind == "fix64":
        return 0.0 if not t.secret else 0
    if t.secret:
        return 0
    if kind in ir.INT_KINDS:
        return vm_value(ir.Const(0, ir.Type(kind)))
    return 0
