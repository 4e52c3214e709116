"""Text-level clean-ups of a generated function body (see :mod:`stoffel.vm.codegen`).

Each pass takes the body lines and the (line index, pc) table that maps a traceback line back
to the instruction, and returns both updated. They only remove or merge lines whose code
cannot raise, so the pc of any error is unchanged.
"""

from __future__ import annotations

import re

from stoffel.vm.emitfuse import I64_MAX, I64_MIN

LinePcs = list[tuple[int, int]]


def _remove(body: list[str], line_pcs: LinePcs, keep: list[bool]) -> tuple[list[str], LinePcs]:
    """Drop the lines with ``keep[x]`` False. A dropped line's pcs move to the next kept
    line unless that line has pcs of its own (it then names the instruction there)."""
    new_index, k = [], 0
    for x in range(len(body)):
        new_index.append(k)  # a dropped line maps to the next kept one
        k += keep[x]
    own = {new_index[x] for x, _ in line_pcs if x < len(body) and keep[x]}
    pcs = [
        (new_index[x] if x < len(body) else x - (len(body) - k), pc)
        for x, pc in line_pcs
        if x >= len(body) or keep[x] or new_index[x] not in own
    ]
    return [ln for ln, kp in zip(body, keep, strict=True) if kp], pcs


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def drop_passes(body: list[str], line_pcs: LinePcs) -> tuple[list[str], LinePcs]:
    """Remove ``pass`` placeholders that have a sibling statement (each costs a NOP)."""
    keep: list[bool] = []
    prev = ""  # the last kept line
    for x, line in enumerate(body):
        lead = _indent(line)
        nxt = body[x + 1] if x + 1 < len(body) else ""
        sibling = (nxt.startswith(lead) and not nxt.startswith(lead + " ")) or (
            prev.startswith(lead) and not prev.startswith(lead + " ") and not prev.endswith(":")
        )
        drop = line.strip() == "pass" and sibling
        keep.append(not drop)
        if not drop:
            prev = line
    return _remove(body, line_pcs, keep)


#: ``rD = <arithmetic>`` (a known-int fast path: it cannot raise) and the call that follows.
_PURE = re.compile(r"( *)(r\d+) = (r\d+|-?\d+) [-+*] (r\d+|-?\d+)")
_CALL = re.compile(r"( *)(r\d+) = (F\d+s?)\((.*)\)")
_SIMPLE_ARG = re.compile(r"r\d+|-?\d+|True|False|None")


def fold_call_args(body: list[str], line_pcs: LinePcs) -> tuple[list[str], LinePcs]:
    """``rD = x - 1`` followed by ``rD = F(…, rD, …)``: the expression becomes the argument
    (``rD = F(…, x - 1, …)``), saving a store and a load. The call overwrites rD, so its old
    value is read nowhere else; the arithmetic cannot raise, so the merged line's pc (the
    call's, the larger one) is right for any error there."""
    out: list[str] = []
    index: list[int] = []  # old line → new line
    x = 0
    while x < len(body):
        pure = _PURE.fullmatch(body[x])
        call = _CALL.fullmatch(body[x + 1]) if pure and x + 1 < len(body) else None
        if pure and call and call.group(1) == pure.group(1) and call.group(2) == pure.group(2):
            args = [a.strip() for a in call.group(4).split(",")]
            simple = all(_SIMPLE_ARG.fullmatch(a) for a in args)  # no commas inside
            if simple and args.count(pure.group(2)) == 1:
                expr = body[x].split(" = ", 1)[1]
                args[args.index(pure.group(2))] = expr
                index += [len(out), len(out)]
                out.append(f"{call.group(1)}{call.group(2)} = {call.group(3)}({', '.join(args)})")
                x += 2
                continue
        index.append(len(out))
        out.append(body[x])
        x += 1
    pcs = [(index[ln] if ln < len(body) else ln - len(body) + len(out), pc) for ln, pc in line_pcs]
    return out, pcs


#: A counted loop's ``for`` line, annotated by :mod:`stoffel.vm.counted` with the range its
#: induction register stays in (it is written nowhere else in the loop).
_FOR_RANGE = re.compile(r"( *)for (r\d+) in range\(.*\):  # range (-?\d+)\.\.(-?\d+)")
_ARITH = re.compile(r"( *)(r\d+) = (r\d+|-?\d+) ([-+*]) (r\d+|-?\d+)")


def range_comment(lo: int, hi: int) -> str:
    return f"  # range {lo}..{hi}"


def _interval(expr: str, ranges: dict[str, tuple[int, int]]) -> tuple[int, int] | None:
    if expr in ranges:
        return ranges[expr]
    try:
        v = int(expr)
    except ValueError:
        return None
    return v, v


def _fits(op: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Does ``x op y`` stay within int64 for all x in a, y in b?"""
    if op == "*":
        ends = [x * y for x in a for y in b]
    elif op == "+":
        ends = [a[0] + b[0], a[1] + b[1]]
    else:
        ends = [a[0] - b[1], a[1] - b[0]]
    return min(ends) >= I64_MIN and max(ends) <= I64_MAX


def drop_bounded_checks(body: list[str], line_pcs: LinePcs) -> tuple[list[str], LinePcs]:
    """Drop the overflow check of arithmetic on counted-loop indexes whose ranges rule
    overflow out (``i * j`` with both below 300 needs no check)."""
    keep = [True] * len(body)
    loops: list[tuple[int, str, int, int]] = []  # enclosing annotated loops
    for x, line in enumerate(body):
        depth = len(_indent(line))
        while loops and depth <= loops[-1][0]:
            loops.pop()
        head = _FOR_RANGE.fullmatch(line)
        if head is not None:
            lo, hi = int(head.group(3)), int(head.group(4))
            loops.append((len(head.group(1)), head.group(2), lo, hi))
            continue
        m = _ARITH.fullmatch(line)
        if m is None or not loops or x + 1 >= len(body):
            continue
        check = body[x + 1]
        ovf = f"_ovf('{_OP_NAME[m.group(4)]}'"
        own = check.startswith(m.group(1) + "if ") and re.search(rf"\b{m.group(2)}\b", check)
        if not (own and ovf in check):
            continue
        ranges = {reg: (lo, hi) for _, reg, lo, hi in loops}
        a, b = _interval(m.group(3), ranges), _interval(m.group(5), ranges)
        if a is not None and b is not None and _fits(m.group(4), a, b):
            keep[x + 1] = False
    return _remove(body, line_pcs, keep)


_OP_NAME = {"*": "MUL", "+": "ADD", "-": "SUB"}
