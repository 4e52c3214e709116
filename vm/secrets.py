"""Secret values and the pending-secret scheduler (DESIGN §4 "Pending secrets").

Operations on shares never block. Local operations on ready shares run at once; everything
else becomes a :class:`Node` in the scheduler's pending list (creation order is a topological
order). :meth:`Scheduler.flush` runs only when a clear value is needed: it repeatedly runs every
ready local node, then submits all ready interactive nodes *grouped by kind* as one batched
backend call each, so independent work from anywhere in the program (also across loop
iterations) shares rounds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stoffel.runtime.backend import (
    COMPARE_BITS,
    FIXED_FRAC_BITS,
    SECRET_BOOL,
    SECRET_FIX64,
    SECRET_INT64,
    BackendError,
    MpcBackend,
    ShareKind,
    ShareType,
    fixed_encode,
    from_field_signed,
)
from stoffel.vm.arith import fault
from stoffel.vm.errors import VMError
from stoffel.vm.format import type_name
from stoffel.vm.values import (
    I8,
    I16,
    I32,
    I64,
    KIND_BY_SUFFIX,
    U64,
    ArrayRef,
    IntV,
    Pending,
    SecretVal,
    unwrap,
)

_SIGNED = {64: I64, 32: I32, 16: I16, 8: I8}
_UNSIGNED = {bits: KIND_BY_SUFFIX[f"u{bits}"] for bits in (8, 16, 32, 64)}


class Node:
    """One deferred operation. ``key`` groups nodes that can share one backend call."""

    __slots__ = ("inputs", "key", "out", "param")

    def __init__(self, key: tuple[Any, ...], inputs: tuple[Any, ...], out: Any, param: Any) -> None:
        self.key = key
        self.inputs = inputs
        self.out = out
        self.param = param


def share_type_of(v: Any) -> ShareType | None:
    t = type(v)
    if t is bool:
        return SECRET_BOOL
    if t is int:
        return SECRET_INT64
    if t is IntV:
        return ShareType(ShareKind.INT if v.kind.signed else ShareKind.UINT, v.kind.bits)
    if t is float:
        return SECRET_FIX64
    return None


def clear_value(field_value: int, ty: ShareType, p: int) -> Any:
    """Decode an opened residue as ``ty`` says; raise if it does not fit the declared width."""
    x = from_field_signed(field_value, p)
    if ty.kind is ShareKind.FIXED:
        return x / (1 << ty.frac)
    if ty.kind is ShareKind.UINT:
        if not 0 <= x < (1 << ty.bits):
            raise VMError(f"Revealed value {x} does not fit in a {ty.bits}-bit unsigned secret")
        kind = _UNSIGNED.get(ty.bits, U64)
        return IntV(x, kind)
    if ty.bits == 1:
        if x not in (0, 1):
            raise VMError(f"Revealed value {x} is not a secret bool (0 or 1)")
        return x == 1
    bits = min(ty.bits, 64)
    if not -(1 << (bits - 1)) <= x < (1 << (bits - 1)):
        raise VMError(f"Revealed value {x} does not fit in a {ty.bits}-bit secret integer")
    kind = _SIGNED.get(ty.bits, I64)
    return x if kind is I64 else IntV(x, kind)


class Scheduler:
    def __init__(self, backend: MpcBackend) -> None:
        self.backend = backend
        self.p = backend.modulus
        self.pending: list[Node] = []
        self.flushes = 0

    # ------------------------------------------------------------------ building values
    def constant(self, v: Any, pc: int) -> Any:
        """Bank conversion on a write into a secret register (sharing a constant is local)."""
        t = type(v)
        if t is SecretVal or v is None:
            return v
        if t is Pending:
            v = v.get()
            t = type(v)
        ty = share_type_of(v)
        if ty is None:
            return v  # handles (arrays, objects, strings, closures) pass through unchanged
        return SecretVal(ty, self.backend.constant(self.encode(v, ty)))

    def encode(self, v: Any, ty: ShareType) -> int:
        if ty.kind is ShareKind.FIXED:
            return fixed_encode(float(unwrap(v) if type(v) is not IntV else v.value), ty.frac)
        if type(v) is IntV:
            return v.value
        if type(v) is float:
            return int(v)
        return int(v)

    def share_as(self, v: Any, ty: ShareType) -> SecretVal:
        return SecretVal(ty, self.backend.constant(self.encode(v, ty)))

    def _local(self, ty: ShareType, fn: Callable[..., bytes], *inputs: SecretVal) -> SecretVal:
        if all(i.data is not None for i in inputs):
            return SecretVal(ty, fn(*(i.data for i in inputs)))
        out = SecretVal(ty, None)
        node = Node(("local",), inputs, out, fn)
        out.node = node
        self.pending.append(node)
        return out

    def _round(self, key: tuple[Any, ...], ty: ShareType | None, inputs: tuple[Any, ...],
               param: Any = None) -> Any:  # fmt: skip
        out: Any = Pending(self) if ty is None else SecretVal(ty, None)
        node = Node(key, inputs, out, param)
        if ty is not None:
            out.node = node
        self.pending.append(node)
        return out

    # ------------------------------------------------------------------ operations
    def reveal(self, s: Any, kind: str = "value") -> Any:
        """Open a share; the clear result is :class:`Pending` until something reads it."""
        if type(s) is not SecretVal:
            return s
        return self._round(("open",), None, (s,), kind)

    def output(self, client: int, s: SecretVal) -> None:
        self._round(("output",), None, (s,), client)
        self.flush()  # DESIGN §4: a client output is a point where work must go out

    def client_input(self, client: int, index: int, ty: ShareType) -> SecretVal:
        return self._round(("input",), ty, (), (client, index))

    def to_fixed(self, s: SecretVal) -> SecretVal:
        if s.ty.is_fixed:
            return s
        scale = 1 << FIXED_FRAC_BITS
        return self._local(SECRET_FIX64, lambda x: self.backend.mul_const(x, scale), s)

    def truncate(self, s: SecretVal, m: int) -> SecretVal:
        return self._round(("trunc", m), s.ty, (s,))

    def arith(self, op: str, a: Any, b: Any, pc: int) -> Any:
        a, b = unwrap(a), unwrap(b)
        sa, sb = type(a) is SecretVal, type(b) is SecretVal
        be = self.backend
        if op in ("ADD", "SUB"):
            if sa and sb:
                if a.ty.is_fixed != b.ty.is_fixed:
                    a, b = self.to_fixed(a), self.to_fixed(b)
                fn = be.add if op == "ADD" else be.sub
                return self._local(a.ty, fn, a, b)
            s, c = (a, b) if sa else (b, a)
            self._check_scalar(op, c, pc)
            if type(c) is float and not s.ty.is_fixed:
                s = self.to_fixed(s)
            k = self.encode(c, s.ty)
            if op == "ADD":
                return self._local(s.ty, lambda x: be.add_const(x, k), s)
            if sa:
                return self._local(s.ty, lambda x: be.add_const(x, -k), s)
            return self._local(s.ty, lambda x: be.add_const(be.neg(x), k), s)
        if op == "MUL":
            if sa and sb:
                if a.ty.is_fixed and b.ty.is_fixed:
                    return self._round(("fixmul", a.ty.frac), a.ty, (a, b))
                ty = a.ty if a.ty.is_fixed or not b.ty.is_fixed else b.ty
                return self._round(("mul",), ty, (a, b))
            s, c = (a, b) if sa else (b, a)
            self._check_scalar(op, c, pc)
            if type(c) is float:
                k = fixed_encode(c)
                r = self._local(SECRET_FIX64 if not s.ty.is_fixed else s.ty,
                                lambda x: be.mul_const(x, k), s)  # fmt: skip
                return self.truncate(r, s.ty.frac) if s.ty.is_fixed else r
            k = self.encode(c, SECRET_INT64)
            return self._local(s.ty, lambda x: be.mul_const(x, k), s)
        if op == "DIV":
            if not sa or sb:
                raise fault("Division by a secret value is not supported", pc)
            self._check_scalar(op, b, pc)
            if float(b.value if type(b) is IntV else b) == 0.0:
                raise fault("Division by zero", pc)
            if a.ty.is_fixed or type(b) is float:
                k = round((1 << FIXED_FRAC_BITS) / float(b.value if type(b) is IntV else b))
                r = self._local(SECRET_FIX64, lambda x: be.mul_const(x, k), a)
                return self.truncate(r, FIXED_FRAC_BITS) if a.ty.is_fixed else r
            return self._round(("divc", a.ty.bits), a.ty, (a,), self.encode(b, SECRET_INT64))
        raise fault(f"{op} on secret values is not supported", pc)

    def _check_scalar(self, op: str, c: Any, pc: int) -> None:
        if share_type_of(c) is None:
            raise fault(
                f"Unsupported operand types for {op} operation: share and {type_name(c)}", pc
            )

    def logic(self, op: str, a: Any, b: Any, pc: int) -> Any:
        """AND/OR/XOR on secret bools (one multiplication each)."""
        a, b = unwrap(a), unwrap(b)
        be = self.backend
        for v in (a, b):
            if type(v) is SecretVal and not v.ty.is_bool:
                raise fault(
                    f"Bitwise {op} is not supported on secret integers (only secret bool)", pc
                )
        if type(a) is not SecretVal:
            a, b = b, a
        if type(b) is not SecretVal:
            if type(b) is not bool:
                raise fault(f"Unsupported operand types for {op} operation", pc)
            if op == "AND":
                return a if b else self.share_as(0, SECRET_BOOL)
            if op == "OR":
                return self.share_as(1, SECRET_BOOL) if b else a
            return self.not_(a, pc) if b else a
        prod = self._round(("mul",), SECRET_BOOL, (a, b))
        if op == "AND":
            return prod
        coef = 1 if op == "OR" else 2
        return self._local(
            SECRET_BOOL, lambda x, y, ab: be.sub(be.add(x, y), be.mul_const(ab, coef)), a, b, prod
        )

    def not_(self, a: SecretVal, pc: int) -> SecretVal:
        if not a.ty.is_bool:
            raise fault("Bitwise NOT is not supported on secret integers (only secret bool)", pc)
        be = self.backend
        return self._local(SECRET_BOOL, lambda x: be.add_const(be.neg(x), 1), a)

    def compare(self, kind: str, a: Any, b: Any) -> SecretVal:
        """Secret comparison builtins: kind in lt, le, gt, ge, eq, ne (result: secret bool)."""
        a, b = self.as_share(a), self.as_share(b)
        if kind in ("gt", "ge"):
            a, b, kind = b, a, "lt" if kind == "gt" else "le"
        bits = min(max(a.ty.bits, b.ty.bits), 64)
        if kind == "ne":
            eq = self._round(("eq", bits), SECRET_BOOL, (a, b))
            return self.not_(eq, 0)
        return self._round((kind, bits), SECRET_BOOL, (a, b))

    def eqz(self, a: Any) -> SecretVal:
        a = self.as_share(a)
        return self._round(("eqz", min(a.ty.bits, 64)), SECRET_BOOL, (a,))

    def select(self, c: Any, a: Any, b: Any) -> SecretVal:
        c, a, b = self.as_share(c), self.as_share(a), self.as_share(b)
        if a.ty.is_fixed != b.ty.is_fixed:
            a, b = self.to_fixed(a), self.to_fixed(b)
        return self._round(("select",), a.ty, (c, a, b))

    def as_share(self, v: Any) -> SecretVal:
        v = unwrap(v)
        if type(v) is SecretVal:
            return v
        ty = share_type_of(v)
        if ty is None:
            raise VMError(f"expected a share or a number, found {type_name(v)}")
        return self.share_as(v, ty)

    # ------------------------------------------------------------------ flushing
    def flush(self) -> None:
        """Run all pending work, one batched backend call per kind per layer."""
        while self.pending:
            groups: dict[tuple[Any, ...], list[Node]] = {}
            waiting: list[Node] = []
            for node in self.pending:
                if not all(i.data is not None for i in node.inputs):
                    waiting.append(node)
                elif node.key[0] == "local":
                    node.out.data = node.param(*(i.data for i in node.inputs))
                    node.out.node = None
                else:
                    groups.setdefault(node.key, []).append(node)
            if not groups and len(waiting) == len(self.pending):
                self.pending = []
                raise VMError("internal error: pending secret work cannot make progress")
            self.pending = waiting
            for key, nodes in groups.items():
                self.flushes += 1
                try:
                    self._run_group(key, nodes)
                except BackendError as exc:
                    self.pending = []
                    raise VMError(f"MPC backend error: {exc}") from None

    def _run_group(self, key: tuple[Any, ...], nodes: list[Node]) -> None:
        be = self.backend
        kind = key[0]
        ins = [[n.inputs[j].data for n in nodes] for j in range(len(nodes[0].inputs))]
        results: list[Any]
        if kind == "open":
            for n, v in zip(nodes, be.open(ins[0]), strict=True):
                self._deliver_open(n, v)
            return
        if kind == "output":
            be.output_to_client([n.param for n in nodes], ins[0])
            for n in nodes:
                n.out.ready, n.out.value = True, True
            return
        if kind == "mul":
            results = be.mul(ins[0], ins[1])
        elif kind == "fixmul":
            results = be.fixed_mul(ins[0], ins[1], key[1])
        elif kind == "lt":
            results = be.lt(ins[0], ins[1], key[1])
        elif kind == "le":
            results = be.le(ins[0], ins[1], key[1])
        elif kind == "eq":
            results = be.eq(ins[0], ins[1], key[1])
        elif kind == "eqz":
            results = be.eqz(ins[0], key[1])
        elif kind == "select":
            results = be.select(ins[0], ins[1], ins[2])
        elif kind == "trunc":
            results = be.truncate(ins[0], key[1], COMPARE_BITS - 1)
        elif kind == "divc":
            results = be.div_const(ins[0], [n.param for n in nodes], key[1])
        elif kind == "input":
            results = be.client_input([n.param for n in nodes])
        else:  # pragma: no cover - keys are created only above
            raise VMError(f"internal error: unknown secret operation {kind}")
        for n, r in zip(nodes, results, strict=True):
            n.out.data = r
            n.out.node = None

    def _deliver_open(self, node: Node, value: int) -> None:
        out: Pending = node.out
        share: SecretVal = node.inputs[0]
        out.ready = True
        try:
            if node.param == "field":
                out.value = ArrayRef(
                    [IntV(b, _UNSIGNED[8]) for b in self.backend.field_to_bytes(value)]
                )
            elif node.param == "fixed":
                out.value = from_field_signed(value, self.p) / (1 << FIXED_FRAC_BITS)
            else:
                out.value = clear_value(value, share.ty, self.p)
        except VMError as exc:
            out.error = exc
