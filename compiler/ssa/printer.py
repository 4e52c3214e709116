"""Canonical text form of the IR (STYLE §8.2): one instruction per line, values renumbered.

    fn @main(%0:secret.i64) -> clear.i64 {
    entry:
      %1:secret.i64 = smul %0, %0  ; line 7
      %2:clear.i64 = open %1 !batch=0
      call @print(%2) !effects
      ret %2
    }

Variables are numbered densely in definition order (parameters, then blocks in layout
order), so the text never depends on names chosen by passes; the output is deterministic.
``parser.parse_module(print_module(m))`` gives back an identical module.
"""

from __future__ import annotations

from stoffel.compiler.ssa.ir import Block, Function, Instr, Module, Operand, Var


def _numbering(fn: Function) -> dict[Var, str]:
    names: dict[Var, str] = {}
    for p in fn.params:
        names.setdefault(p, str(len(names)))
    for inst in fn.instrs():
        if inst.result is not None:
            names.setdefault(inst.result, str(len(names)))
    return names


class FunctionPrinter:
    def __init__(self, fn: Function) -> None:
        self.fn = fn
        self.names = _numbering(fn)
        self.preds: dict[str, list[str]] = {b.label: [] for b in fn.blocks}
        for b in fn.blocks:
            for succ in b.successors():
                self.preds.setdefault(succ, []).append(b.label)

    def operand(self, op: Operand) -> str:
        if isinstance(op, Var):
            # An undefined variable keeps its own name, so broken IR still prints.
            return f"%{self.names.get(op, op.name)}"
        return str(op)

    def instr(self, inst: Instr) -> str:
        ops = [self.operand(o) for o in inst.operands]
        if inst.opcode == "phi":
            args = ", ".join(f"[{o}, {lab}]" for o, lab in zip(ops, inst.labels, strict=False))
        elif inst.opcode in ("call", "builtin"):
            args = f"@{inst.callee}({', '.join(ops)})"
        else:
            args = ", ".join([*ops, *inst.labels])
        text = f"{inst.opcode} {args}".rstrip()
        if inst.result is not None:
            text = f"{self.operand(inst.result)}:{inst.result.type} = {text}"
        if inst.effects:
            text += " !effects"
        if inst.batch is not None:
            text += f" !batch={inst.batch}"
        if inst.line is not None:
            text += f"  ; line {inst.line}"
        return text

    def block(self, b: Block) -> list[str]:
        preds = self.preds.get(b.label, [])
        head = f"{b.label}:" + (f"  ; preds: {', '.join(preds)}" if preds else "")
        return [head, *(f"  {self.instr(i)}" for i in b.all_instrs())]

    def function(self) -> str:
        fn = self.fn
        params = ", ".join(f"{self.operand(p)}:{p.type}" for p in fn.params)
        ret = f" -> {fn.ret_type}" if fn.ret_type is not None else ""
        lines = [f"fn @{fn.name}({params}){ret} {{"]
        for b in fn.blocks:
            lines.extend(self.block(b))
        lines.append("}")
        return "\n".join(lines) + "\n"


def print_function(fn: Function) -> str:
    return FunctionPrinter(fn).function()


def print_instr(inst: Instr, fn: Function) -> str:
    return FunctionPrinter(fn).instr(inst)


def print_module(module: Module) -> str:
    return "\n".join(print_function(fn) for fn in module.functions)
