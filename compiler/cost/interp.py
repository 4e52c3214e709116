"""Abstract execution of optimised IR: clear values that follow from constants are computed,
everything else is *unknown*; secret values carry only their place in the scheduler model.

Loops run as often as their (computed) bounds say, so trip counts of nested loops multiply
and a call costs what its body costs for those arguments. Where control flow depends on a
value the model cannot know (an input, a revealed secret, a parameter of a function analysed
on its own), the model never guesses silently: a loop runs one iteration and an ``if`` counts
its costlier arm, and the cost is marked inexact with the reason and the line.
"""

from __future__ import annotations

from typing import Any

import attrs

from stoffel.compiler.cost.counts import Cost
from stoffel.compiler.cost.loops import FlowInfo, flow_info
from stoffel.compiler.cost.ops import LOCAL_BUILTINS, SHARE_BUILTINS, group_key
from stoffel.compiler.cost.schedule import Opened, PendingModel, Sec
from stoffel.compiler.cost.table import RANDOM_COST
from stoffel.compiler.ssa.interp import clear_binary, clear_unary
from stoffel.compiler.ssa.ir import (
    CLEAR_ONLY,
    SECRET_LOCAL,
    Const,
    Function,
    Instr,
    Module,
    Operand,
    Type,
)

MAX_STEPS = 1_000_000
MAX_DEPTH = 150
MAX_FORKS = 12


class Unknown:
    """A clear value the model cannot compute."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = Unknown()


class ListV:
    """A list built in the program (``create_array`` + ``append``), tracked element-wise."""

    def __init__(self) -> None:
        self.items: list[Any] = []


class OutOfBudget(Exception):
    pass


# Operands that are moved, not read: a pending opened value passes through them unflushed.
_NO_READ = frozenset({"copy", "phi", "call", "open"})
_NO_READ_BUILTINS = frozenset({"append", "create_array", "len"})


@attrs.define
class Frame:
    fn: Function
    info: FlowInfo
    env: dict[Operand, Any]
    visits: dict[str, int] = attrs.Factory(dict)


class AbstractRun:
    def __init__(
        self,
        module: Module,
        cost: Cost,
        n_parties: int,
        max_steps: int = MAX_STEPS,
        *,
        threshold: int = 1,
    ) -> None:
        self.module = module
        self.max_steps = max_steps
        self.cost = cost
        self.sched = PendingModel(cost, n_parties, threshold)
        self.steps = 0
        self.depth = 0
        self.stack: list[str] = []
        self.forks: list[tuple[str, str]] = []  # branches being explored arm by arm
        self._flow: dict[str, FlowInfo] = {}

    # ------------------------------------------------------------------ values
    def unknown_of(self, t: Type | None) -> Any:
        return Sec(-1, 0) if t is not None and t.secret else UNKNOWN

    def read(self, v: Any) -> Any:
        """Reading a clear value: a pending opening forces a flush (``Pending.get``)."""
        if self.sched.is_pending(v):
            self.sched.flush()
        return UNKNOWN if isinstance(v, Opened) else v

    def val(self, op: Operand, env: dict[Operand, Any]) -> Any:
        if isinstance(op, Const):
            return op.value
        return env.get(op, self.unknown_of(op.type))

    # ------------------------------------------------------------------ calls
    def call(self, fn: Function, args: list[Any], line: int | None) -> Any:
        if self.depth >= MAX_DEPTH:
            self.cost.inexact(f"line {line}: recursion deeper than {MAX_DEPTH} calls not followed")
            return self.unknown_of(fn.ret_type)
        if fn.name in self.stack and not all(_known(a) for a in args):
            # Recursion whose depth depends on a run-time value: following it would guess.
            self.cost.inexact(
                f"line {line}: recursive call of {fn.name} with a run-time argument not followed"
            )
            return self.unknown_of(fn.ret_type)
        info = self._flow.get(fn.name) or self._flow.setdefault(fn.name, flow_info(fn))
        env: dict[Operand, Any] = dict(zip(fn.params, args, strict=False))
        self.depth += 1
        self.stack.append(fn.name)
        try:
            kind, out = self.region(Frame(fn, info, env), fn.entry.label, None, None)
        finally:
            self.depth -= 1
            self.stack.pop()
        return out if kind == "ret" else self.unknown_of(fn.ret_type)

    def region(self, fr: Frame, label: str, prev: str | None, stop: str | None) -> tuple[str, Any]:
        """Run from ``label`` until ``stop`` is reached ("stop", predecessor) or a return."""
        blocks = fr.fn.block_map()
        while True:
            if stop is not None and label == stop:
                return "stop", prev
            block = blocks[label]
            if label in fr.info.loop_body and (prev, label) not in fr.info.back_edges:
                fr.visits[label] = 0  # entering a loop afresh
            incoming = [
                self.val(p.operands[p.labels.index(prev)], fr.env) if prev in p.labels else None
                for p in block.phis
            ]
            for p, v in zip(block.phis, incoming, strict=True):
                fr.env[p.result] = v  # type: ignore[index]
            for inst in block.instrs:
                self.steps += 1
                self.cost.instructions += 1
                if self.steps > self.max_steps:
                    raise OutOfBudget
                if inst.opcode == "ret":
                    return "ret", self.val(inst.operands[0], fr.env) if inst.operands else None
                if inst.opcode == "br":
                    prev, label = label, inst.labels[0]
                    break
                if inst.opcode == "cbr":
                    cond = self.read(self.val(inst.operands[0], fr.env))
                    if isinstance(cond, bool):
                        prev, label = label, inst.labels[0 if cond else 1]
                        break
                    res = self.unknown_branch(fr, label, inst)
                    if res[0] == "ret":
                        return "ret", res[1]
                    prev, label = res[1], res[2]
                    break
                fr.env[inst.result] = self.execute(inst, fr.env)  # type: ignore[index]

    def unknown_branch(self, fr: Frame, label: str, inst: Instr) -> tuple[Any, ...]:
        yes, no = inst.labels[0], inst.labels[1]
        body = fr.info.loop_body.get(label)
        if body is not None and (yes in body) != (no in body):
            inside, outside = (yes, no) if yes in body else (no, yes)
            self.cost.inexact(
                f"line {inst.line}: loop trip count is not static; one iteration counted"
            )
            first = fr.visits.get(label, 0) == 0
            fr.visits[label] = fr.visits.get(label, 0) + 1
            return "goto", label, inside if first else outside
        site = (fr.fn.name, label)
        if site in self.forks or len(self.forks) >= MAX_FORKS:
            # Back at a branch we are already exploring: a loop whose exit depends on a
            # run-time value. Leave the loop here rather than unroll a guess.
            self.cost.inexact(
                f"line {inst.line}: a loop exits on a run-time value; counted to its first exit"
            )
            return "goto", label, self.exit_arm(fr, label, yes, no)
        self.cost.inexact(
            f"line {inst.line}: branch on a run-time value; the costlier arm is counted"
        )
        self.forks.append(site)
        try:
            return self.fork(fr, label, yes, no)
        finally:
            self.forks.pop()

    def exit_arm(self, fr: Frame, label: str, yes: str, no: str) -> str:
        for body in fr.info.loop_body.values():
            if label in body and (yes in body) != (no in body):
                return no if yes in body else yes
        return no

    def fork(self, fr: Frame, label: str, yes: str, no: str) -> tuple[Any, ...]:
        join = fr.info.ipdom.get(label)
        start = (self.cost.copy(), self.sched.snapshot(), dict(fr.env), dict(fr.visits))
        best: tuple[Any, ...] | None = None
        for arm in (yes, no):
            _assign(self.cost, start[0])
            self.sched.restore(start[1])
            fr.env, fr.visits = dict(start[2]), dict(start[3])
            res = self.region(fr, arm, label, join)
            got = (self.cost.copy(), self.sched.snapshot(), fr.env, fr.visits, res)
            if best is None or got[0].weight() > best[0].weight():
                best = got
            else:
                best[0].exact = False
                for n in got[0].notes:
                    if n not in best[0].notes:
                        best[0].notes.append(n)
        assert best is not None
        _assign(self.cost, best[0])
        self.sched.restore(best[1])
        fr.env, fr.visits = best[2], best[3]
        kind, out = best[4]
        return ("ret", out) if kind == "ret" else ("goto", out, join)

    # ------------------------------------------------------------------ instructions
    def execute(self, inst: Instr, env: dict[Operand, Any]) -> Any:
        op = inst.opcode
        raw = [self.val(o, env) for o in inst.operands]
        if op == "builtin":
            return self.builtin(inst, raw)
        if op == "call":
            callee = self.module.function(inst.callee or "")
            if callee is None:
                self.cost.inexact(f"line {inst.line}: call of unknown function {inst.callee}")
                return self.unknown_of(inst.result.type if inst.result else None)
            return self.call(callee, raw, inst.line)
        if op in ("getindex", "setindex", "getfield", "setfield"):
            return self.memory(inst, raw)
        vals = raw if op in _NO_READ else [self.read(v) for v in raw]
        if op == "copy":
            return vals[0]
        if op in CLEAR_ONLY:
            return self.clear_op(inst, vals)
        if op == "share" or (op in SECRET_LOCAL and op != "smulc"):
            return self.sched.local(vals)
        if op == "srandom":
            self.cost.charge(RANDOM_COST, self.sched.n_parties)
            self.cost.pre_rounds += RANDOM_COST.pre_rounds  # one backend call per instruction
            return Sec(self.sched.epoch, 0)
        if op == "strunc":
            amount = vals[1] if isinstance(vals[1], int) else 64
            layer = self.sched.interactive(("trunc", amount), vals[:1])
            return Sec(self.sched.epoch, layer)
        types = [o.type for o in inst.operands]
        key = group_key(op, types)
        if op == "open":
            if key is None:
                return vals[0]
            return Opened(self.sched.epoch, self.sched.interactive(key, vals))
        if op == "output":
            self.sched.interactive(("output",), vals[1:])
            self.sched.flush()  # the VM flushes at every client output
            return True
        if key is None:
            return self.sched.local(vals)
        return Sec(self.sched.epoch, self.sched.interactive(key, vals))

    def clear_op(self, inst: Instr, vals: list[Any]) -> Any:
        if any(isinstance(v, Unknown | Sec | ListV) for v in vals) or inst.result is None:
            return UNKNOWN
        try:
            if len(vals) == 2:
                return clear_binary(inst.opcode, vals[0], vals[1], inst.operands[0].type)
            return clear_unary(inst.opcode, vals[0], inst.operands[0].type, inst.result.type)
        except Exception:  # a run-time error of the program: the value is not known
            return UNKNOWN

    def builtin(self, inst: Instr, raw: list[Any]) -> Any:
        name = inst.callee or ""
        rtype = inst.result.type if inst.result is not None else None
        if name == "create_array":
            return ListV()
        if name == "append" and raw and isinstance(raw[0], ListV):
            raw[0].items.extend(raw[1:])
            return None
        if name == "len" and raw:
            return len(raw[0].items) if isinstance(raw[0], ListV) else UNKNOWN
        if name in SHARE_BUILTINS:
            fake = Instr(SHARE_BUILTINS[name], list(inst.operands), inst.result, line=inst.line)
            return self.execute(fake, {o: v for o, v in zip(inst.operands, raw, strict=True)})
        vals = raw if name in _NO_READ_BUILTINS else [self.read(v) for v in raw]
        if name in LOCAL_BUILTINS:
            return self.sched.local(vals)
        if name.startswith(("Share.", "ClientStore.")) and rtype is not None and rtype.secret:
            self.cost.inexact(f"line {inst.line}: builtin {name} is not in the cost model")
        return self.unknown_of(rtype)

    def get_item(self, container: Any, index: Any, rtype: Type | None) -> Any:
        if isinstance(container, ListV):
            if _in_range(index, container.items):
                return container.items[index]
            layers = [self.sched.layer_of(x) for x in container.items]
            if rtype is not None and rtype.secret:
                return Sec(self.sched.epoch, max(layers, default=0))
        return self.unknown_of(rtype)

    def memory(self, inst: Instr, vals: list[Any]) -> Any:
        rtype = inst.result.type if inst.result is not None else None
        if inst.opcode == "getindex":
            return self.get_item(vals[0], self.read(vals[1]), rtype)
        if inst.opcode == "setindex":
            lst, index = vals[0], self.read(vals[1])
            if isinstance(lst, ListV) and _in_range(index, lst.items):
                lst.items[index] = vals[2]
            return None
        return self.unknown_of(rtype)  # object fields are not tracked


def _known(v: Any) -> bool:
    """A value the model computed (secrets count as known: their value never steers it)."""
    if isinstance(v, ListV):
        return all(_known(x) for x in v.items)
    return not isinstance(v, Unknown | Opened)


def _in_range(index: Any, items: list[Any]) -> bool:
    ok = isinstance(index, int) and not isinstance(index, bool)
    return ok and -len(items) <= index < len(items)


def _assign(dst: Cost, src: Cost) -> None:
    for f in attrs.fields(Cost):
        value = getattr(src, f.name)
        setattr(dst, f.name, list(value) if isinstance(value, list) else value)
