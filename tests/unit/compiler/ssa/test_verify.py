"""The verifier accepts valid IR and rejects each kind of broken IR with its own error."""

from __future__ import annotations

import pytest

from stoffel.compiler.ssa import verify as v
from stoffel.compiler.ssa.ir import Instr
from stoffel.compiler.ssa.parser import parse_module
from stoffel.compiler.ssa.verify import verify_module


def fn(body: str, sig: str = "(%a:clear.i64, %s:secret.i64, %b:secret.bool)") -> str:
    return f"fn @f{sig} -> clear.i64 {{\nentry:\n{body}\n}}\n"


def test_valid_program_passes() -> None:
    verify_module(
        parse_module(
            fn(
                "  %0:secret.i64 = sadd %s, %a\n"
                "  %1:secret.i64 = smulc %0, %a\n"
                "  %2:secret.bool = seq %1, %s\n"
                "  %3:secret.i64 = select %2, %1, %s\n"
                "  %4:clear.i64 = open %3\n"
                "  %5:clear.string = builtin @type(%3)\n"
                "  builtin @print(%3) !effects\n"
                "  %6:clear.bool = output 0:i64, %3\n"
                "  ret %4"
            )
        )
    )


FAIL_LIST = [
    # structure
    (fn("  %0:clear.i64 = add %a, 1:i64"), v.NotTerminatedError),
    (fn("  ret %a\n  %0:clear.i64 = add %a, 1:i64\n  ret %0"), v.MisplacedTerminatorError),
    (fn("  br nowhere"), v.UnknownLabelError),
    (
        fn("  br next\nnext:\n  %0:clear.i64 = phi [%a, entry], [%a, next]\n  ret %0"),
        v.PhiArityError,
    ),
    (fn("  %0:clear.i64 = add %a\n  ret %0"), v.ArityError),
    (fn("  %0:clear.i64 = cbr true:bool, x, x\nx:\n  ret %a"), v.ArityError),
    (fn("  add %a, %a\n  ret %a"), v.ArityError),
    # SSA
    (fn("  br x\ny:\n  %0:clear.i64 = add %a, 1:i64\n  br x\nx:\n  ret %0"), v.NotDominatedError),
    (
        fn("  %0:clear.i64 = add %1, 1:i64\n  %1:clear.i64 = add %a, 1:i64\n  ret %0"),
        v.NotDominatedError,
    ),
    # types
    (fn("  %0:clear.i32 = add %a, 1:i64\n  ret %a"), v.TypeMismatchError),
    (fn("  %0:clear.i64 = lt %a, 1:i64\n  ret %a"), v.TypeMismatchError),
    (fn('  %0:clear.string = add "x":string, 1:i64\n  ret %a'), v.TypeMismatchError),
    (fn('  %0:clear.string = sub "x":string, "y":string\n  ret %a'), v.TypeMismatchError),
    (fn("  cbr %a, x, x\nx:\n  ret %a"), v.TypeMismatchError),
    (fn("  ret 1.0:f64"), v.TypeMismatchError),
    (fn("  %0:secret.i64 = smul %s, %a\n  ret %a"), v.TypeMismatchError),
    (fn("  %0:secret.i64 = smulc %s, %s\n  ret %a"), v.TypeMismatchError),
    (fn("  %0:secret.bool = sand %s, %s\n  ret %a"), v.TypeMismatchError),
    (fn("  %0:secret.bool = sand true:bool, false:bool\n  ret %a"), v.TypeMismatchError),
    (fn("  %0:secret.i64 = sadd %a, 1:i64\n  ret %a"), v.TypeMismatchError),
    (fn("  %0:clear.bool = open %s\n  ret %a"), v.TypeMismatchError),
    (fn("  %0:secret.i64 = select %a, %s, %s\n  ret %a"), v.TypeMismatchError),
    (fn("  %0:clear.i64 = getindex %a, 1:i64\n  ret %a"), v.TypeMismatchError),
    (fn("  %0:clear.i64 = getindex %a, %s\n  ret %a"), v.SecretOperandError),
    (fn('  %0:clear.i64 = getfield %a, "x":string\n  ret %a'), v.TypeMismatchError),
    (fn("  %0:clear.i64 = call @g(%a)\n  ret %0"), v.TypeMismatchError),
    (fn("  %0:clear.i64 = call @nope(%a)\n  ret %0"), v.UnknownCalleeError),
    # secrecy: secret operands to clear-only operations
    (fn("  %0:clear.i64 = add %s, %a\n  ret %0"), v.SecretOperandError),
    (fn("  %0:clear.bool = lt %s, %a\n  ret %a"), v.SecretOperandError),
    (fn("  %0:clear.i64 = shl %s, 1:i64\n  ret %a"), v.SecretOperandError),
    (fn("  cbr %b, x, x\nx:\n  ret %a"), v.SecretOperandError),
    (fn("  %0:clear.f64 = cast %s\n  ret %a"), v.SecretOperandError),
    # secrecy: declassification other than open
    (fn("  %0:clear.i64 = copy %s\n  ret %0"), v.DeclassifyError),
    (fn("  %0:clear.i64 = call @g(%b)\n  ret %0"), v.TypeMismatchError),
    (fn("  %0:clear.i64 = builtin @len(%s)\n  ret %0"), v.DeclassifyError),
    (fn("  ret %s"), v.DeclassifyError),
    (fn('  %0:clear.i64 = getfield %s, "x":string\n  ret %0'), v.DeclassifyError),
]


@pytest.mark.parametrize(("text", "error"), FAIL_LIST)
def test_rejections(text: str, error: type[v.VerifyError]) -> None:
    module = parse_module(text + "fn @g(%x:clear.bool) -> clear.i64 {\nentry:\n  ret 0:i64\n}\n")
    with pytest.raises(error):
        verify_module(module)


def test_phi_not_in_phi_list_and_duplicate_defs() -> None:
    module = parse_module(fn("  %0:clear.i64 = add %a, 1:i64\n  ret %0"))
    f = module.functions[0]
    f.entry.instrs.insert(0, Instr("phi", [f.params[0]], f.params[0], ["entry"]))
    with pytest.raises(v.MisplacedTerminatorError, match="phi"):
        verify_module(module)
    f.entry.instrs.pop(0)
    f.entry.instrs.insert(0, Instr("copy", [f.params[0]], f.params[0]))
    with pytest.raises(v.DuplicateDefError):
        verify_module(module)


def test_unreachable_blocks_are_not_checked_for_dominance() -> None:
    verify_module(parse_module(fn("  ret %a\ndead:\n  %0:clear.i64 = add %0, 1:i64\n  ret %0")))


def test_a_use_typed_differently_from_its_def_is_undefined() -> None:
    module = parse_module(fn("  %0:clear.i64 = add %a, 1:i64\n  ret %0"))
    f = module.functions[0]
    ret = f.entry.instrs[-1]
    ret.operands = [f.params[1].__class__("0", f.params[1].type)]  # %0 but secret-typed
    with pytest.raises(v.UndefinedVarError, match="wrong type"):
        verify_module(module)


def test_duplicate_function_names() -> None:
    text = "fn @g() {\nentry:\n  ret\n}\n"
    with pytest.raises(v.DuplicateDefError, match="defined twice"):
        verify_module(parse_module(text + text))
