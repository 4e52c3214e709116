"""The one definition of the StoffelVM instruction set and the STFL v1–v9 file layout.

``spec/bytecode.md`` §2–§3 is the reference. Both the compiler's emitter and the VM's loader use
this module: :func:`encode` / :func:`write_binary` produce deterministic bytes (items are written
in the order the :class:`Program` holds them; nothing depends on hash order), :func:`decode`
parses bytes back. :func:`decode` checks *structure* only (truncation, limits, tags); semantic
checks (registers, labels, constants, call targets) live in :mod:`stoffel.vm.verifier`.
"""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stoffel.runtime.backend import ShareKind, ShareType
from stoffel.vm.binio import Reader, Writer
from stoffel.vm.errors import BytecodeError
from stoffel.vm.values import I64, KIND_BY_TAG, IntV

MAGIC = b"STFL"
MAX_VERSION = 9
CURRENT_VERSION = 9
#: Absolute registers r0..r15 are clear, r16 and above secret (bytecode.md §1.1).
SECRET_REGISTER_START = 16
#: Limits from the upstream reader; counts are checked before anything is allocated.
MAX_COLLECTION = 1_000_000
MAX_INSTRUCTIONS = 8_000_000
MAX_STRING = 16 * 1024 * 1024
#: Nesting limit for FunctionType (upstream has none; we refuse to recurse without bound).
MAX_TYPE_DEPTH = 64


class Opcode(enum.IntEnum):
    LD = 0x00
    LDI = 0x01
    MOV = 0x02
    ADD = 0x03
    SUB = 0x04
    MUL = 0x05
    DIV = 0x06
    MOD = 0x07
    AND = 0x08
    OR = 0x09
    XOR = 0x0A
    NOT = 0x0B
    SHL = 0x0C
    SHR = 0x0D
    JMP = 0x0E
    JMPEQ = 0x0F
    JMPNEQ = 0x10
    CALL = 0x11
    RET = 0x12
    PUSHARG = 0x13
    CMP = 0x14
    JMPLT = 0x15
    JMPGT = 0x16
    NOP = 0x17
    LDS = 0x18
    STS = 0x19


class Operand(enum.Enum):
    """Operand kinds; the encoding is fixed per kind."""

    REG = "reg"  # u32 absolute register index
    CONST = "const"  # u32 constant-pool index
    OFFSET = "off"  # i32 argument-stack offset (0 = top)
    LABEL = "label"  # str16 label name
    NAME = "name"  # str16 call target
    SLOT = "slot"  # u32 spill slot


R, C, OFF, L, N, S = (
    Operand.REG,
    Operand.CONST,
    Operand.OFFSET,
    Operand.LABEL,
    Operand.NAME,
    Operand.SLOT,
)
OPERANDS: dict[Opcode, tuple[Operand, ...]] = {
    Opcode.LD: (R, OFF),
    Opcode.LDI: (R, C),
    Opcode.MOV: (R, R),
    **{op: (R, R, R) for op in (Opcode.ADD, Opcode.SUB, Opcode.MUL, Opcode.DIV, Opcode.MOD)},
    **{op: (R, R, R) for op in (Opcode.AND, Opcode.OR, Opcode.XOR, Opcode.SHL, Opcode.SHR)},
    Opcode.NOT: (R, R),
    **{op: (L,) for op in (Opcode.JMP, Opcode.JMPEQ, Opcode.JMPNEQ, Opcode.JMPLT, Opcode.JMPGT)},
    Opcode.CALL: (N,),
    Opcode.RET: (R,),
    Opcode.PUSHARG: (R,),
    Opcode.CMP: (R, R),
    Opcode.NOP: (),
    Opcode.LDS: (R, S),
    Opcode.STS: (S, R),  # slot first: the one exception to "destination first"
}
JUMPS = frozenset({Opcode.JMP, Opcode.JMPEQ, Opcode.JMPNEQ, Opcode.JMPLT, Opcode.JMPGT})
#: Opcodes whose first operand is a written register.
WRITES_FIRST = frozenset(op for op, k in OPERANDS.items() if k and k[0] is R) - {
    Opcode.RET,
    Opcode.PUSHARG,
    Opcode.CMP,
}
#: Opcodes missing from v1–v8 readers (the older StoffelVM lacks them).
V9_ONLY = frozenset({Opcode.NOP, Opcode.LDS, Opcode.STS})


def is_secret_register(reg: int) -> bool:
    return reg >= SECRET_REGISTER_START


@dataclass(frozen=True, slots=True)
class Instruction:
    op: Opcode
    args: tuple[Any, ...] = ()


class TypeTag(enum.IntEnum):
    INT = 0
    FLOAT = 1
    STRING = 2
    BOOL = 3
    NIL = 4
    VOID = 5
    SECRET = 6
    LIST = 7
    DICT = 8
    OBJECT = 9
    GENERIC = 10
    TYPEVAR = 11
    UNKNOWN = 12
    FIX64 = 13
    FIXED = 14


@dataclass(frozen=True, slots=True)
class FunctionType:
    """On-disk function type metadata (v5+). ``args`` holds inner/key/value/generic types."""

    tag: TypeTag
    signed: bool = False
    bits: int = 0
    name: str = ""
    args: tuple[FunctionType, ...] = ()


UNKNOWN_TYPE = FunctionType(TypeTag.UNKNOWN)


@dataclass(frozen=True, slots=True)
class ClientSchema:
    slot: int
    inputs: tuple[ShareType, ...] = ()
    outputs: tuple[ShareType, ...] = ()


@dataclass(frozen=True, slots=True)
class PreprocessingDemand:
    triples: int = 0
    randoms: int = 0
    prandbits: int = 0
    prandints: int = 0
    dynamic: bool = False


@dataclass(frozen=True, slots=True)
class Manifest:
    backend: int = 0  # 0 HoneyBadger, 1 AVSS
    curve: int = 0  # 0 BLS12-381 … 5 P-256
    clients: tuple[ClientSchema, ...] = ()
    demand: PreprocessingDemand = field(default_factory=PreprocessingDemand)


@dataclass(slots=True)
class Function:
    name: str
    register_count: int
    params: list[str]
    instructions: list[Instruction]
    labels: dict[str, int] = field(default_factory=dict)
    upvalues: list[str] = field(default_factory=list)
    parent: str | None = None
    param_types: list[FunctionType] | None = None  # v5+
    return_type: FunctionType | None = None  # v5+


@dataclass(slots=True)
class Program:
    version: int
    constants: list[Any]
    functions: list[Function]
    manifest: Manifest | None = None  # v2+


BACKEND_NAMES = {0: "honeybadger", 1: "avss"}
CURVE_NAMES = {
    0: "bls12-381",
    1: "bn254",
    2: "curve25519",
    3: "ed25519",
    4: "secp256k1",
    5: "p-256",
}

# ---------------------------------------------------------------------------------- constants
_F64 = struct.Struct("<d")


def write_value(w: Writer, v: Any) -> None:
    """Constant-pool value: tag byte then payload (bytecode.md §3 'Value')."""
    if v is None:
        w.u8(0)
    elif type(v) is bool:
        w.u8(10)
        w.u8(1 if v else 0)
    elif type(v) is int:
        w.u8(1)
        w.int(v, 8, True)
    elif type(v) is IntV:
        w.u8(v.kind.tag)
        w.int(v.value, v.kind.bits // 8, v.kind.signed)
    elif type(v) is float:
        w.u8(9)
        w.raw(_F64.pack(v))
    elif type(v) is str:
        w.u8(11)
        w.str32(v)
    else:
        raise BytecodeError(f"constant of type {type(v).__name__} cannot be written")


def read_value(r: Reader) -> Any:
    tag = r.u8("constant tag")
    if tag == 0:
        return None
    kind = KIND_BY_TAG.get(tag)
    if kind is not None:
        value = r.int(kind.bits // 8, kind.signed, "integer constant")
        return value if kind is I64 else IntV(value, kind)
    if tag == 9:
        return _F64.unpack(r.raw(8, "float constant"))[0]
    if tag == 10:
        return r.u8("bool constant") != 0
    if tag == 11:
        return r.str32("string constant", MAX_STRING)
    raise r.error(f"unknown constant tag {tag}", back=1)


# ------------------------------------------------------------------------------ function types
def write_type(w: Writer, t: FunctionType) -> None:
    w.u8(t.tag)
    tag = t.tag
    if tag == TypeTag.INT:
        w.u8(1 if t.signed else 0)
        w.u8(t.bits)
    elif tag == TypeTag.FIXED:
        w.u8(t.bits)
    elif tag in (TypeTag.SECRET, TypeTag.LIST):
        write_type(w, t.args[0])
    elif tag == TypeTag.DICT:
        write_type(w, t.args[0])
        write_type(w, t.args[1])
    elif tag in (TypeTag.OBJECT, TypeTag.TYPEVAR):
        w.str16(t.name)
    elif tag == TypeTag.GENERIC:
        w.str16(t.name)
        w.u16(len(t.args))
        for a in t.args:
            write_type(w, a)


def read_type(r: Reader, depth: int = 0) -> FunctionType:
    if depth > MAX_TYPE_DEPTH:
        raise r.error(f"function type nested deeper than {MAX_TYPE_DEPTH}")
    raw = r.u8("type tag")
    try:
        tag = TypeTag(raw)
    except ValueError:
        raise r.error(f"unknown function type tag {raw}", back=1) from None
    if tag == TypeTag.INT:
        signed = r.u8("int type signedness") != 0
        bits = r.u8("int type bits")
        if bits == 0:
            raise r.error("int type with 0 bits", back=1)
        return FunctionType(tag, signed=signed, bits=bits)
    if tag == TypeTag.FIXED:
        bits = r.u8("fixed type bits")
        if bits == 0:
            raise r.error("fixed type with 0 bits", back=1)
        return FunctionType(tag, bits=bits)
    if tag in (TypeTag.SECRET, TypeTag.LIST):
        return FunctionType(tag, args=(read_type(r, depth + 1),))
    if tag == TypeTag.DICT:
        return FunctionType(tag, args=(read_type(r, depth + 1), read_type(r, depth + 1)))
    if tag in (TypeTag.OBJECT, TypeTag.TYPEVAR):
        return FunctionType(tag, name=r.str16("type name"))
    if tag == TypeTag.GENERIC:
        name = r.str16("generic type name")
        n = r.count16("generic argument count", min_item=1)
        return FunctionType(tag, name=name, args=tuple(read_type(r, depth + 1) for _ in range(n)))
    return FunctionType(tag)


# ---------------------------------------------------------------------------------- share types
def write_share_type(w: Writer, t: ShareType) -> None:
    w.u8(t.kind.value)
    w.u32(t.bits)
    if t.kind is ShareKind.FIXED:
        w.u32(t.frac)


def read_share_type(r: Reader) -> ShareType:
    tag = r.u8("share type tag")
    if tag == 0 or tag == 2:
        return ShareType(ShareKind(tag), r.u32("share bit length"))
    if tag == 1:
        total = r.u32("fixed-point total bits")
        frac = r.u32("fixed-point fractional bits")
        if total == 0 or frac >= total:
            raise r.error(f"invalid fixed-point precision k={total}, f={frac}", back=8)
        return ShareType(ShareKind.FIXED, total, frac)
    raise r.error(f"unknown share type tag {tag}", back=1)


# -------------------------------------------------------------------------------- instructions
def write_instruction(w: Writer, ins: Instruction) -> None:
    w.u8(ins.op)
    for kind, arg in zip(OPERANDS[ins.op], ins.args, strict=True):
        if kind is Operand.OFFSET:
            w.int(arg, 4, True)
        elif kind is Operand.LABEL or kind is Operand.NAME:
            w.str16(arg)
        else:
            w.u32(arg)


def read_instruction(r: Reader) -> Instruction:
    raw = r.u8("opcode")
    try:
        op = Opcode(raw)
    except ValueError:
        raise r.error(f"unknown opcode 0x{raw:02x}", back=1) from None
    args: list[Any] = []
    for kind in OPERANDS[op]:
        if kind is Operand.OFFSET:
            args.append(r.int(4, True, "argument offset"))
        elif kind is Operand.LABEL:
            args.append(r.str16("jump label"))
        elif kind is Operand.NAME:
            args.append(r.str16("call target"))
        else:
            args.append(r.u32(kind.value + " operand"))
    return Instruction(op, tuple(args))


# ------------------------------------------------------------------------------------ functions
def write_function(w: Writer, f: Function, version: int) -> None:
    w.str16(f.name)
    w.u16(f.register_count)
    w.u16(len(f.params))
    for p in f.params:
        w.str16(p)
    if version >= 5:
        types = f.param_types if f.param_types is not None else [UNKNOWN_TYPE] * len(f.params)
        if len(types) != len(f.params):
            raise BytecodeError(
                f"function '{f.name}': {len(types)} param types, {len(f.params)} params"
            )
        w.u16(len(types))
        for t in types:
            write_type(w, t)
        write_type(w, f.return_type or UNKNOWN_TYPE)
    w.u16(len(f.upvalues))
    for u in f.upvalues:
        w.str16(u)
    if f.parent is None:
        w.u8(0)
    else:
        w.u8(1)
        w.str16(f.parent)
    w.u16(len(f.labels))
    for name, index in f.labels.items():
        w.str16(name)
        w.u32(index)
    w.u32(len(f.instructions))
    for ins in f.instructions:
        write_instruction(w, ins)


def read_function(r: Reader, version: int, ordinal: int) -> Function:
    r.context = f"function #{ordinal}"
    name = r.str16("function name")
    r.context = f"function #{ordinal} '{name}'"
    register_count = r.u16("register count")
    params = [r.str16("parameter name") for _ in range(r.count16("parameter count", 2))]
    param_types = return_type = None
    if version >= 5:
        n_types = r.count16("parameter type count", 1)
        if n_types != len(params):
            raise r.error(f"{n_types} parameter types for {len(params)} parameters", back=2)
        param_types = [read_type(r) for _ in range(n_types)]
        return_type = read_type(r)
    upvalues = [r.str16("upvalue name") for _ in range(r.count16("upvalue count", 2))]
    has_parent = r.u8("has-parent flag")
    if has_parent not in (0, 1):
        raise r.error(f"has-parent flag must be 0 or 1, found {has_parent}", back=1)
    parent = r.str16("parent name") if has_parent else None
    labels: dict[str, int] = {}
    for _ in range(r.count16("label count", 6)):
        label = r.str16("label name")
        labels[label] = r.u32("label target")
    n_ins = r.count32("instruction count", 1, MAX_INSTRUCTIONS)
    instructions = []
    for i in range(n_ins):
        r.context = f"function '{name}' instruction {i}"
        instructions.append(read_instruction(r))
    r.context = ""
    return Function(
        name,
        register_count,
        params,
        instructions,
        labels,
        upvalues,
        parent,
        param_types,
        return_type,
    )


# -------------------------------------------------------------------------------- whole file
def write_manifest(w: Writer, m: Manifest, version: int) -> None:
    if version >= 3:
        w.u8(m.backend)
    if version >= 4:
        w.u8(m.curve)
    w.u32(len(m.clients))
    for c in m.clients:
        w.u64(c.slot)
        w.u32(len(c.inputs))
        for t in c.inputs:
            write_share_type(w, t)
        w.u32(len(c.outputs))
        for t in c.outputs:
            write_share_type(w, t)
    if version >= 8:
        d = m.demand
        for n in (d.triples, d.randoms, d.prandbits, d.prandints):
            w.u64(n)
        w.u8(1 if d.dynamic else 0)


def read_manifest(r: Reader, version: int) -> Manifest:
    r.context = "manifest"
    backend = r.u8("backend byte") if version >= 3 else 0
    if backend not in BACKEND_NAMES:
        raise r.error(f"unknown backend {backend}", back=1)
    curve = r.u8("curve byte") if version >= 4 else 0
    if curve not in CURVE_NAMES:
        raise r.error(f"unknown curve {curve}", back=1)
    clients = []
    for _ in range(r.count32("client count", 16)):
        slot = r.u64("client slot")
        ins = tuple(read_share_type(r) for _ in range(r.count32("client input count", 5)))
        outs = tuple(read_share_type(r) for _ in range(r.count32("client output count", 5)))
        clients.append(ClientSchema(slot, ins, outs))
    demand = PreprocessingDemand()
    if version >= 8:
        t, ra, pb, pi = (r.u64(what) for what in ("triples", "randoms", "prandbits", "prandints"))
        demand = PreprocessingDemand(t, ra, pb, pi, r.u8("dynamic flag") != 0)
    return Manifest(backend, curve, tuple(clients), demand)


def encode(program: Program) -> bytes:
    """Serialise ``program`` at ``program.version``; same input, same bytes."""
    if not 1 <= program.version <= MAX_VERSION:
        raise BytecodeError(f"cannot write version {program.version} (supported: 1..9)")
    w = Writer()
    w.raw(MAGIC)
    w.u16(program.version)
    w.u32(len(program.constants))
    for c in program.constants:
        write_value(w, c)
    w.u32(len(program.functions))
    for f in program.functions:
        write_function(w, f, program.version)
    if program.version >= 2:
        write_manifest(w, program.manifest or Manifest(), program.version)
    return w.getvalue()


def write_binary(program: Program, path: str | Path) -> None:
    Path(path).write_bytes(encode(program))


def decode(data: bytes) -> Program:
    """Parse STFL bytes; raises :class:`BytecodeError` on any structural problem."""
    r = Reader(data)
    if r.raw(4, "magic") != MAGIC:
        raise r.error("not a STFL file (bad magic)", back=4)
    version = r.u16("version")
    if version > MAX_VERSION or version == 0:
        raise r.error(f"unsupported bytecode version {version} (supported: 1..9)", back=2)
    r.context = "constant pool"
    constants = [read_value(r) for _ in range(r.count32("constant count", 1, MAX_COLLECTION))]
    r.context = ""
    n_funcs = r.count32("function count", 16, MAX_COLLECTION)
    functions = [read_function(r, version, i) for i in range(n_funcs)]
    manifest = read_manifest(r, version) if version >= 2 else None
    r.context = ""
    if not r.at_end():
        raise r.error(f"{r.remaining()} trailing byte(s) after the end of the program")
    return Program(version, constants, functions, manifest)
