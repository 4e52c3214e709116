"""The STFL v9 manifest: backend and curve bytes, the client I/O schema read off the IR's
``input`` ops (client id and input index constants) and ``output`` ops, and the
preprocessing demand counted from the IR (static counts per instruction; loops make the
demand dynamic)."""

from __future__ import annotations

from stoffel.compiler.ssa import ir
from stoffel.runtime.backend import SECRET_BOOL, SECRET_FIX64, SECRET_INT64, ShareType
from stoffel.vm.isa import ClientSchema, Manifest, PreprocessingDemand

HONEYBADGER = 0
BLS12_381 = 0
#: Beaver triples per protocol op (select is one multiplication, c·(a−b)+b).
TRIPLES = {"smul": 1, "sfmul": 1, "sand": 1, "sor": 1, "sxor": 1, "select": 1}
COMPARISONS = frozenset({"slt", "sle", "sgt", "sge", "seq", "sne"})
COMPARE_BITS = 65
INPUT_TYPES = {"fix64": SECRET_FIX64, "bool": SECRET_BOOL}


def _share_type(t: ir.Type) -> ShareType:
    return INPUT_TYPES.get(t.kind, SECRET_INT64)


def build_manifest(module: ir.Module) -> Manifest:
    inputs: dict[int, dict[int, ShareType]] = {}
    outputs: dict[int, list[ShareType]] = {}
    triples = prandbits = 0
    loops = False
    for fn in module.functions:
        for block in fn.blocks:
            for inst in block.instrs:
                if inst.opcode == "cbr":
                    loops = True  # branches may repeat code: the counts are a lower bound
                triples += TRIPLES.get(inst.opcode, 0)
                if inst.opcode in COMPARISONS:
                    triples += COMPARE_BITS
                    prandbits += COMPARE_BITS
                if inst.opcode == "output" and isinstance(inst.operands[0], ir.Const):
                    client = int(inst.operands[0].value)  # type: ignore[arg-type]
                    outputs.setdefault(client, []).append(_share_type(inst.operands[1].type))
                if inst.opcode == "input" and inst.result is not None:
                    client, index = inst.operands
                    if isinstance(client, ir.Const) and isinstance(index, ir.Const):
                        slots = inputs.setdefault(int(client.value), {})  # type: ignore[arg-type]
                        slots[int(index.value)] = _share_type(inst.result.type)  # type: ignore[arg-type]
    clients = []
    for client in sorted(set(inputs) | set(outputs)):
        slots = inputs.get(client, {})
        types = tuple(slots.get(i, SECRET_INT64) for i in range(max(slots, default=-1) + 1))
        clients.append(ClientSchema(client, types, tuple(outputs.get(client, ()))))
    demand = PreprocessingDemand(triples, 0, prandbits, 0, loops)
    return Manifest(HONEYBADGER, BLS12_381, tuple(clients), demand)
