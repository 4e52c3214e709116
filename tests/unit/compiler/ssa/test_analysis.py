"""Analyses: CFG, dominators, liveness, def-use, and the cache that holds them."""

from __future__ import annotations

from stoffel.compiler.ssa.analysis import CFG, AnalysisCache, DefUse, Dominators, Liveness
from stoffel.compiler.ssa.ir import Var
from stoffel.compiler.ssa.parser import parse_function

# entry -> loop <-> body, loop -> exit; plus an unreachable block
LOOP = """
fn @f(%n:clear.i64) -> clear.i64 {
entry:
  %z:clear.i64 = copy 0:i64
  br loop
loop:
  %i:clear.i64 = phi [%z, entry], [%j, body]
  %c:clear.bool = lt %i, %n
  cbr %c, body, exit
body:
  %j:clear.i64 = add %i, 1:i64
  br loop
exit:
  ret %i
dead:
  br exit
}
"""

# entry -> a | b -> join
DIAMOND = """
fn @f(%c:clear.bool, %x:clear.i64) -> clear.i64 {
entry:
  cbr %c, a, b
a:
  %y:clear.i64 = add %x, 1:i64
  br join
b:
  br join
join:
  %r:clear.i64 = phi [%y, a], [%x, b]
  ret %r
}
"""


def names(vs: set[Var]) -> set[str]:
    return {v.name for v in vs}


def test_cfg() -> None:
    fn = parse_function(LOOP)
    cfg = fn.analyses.request(CFG)
    assert cfg.succs["loop"] == ["body", "exit"]
    assert cfg.preds["loop"] == ["entry", "body"]
    assert cfg.preds["exit"] == ["loop", "dead"]
    assert cfg.rpo[0] == "entry" and set(cfg.rpo) == {"entry", "loop", "body", "exit"}
    assert cfg.reachable == frozenset({"entry", "loop", "body", "exit"})
    assert cfg.back_edges == frozenset({("body", "loop")})


def test_dominators() -> None:
    fn = parse_function(DIAMOND)
    dom = fn.analyses.request(Dominators)
    assert dom.idom == {"entry": None, "a": "entry", "b": "entry", "join": "entry"}
    assert dom.dominates("entry", "join") and dom.dominates("a", "a")
    assert not dom.dominates("a", "join")
    assert dom.frontier["a"] == {"join"} and dom.frontier["b"] == {"join"}
    assert dom.preorder()[0] == "entry"
    loop = parse_function(LOOP).analyses.request(Dominators)
    assert loop.idom["body"] == "loop" and loop.idom["exit"] == "loop"
    assert not loop.dominates("entry", "dead")  # unreachable: dominated by nothing
    assert loop.frontier["body"] == {"loop"}


def test_liveness() -> None:
    fn = parse_function(LOOP)
    live = fn.analyses.request(Liveness)
    assert names(live.live_in["loop"]) == {"n"}  # %i is a phi: defined at the top
    assert names(live.live_out["loop"]) == {"i", "n"}
    assert names(live.live_in["body"]) == {"i", "n"}
    assert names(live.live_out["body"]) == {"j", "n"}  # feeds the phi along the back edge
    assert names(live.live_in["exit"]) == {"i"}
    d = parse_function(DIAMOND).analyses.request(Liveness)
    assert names(d.live_out["a"]) == {"y"} and names(d.live_out["b"]) == {"x"}
    assert names(d.live_in["join"]) == set()


def test_def_use() -> None:
    fn = parse_function(LOOP)
    du = fn.analyses.request(DefUse)
    i = next(v for v in du.defs if v.name == "i")
    assert du.defs[i].opcode == "phi" and du.def_block[i].label == "loop"
    assert sorted(u.opcode for u in du.users(i)) == ["add", "lt", "ret"]
    n = fn.params[0]
    assert n not in du.defs and [u.opcode for u in du.users(n)] == ["lt"]
    j = next(v for v in du.defs if v.name == "j")
    assert du.replace_all_uses(j, i)
    assert fn.block("loop").phis[0].operands == [du.defs[i].operands[0], i]


def test_cache_computes_once_and_invalidates_dependents() -> None:
    fn = parse_function(LOOP)
    cache = fn.analyses
    assert isinstance(cache, AnalysisCache)
    cfg = cache.request(CFG)
    dom = cache.request(Dominators)
    live = cache.request(Liveness)
    du = cache.request(DefUse)
    assert cache.request(CFG) is cfg and cache.request(Dominators) is dom
    cache.invalidate(CFG)  # dominators and liveness are built on the CFG
    assert not cache.is_cached(Dominators) and not cache.is_cached(Liveness)
    assert cache.is_cached(DefUse) and cache.request(DefUse) is du
    assert cache.request(Dominators) is not dom
    assert cache.request(Liveness) is not live
    cache.invalidate_all()
    assert not cache.is_cached(DefUse)
