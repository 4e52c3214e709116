"""Inlining of small non-recursive functions (-O3)."""

from __future__ import annotations

from stoffel.compiler.passes import CopyProp, Inline, SimplifyCFG
from stoffel.compiler.passes.inline import MAX_INLINE_SIZE

CALLEE = """
fn @sq(%x:secret.i64) -> secret.i64 {
entry:
  %0:secret.i64 = smul %x, %x
  ret %0
}
"""


def test_single_return_inlines_straight(check_pass) -> None:
    pre = (
        """
    fn @main(%a:secret.i64) -> clear.i64 {
    entry:
      %0:secret.i64 = call @sq(%a)
      %1:clear.i64 = open %0
      ret %1
    }
    """
        + CALLEE
    )
    post = (
        """
    fn @main(%a:secret.i64) -> clear.i64 {
    entry:
      %t1:secret.i64 = smul %a, %a
      %1:clear.i64 = open %t1
      ret %1
    }
    """
        + CALLEE
    )
    check_pass([Inline, SimplifyCFG], pre, post, args=[7])


def test_multiple_returns_meet_in_a_phi(check_pass) -> None:
    pre = """
    fn @main(%a:clear.i64) -> clear.i64 {
    entry:
      %0:clear.i64 = call @abs(%a)
      %1:clear.i64 = call @abs(%0)
      %2:clear.i64 = add %0, %1
      ret %2
    }

    fn @abs(%x:clear.i64) -> clear.i64 {
    entry:
      %c:clear.bool = lt %x, 0:i64
      cbr %c, neg, pos
    neg:
      %n:clear.i64 = neg %x
      ret %n
    pos:
      ret %x
    }
    """
    out = check_pass([Inline], pre, _inlined_abs(), args=[-3])
    assert "call @abs" not in out.split("fn @abs")[0]


def _inlined_abs() -> str:
    return """
    fn @main(%a:clear.i64) -> clear.i64 {
    entry:
      br abs.1.entry
    abs.1.entry:
      %t1:clear.bool = lt %a, 0:i64
      cbr %t1, abs.1.neg, abs.1.pos
    abs.1.neg:
      %t2:clear.i64 = neg %a
      br entry.cont1
    abs.1.pos:
      br entry.cont1
    entry.cont1:
      %0:clear.i64 = phi [%t2, abs.1.neg], [%a, abs.1.pos]
      br abs.2.entry
    abs.2.entry:
      %t3:clear.bool = lt %0, 0:i64
      cbr %t3, abs.2.neg, abs.2.pos
    abs.2.neg:
      %t4:clear.i64 = neg %0
      br entry.cont1.cont1
    abs.2.pos:
      br entry.cont1.cont1
    entry.cont1.cont1:
      %1:clear.i64 = phi [%t4, abs.2.neg], [%0, abs.2.pos]
      %2:clear.i64 = add %0, %1
      ret %2
    }

    fn @abs(%x:clear.i64) -> clear.i64 {
    entry:
      %c:clear.bool = lt %x, 0:i64
      cbr %c, neg, pos
    neg:
      %n:clear.i64 = neg %x
      ret %n
    pos:
      ret %x
    }
    """


def test_recursive_and_large_functions_are_not_inlined(check_pass) -> None:
    body = "\n".join(f"  %v{i}:clear.i64 = add %x, {i}:i64" for i in range(MAX_INLINE_SIZE + 1))
    pre = f"""
    fn @main(%a:clear.i64) -> clear.i64 {{
    entry:
      %0:clear.i64 = call @rec(%a) !effects
      %1:clear.i64 = call @big(%0)
      ret %1
    }}

    fn @rec(%x:clear.i64) -> clear.i64 {{
    entry:
      %c:clear.bool = le %x, 0:i64
      cbr %c, done, again
    again:
      %y:clear.i64 = sub %x, 1:i64
      %r:clear.i64 = call @rec(%y) !effects
      ret %r
    done:
      builtin @print(%x) !effects
      ret %x
    }}

    fn @big(%x:clear.i64) -> clear.i64 {{
    entry:
    {body}
      ret %x
    }}
    """
    check_pass([Inline], pre, None, args=[3])


def test_successor_phis_follow_the_split_block(check_pass) -> None:
    pre = (
        """
    fn @main(%a:secret.i64, %c:clear.bool) -> secret.i64 {
    entry:
      cbr %c, left, join
    left:
      %0:secret.i64 = call @sq(%a)
      br join
    join:
      %1:secret.i64 = phi [%a, entry], [%0, left]
      ret %1
    }
    """
        + CALLEE
    )
    out = check_pass([Inline, CopyProp, SimplifyCFG], pre, _split_post(), args=[5, True])
    assert "phi [%0, entry], [%2, left]" in out


def _split_post() -> str:
    return (
        """
    fn @main(%a:secret.i64, %c:clear.bool) -> secret.i64 {
    entry:
      cbr %c, left, join
    left:
      %t1:secret.i64 = smul %a, %a
      br join
    join:
      %1:secret.i64 = phi [%a, entry], [%t1, left]
      ret %1
    }
    """
        + CALLEE
    )


def test_callee_returning_nothing_gives_nil(check_pass) -> None:
    pre = """
    fn @main(%a:clear.i64) -> clear.nil {
    entry:
      %0:clear.nil = call @say(%a) !effects
      ret %0
    }

    fn @say(%x:clear.i64) -> clear.nil {
    entry:
      builtin @print(%x) !effects
      ret
    }
    """
    post = """
    fn @main(%a:clear.i64) -> clear.nil {
    entry:
      builtin @print(%a) !effects
      ret nil:nil
    }

    fn @say(%x:clear.i64) -> clear.nil {
    entry:
      builtin @print(%x) !effects
      ret
    }
    """
    check_pass([Inline, SimplifyCFG], pre, post, args=[9])
