"""Counted loops: a structured ``while True:`` loop rewritten as ``for r in range(r, bound):``.

A loop qualifies when its header is exactly ``if rI >= B:`` (an exit), rI and B are plain
int64 clear registers (or B an int literal), the only write to rI anywhere in the loop is one
``ADD rI, rI, step`` in the latch block (the one block with the back edge, and the only one), and
nothing after that ADD in the latch reads rI or can raise. Then the values rI takes at the top
of each iteration are exactly ``range(rI, B, step)``, and since rI < B ≤ INT64_MAX inside the body
an increment by 1 cannot overflow, so the ADD (and any overflow check) is dropped.

Exactness: per-iteration instruction counting and budget ticks stay where they were (end of
the body), so counts, budget errors and their order against side effects are unchanged. The
header's exit code moves to the ``for``'s ``else`` (run only when the test fails, as before),
after giving rI its final value (last + step if an iteration ran, else the unchanged start).
Breaks and returns from the body leave rI at the value it had in that iteration, as before.

The rewrite is textual on the emitter's output but keeps every line at its index (removed
lines become ``pass``), so the line → pc table of the loop body stays valid; the ``else``
lines are appended after the loop, taking their line → pc entries with them.

A step other than 1 (a register not written in the loop, or a literal) may be non-positive
or overflow on the last increment; such a loop becomes ``if step > 0 and B + step <= 2**63:``
with the ``for`` form, ``else:`` with the original ``while`` (innermost loops only, so the
duplicated code stays small).
"""

from __future__ import annotations

import re

from stoffel.vm.cfg import reads, writes
from stoffel.vm.chunked import chunk_ticks
from stoffel.vm.isa import JUMPS, Function, Opcode, is_secret_register
from stoffel.vm.loops import Loop
from stoffel.vm.peephole import range_comment

_HEAD = re.compile(r"if r(\d+) >= (r\d+|-?\d+):$")
#: Instructions allowed after the increment in the latch: they cannot raise.
_QUIET = frozenset({Opcode.MOV, Opcode.LDI, Opcode.JMP})


def _bytecode_ok(
    fn: Function, starts: list[int], ends: list[int], lp: Loop, i: int, bound: int | None
) -> bool:
    """The induction/bound conditions of the module docstring, checked on the bytecode."""
    head = starts[lp.h]
    adds = []
    for k in range(lp.h, lp.j + 1):
        for pc in range(starts[k], ends[k]):
            ins = fn.instructions[pc]
            if ins.op in JUMPS and fn.labels[ins.args[0]] == head and pc != ends[lp.j] - 1:
                return False  # a second back edge: a ``continue`` that skips the increment
            d = writes(ins)
            if bound is not None and d == bound:
                return False
            if d == i:
                adds.append((k, pc, ins))
    if len(adds) != 1:
        return False
    k, pc, ins = adds[0]
    if k != lp.j or ins.op is not Opcode.ADD or ins.args[1] != i or ins.args[2] == i:
        return False
    last = fn.instructions[ends[lp.j] - 1]
    if last.op is not Opcode.JMP or fn.labels[last.args[0]] != head:
        return False
    return all(f.op in _QUIET and i not in reads(f) for f in fn.instructions[pc + 1 : ends[lp.j]])


def _step_ok(
    fn: Function, starts: list[int], ends: list[int], lp: Loop, s: int, ints: set[int]
) -> bool:
    """A register step: a plain int not written anywhere in the loop (the same every trip)."""
    if s not in ints or is_secret_register(s):
        return False
    return all(
        writes(ins) != s
        for k in range(lp.h, lp.j + 1)
        for ins in fn.instructions[starts[k] : ends[k]]
    )


#: Simple statements that may sit between a loop and the assignment of its start value
#: (counting, hoisting an item list, assigning some register).
_PREHEADER = re.compile(r"n \+= \d+|_l\d+ = r\d+\.items|(r\d+) = [^;:]*")


def _start_literal(out: list[str], at: int, pre: str, i: int) -> int | None:
    """The literal rI holds on entering the loop at ``out[at]``, if the straight-line code
    just before it (same indentation: nothing else reaches the loop) assigns one."""
    x = at - 1
    while x >= 0 and out[x].startswith(pre):
        m = _PREHEADER.fullmatch(out[x][len(pre) :])
        if m is None or m.group(1) == f"r{i}":
            break
        x -= 1
    if x < 0 or not out[x].startswith(pre) or out[x][len(pre)] == " ":
        return None
    m = re.fullmatch(rf"r{i} = (-?\d+)", out[x][len(pre) :])
    return int(m.group(1)) if m else None


def rewrite_counted(
    fn: Function,
    starts: list[int],
    ends: list[int],
    lp: Loop,
    ints: set[int],
    out: list[str],
    at: int,
    pre: str,
    line_pcs: list[tuple[int, int]],
) -> bool:
    """Rewrite the loop emitted as ``out[at:]`` (``out[at]`` is its ``while True:``) in place;
    False (and ``out`` untouched) if it does not qualify. ``ints``: int facts at the header."""
    lines = out[at:]
    ind, exit_ind = pre + "    ", pre + "        "
    if lines[0] != f"{pre}while True:" or len(lines) < 3:
        return False
    m = _HEAD.fullmatch(lines[1][len(ind) :]) if lines[1].startswith(ind) else None
    if m is None or lines[1][len(ind)] == " ":
        return False
    i, b_text = int(m.group(1)), m.group(2)
    bound = int(b_text[1:]) if b_text.startswith("r") else None
    if i not in ints or is_secret_register(i):
        return False
    if bound is not None and (bound not in ints or is_secret_register(bound)):
        return False
    if not _bytecode_ok(fn, starts, ends, lp, i, bound):
        return False
    # The exit code: the lines indented under the header test, ending in break or a return.
    e = 2
    while e < len(lines) and lines[e].startswith(exit_ind):
        e += 1
    exit_code = [ln[4:] for ln in lines[2:e]]
    if not exit_code:
        return False
    if exit_code[-1] == f"{ind}break":
        exit_code.pop()
    elif not re.match(rf"{ind}(n \+= [^;:]+; )?return\b", exit_code[-1]):
        return False  # only an unconditional return at the exit's own level
    word = re.compile(r"\b(break|continue)\b")
    if not exit_code or any(word.search(ln) for ln in exit_code):
        return False
    # The increment: the one line assigning rI, optionally followed by its overflow check.
    reg = re.compile(rf"\br{i}\b")
    assigns = [n for n, ln in enumerate(lines) if ln.lstrip().startswith(f"r{i} =")]
    inc = (
        re.fullmatch(rf"r{i} = r{i} \+ (r\d+|\d+)", lines[assigns[0]].lstrip())
        if len(assigns) == 1
        else None
    )
    if inc is None:
        return False
    a, step = assigns[0], inc.group(1)
    drop = [a]
    if a + 1 < len(lines) and "_ovf('ADD'" in lines[a + 1] and reg.search(lines[a + 1]):
        drop.append(a + 1)
    if any(reg.search(ln) for ln in lines[drop[-1] + 1 :]):
        return False
    if step != "1":
        # Any other step may overflow on the last increment or not be positive: the for form
        # runs only when a test at loop entry rules both out, else the original while form.
        if any(ln.lstrip().startswith(("while ", "for ")) for ln in lines[1:]):
            return False  # keep the code size linear: only innermost loops are duplicated
        if step.startswith("r") and not _step_ok(fn, starts, ends, lp, int(step[1:]), ints):
            return False
    new = list(lines)
    for n in range(1, e):  # header test and exit code: now at the top of the body
        new[n] = f"{ind}pass"
    for n in drop:
        lead = lines[n][: len(lines[n]) - len(lines[n].lstrip())]
        new[n] = f"{lead}pass"
    new[0] = f"{pre}for r{i} in range(r{i}, {b_text}{'' if step == '1' else ', ' + step}):"
    start = _start_literal(out, at, pre, i)
    if start is not None and bound is None:  # rI stays in start..B-1 inside the body
        new[0] += range_comment(start, int(b_text) - 1)
    new.append(f"{pre}else:")
    final = b_text if step == "1" else f"r{i} + {step}"  # the value the last test failed on
    new.append(f"{ind}if r{i} < {b_text}: r{i} = {final}")
    # The exit code may hold an inlined return block that can raise: its lines' pcs move too.
    moved = len(new) - 2
    new.extend(exit_code)

    def in_for(x: int) -> int:
        return x + moved if 2 <= x < e else x

    mine = [(ln - at, pc) for ln, pc in line_pcs if ln >= at]
    kept = [(ln, pc) for ln, pc in line_pcs if ln < at]
    fast = [(in_for(x), pc) for x, pc in mine]  # (index in ``new``, pc)
    chunked = chunk_ticks(new, pre, i, b_text, step)
    if chunked is not None:
        new, index, tick_at = chunked
        # The tick keeps the pc the per-iteration tick line had (the latch's last entry).
        tick_pc = [pc for x, pc in sorted(fast) if x <= len(lines) - 2][-1:]
        fast = [(index[x], pc) for x, pc in fast if x in index]
        fast += [(tick_at, pc) for pc in tick_pc]
    if step == "1":
        out[at:] = new
        line_pcs[:] = kept + [(at + x, pc) for x, pc in fast]
        return True
    test = f"{step} > 0 and {b_text} + {step} <= {2**63}"
    out[at:] = [f"{pre}if {test}:", *("  " + ln for ln in new)]
    out.append(f"{pre}else:")
    out.extend("  " + ln for ln in lines)
    second = at + 2 + len(new)
    line_pcs[:] = kept + [(at + 1 + x, pc) for x, pc in fast]
    line_pcs.extend((second + x, pc) for x, pc in mine)
    return True
