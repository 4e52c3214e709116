"""StoffelLang standard library declarations (``std/*.stfl``), loaded by the checker.

Files are located with ``importlib.resources`` so they work from an installed wheel.
"""

from __future__ import annotations

from importlib import resources

STDLIB_FILES = ("core.stfl", "mpc.stfl", "crypto.stfl", "protocols.stfl")


def stdlib_sources() -> list[tuple[str, str]]:
    """(display path, text) of every stdlib file, in load order."""
    root = resources.files(__name__).joinpath("std")
    return [
        (f"<stdlib>/std/{name}", root.joinpath(name).read_text("utf-8")) for name in STDLIB_FILES
    ]
