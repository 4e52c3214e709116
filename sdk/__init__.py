"""Stoffel for Python: compile and run StoffelLang MPC programs.

    import stoffel
    program = stoffel.compile("auction.stfl")
    result = program.run(client_inputs={0: [120], 1: [345], 2: [230]}, backend="local")
    print(result.result, result.stats)

The names below are loaded on first use, so importing a sub-package (``stoffel.compiler``,
``stoffel.lsp``) does not pay for the whole toolchain.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["CompileError", "Program", "RunError", "RunResult", "compile", "load"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("stoffel.api"), name)
    raise AttributeError(f"module 'stoffel' has no attribute {name!r}")
