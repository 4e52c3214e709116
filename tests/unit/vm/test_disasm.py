"""Disassembler: deterministic text that re-assembles to the same bytes."""

from __future__ import annotations

from stoffel.vm.asm import assemble
from stoffel.vm.disasm import disassemble, format_instruction
from stoffel.vm.isa import Instruction, Opcode, decode, encode

SRC = """
.version 9
.client 3 in=int64,bool,fix64,uint8 out=int32
.demand 4 3 2 1 1
.function helper(a, b) regs=20 upvalues=u parent=main
  LDI r16, 1.5
  MOV r1, r16
  STS 2, r1
  LDS r3, 2
  LD r4, -1
  CALL "weird name, with comma"
  RET r3
.end
.function main()
  LDI r1, "text; with semicolon"
  LDI r2, 7i32
top:
  CMP r1, r2
  JMPEQ top
  JMPNEQ end
  JMPLT end
  JMPGT end
  NOT r3, r2
  NOP
  PUSHARG r1
  CALL print
end:
.end
"""


def natives() -> dict[str, object]:
    return {}


def test_disassembly_reassembles_to_identical_bytes() -> None:
    prog = assemble(SRC)
    data = encode(prog)
    text = disassemble(decode(data))
    assert encode(assemble(text)) == data


def test_disassembly_is_deterministic_and_readable() -> None:
    data = encode(assemble(SRC))
    text = disassemble(decode(data))
    assert text == disassemble(decode(data))
    assert ".client 3 in=int64,bool,fix64,uint8 out=int32" in text
    assert "  LDI r16, #0                      ; [0] 1.5f64" in text
    assert "top:\n  CMP r1, r2" in text
    assert text.rstrip().endswith("end:\n.end")
    assert "; type (unknown, unknown) -> unknown" in text


def test_format_instruction() -> None:
    assert format_instruction(Instruction(Opcode.ADD, (3, 1, 2))) == "ADD r3, r1, r2"
    assert format_instruction(Instruction(Opcode.STS, (4, 17))) == "STS 4, r17"
    assert format_instruction(Instruction(Opcode.LDI, (0, 0)), [True]) == "LDI r0, #0  ; true"
    assert format_instruction(Instruction(Opcode.NOP)) == "NOP"
