"""Structured loops and int-type facts for the code generator.

Loops: every back edge (block j → header h ≤ j) defines a loop over the contiguous block range
[h, J] (J = the last block with a back edge to h). If all such ranges nest properly and are
entered only at their header, each becomes a Python ``while True:`` of its own, so a back edge is
a plain ``continue`` instead of a dispatch from the top of the function.

Int facts: a forward "must" analysis of which clear registers certainly hold a plain int64 at
each block entry (LDI of an int, arithmetic on known ints — whose fast path raises rather than
producing anything else — and copies). Known-int operands need no type test in generated code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from stoffel.vm.cfg import WRITERS, reads, writes
from stoffel.vm.isa import JUMPS, Function, Opcode, is_secret_register


@dataclass(slots=True)
class Loop:
    h: int
    j: int
    parent: Loop | None = None
    exits: set[int] = field(default_factory=set)  # blocks outside [h, j] control may leave to

    def contains(self, k: int) -> bool:
        return self.h <= k <= self.j


def _edges(
    fn: Function, starts: list[int], ends: list[int], block_of: dict[int, int]
) -> list[tuple[int, int]]:
    """(from block, to block) for jumps and fall-through; returns (≥ n) are omitted."""
    n = len(fn.instructions)
    out = []
    for k, (s, e) in enumerate(zip(starts, ends, strict=True)):
        for i in range(s, e):
            ins = fn.instructions[i]
            if ins.op in JUMPS:
                t = fn.labels[ins.args[0]]
                if t < n:
                    out.append((k, block_of[t]))
        last = fn.instructions[e - 1]
        if last.op is not Opcode.RET and last.op is not Opcode.JMP and e < n:
            out.append((k, block_of[e]))
    return out


def find_loops(
    fn: Function, starts: list[int], ends: list[int], block_of: dict[int, int]
) -> dict[int, Loop] | None:
    """Loops by header, or None if the control flow does not have the simple nested shape."""
    edges = _edges(fn, starts, ends, block_of)
    last: dict[int, int] = {}
    for a, b in edges:
        if b <= a:
            last[b] = max(last.get(b, a), a)
    loops = {h: Loop(h, j) for h, j in last.items()}
    ordered = sorted(loops.values(), key=lambda lp: (lp.h, -lp.j))
    for x in ordered:
        for y in ordered:
            if x is y:
                continue
            overlap = x.h <= y.j and y.h <= x.j
            nested = (x.h <= y.h and y.j <= x.j) or (y.h <= x.h and x.j <= y.j)
            if overlap and not nested:
                return None
    for lp in ordered:  # parent: the smallest strictly enclosing loop
        enclosing = [o for o in ordered if o is not lp and o.h <= lp.h and lp.j <= o.j]
        lp.parent = min(enclosing, key=lambda o: o.j - o.h, default=None)
    for a, b in edges:
        for lp in ordered:
            if lp.contains(b) and b != lp.h and not lp.contains(a):
                return None  # a second way into the loop body
            if lp.contains(a) and not lp.contains(b):
                lp.exits.add(b)
    return loops


#: Two conditional jumps on one CMP flag to the same label, as one Python comparison:
#: (operator on the operands, test on a ``_cmp`` result).
PAIR_TESTS: dict[frozenset[Opcode], tuple[str, str]] = {
    frozenset({Opcode.JMPLT, Opcode.JMPEQ}): ("<=", "<= 0"),
    frozenset({Opcode.JMPGT, Opcode.JMPEQ}): (">=", ">= 0"),
    frozenset({Opcode.JMPLT, Opcode.JMPGT}): ("!=", "!= 0"),
}


def compare_pairs(
    fn: Function, starts: list[int], ends: list[int], flag_out: list[bool]
) -> dict[int, tuple[str, str]]:
    """Blocks k ending ``CMP; Jx L`` whose successor block k+1 is just ``Jy L`` (no label on
    it, flag dead afterwards): the pair is one comparison (see ``_FnState.pairs``)."""
    targets = {fn.labels[i.args[0]] for i in fn.instructions if i.op in JUMPS}
    out: dict[int, tuple[str, str]] = {}
    for k in range(len(starts) - 1):
        s, e = starts[k], ends[k]
        if e - s < 2 or ends[k + 1] - starts[k + 1] != 1 or starts[k + 1] in targets:
            continue
        cmp, j1, j2 = fn.instructions[e - 2], fn.instructions[e - 1], fn.instructions[e]
        test = PAIR_TESTS.get(frozenset({j1.op, j2.op}))
        if cmp.op is not Opcode.CMP or test is None or j1.op is j2.op or flag_out[e]:
            continue
        if j1.args[0] != j2.args[0] or k - 1 in out:
            continue
        out[k] = test
    return out


def invariant_arrays(
    fn: Function,
    starts: list[int],
    ends: list[int],
    lp: Loop,
    entry_facts: set[int],
    safe_call: Callable[[str], bool],
) -> list[int]:
    """Clear registers certainly holding an array handle at the loop's header and never
    written inside it: their item list can be read once before the loop (an array handle's
    list is never rebound by the VM or a standard builtin; ``safe_call`` must reject calls
    that could run foreign code, such as natives)."""
    written: set[int] = set()
    read: set[int] = set()  # only registers the loop reads (so they hold a Python value)
    for k in range(lp.h, lp.j + 1):
        for ins in fn.instructions[starts[k] : ends[k]]:
            if ins.op is Opcode.CALL and not safe_call(ins.args[0]):
                return []
            d = writes(ins)
            if d is not None:
                written.add(d)
            read.update(reads(ins))
    return sorted(
        r
        for r in (-f - 1 for f in entry_facts if f < 0)
        if r in read and r not in written and not is_secret_register(r)
    )


#: (callee name, int-ness of each pushed argument) → is the call's result a plain int64?
CallInt = Callable[[str, list[bool]], bool]
#: Builtins (standard ones, not overridden) whose result is always a fresh array handle.
ARRAY_BUILTINS = frozenset(
    {"create_array", "array_concat", "array_repeat", "range", "get_or_create_array_field"}
)


def array_fact(reg: int) -> int:
    """Array-ness of ``reg`` is kept in the same fact set as int-ness, encoded negatively."""
    return -reg - 1


def _no_calls(name: str, flags: list[bool]) -> bool:
    return False


def _no_array(name: str) -> bool:
    return False


class _Facts:
    """Transfer state inside one block: int registers plus the pushed-argument flags."""

    __slots__ = ("ints", "pushes")

    def __init__(self, ints: set[int], stack_known_empty: bool) -> None:
        self.ints = ints
        self.pushes: list[bool] | None = [] if stack_known_empty else None


def int_facts(
    fn: Function,
    starts: list[int],
    ends: list[int],
    block_of: dict[int, int],
    constants: list[Any],
    entry: set[int] | None = None,
    maybe: list[bool] | None = None,
    call_int: CallInt = _no_calls,
    call_array: Callable[[str], bool] = _no_array,
) -> list[set[int]]:
    """Per block: clear registers certainly holding a plain int64 on entry.

    ``entry`` are registers known int at function entry (the int-specialised variant assumes
    its clear parameters are ints); ``maybe`` is the per-block "argument stack may be
    non-empty" flag, needed to know which calls pass exactly the pushed arguments.
    """
    n_blocks = len(starts)
    state: list[set[int] | None] = [None] * n_blocks
    state[0] = set(entry or ())
    edges = _edges(fn, starts, ends, block_of)
    succ: dict[int, list[int]] = {}
    for a, b in edges:
        succ.setdefault(a, []).append(b)
    work = [0]
    while work:
        k = work.pop()
        cur = state[k]
        assert cur is not None
        facts = _Facts(set(cur), not (maybe[k] if maybe else True))
        for i in range(starts[k], ends[k]):
            _transfer(fn.instructions[i], facts, constants, call_int, call_array)
        for t in succ.get(k, []):
            old = state[t]
            new = set(facts.ints) if old is None else old & facts.ints
            if old is None or new != old:
                state[t] = new
                work.append(t)
    return [s if s is not None else set() for s in state]


def returns_int(
    fn: Function,
    starts: list[int],
    ends: list[int],
    block_of: dict[int, int],
    constants: list[Any],
    entry: set[int],
    maybe: list[bool],
    call_int: CallInt,
) -> bool:
    """Does every return of ``fn`` (RET, jump to the end, falling off) give a plain int?"""
    n = len(fn.instructions)
    block_in = int_facts(fn, starts, ends, block_of, constants, entry, maybe, call_int)
    reached = {0} | {b for _, b in _edges(fn, starts, ends, block_of)}
    for k in range(len(starts)):
        if k not in reached:
            continue
        facts = _Facts(set(block_in[k]), not maybe[k])
        for i in range(starts[k], ends[k]):
            ins = fn.instructions[i]
            if ins.op is Opcode.RET and ins.args[0] not in facts.ints:
                return False
            if ins.op in JUMPS and fn.labels[ins.args[0]] >= n and 0 not in facts.ints:
                return False
            _transfer(ins, facts, constants, call_int)
        last = fn.instructions[ends[k] - 1]
        falls = last.op is not Opcode.RET and last.op is not Opcode.JMP
        if ends[k] == n and falls and 0 not in facts.ints:
            return False
    return True


_INT_PRESERVING = frozenset(
    {Opcode.ADD, Opcode.SUB, Opcode.MUL, Opcode.DIV, Opcode.MOD, Opcode.AND, Opcode.OR,
     Opcode.XOR, Opcode.SHL, Opcode.SHR, Opcode.NOT, Opcode.MOV}
)  # fmt: skip


def _transfer(
    ins: Any, st: _Facts, constants: list[Any], call_int: CallInt, call_array: Any = None
) -> None:
    call_array = call_array or _no_array
    facts = st.ints
    op = ins.op
    if op is Opcode.PUSHARG:
        if st.pushes is not None:
            r = ins.args[0]
            st.pushes.append(r in facts and not is_secret_register(r))
        return
    if op is Opcode.LD or op in JUMPS:
        st.pushes = None  # arguments went to the real stack; later calls are not "direct"
    d = writes(ins)
    if d is None:
        return
    is_int = False
    if op is Opcode.CALL:
        is_int = st.pushes is not None and call_int(ins.args[0], st.pushes)
        st.pushes = []
    elif not is_secret_register(d):
        if op is Opcode.LDI:
            is_int = type(constants[ins.args[1]]) is int
        elif op in _INT_PRESERVING and op in WRITERS:
            srcs = reads(ins)
            is_int = all(r in facts and not is_secret_register(r) for r in srcs)
    was_array = op is Opcode.MOV and array_fact(ins.args[1]) in facts
    facts.discard(array_fact(d))
    if is_int:
        facts.add(d)
    else:
        facts.discard(d)
    if (op is Opcode.CALL and call_array(ins.args[0])) or (
        was_array and not is_secret_register(d) and not is_secret_register(ins.args[1])
    ):
        facts.add(array_fact(d))
