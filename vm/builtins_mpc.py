"""MPC builtins (``Share.*``, ``ClientStore.*``, ``MpcOutput.*``, ``Mpc.*``, ``Field.*``).

Everything interactive goes through the VM's :class:`~stoffel.vm.secrets.Scheduler`, so it is
lazy and batched. Beyond upstream, the comparison and selection protocol ops the compiler lowers
secret ``< <= > >= == !=`` and secret ``if`` to are builtins here: ``Share.lt/le/gt/ge/eq/ne
(a, b)``, ``Share.eqz(a)``, ``Share.select(c, a, b)`` (results are secret bools / shares).
Names the checker accepts but we cannot run yet (AVSS, RBC, curve crypto) raise a clear
"not supported yet" error (DESIGN §3).
"""

from __future__ import annotations

from typing import Any

from stoffel.runtime.backend import (
    CAPABILITY_NAMES,
    FIXED_FRAC_BITS,
    FIXED_TOTAL_BITS,
    SECRET_BOOL,
    SECRET_FIX64,
    SECRET_INT64,
    BackendError,
    ShareKind,
    ShareType,
    from_field_signed,
)
from stoffel.runtime.field import sqrt_mod
from stoffel.vm.errors import VMError
from stoffel.vm.format import type_name
from stoffel.vm.registry import BUILTINS, builtin, int_arg
from stoffel.vm.values import I64, U8, U64, ArrayRef, IntV, SecretVal, unwrap


def _share(v: Any, fn: str) -> SecretVal:
    v = unwrap(v)
    if type(v) is not SecretVal:
        raise VMError(f"{fn}: expected a share, found {type_name(v)}")
    return v


_int = int_arg


def _n(args: list[Any], fn: str, n: int) -> None:
    if len(args) != n:
        raise VMError(f"{fn} expects {n} argument(s), got {len(args)}")


# ------------------------------------------------------------------------------ constructors
@builtin("Share.from_clear")
def from_clear(vm: Any, args: list[Any]) -> Any:
    _n(args, "Share.from_clear", 1)
    return vm.sched.as_share(args[0])


@builtin("Share.from_clear_int")
def from_clear_int(vm: Any, args: list[Any]) -> SecretVal:
    _n(args, "Share.from_clear_int", 2)
    bits = _int(args[1], "Share.from_clear_int")
    v = unwrap(args[0])
    value = int(v) if type(v) is bool else _int(v, "Share.from_clear_int")
    return vm.sched.share_as(value, SECRET_BOOL if bits == 1 else ShareType(ShareKind.INT, bits))


@builtin("Share.from_clear_uint")
def from_clear_uint(vm: Any, args: list[Any]) -> SecretVal:
    _n(args, "Share.from_clear_uint", 2)
    bits = _int(args[1], "Share.from_clear_uint")
    return vm.sched.share_as(
        _int(args[0], "Share.from_clear_uint"), ShareType(ShareKind.UINT, bits)
    )


@builtin("Share.from_clear_fixed")
def from_clear_fixed(vm: Any, args: list[Any]) -> SecretVal:
    if len(args) not in (1, 3):
        raise VMError(f"Share.from_clear_fixed expects 1 or 3 argument(s), got {len(args)}")
    total = _int(args[1], "Share.from_clear_fixed") if len(args) == 3 else FIXED_TOTAL_BITS
    frac = _int(args[2], "Share.from_clear_fixed") if len(args) == 3 else FIXED_FRAC_BITS
    if total <= 0 or not 0 <= frac < total:
        raise VMError(f"Share.from_clear_fixed: invalid precision k={total}, f={frac}")
    v = unwrap(args[0])
    x = float(v.value if type(v) is IntV else v)
    return vm.sched.share_as(x, ShareType(ShareKind.FIXED, total, frac))


# ------------------------------------------------------------------------------ arithmetic
def _binary(op: str) -> Any:
    def fn(vm: Any, args: list[Any]) -> Any:
        _n(args, f"Share.{op.lower()}", 2)
        return vm.sched.arith(op, args[0], args[1], -1)

    return fn


BUILTINS["Share.add"] = BUILTINS["Share.add_scalar"] = _binary("ADD")
BUILTINS["Share.sub"] = _binary("SUB")
BUILTINS["Share.mul"] = BUILTINS["Share.mul_scalar"] = _binary("MUL")


@builtin("Share.neg")
def neg(vm: Any, args: list[Any]) -> Any:
    _n(args, "Share.neg", 1)
    return vm.sched.arith("SUB", 0, _share(args[0], "Share.neg"), -1)


@builtin("Share.batch_mul")
def batch_mul(vm: Any, args: list[Any]) -> ArrayRef:
    _n(args, "Share.batch_mul", 2)
    xs, ys = unwrap(args[0]), unwrap(args[1])
    if type(xs) is not ArrayRef or type(ys) is not ArrayRef or len(xs.items) != len(ys.items):
        raise VMError("Share.batch_mul expects two arrays of the same length")
    return ArrayRef(
        [vm.sched.arith("MUL", a, b, -1) for a, b in zip(xs.items, ys.items, strict=True)]
    )


def _cmp(kind: str) -> Any:
    def fn(vm: Any, args: list[Any]) -> SecretVal:
        _n(args, f"Share.{kind}", 2)
        return vm.sched.compare(kind, args[0], args[1])

    return fn


for _kind in ("lt", "le", "gt", "ge", "eq", "ne"):
    BUILTINS[f"Share.{_kind}"] = _cmp(_kind)


@builtin("Share.eqz")
def eqz(vm: Any, args: list[Any]) -> SecretVal:
    _n(args, "Share.eqz", 1)
    return vm.sched.eqz(args[0])


@builtin("Share.select")
def select(vm: Any, args: list[Any]) -> SecretVal:
    _n(args, "Share.select", 3)
    return vm.sched.select(args[0], args[1], args[2])


@builtin("Share.retag")
def retag(vm: Any, args: list[Any]) -> SecretVal:
    _n(args, "Share.retag", 2)
    s, bits = _share(args[0], "Share.retag"), _int(args[1], "Share.retag")
    ty = SECRET_BOOL if bits == 1 else ShareType(ShareKind.INT, bits)
    if s.data is None:  # still pending: alias the node's result once it lands
        return _alias(vm, s, ty)
    return SecretVal(ty, s.data)


def _alias(vm: Any, s: SecretVal, ty: ShareType) -> SecretVal:
    return vm.sched._local(ty, lambda x: x, s)


# ------------------------------------------------------------------------------ opening
@builtin("Share.open", "reveal", "Share.reveal")
def open_(vm: Any, args: list[Any]) -> Any:
    _n(args, "Share.open", 1)
    return vm.sched.reveal(unwrap(args[0]))


@builtin("Share.open_fixed")
def open_fixed(vm: Any, args: list[Any]) -> Any:
    _n(args, "Share.open_fixed", 1)
    return vm.sched.reveal(_share(args[0], "Share.open_fixed"), "fixed")


@builtin("Share.open_field")
def open_field(vm: Any, args: list[Any]) -> Any:
    _n(args, "Share.open_field", 1)
    return vm.sched.reveal(_share(args[0], "Share.open_field"), "field")


def _batch_open(kind: str) -> Any:
    def fn(vm: Any, args: list[Any]) -> ArrayRef:
        _n(args, "Share.batch_open", 1)
        xs = unwrap(args[0])
        if type(xs) is not ArrayRef:
            raise VMError("Share.batch_open expects an array of shares")
        return ArrayRef([vm.sched.reveal(unwrap(x), kind) for x in xs.items])

    return fn


BUILTINS["Share.batch_open"] = _batch_open("value")
BUILTINS["Share.batch_open_fixed"] = _batch_open("fixed")


# ------------------------------------------------------------------------------ randomness, misc
#: ``Share.random(kind)`` targets: IR kind → (share type, bits, offset). A random secret of a
#: declared integer type is uniform in that type's range, so it reveals without overflow.
_RANDOM_KINDS: dict[str, tuple[ShareType, int, int]] = {
    "bool": (SECRET_BOOL, 1, 0),
    **{f"i{b}": (ShareType(ShareKind.INT, b), b, -(1 << (b - 1))) for b in (8, 16, 32, 64)},
    **{f"u{b}": (ShareType(ShareKind.UINT, b), b, 0) for b in (8, 16, 32, 64)},
}


@builtin("Share.random")
def random(vm: Any, args: list[Any]) -> SecretVal:
    """``Share.random([kind])``: uniform in the range of ``kind`` (default ``i64``, upstream's
    call has no argument; the compiler passes the IR kind of any other declared type).

    Built from ``bits`` random bits (Σ b_i·2^i + offset, local work), which every backend
    provides: a random *share* is a full field element and would not reveal as an int64."""
    if len(args) > 1:
        raise VMError(f"Share.random expects 0 to 1 argument(s), got {len(args)}")
    kind = unwrap(args[0]) if args else "i64"
    if kind not in _RANDOM_KINDS:
        raise VMError(f"Share.random: no random secret of type '{kind}'")
    ty, bits, offset = _RANDOM_KINDS[kind]
    be = vm.backend
    acc = be.constant(offset)
    for i, b in enumerate(be.random_bits(bits)):
        acc = be.add(acc, be.mul_const(b, 1 << i))
    return SecretVal(ty, acc)


@builtin("Share.random_field")
def random_field(vm: Any, args: list[Any]) -> SecretVal:
    """A uniformly random field element (one random share), as upstream's ``random_field``."""
    _n(args, "Share.random_field", 0)
    return SecretVal(SECRET_INT64, vm.backend.random(1)[0])


@builtin("Share.random_int")
def random_int(vm: Any, args: list[Any]) -> SecretVal:
    _n(args, "Share.random_int", 1)
    bits = _int(args[0], "Share.random_int")
    if not 1 <= bits <= 64:
        raise VMError(f"Share.random_int: bit length {bits} must be in 1..64")
    be = vm.backend
    acc = be.constant(0)
    for i, b in enumerate(be.random_bits(bits)):
        acc = be.add(acc, be.mul_const(b, 1 << i))
    return SecretVal(ShareType(ShareKind.UINT, bits), acc)


@builtin("Share.get_type")
def get_type(vm: Any, args: list[Any]) -> str:
    _n(args, "Share.get_type", 1)
    return _share(args[0], "Share.get_type").ty.describe()


@builtin("Share.get_party_id")
def get_party_id(vm: Any, args: list[Any]) -> int:
    return vm.backend.party_id


@builtin("Share.send_to_client")
def share_send(vm: Any, args: list[Any]) -> bool:
    _n(args, "Share.send_to_client", 2)
    vm.sched.output(_int(args[1], "Share.send_to_client"), _share(args[0], "send_to_client"))
    return True


@builtin("MpcOutput.send_to_client")
def output_send(vm: Any, args: list[Any]) -> bool:
    _n(args, "MpcOutput.send_to_client", 2)
    vm.sched.output(_int(args[0], "MpcOutput.send_to_client"), vm.sched.as_share(args[1]))
    return True


# ------------------------------------------------------------------------------ client store
def _take(ty: ShareType | None) -> Any:
    def fn(vm: Any, args: list[Any]) -> SecretVal:
        _n(args, "ClientStore.take_share", 2)
        client, index = _int(args[0], "take_share"), _int(args[1], "take_share")
        return vm.sched.client_input(client, index, ty or vm.client_input_type(client, index))

    return fn


BUILTINS["ClientStore.take_share"] = _take(None)
BUILTINS["ClientStore.take_share_fixed"] = _take(SECRET_FIX64)
BUILTINS["ClientStore.take_share_bool"] = _take(SECRET_BOOL)


@builtin("ClientStore.get_number_clients")
def n_clients(vm: Any, args: list[Any]) -> int:
    return vm.backend.client_counts()[0]


@builtin("ClientStore.get_number_input_clients")
def n_input_clients(vm: Any, args: list[Any]) -> int:
    return vm.backend.client_counts()[1]


@builtin("ClientStore.get_number_output_clients")
def n_output_clients(vm: Any, args: list[Any]) -> int:
    return vm.backend.client_counts()[2]


# ------------------------------------------------------------------------------ Mpc.*
_MPC_ATTRS = {
    "Mpc.party_id": "party_id",
    "Mpc.n_parties": "n_parties",
    "Mpc.threshold": "threshold",
    "Mpc.protocol_name": "protocol_name",
    "Mpc.curve": "curve",
    "Mpc.field": "field_name",
}
for _name, _attr in _MPC_ATTRS.items():
    BUILTINS[_name] = lambda vm, args, _a=_attr: getattr(vm.backend, _a)


@builtin("Mpc.instance_id")
def instance_id(vm: Any, args: list[Any]) -> IntV:
    return IntV(vm.backend.instance_id, U64)


@builtin("Mpc.is_ready")
def is_ready(vm: Any, args: list[Any]) -> bool:
    return bool(vm.backend.is_ready())


@builtin("Mpc.capabilities")
def capabilities(vm: Any, args: list[Any]) -> ArrayRef:
    caps = vm.backend.capabilities
    return ArrayRef([name for flag, name in CAPABILITY_NAMES.items() if flag in caps])


@builtin("Mpc.has_capability")
def has_capability(vm: Any, args: list[Any]) -> bool:
    _n(args, "Mpc.has_capability", 1)
    caps = vm.backend.capabilities
    return any(name == unwrap(args[0]) and flag in caps for flag, name in CAPABILITY_NAMES.items())


@builtin("Mpc.rand")
def mpc_rand(vm: Any, args: list[Any]) -> ArrayRef:
    return ArrayRef([IntV(b, U8) for b in vm.rng.randbytes(32)])


@builtin("Mpc.rand_int")
def mpc_rand_int(vm: Any, args: list[Any]) -> IntV:
    _n(args, "Mpc.rand_int", 1)
    bits = _int(args[0], "Mpc.rand_int")
    if not 1 <= bits <= 64:
        raise VMError(f"Mpc.rand_int: bit length {bits} must be in 1..64")
    return IntV(vm.rng.getrandbits(bits), U64)


# ------------------------------------------------------------------------------ Field.*
def _fbytes(vm: Any, v: Any, fn: str) -> int:
    v = unwrap(v)
    if type(v) is not ArrayRef:
        raise VMError(f"{fn}: expected field bytes, found {type_name(v)}")
    raw = bytes(_int(x, fn) & 0xFF for x in v.items)
    return vm.backend.field_from_bytes(raw)


def _tobytes(vm: Any, x: int) -> ArrayRef:
    return ArrayRef([IntV(b, U8) for b in vm.backend.field_to_bytes(x % vm.backend.modulus)])


@builtin("Field.from_int")
def field_from_int(vm: Any, args: list[Any]) -> ArrayRef:
    _n(args, "Field.from_int", 1)
    return _tobytes(vm, _int(args[0], "Field.from_int"))


BUILTINS["Field.zero"] = lambda vm, args: _tobytes(vm, 0)
BUILTINS["Field.one"] = lambda vm, args: _tobytes(vm, 1)


def _field2(name: str, op: Any) -> None:
    def fn(vm: Any, args: list[Any]) -> Any:
        _n(args, f"Field.{name}", 2)
        return op(vm, _fbytes(vm, args[0], name), _fbytes(vm, args[1], name))

    BUILTINS[f"Field.{name}"] = fn


_field2("add", lambda vm, a, b: _tobytes(vm, a + b))
_field2("sub", lambda vm, a, b: _tobytes(vm, a - b))
_field2("mul", lambda vm, a, b: _tobytes(vm, a * b))
_field2("eq", lambda vm, a, b: a == b)


@builtin("Field.neg")
def field_neg(vm: Any, args: list[Any]) -> ArrayRef:
    _n(args, "Field.neg", 1)
    return _tobytes(vm, -_fbytes(vm, args[0], "Field.neg"))


@builtin("Field.is_zero")
def field_is_zero(vm: Any, args: list[Any]) -> bool:
    _n(args, "Field.is_zero", 1)
    return _fbytes(vm, args[0], "Field.is_zero") == 0


@builtin("Field.inverse")
def field_inverse(vm: Any, args: list[Any]) -> ArrayRef:
    _n(args, "Field.inverse", 1)
    x = _fbytes(vm, args[0], "Field.inverse")
    if x == 0:
        raise VMError("Field.inverse: zero has no inverse")
    return _tobytes(vm, pow(x, -1, vm.backend.modulus))


@builtin("Field.sqrt")
def field_sqrt(vm: Any, args: list[Any]) -> ArrayRef:
    _n(args, "Field.sqrt", 1)
    root = sqrt_mod(_fbytes(vm, args[0], "Field.sqrt"), vm.backend.modulus)
    if root is None:
        raise VMError("Field.sqrt: the value is not a square in the field")
    return _tobytes(vm, root)


def _share_field_op(name: str, local: str) -> None:
    """``Share.<name>(s, field_bytes)``: a local op of the share with a public field element."""

    def fn(vm: Any, args: list[Any]) -> SecretVal:
        _n(args, f"Share.{name}", 2)
        s = _share(args[0], f"Share.{name}")
        k = _fbytes(vm, args[1], f"Share.{name}")
        op = getattr(vm.backend, local)
        return vm.sched._local(s.ty, lambda x: op(x, k), s)

    BUILTINS[f"Share.{name}"] = fn


_share_field_op("mul_field", "mul_const")
_share_field_op("add_field", "add_const")


@builtin("Share.interpolate_local")
def interpolate_local(vm: Any, args: list[Any]) -> IntV:
    """Reconstruct a value from one share per party, held locally (party order)."""
    _n(args, "Share.interpolate_local", 1)
    items = unwrap(args[0])
    if type(items) is not ArrayRef:
        raise VMError(
            f"Share.interpolate_local: expected a list of shares, found {type_name(items)}"
        )
    shares = [_share(x, "Share.interpolate_local") for x in items.items]
    vm.sched.flush()
    try:
        value = vm.backend.interpolate_local([s.data for s in shares])
    except BackendError as e:
        raise VMError(f"Share.interpolate_local: {e}") from None
    return IntV(from_field_signed(value, vm.backend.modulus), I64)


def _unsupported(name: str) -> Any:
    def fn(vm: Any, args: list[Any]) -> Any:
        raise VMError(f"{name} is not supported yet")

    return fn


for _name in (
    "Share.open_exp", "Share.open_exp_custom", "Share.get_commitment", "Share.commitment_count",
    "Share.has_commitments", "Rbc.broadcast", "Rbc.receive", "Rbc.receive_any",
    "Avss.get_commitment",
    "Avss.get_key_name", "Avss.commitment_count", "Avss.is_avss_share", "Crypto.sha256",
    "Crypto.sha512", "Crypto.hash_to_field", "Crypto.hash_to_g1", "Crypto.point_to_sec1",
    "Crypto.point_x_to_field", "Crypto.field_inv", "Crypto.field_to_scalar_bytes",
    "Bytes.concat", "Bytes.from_string",
):  # fmt: skip
    BUILTINS[_name] = _unsupported(_name)
