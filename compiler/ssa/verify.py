"""IR invariants, checked apart from the passes (Vyper's check_venom): structure, SSA
dominance, phi arity, operand types and secrecy.

Secrecy is an IR invariant (STYLE §8.2): a secret operand never reaches a clear-only
operation, and only ``open`` and the opening builtins declared in ``ir.OPENING_BUILTINS``
turn a secret into a clear value. Calls are opaque here
(the callee is verified on its own); builtins that only describe a share (its type name,
its party id) may return clear values about secret arguments.
"""

from __future__ import annotations

from stoffel.compiler.ssa.analysis.cfg import CFG
from stoffel.compiler.ssa.analysis.dominators import Dominators
from stoffel.compiler.ssa.ir import (
    ARITY,
    CLEAR_ARITH,
    CLEAR_COMPARE,
    CLEAR_ONLY,
    OPENING_BUILTINS,
    SECRET_COMPARE,
    Block,
    Function,
    Instr,
    Module,
    Type,
    Var,
)
from stoffel.compiler.ssa.printer import print_instr

# Builtins whose clear result describes a share without revealing its value.
METADATA_BUILTINS = frozenset(
    {"type", "Share.get_type", "Share.get_party_id", "Share.has_commitments"}
    | {"Share.commitment_count", "to_string"}
)
# Opcodes that may appear without a result.
NO_RESULT_OK = frozenset({"br", "cbr", "ret", "setfield", "setindex", "output", "call", "builtin"})


class VerifyError(Exception):
    """Base of all IR invariant violations; the message names the function and instruction."""


class NotTerminatedError(VerifyError): ...


class MisplacedTerminatorError(VerifyError): ...


class UnknownLabelError(VerifyError): ...


class PhiArityError(VerifyError): ...


class UndefinedVarError(VerifyError): ...


class DuplicateDefError(VerifyError): ...


class NotDominatedError(VerifyError): ...


class ArityError(VerifyError): ...


class TypeMismatchError(VerifyError): ...


class SecretOperandError(VerifyError):
    """A secret value reaches an operation that only works on clear values."""


class DeclassifyError(VerifyError):
    """A secret value turns into a clear one by some operation other than ``open``."""


class UnknownCalleeError(VerifyError): ...


def compatible(have: Type, want: Type) -> bool:
    """Equal; both secret with one the opaque ``share`` handle (language §3.3); or one side
    the dynamic ``any`` (generic parameters and results, opaque handles: the VM is dynamically
    typed and the checker proved the instantiation). ``any`` is no way around secrecy: no
    clear-only op accepts an ``any`` operand, and a generic call that passes a secret into an
    ``any`` parameter may not claim a clear concrete result (``_call_problem``)."""
    if have == want:
        return True
    if Type("any") in (have, want):
        return True
    return have.secret and want.secret and "share" in (have.kind, want.kind)


def _call_problem(inst: Instr, callee: Function) -> str | None:
    ts = [o.type for o in inst.operands]
    params = [p.type for p in callee.params]
    rt = inst.result.type if inst.result is not None else None
    if len(ts) != len(params) or not all(map(compatible, ts, params)):
        return f"arguments do not match @{callee.name}'s parameters"
    if rt is not None and (callee.ret_type is None or not compatible(callee.ret_type, rt)):
        return f"result does not match @{callee.name}'s return type"
    return None


#: Clear kinds that are handles: a container may hold secrets without revealing them.
HANDLE_KINDS = frozenset({"list", "dict", "obj", "any", "fn", "nil"})


def _secret_into_any(inst: Instr, fn: Function) -> bool:
    """A call that passes a secret into an ``any`` parameter of a generic function."""
    callee = fn.module.function(inst.callee or "") if fn.module is not None else None
    if callee is None:
        return False
    return any(
        o.type.secret and p.type == Type("any")
        for o, p in zip(inst.operands, callee.params, strict=False)
    )


def _generic_declassifies(inst: Instr, fn: Function, tainted: set[Var]) -> bool:
    """A generic function handing a secret back as a clear scalar: a call that passed a
    secret into an ``any`` parameter and whose result is clear and no handle, or the
    ``copy``/``phi`` that narrows such a call's ``any`` result to a clear scalar."""
    res = inst.result
    if res is None or res.type.secret or res.type.kind in HANDLE_KINDS:
        return False
    if inst.opcode == "call":
        return _secret_into_any(inst, fn)
    return inst.opcode in ("copy", "phi") and any(o in tainted for o in inst.operands)


def _same_kind(a: Type, b: Type) -> bool:
    return a.as_secret().kind == b.as_secret().kind or "share" in (a.kind, b.kind)


def _type_problem(inst: Instr, fn: Function) -> str | None:
    """The first type rule ``inst`` breaks, or None. Secrecy is checked separately."""
    op, res = inst.opcode, inst.result
    ts = [o.type for o in inst.operands]
    rt = res.type if res is not None else None
    if op == "add" and rt == Type("string"):
        # String + String is the VM's ADD on strings (concatenation, length-capped).
        if any(t != rt for t in ts):
            return "string concatenation takes two strings"
    elif op in CLEAR_ARITH or op in ("and", "or", "xor", "not"):
        if any(t != rt for t in ts):
            return "operands and result must have one type"
        assert rt is not None
        if op in CLEAR_ARITH and not rt.is_numeric:
            return "arithmetic needs numeric operands"
        if op not in CLEAR_ARITH and not (rt.is_int or rt.kind == "bool"):
            return "bitwise operations need bool or integer operands"
    elif op in ("shl", "shr"):
        if not all(t.is_int for t in ts) or ts[0] != rt:
            return "shifts take integers and keep the left operand's type"
    elif op in CLEAR_COMPARE:
        if rt != Type("bool"):
            return "a comparison produces clear.bool"
        if any(t.kind in ("share", "fix64") for t in ts):
            return "a clear comparison takes clear operands"
    elif op == "cast":
        ok_in = ts[0].is_numeric or ts[0].kind == "bool"
        if rt is None or not ok_in or not (rt.is_numeric or rt.kind == "bool"):
            return "cast converts between clear numbers and bools"
    elif op in SECRET_COMPARE:
        if rt != Type("bool", secret=True) or not any(t.secret for t in ts):
            return "a secret comparison takes a secret operand and produces secret.bool"
    elif op in ("copy", "phi"):
        if any(not compatible(t, rt) for t in ts if rt is not None):
            return "operands must have the result type"
    elif op == "share":
        if rt is None or not rt.secret or not _same_kind(ts[0].as_secret(), rt):
            return "share turns a clear value into a secret of the same kind"
    elif op == "open":
        if rt is None or rt.secret or (ts[0].kind != "share" and ts[0].as_clear() != rt):
            return "open turns a secret into the clear value of the same kind"
    elif op in ("sadd", "ssub", "smulc", "smul", "sfmul", "sneg", "snot", "select"):
        if rt is None or not rt.secret:
            return "secret arithmetic produces a secret"
        if not all(_same_kind(t, rt) for t in (ts[1:] if op == "select" else ts)):
            return "secret arithmetic needs operands of the result's kind"
        if op in ("sadd", "ssub", "sneg", "snot") and not any(t.secret for t in ts):
            return f"{op} needs a secret operand (clear arithmetic is `{op[1:]}`)"
        if op == "smulc" and sum(t.secret for t in ts) != 1:
            return "smulc multiplies one secret by one clear value"
        if op in ("smul", "sfmul") and not all(t.secret for t in ts):
            return f"{op} multiplies two secrets (use smulc for a clear factor)"
        if op == "select" and not (ts[0].secret and ts[0].kind in ("bool", "share")):
            return "select needs a secret.bool condition"
    elif op in ("sand", "sor", "sxor"):
        if rt != Type("bool", secret=True) or any(t.kind not in ("bool", "share") for t in ts):
            return f"{op} works on secret bools only"
        if not any(t.secret for t in ts):
            return f"{op} needs a secret operand"
    elif op in ("strunc", "sdivc"):
        if rt is None or not rt.secret or not ts[0].secret or ts[1].secret:
            return f"{op} takes a secret and a clear operand"
    elif op in ("srandom", "input"):
        if rt is None or not rt.secret:
            return f"{op} produces a secret"
        if op == "input" and not all(t.is_int and not t.secret for t in ts):
            return "input takes a clear client id and input index"
    elif op == "output":
        if ts[0].secret or not ts[0].is_int or not ts[1].secret:
            return "output sends a secret to a clear client id"
    elif op in ("getindex", "setindex"):
        if ts[0] not in (Type("list"), Type("dict"), Type("string"), Type("any")):
            return "indexing needs a list, dict or string"
        if ts[0].kind != "dict" and (not ts[1].is_int or ts[1].secret):
            return "a list index must be a clear integer"
    elif op in ("getfield", "setfield"):
        if ts[0] not in (Type("obj"), Type("dict"), Type("any")) or ts[1] != Type("string"):
            return "field access needs an object and a field name"
    elif op == "cbr":
        if ts[0] != Type("bool"):
            return "cbr needs a clear.bool condition"
    elif op == "ret":
        want = fn.ret_type
        if (want is None or want.kind == "nil") and not ts:
            return None
        if len(ts) != 1 or want is None or not compatible(ts[0], want):
            return f"ret must return {want}"
    elif op == "call" and fn.module is not None:
        callee = fn.module.function(inst.callee or "")
        if callee is None:
            raise UnknownCalleeError(f"@{fn.name}: call to unknown function @{inst.callee}")
        return _call_problem(inst, callee)
    return None


def _secrecy_problem(inst: Instr, fn: Function, tainted: set[Var]) -> VerifyError | None:
    if _generic_declassifies(inst, fn, tainted):
        return DeclassifyError(
            f"@{fn.name}: {print_instr(inst, fn)}: a generic call hands a secret back as a "
            "clear value"
        )
    secret_in = [o for o in inst.operands if o.type.secret]
    if not secret_in:
        return None
    where = f"@{fn.name}: {print_instr(inst, fn)}"
    if inst.opcode in CLEAR_ONLY:
        return SecretOperandError(f"{where}: secret operand to clear-only `{inst.opcode}`")
    if inst.opcode in ("getindex", "setindex") and inst.operands[1].type.secret:
        return SecretOperandError(f"{where}: cannot index with a secret value")
    if inst.opcode == "ret" and fn.ret_type is not None and not fn.ret_type.secret:
        return DeclassifyError(f"{where}: returns a secret from a clear function")
    res = inst.result
    # `output` returns a clear acknowledgement, not the value it sent.
    if res is None or res.type.secret or inst.opcode in ("open", "call", "output"):
        return None
    if inst.opcode == "builtin" and (res.type.kind == "nil" or inst.callee in METADATA_BUILTINS):
        return None
    if inst.opcode == "builtin" and inst.callee in OPENING_BUILTINS:
        return None  # declared openings (batch_open, open_field…): `open` as a builtin
    return DeclassifyError(f"{where}: turns a secret into a clear value (only open may)")


def _check_structure(fn: Function, labels: set[str]) -> None:
    if not fn.blocks:
        raise NotTerminatedError(f"@{fn.name} has no blocks")
    if len(labels) != len(fn.blocks):
        raise DuplicateDefError(f"@{fn.name}: a block label is used twice")
    for b in fn.blocks:
        if b.terminator is None:
            raise NotTerminatedError(f"@{fn.name}: block {b.label} has no terminator")
        for inst in b.instrs[:-1]:
            if inst.is_terminator:
                raise MisplacedTerminatorError(f"@{fn.name}: {b.label}: terminator mid-block")
        for inst in b.all_instrs():
            if (inst.opcode == "phi") != (inst in b.phis):
                raise MisplacedTerminatorError(f"@{fn.name}: {b.label}: phi outside the phi list")
            for lab in inst.labels:
                if lab not in labels:
                    raise UnknownLabelError(f"@{fn.name}: {b.label} refers to missing {lab}")


def _tainted(fn: Function) -> set[Var]:
    """``any`` results of calls that passed a secret into an ``any`` parameter."""
    return {
        i.result
        for i in fn.instrs()
        if i.opcode == "call" and i.result is not None and i.result.type == Type("any")
        and _secret_into_any(i, fn)
    }  # fmt: skip


def _check_ops(fn: Function) -> None:
    cfg = fn.analyses.request(CFG)
    tainted = _tainted(fn)
    for b in fn.blocks:
        for inst in b.all_instrs():
            where = f"@{fn.name}: {print_instr(inst, fn)}"
            want = ARITY.get(inst.opcode)
            if inst.opcode == "ret":
                want = len(inst.operands) if len(inst.operands) <= 1 else 1
            if want is not None and len(inst.operands) != want:
                raise ArityError(f"{where}: `{inst.opcode}` takes {want} operands")
            if len(inst.labels) != {"br": 1, "cbr": 2}.get(inst.opcode, len(inst.labels)):
                raise ArityError(f"{where}: wrong number of branch targets")
            if inst.opcode == "phi":
                if sorted(inst.labels) != sorted(cfg.preds[b.label]):
                    raise PhiArityError(
                        f"{where}: incoming {sorted(inst.labels)} but preds "
                        f"{sorted(cfg.preds[b.label])}"
                    )
            elif inst.labels and inst.opcode not in ("br", "cbr"):
                raise ArityError(f"{where}: only branches and phis take labels")
            if inst.result is None and inst.opcode not in NO_RESULT_OK:
                raise ArityError(f"{where}: `{inst.opcode}` must define a value")
            if inst.result is not None and inst.is_terminator:
                raise ArityError(f"{where}: a terminator defines no value")
            # Secrecy first: a secret where a clear value belongs is the more telling error.
            secrecy = _secrecy_problem(inst, fn, tainted)
            if secrecy is not None:
                raise secrecy
            problem = _type_problem(inst, fn)
            if problem is not None:
                raise TypeMismatchError(f"{where}: {problem}")


def _check_ssa(fn: Function) -> None:
    dom = fn.analyses.request(Dominators)
    def_site: dict[Var, tuple[Block | None, int]] = {p: (None, -1) for p in fn.params}
    for b in fn.blocks:
        for i, inst in enumerate(b.all_instrs()):
            if inst.result is None:
                continue
            if inst.result in def_site or inst.result.name in {v.name for v in fn.params}:
                raise DuplicateDefError(f"@{fn.name}: %{inst.result.name} is defined twice")
            def_site[inst.result] = (b, i)
    names = {v.name for v in def_site}
    for b in fn.blocks:
        if b.label not in dom.idom:
            continue  # unreachable code is never run; simplify_cfg removes it
        for i, inst in enumerate(b.all_instrs()):
            for k, v in enumerate(inst.operands):
                if not isinstance(v, Var):
                    continue
                if v not in def_site:
                    kind = "has the wrong type" if v.name in names else "is not defined"
                    raise UndefinedVarError(f"@{fn.name}: %{v.name} {kind} in {b.label}")
                dblock, di = def_site[v]
                if dblock is None:
                    continue
                if inst.opcode == "phi":
                    pred = inst.labels[k]
                    ok = pred not in dom.idom or dom.dominates(dblock.label, pred)
                elif dblock is b:
                    ok = di < i
                else:
                    ok = dom.dominates(dblock.label, b.label)
                if not ok:
                    raise NotDominatedError(
                        f"@{fn.name}: use of %{v.name} in {b.label} is not dominated by its def"
                    )


def verify_function(fn: Function) -> None:
    """Raise the first VerifyError found in ``fn``."""
    fn.analyses.invalidate_all()  # the verifier must see the IR as it is now
    _check_structure(fn, {b.label for b in fn.blocks})
    _check_ssa(fn)
    _check_ops(fn)


def verify_module(module: Module) -> None:
    names = [fn.name for fn in module.functions]
    if len(set(names)) != len(names):
        raise DuplicateDefError(f"a function is defined twice in {sorted(names)}")
    for fn in module.functions:
        verify_function(fn)
