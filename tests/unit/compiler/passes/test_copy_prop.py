"""Copy propagation: same-type copies and trivial phis disappear."""

from __future__ import annotations

from stoffel.compiler.passes import CopyProp


def test_chain_of_copies(check_pass) -> None:
    pre = """
    fn @main(%a:secret.i64) -> secret.i64 {
    entry:
      %0:secret.i64 = copy %a
      %1:secret.i64 = copy %0
      %2:secret.i64 = smul %1, %0
      ret %2
    }
    """
    post = """
    fn @main(%a:secret.i64) -> secret.i64 {
    entry:
      %2:secret.i64 = smul %a, %a
      ret %2
    }
    """
    check_pass([CopyProp], pre, post, args=[3])


def test_type_changing_copy_is_kept(check_pass) -> None:
    pre = """
    fn @main(%s:share) -> secret.i64 {
    entry:
      %0:secret.i64 = copy %s
      ret %0
    }
    """
    check_pass([CopyProp], pre, None)


def test_trivial_loop_phi(check_pass) -> None:
    pre = """
    fn @main(%a:clear.i64, %n:clear.i64) -> clear.i64 {
    entry:
      br loop
    loop:
      %0:clear.i64 = phi [%a, entry], [%0, body]
      %i:clear.i64 = phi [0:i64, entry], [%j, body]
      %c:clear.bool = lt %i, %n
      cbr %c, body, done
    body:
      %j:clear.i64 = add %i, 1:i64
      br loop
    done:
      ret %0
    }
    """
    post = pre.replace("      %0:clear.i64 = phi [%a, entry], [%0, body]\n", "").replace(
        "ret %0", "ret %a"
    )
    check_pass([CopyProp], pre, post, args=[4, 3])
