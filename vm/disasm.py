"""Disassembler: a ``.stflb`` program → deterministic, readable text (``stoffelc --disassemble``).

The output is valid input for :mod:`stoffel.vm.asm` (function type metadata is shown as a
comment and not re-assembled), so ``assemble(disassemble(p))`` reproduces programs whose labels
are stored in position order, which is what our writer and assembler produce.
"""

from __future__ import annotations

from stoffel.runtime.backend import ShareKind, ShareType
from stoffel.vm.asm import format_literal
from stoffel.vm.isa import (
    BACKEND_NAMES,
    CURVE_NAMES,
    OPERANDS,
    Function,
    FunctionType,
    Instruction,
    Operand,
    Program,
    TypeTag,
)

_SIMPLE = {
    TypeTag.FLOAT: "float",
    TypeTag.STRING: "string",
    TypeTag.BOOL: "bool",
    TypeTag.NIL: "nil",
    TypeTag.VOID: "void",
    TypeTag.UNKNOWN: "unknown",
    TypeTag.FIX64: "fix64",
}


def format_type(t: FunctionType) -> str:
    if t.tag in _SIMPLE:
        return _SIMPLE[t.tag]
    if t.tag == TypeTag.INT:
        return f"{'int' if t.signed else 'uint'}{t.bits}"
    if t.tag == TypeTag.FIXED:
        return f"fix{t.bits}"
    if t.tag == TypeTag.SECRET:
        return f"secret {format_type(t.args[0])}"
    if t.tag == TypeTag.LIST:
        return f"list[{format_type(t.args[0])}]"
    if t.tag == TypeTag.DICT:
        return f"dict[{format_type(t.args[0])}, {format_type(t.args[1])}]"
    if t.tag == TypeTag.GENERIC:
        return f"{t.name}[{', '.join(format_type(a) for a in t.args)}]"
    return t.name


def format_share_type(t: ShareType) -> str:
    if t.kind is ShareKind.FIXED:
        return "fix64" if (t.bits, t.frac) == (64, 16) else f"fix{t.bits}.{t.frac}"
    if t.kind is ShareKind.INT:
        return "bool" if t.bits == 1 else f"int{t.bits}"
    return f"uint{t.bits}"


def format_instruction(ins: Instruction, constants: list[object] | None = None) -> str:
    """``MNEMONIC operands``; with ``constants``, LDI also shows the constant's value."""
    text, note = _instruction(ins, constants)
    return f"{text}  ; {note}" if note else text


def _instruction(ins: Instruction, constants: list[object] | None) -> tuple[str, str]:
    parts = []
    note = ""
    for kind, arg in zip(OPERANDS[ins.op], ins.args, strict=True):
        if kind is Operand.REG:
            parts.append(f"r{arg}")
        elif kind is Operand.CONST:
            parts.append(f"#{arg}")
            if constants is not None and arg < len(constants):
                note = format_literal(constants[arg])
        elif kind is Operand.NAME or kind is Operand.LABEL:
            safe = arg and all(c.isalnum() or c in "_.:$@" for c in arg) and "," not in arg
            parts.append(arg if safe else format_literal(arg))
        else:
            parts.append(str(arg))
    return ins.op.name + (" " + ", ".join(parts) if parts else ""), note


def _function(fn: Function, constants: list[object]) -> list[str]:
    opts = [f"regs={fn.register_count}"]
    if fn.upvalues:
        opts.append("upvalues=" + ",".join(fn.upvalues))
    if fn.parent is not None:
        opts.append(f"parent={fn.parent}")
    lines = [f".function {fn.name}({', '.join(fn.params)}) {' '.join(opts)}"]
    if fn.param_types is not None:
        sig = ", ".join(format_type(t) for t in fn.param_types)
        ret = format_type(fn.return_type) if fn.return_type is not None else "unknown"
        lines.append(f"  ; type ({sig}) -> {ret}")
    at: dict[int, list[str]] = {}
    for name, index in fn.labels.items():
        at.setdefault(index, []).append(name)
    for i, ins in enumerate(fn.instructions):
        lines.extend(f"{name}:" for name in at.get(i, []))
        text, note = _instruction(ins, constants)
        lines.append(f"  {text:<32} ; [{i}]" + (f" {note}" if note else ""))
    for index in sorted(k for k in at if k >= len(fn.instructions)):
        lines.extend(f"{name}:" for name in at[index])
    lines.append(".end")
    return lines


def disassemble(program: Program) -> str:
    lines = [f"; STFL v{program.version}", f".version {program.version}"]
    for i, c in enumerate(program.constants):
        lines.append(f".const {format_literal(c):<30} ; #{i}")
    m = program.manifest
    if m is not None:
        if program.version >= 3:
            lines.append(f".backend {m.backend}  ; {BACKEND_NAMES.get(m.backend, '?')}")
        if program.version >= 4:
            lines.append(f".curve {m.curve}  ; {CURVE_NAMES.get(m.curve, '?')}")
        for c in m.clients:
            ins = ",".join(format_share_type(t) for t in c.inputs)
            outs = ",".join(format_share_type(t) for t in c.outputs)
            lines.append(f".client {c.slot} in={ins} out={outs}")
        if program.version >= 8:
            d = m.demand
            flag = 1 if d.dynamic else 0
            lines.append(f".demand {d.triples} {d.randoms} {d.prandbits} {d.prandints} {flag}")
    for fn in program.functions:
        lines.append("")
        lines.extend(_function(fn, program.constants))
    return "\n".join(lines) + "\n"
