"""The instruction set and the STFL codec: encoding of every opcode, versions, round trips."""

from __future__ import annotations

import math

import pytest

from stoffel.runtime.backend import SECRET_BOOL, SECRET_FIX64, SECRET_INT64, ShareKind, ShareType
from stoffel.vm.asm import assemble
from stoffel.vm.isa import (
    OPERANDS,
    ClientSchema,
    Function,
    FunctionType,
    Instruction,
    Manifest,
    Opcode,
    PreprocessingDemand,
    Program,
    TypeTag,
    decode,
    encode,
    write_binary,
)
from stoffel.vm.loader import load_file
from stoffel.vm.values import I8, I32, U8, U16, U64, IntV


def test_there_are_26_opcodes_with_upstream_bytes() -> None:
    assert len(Opcode) == 26
    assert [op.value for op in Opcode] == list(range(26))
    assert set(OPERANDS) == set(Opcode)
    assert Opcode.STS.value == 0x19 and Opcode.CMP.value == 0x14


SIZES = {0: 1, 1: 5, 2: 9, 3: 13}


@pytest.mark.parametrize("op", list(Opcode))
def test_each_opcode_encodes_with_documented_size_and_round_trips(op: Opcode) -> None:
    args = []
    for kind in OPERANDS[op]:
        args.append({"label": "L0", "name": "f", "off": -1}.get(kind.value, 7))
    ins = Instruction(op, tuple(args))
    fn = Function("main", 8, [], [ins], {"L0": 0})
    prog = Program(1, [], [fn])
    data = encode(prog)
    back = decode(data)
    assert back.functions[0].instructions == [ins]
    header = 4 + 2 + 4 + 4  # magic, version, const count, func count
    fn_head = 2 + 4 + 2 + 2 + 2 + 1 + 2 + (2 + 2 + 4) + 4  # name.. labels, instr count
    size = len(data) - header - fn_head
    if any(k.value in ("label", "name") for k in OPERANDS[op]):
        assert size == 3 + len(args[0])
    else:
        assert size == SIZES[len(OPERANDS[op])]


CONSTS = [
    None,
    5,
    -(2**63),
    2**63 - 1,
    IntV(-3, I32),
    IntV(-128, I8),
    IntV(255, U8),
    IntV(65535, U16),
    IntV(2**64 - 1, U64),
    1.5,
    -0.0,
    math.inf,
    True,
    False,
    "héllo",
    "",
]


def test_constants_of_every_tag_round_trip() -> None:
    prog = Program(1, list(CONSTS), [Function("main", 1, [], [])])
    back = decode(encode(prog))
    for a, b in zip(CONSTS, back.constants, strict=True):
        assert type(a) is type(b) and a == b


def test_nan_constant_round_trips_bit_exactly() -> None:
    prog = Program(1, [math.nan], [Function("main", 1, [], [])])
    data = encode(prog)
    assert math.isnan(decode(data).constants[0])
    assert encode(decode(data)) == data


def test_v1_file_has_no_manifest_and_runs() -> None:
    prog = assemble(".version 1\n.function main()\n  LDI r0, 42\n  RET r0\n.end\n")
    data = encode(prog)
    assert data[:6] == b"STFL\x01\x00"
    back = decode(data)
    assert back.version == 1 and back.manifest is None
    from stoffel.vm.interpreter import VM

    assert VM(data).run() == 42


def _v9_program() -> Program:
    types = [
        FunctionType(TypeTag.INT, signed=True, bits=64),
        FunctionType(TypeTag.SECRET, args=(FunctionType(TypeTag.FIX64),)),
        FunctionType(
            TypeTag.DICT,
            args=(
                FunctionType(TypeTag.STRING),
                FunctionType(TypeTag.LIST, args=(FunctionType(TypeTag.BOOL),)),
            ),
        ),
        FunctionType(TypeTag.GENERIC, name="Box", args=(FunctionType(TypeTag.TYPEVAR, name="T"),)),
        FunctionType(TypeTag.OBJECT, name="Point"),
        FunctionType(TypeTag.FIXED, bits=32),
    ]
    main = Function(
        "main",
        20,
        ["a", "b", "c", "d", "e", "f"],
        [
            Instruction(Opcode.LDI, (16, 0)),
            Instruction(Opcode.MOV, (1, 16)),
            Instruction(Opcode.STS, (3, 1)),
            Instruction(Opcode.LDS, (0, 3)),
            Instruction(Opcode.NOP),
            Instruction(Opcode.RET, (0,)),
        ],
        {"end": 6},
        ["u"],
        None,
        types,
        FunctionType(TypeTag.VOID),
    )
    helper = Function("main::inner", 1, [], [Instruction(Opcode.RET, (0,))], parent="main")
    manifest = Manifest(
        backend=0,
        curve=0,
        clients=(
            ClientSchema(0, (SECRET_INT64, SECRET_BOOL), (SECRET_FIX64,)),
            ClientSchema(7, (ShareType(ShareKind.UINT, 32),), ()),
        ),
        demand=PreprocessingDemand(10, 2, 130, 1, True),
    )
    return Program(9, [7], [main, helper], manifest)


def test_v9_with_manifest_write_load_write_is_byte_identical(tmp_path) -> None:  # type: ignore[no-untyped-def]
    prog = _v9_program()
    data = encode(prog)
    back = decode(data)
    assert back.manifest == prog.manifest
    assert back.functions[0].param_types == prog.functions[0].param_types
    assert back.functions[1].parent == "main"
    assert encode(back) == data
    path = tmp_path / "p.stflb"
    write_binary(back, path)
    loaded = load_file(path)
    assert encode(loaded.program) == data
    assert loaded.frame_sizes["main"] == 20


@pytest.mark.parametrize("version", range(1, 10))
def test_every_version_round_trips(version: int) -> None:
    prog = _v9_program()
    prog.version = version
    if version < 5:
        for f in prog.functions:
            f.param_types = None
            f.return_type = None
    data = encode(prog)
    back = decode(data)
    assert encode(back) == data
    if version >= 2:
        m = back.manifest
        assert m is not None and m.clients == prog.manifest.clients  # type: ignore[union-attr]
        assert (m.demand.triples == 10) == (version >= 8)


def test_encoding_is_deterministic() -> None:
    assert encode(_v9_program()) == encode(_v9_program())


def test_assembled_program_round_trips_through_bytes() -> None:
    src = '.function main()\n  LDI r1, 5i32\n  LDI r2, "a, b ; c"\nL:\n  JMP L\n.end\n'
    prog = assemble(src)
    assert prog.constants == [IntV(5, I32), "a, b ; c"]
    assert encode(decode(encode(prog))) == encode(prog)
