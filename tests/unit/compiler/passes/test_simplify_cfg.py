"""CFG simplification: constant branches, unreachable blocks, forwarding, merging."""

from __future__ import annotations

from stoffel.compiler.passes import SimplifyCFG


def test_constant_branch_folds_and_merges(check_pass) -> None:
    pre = """
    fn @main(%x:clear.i64) -> clear.i64 {
    entry:
      cbr false:bool, then, else
    then:
      %0:clear.i64 = add %x, 1:i64
      br join
    else:
      %1:clear.i64 = add %x, 2:i64
      br join
    join:
      %2:clear.i64 = phi [%0, then], [%1, else]
      ret %2
    }
    """
    post = """
    fn @main(%x:clear.i64) -> clear.i64 {
    entry:
      %1:clear.i64 = add %x, 2:i64
      ret %1
    }
    """
    check_pass([SimplifyCFG], pre, post, args=[1])


def test_unreachable_block_drops_phi_incoming(check_pass) -> None:
    pre = """
    fn @main(%c:clear.bool) -> clear.i64 {
    entry:
      cbr %c, a, b
    a:
      br join
    b:
      br join
    dead:
      br join
    join:
      %0:clear.i64 = phi [1:i64, a], [2:i64, b], [3:i64, dead]
      ret %0
    }
    """
    post = """
    fn @main(%c:clear.bool) -> clear.i64 {
    entry:
      cbr %c, join, b
    b:
      br join
    join:
      %0:clear.i64 = phi [1:i64, entry], [2:i64, b]
      ret %0
    }
    """
    check_pass([SimplifyCFG], pre, post, args=[False])


def test_same_targets_become_br(check_pass) -> None:
    pre = """
    fn @main(%c:clear.bool) -> clear.i64 {
    entry:
      cbr %c, next, next
    next:
      %0:clear.i64 = phi [4:i64, entry]
      ret %0
    }
    """
    post = """
    fn @main(%c:clear.bool) -> clear.i64 {
    entry:
      ret 4:i64
    }
    """
    check_pass([SimplifyCFG], pre, post, args=[True])


def test_loops_are_kept(check_pass) -> None:
    pre = """
    fn @main(%n:clear.i64) -> clear.i64 {
    entry:
      br loop
    loop:
      %i:clear.i64 = phi [0:i64, entry], [%j, loop]
      %j:clear.i64 = add %i, 1:i64
      %c:clear.bool = lt %j, %n
      cbr %c, loop, done
    done:
      ret %j
    }
    """
    check_pass([SimplifyCFG], pre, None, args=[5])
