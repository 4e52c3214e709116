"""Type and secrecy checking (spec §3, DESIGN.md §3). Entry point: ``check_program``.

The output structures are documented in ``facts.py``; name resolution in
``stoffel.compiler.resolve.symbols``.
"""

from stoffel.compiler.check.checker import check_program
from stoffel.compiler.check.facts import CallInfo, CallKind, CheckedProgram, FunctionInfo

__all__ = ["CallInfo", "CallKind", "CheckedProgram", "FunctionInfo", "check_program"]
