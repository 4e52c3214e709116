"""Pre/post IR checking for pass tests (Vyper's PrePostChecker): parse the pre text, run
the passes with verification after each, compare with the post text printed canonically,
and, when arguments are given, check that the reference interpreter agrees before/after."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from stoffel.compiler.passes import PassManager
from stoffel.compiler.passes.base import Pass
from stoffel.compiler.ssa.interp import run
from stoffel.compiler.ssa.parser import parse_module
from stoffel.compiler.ssa.printer import print_module
from stoffel.compiler.ssa.verify import verify_module

Checker = Callable[..., str]


def run_passes(passes: Sequence[type[Pass] | Pass], text: str) -> str:
    module = parse_module(text)
    verify_module(module)
    PassManager(passes, verify_each=True).run(module)
    return print_module(module)


def canonical(text: str) -> str:
    return print_module(parse_module(text))


@pytest.fixture
def check_pass() -> Checker:
    def check(
        passes: Sequence[type[Pass] | Pass],
        pre: str,
        post: str | None = None,
        *,
        args: list[Any] | None = None,
        entry: str = "main",
    ) -> str:
        module = parse_module(pre)
        verify_module(module)
        before = run(module, entry, args) if args is not None else None
        PassManager(passes, verify_each=True).run(module)
        out = print_module(module)
        # `post=None` means "unchanged"
        assert out == canonical(post if post is not None else pre)
        if before is not None:
            assert run(parse_module(out), entry, args) == before
        return out

    return check
