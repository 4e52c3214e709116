"""Control-flow facts for the code generator: blocks, stack state, flag and register liveness."""

from __future__ import annotations

from stoffel.vm.isa import JUMPS, OPERANDS, Function, Instruction, Opcode, Operand

COND_JUMPS = JUMPS - {Opcode.JMP}


def reg_args(ins: Instruction) -> list[int]:
    return [a for k, a in zip(OPERANDS[ins.op], ins.args, strict=True) if k is Operand.REG]


def blocks(fn: Function) -> tuple[list[int], dict[int, int]]:
    """Block start indices and a map start → block number. Jumps and RET end blocks."""
    n = len(fn.instructions)
    leaders = {0}
    leaders.update(t for t in fn.labels.values() if t < n)
    for i, ins in enumerate(fn.instructions):
        if (ins.op in JUMPS or ins.op is Opcode.RET) and i + 1 < n:
            leaders.add(i + 1)
    starts = sorted(x for x in leaders if x < n) or [0]
    return starts, {s: k for k, s in enumerate(starts)}


def _succ(fn: Function, i: int) -> list[int]:
    ins = fn.instructions[i]
    if ins.op is Opcode.RET:
        return []
    if ins.op is Opcode.JMP:
        return [fn.labels[ins.args[0]]]
    if ins.op in COND_JUMPS:
        return [fn.labels[ins.args[0]], i + 1]
    return [i + 1]


def flag_live_out(fn: Function) -> list[bool]:
    """Per instruction: may a later conditional jump read the compare flag it leaves?"""
    n = len(fn.instructions)
    live_in = [False] * (n + 1)
    out = [False] * n
    changed = True
    while changed:
        changed = False
        for i in range(n - 1, -1, -1):
            lo = any(live_in[s] for s in _succ(fn, i) if s < n)
            op = fn.instructions[i].op
            li = op in COND_JUMPS or (lo and op is not Opcode.CMP)
            if lo != out[i] or li != live_in[i]:
                out[i], live_in[i] = lo, li
                changed = True
    return out


def stack_maybe_nonempty(fn: Function, starts: list[int], block_of: dict[int, int]) -> list[bool]:
    """Per block: may the argument stack hold values on entry? (forward dataflow)"""
    n = len(fn.instructions)
    ends = [*starts[1:], n]
    maybe = [False] * len(starts)
    changed = True
    while changed:
        changed = False
        for k, (s, e) in enumerate(zip(starts, ends, strict=True)):
            nonempty, pushes = maybe[k], 0
            for i in range(s, e):
                op = fn.instructions[i].op
                if op is Opcode.PUSHARG:
                    pushes += 1
                elif op is Opcode.CALL:
                    nonempty, pushes = False, 0
                elif op is Opcode.LD or op in JUMPS:
                    nonempty, pushes = nonempty or pushes > 0, 0
            if not (nonempty or pushes > 0):
                continue
            for succ_pc in _succ(fn, e - 1) if e > s else []:
                if succ_pc < n and not maybe[block_of[succ_pc]]:
                    maybe[block_of[succ_pc]] = changed = True
    return maybe


def writes(ins: Instruction) -> int | None:
    """The register an instruction writes, if any (CALL writes r0)."""
    if ins.op is Opcode.CALL:
        return 0
    if ins.op in WRITERS:
        return ins.args[0]
    return None


def reads(ins: Instruction) -> list[int]:
    regs = reg_args(ins)
    return regs[1:] if ins.op in WRITERS else regs


WRITERS = frozenset(
    {
        Opcode.LD,
        Opcode.LDI,
        Opcode.MOV,
        Opcode.ADD,
        Opcode.SUB,
        Opcode.MUL,
        Opcode.DIV,
        Opcode.MOD,
        Opcode.AND,
        Opcode.OR,
        Opcode.XOR,
        Opcode.NOT,
        Opcode.SHL,
        Opcode.SHR,
        Opcode.LDS,
    }
)


def register_liveness(fn: Function) -> list[set[int]]:
    """Per instruction: registers that may be read after it (falling off the end reads r0)."""
    n = len(fn.instructions)
    live_in: list[set[int]] = [set() for _ in range(n + 1)]
    live_in[n] = {0}
    out: list[set[int]] = [set() for _ in range(n)]
    changed = True
    while changed:
        changed = False
        for i in range(n - 1, -1, -1):
            lo: set[int] = set()
            for s in _succ(fn, i):
                lo |= live_in[min(s, n)]
            ins = fn.instructions[i]
            w = writes(ins)
            li = (lo - {w}) if w is not None else set(lo)
            li.update(reads(ins))
            if lo != out[i] or li != live_in[i]:
                out[i], live_in[i] = lo, li
                changed = True
    return out


def unassigned_reads(fn: Function, starts: list[int], block_of: dict[int, int]) -> set[int]:
    """Registers that may be read before any write on some path (they need ``= None``)."""
    n = len(fn.instructions)
    ends = [*starts[1:], n]
    entry = set(range(len(fn.params)))
    state: list[set[int] | None] = [None] * len(starts)
    state[0] = entry
    result: set[int] = set()
    changed = True
    while changed:
        changed = False
        for k, (s, e) in enumerate(zip(starts, ends, strict=True)):
            cur = state[k]
            if cur is None:
                continue
            assigned = set(cur)
            for i in range(s, e):
                ins = fn.instructions[i]
                for r in reads(ins):
                    if r not in assigned and r not in result:
                        result.add(r)
                        changed = True
                w = writes(ins)
                if w is not None:
                    assigned.add(w)
            succs = _succ(fn, e - 1) if e > s else []
            if any(t >= n for t in succs) and 0 not in assigned and 0 not in result:
                result.add(0)
                changed = True
            for t in succs:
                if t >= n:
                    continue
                j = block_of[t]
                new = assigned if state[j] is None else (state[j] & assigned)
                if state[j] is None or new != state[j]:
                    state[j] = new
                    changed = True
    return result
