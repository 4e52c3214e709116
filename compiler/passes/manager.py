"""PassManager: validate the pipeline's order, run it to a fixpoint (with a cap, as Puya's
MAX_PASSES), optionally verify the IR after every single pass (tests always do).

Under pytest (``PYTEST_CURRENT_TEST``, inherited by CLI subprocesses too) or with
``STOFFEL_VERIFY_IR=1`` every manager verifies the input and the IR after each pass, so
every compilation a test makes checks the IR invariants without each call site asking;
``STOFFEL_VERIFY_IR=0`` turns that off again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from stoffel.compiler.passes.base import Pass
from stoffel.compiler.ssa.ir import Function, Module
from stoffel.compiler.ssa.printer import print_function
from stoffel.compiler.ssa.verify import VerifyError, verify_function

MAX_ITERATIONS = 50

PipelineEntry = type[Pass] | Pass
DumpHook = Callable[[int, Pass, Function], None]


class PassOrderError(Exception):
    """A pipeline breaks a pass's ordering constraint."""


class PassVerifyError(Exception):
    """The IR was valid before a pass and invalid after it: a bug in that pass."""


def verify_requested() -> bool:
    """Whether the environment asks every pass manager to verify after each pass."""
    flag = os.environ.get("STOFFEL_VERIFY_IR")
    if flag is not None:
        return flag not in ("", "0")
    return "PYTEST_CURRENT_TEST" in os.environ


def _instantiate(entry: PipelineEntry) -> Pass:
    return entry() if isinstance(entry, type) else entry


def validate_pass_order(pipeline: Sequence[PipelineEntry]) -> None:
    classes = [e if isinstance(e, type) else type(e) for e in pipeline]
    for i, cls in enumerate(classes):
        before = classes[:i]
        for req in cls.required_predecessors:
            if req not in before:
                raise PassOrderError(f"{cls.__name__} needs {req.__name__} earlier in the pipeline")
        for dep in cls.must_follow:
            if dep in classes[i + 1 :]:
                raise PassOrderError(f"{cls.__name__} must come after {dep.__name__}")
        if cls.must_be_last and i != len(classes) - 1:
            raise PassOrderError(f"{cls.__name__} must be the last pass")


class PassManager:
    def __init__(
        self,
        pipeline: Sequence[PipelineEntry],
        *,
        verify_each: bool = False,
        max_iterations: int = MAX_ITERATIONS,
        dump_after: DumpHook | None = None,
    ) -> None:
        validate_pass_order(pipeline)
        self.passes = [_instantiate(e) for e in pipeline]
        self.verify_each = verify_each or verify_requested()
        self.max_iterations = max_iterations
        self.dump_after = dump_after
        self.iterations: dict[str, int] = {}
        self.hit_cap: list[str] = []

    def run(self, module: Module) -> bool:
        changed = False
        for fn in module.functions:
            changed |= self.run_function(fn)
        return changed

    def run_function(self, fn: Function) -> bool:
        """Repeat the pipeline until no pass changes anything, or the cap is hit (then the
        IR is still valid, just possibly not fully optimised; ``hit_cap`` records it)."""
        if self.verify_each:
            verify_function(fn)
        any_change = False
        step = 0
        for iteration in range(1, self.max_iterations + 1):
            self.iterations[fn.name] = iteration
            changed = False
            for p in self.passes:
                if p.run(fn):
                    changed = True
                    step += 1
                    if self.dump_after is not None:
                        self.dump_after(step, p, fn)
                    if self.verify_each:
                        self._verify(p, fn)
            any_change |= changed
            if not changed:
                return any_change
        self.hit_cap.append(fn.name)
        return any_change

    @staticmethod
    def _verify(p: Pass, fn: Function) -> None:
        try:
            verify_function(fn)
        except VerifyError as e:
            raise PassVerifyError(f"IR invalid after {type(p).__name__}: {e}") from e


class DumpToDirectory:
    """A ``dump_after`` hook writing ``<fn>/NNN.<pass>.ir`` after every change (Puya's
    numbered IR files), for ``--dump-after``; ``000.ssa.ir`` is the input."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def initial(self, module: Module) -> None:
        for fn in module.functions:
            self._write(fn, "000.ssa.ir")

    def __call__(self, step: int, p: Pass, fn: Function) -> None:
        self._write(fn, f"{step:03d}.{p.name}.ir")

    def _write(self, fn: Function, filename: str) -> None:
        target = self.directory / fn.name
        target.mkdir(parents=True, exist_ok=True)
        (target / filename).write_text(print_function(fn))
