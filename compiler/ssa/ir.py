"""The SSA IR: typed values tagged clear or secret, instructions, blocks, functions, a module.

Values (types, variables, constants) are frozen and compared by value; instructions,
blocks and functions are mutable and hashed by identity, so passes can keep them in
sets and dicts (Puya's split, STYLE §2.3). Block references are labels (strings), which
keeps the text form and the objects one-to-one.

Secret and clear operations are distinct opcodes (``add`` vs ``sadd``). The builder emits
protocol ops directly at every -O level (DESIGN §2 item 4), so which operations cost
communication is visible in the IR itself and the verifier can check secrecy per opcode.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from stoffel.compiler.ssa.analysis.cache import AnalysisCache

# --- types -------------------------------------------------------------------------------

INT_KINDS = frozenset({"i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"})
CLEAR_KINDS = INT_KINDS | {"bool", "f64", "string", "list", "dict", "obj", "fn", "nil", "any"}
SECRET_KINDS = INT_KINDS | {"bool", "fix64"}


def int_bounds(kind: str) -> tuple[int, int]:
    bits = int(kind[1:])
    if kind[0] == "i":
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1


@attrs.frozen
class Type:
    """``clear.i64``, ``secret.bool``… or the opaque ``share`` handle (secret, kind ``share``)."""

    kind: str
    secret: bool = False

    def __attrs_post_init__(self) -> None:
        if self.kind == "share":
            if not self.secret:
                raise ValueError("the share handle is always secret")
        elif self.kind not in (SECRET_KINDS if self.secret else CLEAR_KINDS):
            raise ValueError(f"no type {self.secrecy}.{self.kind}")

    @property
    def secrecy(self) -> str:
        return "secret" if self.secret else "clear"

    @property
    def is_int(self) -> bool:
        return self.kind in INT_KINDS

    @property
    def is_numeric(self) -> bool:
        return self.kind in INT_KINDS or self.kind in ("f64", "fix64")

    def as_clear(self) -> Type:
        """The type a reveal produces: secret fix64 opens to a clear f64 (DESIGN §4)."""
        if not self.secret:
            return self
        return Type({"fix64": "f64", "share": "any"}.get(self.kind, self.kind))

    def as_secret(self) -> Type:
        if self.secret:
            return self
        return Type("fix64" if self.kind == "f64" else self.kind, secret=True)

    def __str__(self) -> str:
        return "share" if self.kind == "share" else f"{self.secrecy}.{self.kind}"


def parse_type(text: str) -> Type:
    if text == "share":
        return Type("share", secret=True)
    secrecy, _, kind = text.partition(".")
    if secrecy not in ("clear", "secret"):
        raise ValueError(f"bad type {text!r}")
    return Type(kind, secret=secrecy == "secret")


CLEAR_BOOL = Type("bool")
CLEAR_I64 = Type("i64")
CLEAR_NIL = Type("nil")
SECRET_BOOL = Type("bool", secret=True)
SECRET_I64 = Type("i64", secret=True)

# --- values ------------------------------------------------------------------------------

ConstValue = int | float | bool | str | None


@attrs.frozen
class Var:
    """An SSA variable. Names are unique per function; the printer renumbers them."""

    name: str
    type: Type

    def __str__(self) -> str:
        return f"%{self.name}"


def _check_const(inst: Const, _a: attrs.Attribute[Type], ty: Type) -> None:
    if ty.secret:
        raise ValueError("constants are clear; use `share` to make a secret")
    ok = {
        "bool": lambda v: isinstance(v, bool),
        "f64": lambda v: isinstance(v, float),
        "string": lambda v: isinstance(v, str),
        "nil": lambda v: v is None,
    }.get(ty.kind)
    if ty.is_int:
        lo, hi = int_bounds(ty.kind)
        good = isinstance(inst.value, int) and not isinstance(inst.value, bool)
        if not good or not lo <= inst.value <= hi:
            raise ValueError(f"constant {inst.value!r} does not fit {ty}")
    elif ok is None or not ok(inst.value):
        raise ValueError(f"constant {inst.value!r} is not a {ty}")


@attrs.frozen
class Const:
    """A clear constant operand, printed ``5:i64``, ``true:bool``, ``"s":string``."""

    value: ConstValue
    type: Type = attrs.field(validator=_check_const)

    def __str__(self) -> str:
        return f"{format_const(self.value)}:{self.type.kind}"


def format_const(value: ConstValue) -> str:
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        # JSON escaping: every control character is escaped, so a constant never breaks
        # the one-instruction-per-line text form.
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


Operand = Var | Const

# --- opcodes -----------------------------------------------------------------------------

TERMINATORS = frozenset({"br", "cbr", "ret"})
# Clear-only: a secret operand here is a secrecy violation (verify.py).
CLEAR_ARITH = frozenset({"add", "sub", "mul", "div", "rem", "mod", "neg"})
CLEAR_BITWISE = frozenset({"and", "or", "xor", "not", "shl", "shr"})
CLEAR_COMPARE = frozenset({"eq", "ne", "lt", "le", "gt", "ge"})
CLEAR_ONLY = CLEAR_ARITH | CLEAR_BITWISE | CLEAR_COMPARE | {"cast", "cbr"}
# Secret ops computed by each party alone (no network).
SECRET_LOCAL = frozenset({"share", "sadd", "ssub", "sneg", "smulc", "snot"})
SECRET_COMPARE = frozenset({"slt", "sle", "sgt", "sge", "seq", "sne"})
# Secret ops that need communication: each costs at least one round (rounds.py). `select`
# is c·(a−b)+b, one secret multiplication.
SECRET_PROTOCOL = (
    frozenset({"smul", "sfmul", "strunc", "sdivc", "sand", "sor", "sxor", "select", "open"})
    | SECRET_COMPARE
)
SECRET_IO = frozenset({"input", "output", "srandom"})
SECRET_OPS = SECRET_LOCAL | SECRET_PROTOCOL | SECRET_IO
GENERIC = frozenset(
    {"copy", "phi", "call", "builtin", "getfield", "setfield", "getindex", "setindex"}
)
OPCODES = CLEAR_ONLY | SECRET_OPS | GENERIC | TERMINATORS
# Always side-effecting (ordering barriers, never removed); calls depend on their flag.
SIDE_EFFECTING = frozenset({"setfield", "setindex", "input", "output"})
# Not removable even when unused, but free to move within data dependencies: an open can
# fail at run time (value outside the declared width), a random consumes preprocessing.
PINNED = frozenset({"open", "srandom"})
# Builtins that reveal secrets as `open` does (the other reveals, `Share.open`/`reveal` of a
# typed secret, become `open` itself): the only builtins whose clear result may depend on a
# secret argument's value (verify.py).
OPENING_BUILTINS = frozenset(
    {"Share.open", "Share.reveal", "Share.batch_open", "Share.open_field"}
    | {"Share.open_exp", "Share.open_exp_custom"}
)
# Reads of mutable memory: never reordered across side effects, never merged by CSE.
LOADS = frozenset({"getfield", "getindex"})
COMMUTATIVE = frozenset(
    {"add", "mul", "and", "or", "xor", "eq", "ne", "sadd", "smul", "sfmul", "sand", "sor"}
    | {"sxor", "seq", "sne"}
)
# Clear integer ops the VM checks at run time (overflow, division by zero, shift range).
INT_TRAPPING = frozenset({"add", "sub", "mul", "div", "rem", "mod", "neg", "shl", "shr", "cast"})
BINARY = CLEAR_ARITH - {"neg"} | CLEAR_BITWISE - {"not"} | CLEAR_COMPARE | SECRET_COMPARE
BINARY |= {"sadd", "ssub", "smulc", "smul", "sfmul", "strunc", "sdivc", "sand", "sor", "sxor"}
UNARY = frozenset({"neg", "not", "cast", "share", "sneg", "snot", "open", "copy"})
# Fixed operand counts (opcodes not listed take any number); checked by the verifier.
ARITY: dict[str, int] = {op: 2 for op in BINARY} | {op: 1 for op in UNARY}
ARITY |= {"select": 3, "srandom": 0, "input": 2, "output": 2, "br": 0, "cbr": 1}
ARITY |= {"getfield": 2, "setfield": 3, "getindex": 2, "setindex": 3}

# --- instructions, blocks, functions -----------------------------------------------------


def _known_opcode(_inst: Instr, _a: attrs.Attribute[str], op: str) -> None:
    if op not in OPCODES:
        raise ValueError(f"unknown opcode {op!r}")


@attrs.define(eq=False)
class Instr:
    """One instruction. ``labels`` are phi predecessors (parallel to operands) or branch targets."""

    opcode: str = attrs.field(validator=_known_opcode)
    operands: list[Operand] = attrs.Factory(list)
    result: Var | None = None
    labels: list[str] = attrs.Factory(list)
    callee: str | None = None  # call: user function; builtin: builtin name
    effects: bool = False  # call/builtin: has side effects (an ordering barrier)
    batch: int | None = None  # round batch id set by round scheduling
    line: int | None = None  # source line, printed as `; line N`

    @property
    def is_terminator(self) -> bool:
        return self.opcode in TERMINATORS

    @property
    def has_side_effects(self) -> bool:
        if self.opcode in ("call", "builtin"):
            return self.effects
        return self.opcode in SIDE_EFFECTING

    @property
    def removable(self) -> bool:
        """Unused results may be dropped: no effects, no pins, no clear trap to preserve."""
        if self.has_side_effects or self.opcode in PINNED or self.is_terminator:
            return False
        return not self.may_trap

    @property
    def may_trap(self) -> bool:
        # A user function may fail inside (overflow…) even when it has no effects.
        if self.opcode in LOADS or self.opcode in ("sdivc", "call"):
            return True
        if self.opcode == "cast" and self.result is not None:
            return self.result.type.is_int  # to an integer: narrowing or float→int can fail
        if self.opcode in INT_TRAPPING:
            return any(o.type.is_int for o in self.operands)
        return False

    def var_operands(self) -> Iterator[Var]:
        return (o for o in self.operands if isinstance(o, Var))

    def replace_operand(self, old: Operand, new: Operand) -> bool:
        changed = False
        for i, op in enumerate(self.operands):
            if op == old:
                self.operands[i] = new
                changed = True
        return changed


@attrs.define(eq=False)
class Block:
    label: str
    phis: list[Instr] = attrs.Factory(list)
    instrs: list[Instr] = attrs.Factory(list)  # the last one is the terminator

    @property
    def terminator(self) -> Instr | None:
        if self.instrs and self.instrs[-1].is_terminator:
            return self.instrs[-1]
        return None

    @property
    def body(self) -> list[Instr]:
        """Instructions between the phis and the terminator."""
        return self.instrs[:-1] if self.terminator is not None else list(self.instrs)

    def successors(self) -> list[str]:
        term = self.terminator
        if term is None:
            return []
        return list(dict.fromkeys(term.labels))

    def all_instrs(self) -> Iterator[Instr]:
        return itertools.chain(self.phis, self.instrs)


@attrs.define(eq=False)
class Function:
    name: str
    params: list[Var] = attrs.Factory(list)
    ret_type: Type | None = None
    blocks: list[Block] = attrs.Factory(list)  # blocks[0] is the entry
    module: Module | None = attrs.field(default=None, repr=False)
    _counter: int = attrs.field(default=0, repr=False)
    _analyses: AnalysisCache | None = attrs.field(default=None, repr=False)

    @property
    def entry(self) -> Block:
        return self.blocks[0]

    @property
    def analyses(self) -> AnalysisCache:
        from stoffel.compiler.ssa.analysis.cache import AnalysisCache

        if self._analyses is None:
            self._analyses = AnalysisCache(self)
        return self._analyses

    def block(self, label: str) -> Block:
        for b in self.blocks:
            if b.label == label:
                return b
        raise KeyError(label)

    def block_map(self) -> dict[str, Block]:
        return {b.label: b for b in self.blocks}

    def instrs(self) -> Iterator[Instr]:
        for b in self.blocks:
            yield from b.all_instrs()

    def fresh_var(self, ty: Type) -> Var:
        """A new variable ``%tN``. The first call looks past every existing ``tN`` name;
        later ones only count up, so creating many variables stays linear."""
        if self._counter == 0:
            names = [v.name for v in self.params]
            names += [i.result.name for i in self.instrs() if i.result is not None]
            self._counter = max(
                [int(n[1:]) for n in names if n[:1] == "t" and n[1:].isdigit()] + [0]
            )
        self._counter += 1
        return Var(f"t{self._counter}", ty)

    def fresh_label(self, base: str) -> str:
        taken = {b.label for b in self.blocks}
        n = 1
        while f"{base}{n}" in taken:
            n += 1
        return f"{base}{n}"


@attrs.define(eq=False)
class Module:
    functions: list[Function] = attrs.Factory(list)

    def add(self, fn: Function) -> Function:
        fn.module = self
        self.functions.append(fn)
        return fn

    def function(self, name: str) -> Function | None:
        return next((f for f in self.functions if f.name == name), None)
