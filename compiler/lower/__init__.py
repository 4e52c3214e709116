"""Typed AST → SSA IR (DESIGN §2 item 4). Entry point: :func:`lower_program`.

Modules, one concern each: ``types`` (type mapping), ``ssa_builder`` (SSA construction),
``context`` (shared state and coercions), ``operators``, ``expressions``, ``calls``,
``collections``, ``statements``, ``oblivious`` (secret if → select), ``program``.
"""

from stoffel.compiler.lower.context import LoweringError
from stoffel.compiler.lower.program import Lowered, lower_program

__all__ = ["Lowered", "LoweringError", "lower_program"]
