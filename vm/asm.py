"""A tiny text assembler for STFL programs (tests, benchmarks, compiler tests).

Syntax, one item per line; ``;`` starts a comment::

    .version 9                       ; default 9
    .const 5                         ; append to the constant pool explicitly (optional)
    .backend 0 / .curve 0            ; manifest bytes (v3+/v4+)
    .client 0 in=int64,bool,fix64 out=int64
    .demand 10 0 0 0 0               ; triples randoms prandbits prandints dynamic (v8+)
    .function fib(n) regs=4 upvalues=a,b parent=outer
    L0:                              ; label at the next instruction index
      LDI r1, 2                      ; literal constants are interned: 5, -3, 7i32, 255u8,
      CMP r0, r1                     ;   1.5, 2f64, nan, inf, true, false, (), "text"
      JMPLT L0                       ; ``#3`` names constant-pool index 3 directly
      CALL print
      STS 0, r1 ; LD r1, -1
    .end

Share types in ``.client``: ``int<bits>``/``int64``, ``uint<bits>``, ``bool``, ``fix64`` or
``fix<k>.<f>``. ``register_count`` defaults to the absolute frame size (max register + 1), as
our emitter writes it (DESIGN §2.6).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from stoffel.runtime.backend import SECRET_BOOL, SECRET_FIX64, ShareKind, ShareType
from stoffel.vm.errors import BytecodeError
from stoffel.vm.isa import (
    OPERANDS,
    ClientSchema,
    Function,
    Instruction,
    Manifest,
    Opcode,
    Operand,
    PreprocessingDemand,
    Program,
)
from stoffel.vm.values import KIND_BY_SUFFIX, IntV

_INT_RE = re.compile(r"^(-?\d+)(i8|i16|i32|i64|u8|u16|u32|u64)?$")
_FLOAT_RE = re.compile(r"^-?(\d+\.\d*|\d*\.\d+|\d+)(e[-+]?\d+)?(f64)?$")


def parse_literal(text: str) -> Any:
    """A constant literal in the syntax above (also used by the disassembler's tests)."""
    t = text.strip()
    if t == "()":
        return None
    if t in ("true", "false"):
        return t == "true"
    if t.startswith('"'):
        try:
            value = json.loads(t)
        except json.JSONDecodeError as exc:
            raise BytecodeError(f"bad string literal {t}: {exc.msg}") from None
        if not isinstance(value, str):
            raise BytecodeError(f"bad string literal {t}")
        return value
    if t in ("nan", "NaN", "nanf64", "NaNf64"):
        return math.nan
    if t.removesuffix("f64") in ("inf", "-inf"):
        return float(t.removesuffix("f64"))
    m = _INT_RE.match(t)
    if m:
        value, suffix = int(m.group(1)), m.group(2)
        if suffix is None or suffix == "i64":
            return value
        return IntV(value, KIND_BY_SUFFIX[suffix])
    if _FLOAT_RE.match(t):
        return float(t.removesuffix("f64"))
    raise BytecodeError(f"bad literal '{t}'")


def format_literal(v: Any) -> str:
    """Inverse of :func:`parse_literal` (round-trips exactly, including float bits)."""
    if v is None:
        return "()"
    if type(v) is bool:
        return "true" if v else "false"
    if type(v) is int:
        return str(v)
    if type(v) is IntV:
        return f"{v.value}{v.kind.suffix}"
    if type(v) is float:
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v) + "f64"
    return json.dumps(v, ensure_ascii=False)


def _const_key(v: Any) -> tuple[Any, ...]:
    # Distinguish 1, 1i32, 1.0 and True, which Python would consider equal.
    if type(v) is IntV:
        return ("IntV", v.kind.tag, v.value)
    if type(v) is float:
        return ("float", v.hex())
    return (type(v).__name__, v)


def parse_share_type(text: str) -> ShareType:
    t = text.strip()
    if t == "bool":
        return SECRET_BOOL
    if t == "fix64":
        return SECRET_FIX64
    m = re.match(r"^(int|uint)(\d+)$", t)
    if m:
        return ShareType(ShareKind.INT if m.group(1) == "int" else ShareKind.UINT, int(m.group(2)))
    m = re.match(r"^fix(\d+)\.(\d+)$", t)
    if m:
        return ShareType(ShareKind.FIXED, int(m.group(1)), int(m.group(2)))
    raise BytecodeError(f"bad share type '{t}'")


class _Assembler:
    def __init__(self) -> None:
        self.version = 9
        self.constants: list[Any] = []
        self.const_index: dict[tuple[Any, ...], int] = {}
        self.functions: list[Function] = []
        self.backend = 0
        self.curve = 0
        self.clients: list[ClientSchema] = []
        self.demand = PreprocessingDemand()
        self.current: Function | None = None
        self.explicit_regs: int | None = None
        self.line = 0

    def err(self, message: str) -> BytecodeError:
        return BytecodeError(f"asm line {self.line}: {message}")

    def intern(self, v: Any) -> int:
        key = _const_key(v)
        if key not in self.const_index:
            self.const_index[key] = len(self.constants)
            self.constants.append(v)
        return self.const_index[key]

    def directive(self, text: str) -> None:
        name, _, rest = text.partition(" ")
        rest = rest.strip()
        if name == ".version":
            self.version = int(rest)
        elif name == ".const":
            self.constants.append(parse_literal(rest))
            self.const_index.setdefault(_const_key(self.constants[-1]), len(self.constants) - 1)
        elif name == ".backend":
            self.backend = int(rest)
        elif name == ".curve":
            self.curve = int(rest)
        elif name == ".demand":
            t, r, b, i, d = (int(x) for x in rest.split())
            self.demand = PreprocessingDemand(t, r, b, i, bool(d))
        elif name == ".client":
            self.client(rest)
        elif name == ".function":
            self.begin_function(rest)
        elif name == ".end":
            self.end_function()
        else:
            raise self.err(f"unknown directive {name}")

    def client(self, rest: str) -> None:
        slot_text, *parts = rest.split()
        ins: tuple[ShareType, ...] = ()
        outs: tuple[ShareType, ...] = ()
        for part in parts:
            key, _, val = part.partition("=")
            types = tuple(parse_share_type(x) for x in val.split(",") if x)
            if key == "in":
                ins = types
            elif key == "out":
                outs = types
            else:
                raise self.err(f"bad .client field {key}")
        self.clients.append(ClientSchema(int(slot_text), ins, outs))

    def begin_function(self, rest: str) -> None:
        m = re.match(r"^([^\s(]+)\s*\(([^)]*)\)(.*)$", rest)
        if not m:
            raise self.err("expected .function NAME(params) [regs=N] [upvalues=..] [parent=..]")
        params = [p.strip() for p in m.group(2).split(",") if p.strip()]
        fn = Function(m.group(1), 0, params, [])
        self.explicit_regs = None
        for opt in m.group(3).split():
            key, _, val = opt.partition("=")
            if key == "regs":
                self.explicit_regs = int(val)
            elif key == "upvalues":
                fn.upvalues = [u for u in val.split(",") if u]
            elif key == "parent":
                fn.parent = val
            else:
                raise self.err(f"unknown function option {key}")
        self.current = fn

    def end_function(self) -> None:
        fn = self.current
        if fn is None:
            raise self.err(".end outside a function")
        if self.explicit_regs is not None:
            fn.register_count = self.explicit_regs
        else:
            regs = [
                a
                for ins in fn.instructions
                for k, a in zip(OPERANDS[ins.op], ins.args, strict=True)
                if k is Operand.REG
            ]
            fn.register_count = max([len(fn.params), 1, *(r + 1 for r in regs)])
        self.functions.append(fn)
        self.current = None

    def operand(self, kind: Operand, text: str) -> Any:
        t = text.strip()
        try:
            if kind is Operand.REG:
                if not t.startswith("r"):
                    raise ValueError
                return int(t[1:])
            if kind is Operand.CONST:
                return int(t[1:]) if t.startswith("#") else self.intern(parse_literal(t))
            if kind is Operand.SLOT:
                return int(t.removeprefix("s"))
            if kind is Operand.OFFSET:
                return int(t)
        except ValueError:
            raise self.err(f"bad {kind.value} operand '{t}'") from None
        if t.startswith('"'):
            return parse_literal(t)
        return t

    def instruction(self, text: str) -> None:
        fn = self.current
        if fn is None:
            raise self.err("instruction outside .function")
        mnemonic, _, rest = text.partition(" ")
        try:
            op = Opcode[mnemonic.upper()]
        except KeyError:
            raise self.err(f"unknown mnemonic {mnemonic}") from None
        kinds = OPERANDS[op]
        parts = _split_operands(rest) if kinds else []
        if len(parts) != len(kinds):
            raise self.err(f"{op.name} takes {len(kinds)} operand(s), got {len(parts)}")
        args = tuple(self.operand(k, p) for k, p in zip(kinds, parts, strict=True))
        fn.instructions.append(Instruction(op, args))

    def feed(self, source: str) -> Program:
        for self.line, raw in enumerate(source.splitlines(), 1):
            text = _strip_comment(raw).strip()
            if not text:
                continue
            if text.startswith("."):
                self.directive(text)
            elif text.endswith(":") and " " not in text:
                if self.current is None:
                    raise self.err("label outside .function")
                self.current.labels[text[:-1]] = len(self.current.instructions)
            else:
                self.instruction(text)
        if self.current is not None:
            raise self.err("missing .end")
        manifest = None
        if self.version >= 2:
            manifest = Manifest(self.backend, self.curve, tuple(self.clients), self.demand)
        return Program(self.version, self.constants, self.functions, manifest)


def _strip_comment(line: str) -> str:
    in_str = False
    escaped = False
    for i, ch in enumerate(line):
        if in_str:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch == ";":
            return line[:i]
    return line


def _split_operands(text: str) -> list[str]:
    parts, cur, in_str, escaped = [], "", False, False
    for ch in text:
        if in_str:
            cur += ch
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
            cur += ch
        elif ch == ",":
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def assemble(source: str) -> Program:
    """Assemble text into a :class:`Program` (encode it with :func:`stoffel.vm.isa.encode`)."""
    return _Assembler().feed(source)
