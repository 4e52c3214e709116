"""Random structured programs (ifs and counted loops over a few variables, built in SSA
with phis at the joins) keep their meaning through -O1..-O3. This exercises CFG
simplification, CSE across blocks and constant branches, which straight-line code cannot."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stoffel.compiler.passes import optimize
from stoffel.compiler.ssa.interp import run
from stoffel.compiler.ssa.parser import parse_module
from stoffel.compiler.ssa.verify import verify_module

CLEAR_SLOTS = ["a", "b", "c"]
SECRET_SLOTS = ["s", "t"]
VALUES = st.one_of(st.integers(-9, 9), st.sampled_from([0, 2**40, 2**62]))


class Gen:
    """Emits IR text block by block, tracking each slot's current SSA value."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.blocks: dict[str, list[str]] = {"entry": []}
        self.cur = "entry"
        self.n = 0
        self.env: dict[str, str] = {}

    def fresh(self, prefix: str = "v") -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def emit(self, line: str) -> None:
        self.blocks[self.cur].append(f"  {line}")

    def define(self, ty: str, rhs: str) -> str:
        name = f"%{self.fresh()}"
        self.emit(f"{name}:{ty} = {rhs}")
        return name

    def start(self, label: str) -> None:
        self.blocks[label] = []
        self.cur = label

    def clear_operand(self) -> str:
        if self.draw(st.booleans()):
            return self.env[self.draw(st.sampled_from(CLEAR_SLOTS))]
        return f"{self.draw(VALUES)}:i64"

    def statement(self, depth: int) -> None:
        kinds = ["clear", "secret", "print", "reveal"] + (["if", "loop"] if depth < 2 else [])
        kind = self.draw(st.sampled_from(kinds))
        if kind == "clear":
            op = self.draw(st.sampled_from(["add", "sub", "mul", "div", "mod"]))
            rhs = f"{op} {self.clear_operand()}, {self.clear_operand()}"
            self.env[self.draw(st.sampled_from(CLEAR_SLOTS))] = self.define("clear.i64", rhs)
        elif kind == "secret":
            s, t = (self.env[x] for x in SECRET_SLOTS)
            op = self.draw(st.sampled_from(["sadd", "smul", "smulc", "select"]))
            if op == "smulc":
                rhs = f"smulc {s}, {self.clear_operand()}"
            elif op == "select":
                cond = self.define("secret.bool", f"slt {s}, {t}")
                rhs = f"select {cond}, {t}, {s}"
            else:
                rhs = f"{op} {s}, {t}"
            self.env[self.draw(st.sampled_from(SECRET_SLOTS))] = self.define("secret.i64", rhs)
        elif kind == "print":
            self.emit(f"builtin @print({self.clear_operand()}) !effects")
        elif kind == "reveal":
            opened = self.define(
                "clear.i64", f"open {self.env[self.draw(st.sampled_from(SECRET_SLOTS))]}"
            )
            self.env[self.draw(st.sampled_from(CLEAR_SLOTS))] = opened
        elif kind == "if":
            self.if_else(depth)
        else:
            self.loop(depth)

    def body(self, depth: int) -> None:
        for _ in range(self.draw(st.integers(0, 4))):
            self.statement(depth + 1)

    def if_else(self, depth: int) -> None:
        if self.draw(st.booleans()):
            cond = self.define("clear.bool", f"lt {self.clear_operand()}, {self.clear_operand()}")
        else:
            cond = self.draw(st.sampled_from(["true:bool", "false:bool"]))
        then, other, join = self.fresh("then"), self.fresh("else"), self.fresh("join")
        self.emit(f"cbr {cond}, {then}, {other}")
        before = dict(self.env)
        ends = []
        for label in (then, other):
            self.env = dict(before)
            self.start(label)
            self.body(depth)
            self.emit(f"br {join}")
            ends.append((self.cur, dict(self.env)))
        self.start(join)
        (end_t, env_t), (end_e, env_e) = ends
        self.env = {}
        for slot in CLEAR_SLOTS + SECRET_SLOTS:
            if env_t[slot] == env_e[slot]:
                self.env[slot] = env_t[slot]
            else:
                ty = "clear.i64" if slot in CLEAR_SLOTS else "secret.i64"
                self.env[slot] = self.define(
                    ty, f"phi [{env_t[slot]}, {end_t}], [{env_e[slot]}, {end_e}]"
                )

    def loop(self, depth: int) -> None:
        head, body, done = self.fresh("head"), self.fresh("body"), self.fresh("done")
        pre_end, pre_env = self.cur, dict(self.env)
        self.emit(f"br {head}")
        self.start(head)
        slots = CLEAR_SLOTS + SECRET_SLOTS
        phis = {slot: f"%{self.fresh()}" for slot in [*slots, "i"]}
        self.env = {slot: phis[slot] for slot in slots}
        cond = self.define("clear.bool", f"lt {phis['i']}, {self.draw(st.integers(0, 3))}:i64")
        self.emit(f"cbr {cond}, {body}, {done}")
        self.start(body)
        self.body(depth)
        step = self.define("clear.i64", f"add {phis['i']}, 1:i64")
        self.emit(f"br {head}")
        body_end, body_env = self.cur, {**self.env, "i": step}
        pre_env["i"] = "0:i64"
        self.blocks[head][:0] = [
            f"  {phis[s]}:{'secret' if s in SECRET_SLOTS else 'clear'}.i64 = "
            f"phi [{pre_env[s]}, {pre_end}], [{body_env[s]}, {body_end}]"
            for s in [*slots, "i"]
        ]
        self.start(done)
        self.env = {slot: phis[slot] for slot in slots}


@st.composite
def programs(draw: st.DrawFn) -> str:
    g = Gen(draw)
    for slot in CLEAR_SLOTS:
        g.env[slot] = g.define("clear.i64", f"copy {draw(VALUES)}:i64")
    for slot in SECRET_SLOTS:
        g.env[slot] = g.define("secret.i64", f"share {draw(st.integers(-5, 5))}:i64")
    for _ in range(draw(st.integers(1, 6))):
        g.statement(0)
    g.emit(f"ret {g.env['a']}")
    text = ["fn @main() -> clear.i64 {"]
    for label, lines in g.blocks.items():
        text += [f"{label}:", *lines]
    return "\n".join([*text, "}"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs(), st.sampled_from([1, 2, 3]))
def test_structured_programs_keep_their_meaning(text: str, level: int) -> None:
    check(text, level)


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs(), st.sampled_from([1, 2, 3]))
def test_structured_programs_keep_their_meaning_long(text: str, level: int) -> None:
    check(text, level)


def check(text: str, level: int) -> None:
    module = parse_module(text)
    verify_module(module)
    expected = run(module)
    optimize(module, level, verify_each=True)
    got = run(module)
    reveal = any(o.error and o.error.startswith("Revealed") for o in (expected, got))
    if expected.error is None or not reveal:
        assert got == expected
    else:
        assert got.error is not None
