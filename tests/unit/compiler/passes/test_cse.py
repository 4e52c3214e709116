"""CSE/GVN over the dominator tree, secret multiplications included."""

from __future__ import annotations

from stoffel.compiler.passes import CSE


def test_same_block_and_commutative(check_pass) -> None:
    pre = """
    fn @main(%a:secret.i64, %b:secret.i64, %x:clear.i64) -> clear.i64 {
    entry:
      %0:secret.i64 = smul %a, %b
      %1:secret.i64 = smul %b, %a
      %2:secret.i64 = sadd %0, %1
      %3:clear.i64 = add %x, 1:i64
      %4:clear.i64 = add %x, 1:i64
      %5:clear.i64 = open %2
      %6:clear.i64 = add %5, %4
      %7:clear.i64 = add %6, %3
      ret %7
    }
    """
    post = """
    fn @main(%a:secret.i64, %b:secret.i64, %x:clear.i64) -> clear.i64 {
    entry:
      %0:secret.i64 = smul %a, %b
      %2:secret.i64 = sadd %0, %0
      %3:clear.i64 = add %x, 1:i64
      %5:clear.i64 = open %2
      %6:clear.i64 = add %5, %3
      %7:clear.i64 = add %6, %3
      ret %7
    }
    """
    check_pass([CSE], pre, post, args=[2, 3, 4])


def test_dominating_block_only(check_pass) -> None:
    pre = """
    fn @main(%c:clear.bool, %x:clear.i64) -> clear.i64 {
    entry:
      %0:clear.i64 = mul %x, 3:i64
      cbr %c, a, b
    a:
      %1:clear.i64 = mul %x, 3:i64
      %2:clear.i64 = sub %x, 1:i64
      br join
    b:
      %3:clear.i64 = sub %x, 1:i64
      br join
    join:
      %4:clear.i64 = phi [%1, a], [%3, b]
      %5:clear.i64 = sub %x, 1:i64
      %6:clear.i64 = add %4, %5
      %7:clear.i64 = add %6, %0
      ret %7
    }
    """
    post = pre.replace("      %1:clear.i64 = mul %x, 3:i64\n", "").replace("[%1, a]", "[%0, a]")
    check_pass([CSE], pre, post, args=[True, 5])


def test_never_merges_opens_loads_calls_or_randomness(check_pass) -> None:
    pre = """
    fn @main(%s:secret.i64, %xs:clear.list) -> clear.i64 {
    entry:
      %0:clear.i64 = open %s
      %1:clear.i64 = open %s
      %2:clear.i64 = getindex %xs, 0:i64
      setindex %xs, 0:i64, %1
      %3:clear.i64 = getindex %xs, 0:i64
      %4:clear.list = builtin @list()
      %5:clear.list = builtin @list()
      %6:secret.bool = srandom
      %7:secret.bool = srandom
      %8:clear.i64 = add %0, %2
      %9:clear.i64 = add %8, %3
      ret %9
    }
    """
    check_pass([CSE], pre, None)


def test_equal_phis_of_one_block_merge(check_pass) -> None:
    pre = """
    fn @main(%c:clear.bool, %x:clear.i64) -> clear.i64 {
    entry:
      cbr %c, a, join
    a:
      %0:clear.i64 = add %x, 1:i64
      br join
    join:
      %1:clear.i64 = phi [%0, a], [%x, entry]
      %2:clear.i64 = phi [%x, entry], [%0, a]
      %3:clear.i64 = phi [%x, entry], [%x, a]
      %4:clear.i64 = add %1, %2
      %5:clear.i64 = add %4, %3
      ret %5
    }
    """
    post = """
    fn @main(%c:clear.bool, %x:clear.i64) -> clear.i64 {
    entry:
      cbr %c, a, join
    a:
      %0:clear.i64 = add %x, 1:i64
      br join
    join:
      %1:clear.i64 = phi [%0, a], [%x, entry]
      %3:clear.i64 = phi [%x, entry], [%x, a]
      %4:clear.i64 = add %1, %1
      %5:clear.i64 = add %4, %3
      ret %5
    }
    """
    check_pass([CSE], pre, post, args=[True, 2])
