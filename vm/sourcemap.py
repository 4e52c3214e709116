"""The ``.stflb.map`` source-map sidecar (DESIGN §2.6).

Schema (JSON, UTF-8)::

    {
      "version": 1,
      "functions": {
        "<function name>": {
          "<instruction index>": ["<file>", <line>, <column>],
          ...
        },
        ...
      }
    }

Lines and columns are 1-based (columns in Unicode characters). Indices need not be dense: an
instruction without an entry takes the nearest preceding entry of its function. Unknown
top-level keys are ignored so the format can grow.
"""

from __future__ import annotations

import bisect
import json
from pathlib import Path
from typing import Any

from stoffel.vm.errors import BytecodeError, SourceLocation

MAX_MAP_BYTES = 64 * 1024 * 1024


class SourceMap:
    def __init__(self, entries: dict[str, dict[int, SourceLocation]] | None = None) -> None:
        self._functions: dict[str, tuple[list[int], list[SourceLocation]]] = {}
        for name, table in (entries or {}).items():
            pcs = sorted(table)
            self._functions[name] = (pcs, [table[p] for p in pcs])

    def lookup(self, function: str, pc: int) -> SourceLocation | None:
        found = self._functions.get(function)
        if found is None:
            return None
        pcs, locs = found
        i = bisect.bisect_right(pcs, pc) - 1
        return locs[i] if i >= 0 else None

    def to_json(self) -> str:
        functions = {
            name: {
                str(p): [loc.file, loc.line, loc.column] for p, loc in zip(pcs, locs, strict=True)
            }
            for name, (pcs, locs) in sorted(self._functions.items())
        }
        return json.dumps({"version": 1, "functions": functions}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> SourceMap:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BytecodeError(
                f"source map is not valid JSON: {exc.msg} (line {exc.lineno})"
            ) from None
        if not isinstance(doc, dict) or not isinstance(doc.get("functions"), dict):
            raise BytecodeError("source map: expected an object with a 'functions' object")
        entries: dict[str, dict[int, SourceLocation]] = {}
        for name, table in doc["functions"].items():
            if not isinstance(table, dict):
                raise BytecodeError(f"source map: function '{name}' must map to an object")
            entries[name] = {_pc(name, k): _loc(name, k, v) for k, v in table.items()}
        return cls(entries)

    @classmethod
    def read(cls, path: str | Path) -> SourceMap:
        p = Path(path)
        if p.stat().st_size > MAX_MAP_BYTES:
            raise BytecodeError(f"source map {p} is larger than {MAX_MAP_BYTES} bytes")
        return cls.from_json(p.read_text(encoding="utf-8"))


def _pc(name: str, key: str) -> int:
    if not key.isdigit():
        raise BytecodeError(f"source map: function '{name}': bad instruction index '{key}'")
    return int(key)


def _loc(name: str, key: str, value: Any) -> SourceLocation:
    ok = (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], str)
        and all(type(x) is int and x >= 1 for x in value[1:])
    )
    if not ok:
        raise BytecodeError(
            f"source map: function '{name}' instruction {key}: expected [file, line, column]"
        )
    return SourceLocation(value[0], value[1], value[2])
