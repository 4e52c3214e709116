"""Type and secrecy checking (spec §3, DESIGN.md §3). Entry point: ``check_program``.

One walk per module in import order (``checker.Checker``), split by concern:

* ``context``      – shared state: scopes, diagnostics, dispatch, the secret-branch region
* ``declarations`` – imports into scope, hoisted types and functions, entry rules
* ``statements``   – declarations, assignments, control flow, loops, returns
* ``expressions``  – names, fields, enums, indexing, collections
* ``literals``     – untyped literal adaptation and range checks
* ``operators``    – arithmetic, comparisons, logic, shifts, ``in``
* ``calls`` / ``binding`` – callee resolution (UFCS), arguments, generics, constructors
* ``flows``        – initialiser/assignment/argument/return conversions
* ``secrecy``      – what a secret branch may not do; effect facts per function
* ``instantiate``  – generic bodies checked again per secret instantiation (scratch
                     checker; only its diagnostics are kept)
* ``returns``      – return-path analysis; ``typeexpr``/``signatures`` – written types
* ``builtins``     – the stdlib declarations (``stoffel.stdlib``) as a builtin scope

The output structures are documented in ``facts``; name resolution lives in
``stoffel.compiler.resolve.symbols``.
"""

from stoffel.compiler.check.checker import check_program
from stoffel.compiler.check.facts import CallInfo, CallKind, CheckedProgram, FunctionInfo

__all__ = ["CallInfo", "CallKind", "CheckedProgram", "FunctionInfo", "check_program"]
