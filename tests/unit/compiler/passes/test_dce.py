"""Dead-code elimination keeps effects, opens, client I/O, randomness and traps."""

from __future__ import annotations

from stoffel.compiler.passes import DCE


def test_removes_unused_pure_work_transitively(check_pass) -> None:
    pre = """
    fn @main(%a:clear.f64, %s:secret.i64) -> clear.nil {
    entry:
      %0:clear.f64 = mul %a, %a
      %1:clear.bool = lt %0, 1.0:f64
      %2:secret.i64 = smul %s, %s
      %3:secret.bool = slt %2, %s
      %4:clear.list = builtin @list()
      ret
    }
    """
    post = """
    fn @main(%a:clear.f64, %s:secret.i64) -> clear.nil {
    entry:
      ret
    }
    """
    check_pass([DCE], pre, post, args=[2.0, 3])


def test_keeps_everything_observable(check_pass) -> None:
    pre = """
    fn @main(%s:secret.i64, %xs:clear.list, %o:clear.obj, %i:clear.i64) -> clear.nil {
    entry:
      %0:clear.i64 = open %s
      %1:secret.i64 = input 0:i64, 0:i64
      %2:clear.bool = output 0:i64, %s
      %3:secret.bool = srandom
      %4:clear.nil = builtin @print(%s) !effects
      %5:clear.i64 = call @f(%i) !effects
      setindex %xs, 0:i64, %i
      setfield %o, "x":string, %i
      %6:clear.i64 = add %i, %i
      %7:clear.i64 = getindex %xs, 5:i64
      %8:clear.u8 = cast %i
      ret
    }

    fn @f(%x:clear.i64) -> clear.i64 {
    entry:
      ret %x
    }
    """
    check_pass([DCE], pre, None)


def test_dead_loop_phi_cycle(check_pass) -> None:
    pre = """
    fn @main(%n:clear.i64) -> clear.nil {
    entry:
      br loop
    loop:
      %i:clear.i64 = phi [0:i64, entry], [%j, loop]
      %f:clear.f64 = phi [0.0:f64, entry], [%g, loop]
      %g:clear.f64 = add %f, 1.0:f64
      %j:clear.i64 = add %i, 1:i64
      %c:clear.bool = lt %j, %n
      cbr %c, loop, done
    done:
      ret
    }
    """
    post = """
    fn @main(%n:clear.i64) -> clear.nil {
    entry:
      br loop
    loop:
      %i:clear.i64 = phi [0:i64, entry], [%j, loop]
      %j:clear.i64 = add %i, 1:i64
      %c:clear.bool = lt %j, %n
      cbr %c, loop, done
    done:
      ret
    }
    """
    check_pass([DCE], pre, post, args=[5])
