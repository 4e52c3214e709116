"""Chunked counted loops: no per-iteration budget tick in innermost counted loops.

A counted loop (see :mod:`stoffel.vm.counted`) ends every iteration with ``n += K`` and
``if n > TICK: n = _tick(n)``; both cost as much as a typical body statement. But an
iteration adds at most KMAX instructions (K plus every ``n += c`` inside the body, e.g. in
the arms of an if/else), so from a given ``n`` the next ``c = (TICK - n) // KMAX``
iterations cannot reach the tick. The loop therefore runs in chunks of ``c`` iterations
(at least one, at most what remains) with no tick test and no ``n += K``, then adds
``c * K`` and tests for the tick once, which is exactly where the per-iteration form could
have ticked.

Exactness: ``_N`` (which callees' budget checks read) changes at the same iterations by the
same amounts, so budget errors and their order against side effects are unchanged. ``n``
itself is private to the frame; an exception in the body first adds ``K`` for each
iteration the chunk completed, so ``n`` is what the per-iteration form had.

Qualifying bodies: no nested loop and no exit of their own (no ``break``/``continue``/
``return``, no ``b =``, ``n`` only in ``n += <literal>`` lines): every iteration runs the
body to its end.
"""

from __future__ import annotations

import re

from stoffel.vm.emitblock import TICK

#: The end of a counted body: the per-iteration count, its tick and the back edge.
_COUNT = re.compile(r"n \+= (\d+)$")
_TICK_LINE = f"if n > {TICK}: n = _tick(n)"
#: Tokens that make a body unsuitable: its own exits, nested loops, other uses of ``n``.
_UNSAFE = re.compile(r"\b(break|continue|return|while|for|yield|b|n|_tick)\b")


def chunk_ticks(
    lines: list[str], pre: str, i: int, bound: str, step: str
) -> tuple[list[str], dict[int, int], int] | None:
    """Chunk a counted loop in its ``for``/``else`` form.

    ``lines`` is the loop as :func:`stoffel.vm.counted.rewrite_counted` builds it: the
    ``for`` line, the body at ``pre + 4`` spaces, ``else:``, the final-value fix-up and the
    exit code. Returns (new lines, old → new index of every kept line, index of the tick
    line), or None if the body does not qualify.
    """
    ind = pre + "    "
    try:
        els = lines.index(f"{pre}else:")
    except ValueError:
        return None
    body, tail = lines[1 : els - 3], lines[els - 3 : els]
    count = _COUNT.fullmatch(tail[0][len(ind) :]) if tail[0].startswith(ind) else None
    if count is None or tail[1:] != [ind + _TICK_LINE, ind + "continue"]:
        return None
    k = kmax = int(count.group(1))
    for ln in body:
        inner = _COUNT.fullmatch(ln.strip())
        if inner is not None:
            kmax += int(inner.group(1))  # runs at most once per iteration
        elif _UNSAFE.search(_strip_strings(ln)):
            return None
    reg = f"r{i}"
    note = lines[0][lines[0].index(":  #") + 1 :] if ":  #" in lines[0] else ""  # its range
    span = f"_c * {step}" if step != "1" else "_c"
    # The trip count (step > 0 here); not len(range(…)), which fails beyond sys.maxsize.
    trips = f"({bound} - {reg} - 1) // {step} + 1" if step != "1" else f"{bound} - {reg}"
    done = f"({reg} - _y) // {step}" if step != "1" else f"({reg} - _y)"
    inner_ind = ind + "        "
    out = [
        f"{pre}_r = {trips}",
        f"{pre}while _r > 0:",
        f"{ind}_c = ({TICK} - n) // {kmax}",  # iterations that cannot reach the tick
        f"{ind}if _c < 1: _c = 1",
        f"{ind}elif _c > _r: _c = _r",
        f"{ind}_y = {reg}",
        f"{ind}try:",
        f"{ind}    for {reg} in range(_y, _y + {span}{'' if step == '1' else ', ' + step}):{note}",
    ]
    index: dict[int, int] = {}
    for x, ln in enumerate(body, start=1):
        index[x] = len(out)
        out.append(inner_ind + ln[len(ind) :])
    if not body:
        out.append(inner_ind + "pass")
    out += [
        f"{ind}except BaseException:",
        f"{ind}    n += {done} * {k}",  # the iterations this chunk completed
        f"{ind}    raise",
        f"{ind}n += _c * {k}; _r -= _c; {reg} = _y + {span}",
    ]
    tick_at = len(out)
    out.append(f"{ind}{_TICK_LINE}")
    # The exit code (after the final-value fix-up, which the chunks make unnecessary).
    for x in range(els + 2, len(lines)):
        index[x] = len(out)
        out.append(lines[x][4:])
    return out, index, tick_at


def _strip_strings(line: str) -> str:
    """The line without string literals (a name inside a string is not a use)."""
    return re.sub(r"'[^']*'|\"[^\"]*\"", "''", line)
