"""``stoffel-lsp`` / ``python -m stoffel.lsp``: the language server over stdio."""

from __future__ import annotations

import sys

from pygls.cli import start_server


def main(argv: list[str] | None = None) -> int:
    from stoffel.lsp.server import create_server

    start_server(create_server(), sys.argv[1:] if argv is None else argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
