"""A tiny reference interpreter for the IR: the oracle of pass tests and differential tests.

Clear integers are checked like the VM's (DESIGN §4: overflow and division by zero are
run-time errors). Secrets are computed in the clear: a secret integer is an unbounded
Python int (standing for a field element; no overflow check, as in the protocol) that
``open`` checks against the declared width; a secret bool is 0/1; a secret fix64 is a
float rounded to 2^-16. Printed values are recorded as values, not formatted text.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

import attrs

from stoffel.compiler.ssa.ir import Block, Const, Function, Instr, Module, Operand, Type, int_bounds

FRAC_BITS = 16
SECRET_BINARY = frozenset(
    {"sadd", "ssub", "smul", "smulc", "sfmul", "sand", "sor", "sxor", "strunc", "sdivc"}
    | {"slt", "sle", "sgt", "sge", "seq", "sne"}
)


class InterpError(Exception):
    """A run-time error of the interpreted program (what the VM would raise)."""


@attrs.define
class Outcome:
    result: Any = None
    printed: list[tuple[Any, ...]] = attrs.Factory(list)
    # The IR types of each printed value, so a harness can format them the way the VM
    # does (`7i32` vs `7`), which the raw Python values cannot tell apart.
    printed_types: list[tuple[Type, ...]] = attrs.Factory(list)
    outputs: dict[int, list[Any]] = attrs.Factory(dict)
    error: str | None = None


def _fit(value: int, ty: Type, what: str) -> int:
    lo, hi = int_bounds(ty.kind)
    if not lo <= value <= hi:
        raise InterpError(f"Integer overflow in {what} operation")
    return value


def _trunc_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _fix(x: float) -> float:
    return math.floor(x * (1 << FRAC_BITS)) / (1 << FRAC_BITS)


def clear_binary(op: str, a: Any, b: Any, ty: Type) -> Any:
    """One clear binary operation on values of type ``ty``; shared with constant folding,
    so a fold can never disagree with a run."""
    if op in ("eq", "ne", "lt", "le", "gt", "ge"):
        return {"eq": a == b, "ne": a != b, "lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[
            op
        ]
    if ty.kind == "bool":
        return {"and": a and b, "or": a or b, "xor": a != b}[op]
    if ty.kind == "f64":
        if op in ("div", "rem", "mod") and b == 0:
            return (
                math.nan
                if op != "div" or a == 0 or math.isnan(a)
                else math.copysign(math.inf, a) * math.copysign(1.0, b)
            )
        return {
            "add": lambda: a + b,
            "sub": lambda: a - b,
            "mul": lambda: a * b,
            "div": lambda: a / b,
            "rem": lambda: math.fmod(a, b),
            "mod": lambda: a % b,
        }[op]()
    name = op.upper()
    if op in ("div", "rem", "mod") and b == 0:
        raise InterpError(f"Division by zero in {name} operation")
    if op in ("shl", "shr"):
        bits = int(ty.kind[1:])
        if not 0 <= b < bits:
            raise InterpError(f"Shift amount {b} out of range in {name} operation")
        if op == "shr":
            return a >> b
        wrapped = (a << b) & ((1 << bits) - 1)  # shifts wrap, as Rust's wrapping_shl
        return wrapped - (1 << bits) if ty.kind[0] == "i" and wrapped >> (bits - 1) else wrapped
    if op in ("and", "or", "xor"):
        return {"and": a & b, "or": a | b, "xor": a ^ b}[op]
    value = {
        "add": lambda: a + b,
        "sub": lambda: a - b,
        "mul": lambda: a * b,
        "div": lambda: _trunc_div(a, b),
        "rem": lambda: a - b * _trunc_div(a, b),
        "mod": lambda: a % b,  # Python's % is floored, which is what `mod` means
    }[op]()
    return _fit(value, ty, name)


def clear_unary(op: str, a: Any, src: Type, dst: Type) -> Any:
    if op == "neg":
        return -a if src.kind == "f64" else _fit(-a, src, "NEG")
    if op == "not":
        if src.kind == "bool":
            return not a
        lo, hi = int_bounds(src.kind)
        return ~a if lo < 0 else hi - a
    # cast: numeric conversions; narrowing is checked like arithmetic.
    if dst.kind == "f64":
        return float(a)
    if dst.kind == "bool":
        return bool(a)
    if dst.is_int:
        if isinstance(a, float) and not math.isfinite(a):
            raise InterpError("Integer overflow in CAST operation")
        return _fit(int(a), dst, "CAST")
    if dst.kind == "string":
        return str(a)
    return a


def _secret_binary(op: str, a: Any, b: Any, ty: Type) -> Any:
    fixed = ty.kind == "fix64"
    match op:
        case "sadd":
            return a + b
        case "ssub":
            return a - b
        case "smul" | "smulc" | "sand":
            return _fix(a * b) if fixed else a * b
        case "sfmul":
            return _fix(a * b)
        case "sor":
            return a + b - a * b
        case "sxor":
            return a + b - 2 * a * b
        case "strunc":
            return _fix(a / (1 << b)) if fixed else a >> b
        case "sdivc":
            if b == 0:
                raise InterpError("Division by zero in DIV operation")
            return _fix(a / b) if fixed else _trunc_div(a, b)
    cmp = {"slt": a < b, "sle": a <= b, "sgt": a > b, "sge": a >= b, "seq": a == b, "sne": a != b}
    return int(cmp[op])


def _open(value: Any, ty: Type) -> Any:
    if ty.kind == "bool":
        if value not in (0, 1):
            raise InterpError(f"Revealed value {value} is not a bool")
        return bool(value)
    if ty.is_int:
        lo, hi = int_bounds(ty.kind)
        if not lo <= value <= hi:
            raise InterpError(f"Revealed value does not fit in {ty.kind}")
    return value


class Interpreter:
    def __init__(
        self,
        module: Module,
        inputs: dict[int, list[Any]] | None = None,
        max_steps: int = 100_000,
        seed: int = 0,
    ) -> None:
        self.module = module
        self.inputs = inputs or {}
        self.outcome = Outcome()
        self.steps = max_steps
        self.rng = random.Random(seed)
        self.builtins: dict[str, Callable[..., Any]] = {
            "len": len,
            "append": lambda xs, v: xs.append(v),
            "to_string": str,
            "list": lambda *v: list(v),
            "assert": self._assert,
        }

    @staticmethod
    def _assert(cond: bool, msg: str = "assertion failed") -> None:
        if not cond:
            raise InterpError(msg)

    def call(self, fn: Function, args: list[Any]) -> Any:
        env: dict[Operand, Any] = dict(zip(fn.params, args, strict=True))
        blocks = fn.block_map()
        prev: Block | None = None
        block = fn.entry
        while True:
            incoming = {}
            for phi in block.phis:
                assert prev is not None and phi.result is not None
                k = phi.labels.index(prev.label)
                incoming[phi.result] = self.value(phi.operands[k], env)
            env.update(incoming)
            for inst in block.instrs:
                self.steps -= 1
                if self.steps < 0:
                    raise InterpError("step limit reached")
                if inst.opcode == "ret":
                    return self.value(inst.operands[0], env) if inst.operands else None
                if inst.opcode in ("br", "cbr"):
                    target = inst.labels[0]
                    if inst.opcode == "cbr" and not self.value(inst.operands[0], env):
                        target = inst.labels[1]
                    prev, block = block, blocks[target]
                    break
                value = self.execute(inst, [self.value(o, env) for o in inst.operands])
                if inst.result is not None:
                    env[inst.result] = value

    @staticmethod
    def value(op: Operand, env: dict[Operand, Any]) -> Any:
        return op.value if isinstance(op, Const) else env[op]

    def execute(self, inst: Instr, vals: list[Any]) -> Any:
        op = inst.opcode
        ts = [o.type for o in inst.operands]
        rt = inst.result.type if inst.result is not None else None
        if op in ("copy",):
            return vals[0]
        if op in ("neg", "not", "cast"):
            assert rt is not None
            return clear_unary(op, vals[0], ts[0], rt)
        if op in ("add", "sub", "mul", "div", "rem", "mod", "and", "or", "xor", "shl", "shr"):
            return clear_binary(op, vals[0], vals[1], ts[0])
        if op in ("eq", "ne", "lt", "le", "gt", "ge"):
            return clear_binary(op, vals[0], vals[1], ts[0])
        if op == "share":
            return _fix(vals[0]) if ts[0].kind == "f64" else int(vals[0])
        if op == "sneg":
            return -vals[0]
        if op == "snot":
            return 1 - vals[0]
        if op == "select":
            c, a, b = vals
            return c * (a - b) + b
        if op == "open":
            assert rt is not None
            return _open(vals[0], rt)
        if op == "srandom":
            assert rt is not None
            return self.rng.randrange(2) if rt.kind == "bool" else self.rng.randrange(1 << 32)
        if op == "input":
            client, idx = vals
            try:
                return self.inputs[client][idx]
            except (KeyError, IndexError):
                raise InterpError(f"client {client} has no input {idx}") from None
        if op == "output":
            self.outcome.outputs.setdefault(vals[0], []).append(vals[1])
            return True
        if op in SECRET_BINARY:
            assert rt is not None
            return _secret_binary(op, vals[0], vals[1], rt)
        return self._memory_or_call(inst, vals)

    def _memory_or_call(self, inst: Instr, vals: list[Any]) -> Any:
        op = inst.opcode
        if op == "getfield":
            return vals[0].get(vals[1])
        if op == "setfield":
            vals[0][vals[1]] = vals[2]
            return None
        if op in ("getindex", "setindex"):
            xs, i = vals[0], vals[1]
            if not -len(xs) <= i < len(xs):
                raise InterpError(f"Index {i} out of bounds for length {len(xs)}")
            if op == "getindex":
                return xs[i]
            xs[i] = vals[2]
            return None
        if op == "call":
            callee = self.module.function(inst.callee or "")
            if callee is None:
                raise InterpError(f"unknown function {inst.callee}")
            return self.call(callee, vals)
        if op == "builtin" and inst.callee == "print":
            self.outcome.printed.append(tuple(vals))
            self.outcome.printed_types.append(tuple(o.type for o in inst.operands))
            return None
        if op == "builtin":
            impl = self.builtins.get(inst.callee or "")
            if impl is None:
                raise InterpError(f"builtin {inst.callee} is not in the reference interpreter")
            return impl(*vals)
        raise InterpError(f"cannot interpret {op}")


def run(
    module: Module, name: str = "main", args: list[Any] | None = None, **kwargs: Any
) -> Outcome:
    """Run ``@name``; run-time errors end up in ``Outcome.error`` with what was printed."""
    interp = Interpreter(module, **kwargs)
    fn = module.function(name)
    if fn is None:
        raise KeyError(name)
    try:
        interp.outcome.result = interp.call(fn, list(args or []))
    except InterpError as e:
        interp.outcome.error = str(e)
    return interp.outcome
