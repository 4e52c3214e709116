"""Execution backends (DESIGN §5): ``clear`` (reference) here; ``local``/``tcp`` elsewhere."""

from __future__ import annotations

from stoffel.runtime.backend import MpcBackend


def create_backend(name: str, **options: object) -> MpcBackend:
    """Build a backend by name; ``clear`` lives here, others are looked up lazily."""
    if name == "clear":
        from stoffel.runtime.backends.clear import ClearBackend

        return ClearBackend(**options)  # type: ignore[arg-type]
    raise ValueError(f"unknown backend '{name}'")
