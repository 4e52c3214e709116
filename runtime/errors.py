"""Errors raised by the protocol layer.

All derive from :class:`stoffel.runtime.backend.BackendError` so the VM reports them as run-time
errors at the instruction that needed the result, never as a hang or a traceback.
"""

from __future__ import annotations

from stoffel.runtime.backend import BackendError


class MpcError(BackendError):
    """Base class of protocol-layer failures."""


class ParameterError(MpcError):
    """Invalid parties/threshold/field parameters (a usage error for the CLI)."""


class ProtocolTimeout(MpcError):
    """A party waited longer than its timeout for a message (silent peer or op mismatch)."""


class ProtocolMismatch(MpcError):
    """Two parties disagree on the operation sequence (same op id, different kind/session)."""


class ReconstructionError(MpcError):
    """Shares do not lie on one polynomial of the expected degree and cannot be corrected."""


class PartyAborted(MpcError):
    """Another party failed; this party's wait was cut short instead of timing out."""
