"""Parallel moves (phi copies, incoming parameters): sequentialised so that no source is
overwritten before it is read; a cycle is broken through a scratch register."""

from __future__ import annotations

from collections.abc import Callable

from stoffel.compiler.codegen.regalloc import SECRET_START, Loc, Slot
from stoffel.compiler.ssa import ir

Source = Loc | ir.Const


def sequentialize(
    moves: list[tuple[Loc, Source]],
    move: Callable[[Loc, Loc], None],
    load: Callable[[Loc, ir.Const], None],
    clear_temp: int,
    secret_temp: int,
) -> None:
    pending = [(d, s) for d, s in moves if d != s and not isinstance(s, ir.Const)]
    consts = [(d, s) for d, s in moves if isinstance(s, ir.Const)]
    while pending:
        for i, (d, s) in enumerate(pending):
            if not any(s2 == d for j, (_, s2) in enumerate(pending) if j != i):
                move(d, s)  # type: ignore[arg-type]
                pending.pop(i)
                break
        else:
            d, _ = pending[0]
            temp: Loc = secret_temp if isinstance(d, int) and d >= SECRET_START else clear_temp
            move(temp, d)
            pending = [(d2, temp if s2 == d else s2) for d2, s2 in pending]
    for d, c in consts:
        load(d, c)  # type: ignore[arg-type]


__all__ = ["Slot", "sequentialize"]
