"""Editor latency of ``stoffel-lsp`` on a generated 2,000-line file, over stdio.

    .venv/bin/python bench/lsp_latency.py [--lines 2000] [--edits 50] [--pause 0.1]

Starts the real server (``python -m stoffel.lsp``) with pygls's ``LanguageClient``,
opens the file, then makes ``--edits`` edits the way typing does: most change text
within a line (a literal, an identifier), every fifth inserts a new line (which moves
every definition below it). Right after each ``didChange`` it asks for completion at
the edit (so completion competes with the check that the edit triggered), then waits
for the ``publishDiagnostics`` of that version. It reports the median and p95 of

* didChange → publishDiagnostics (the server's debounce included), and
* completion request → response.

Targets: diagnostics < 200 ms and completion < 50 ms at p95. Reported, not asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

# The same realistic program shape as the front-end benchmark, so the two numbers compare.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from frontend import generate


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Bench:
    def __init__(self, client: LanguageClient, uri: str, text: str) -> None:
        self.client = client
        self.uri = uri
        self.lines = text.split("\n")
        self.version = 1
        self.arrived: dict[int, float] = {}

    def edit(self, number: int) -> tuple[lsp.Range, str, lsp.Position, bool]:
        """The ``number``-th edit: (range, new text, completion position, inserts a line).

        Edits spread over the file: the ``count += N`` line of a different function
        each time gets a new literal, and every fifth edit inserts a line above it.
        """
        targets = [i for i, line in enumerate(self.lines) if line.startswith("      count += ")]
        row = targets[(number * 7) % len(targets)]
        if number % 5 == 4:
            new_line = f"      var extra_{number} = count + {number}"
            self.lines.insert(row, new_line)
            at = lsp.Position(line=row, character=0)
            cursor = lsp.Position(line=row, character=len("      var extra_0 = co"))
            return lsp.Range(start=at, end=at), new_line + "\n", cursor, True
        old = self.lines[row]
        self.lines[row] = f"      count += {number + 2}"
        span = lsp.Range(
            start=lsp.Position(line=row, character=0),
            end=lsp.Position(line=row, character=len(old)),
        )
        return span, self.lines[row], lsp.Position(line=row, character=len("      cou")), False

    async def run(self, edits: int, pause: float) -> dict[str, list[float]]:
        results: dict[str, list[float]] = {
            "diag": [],
            "diag_line": [],
            "diag_newline": [],
            "completion": [],
        }
        for number in range(edits):
            span, text, cursor, newline = self.edit(number)
            self.version += 1
            version = self.version
            sent = time.perf_counter()
            self.client.text_document_did_change(
                lsp.DidChangeTextDocumentParams(
                    text_document=lsp.VersionedTextDocumentIdentifier(
                        uri=self.uri, version=version
                    ),
                    content_changes=[lsp.TextDocumentContentChangePartial(range=span, text=text)],
                )
            )
            asked = time.perf_counter()
            await self.client.text_document_completion_async(
                lsp.CompletionParams(
                    text_document=lsp.TextDocumentIdentifier(uri=self.uri), position=cursor
                )
            )
            results["completion"].append(time.perf_counter() - asked)
            while version not in self.arrived:
                await asyncio.sleep(0.001)
            latency = self.arrived[version] - sent
            results["diag"].append(latency)
            results["diag_newline" if newline else "diag_line"].append(latency)
            await asyncio.sleep(pause)
        return results


async def measure(lines: int, edits: int, pause: float) -> int:
    text = generate(lines)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.stfl"
        path.write_text(text, encoding="utf-8")
        uri = from_fs_path(str(path)) or str(path)
        client = LanguageClient("stoffel-lsp-bench", "1")
        bench = Bench(client, uri, text)

        @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: lsp.PublishDiagnosticsParams) -> None:
            if params.uri == uri and params.version is not None:
                bench.arrived.setdefault(params.version, time.perf_counter())
                if params.diagnostics:
                    print(
                        f"  version {params.version}: {params.diagnostics[0].message}",
                        file=sys.stderr,
                    )

        await client.start_io(sys.executable, "-m", "stoffel.lsp")
        await client.initialize_async(
            lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), root_uri=from_fs_path(tmp))
        )
        client.initialized(lsp.InitializedParams())
        opened = time.perf_counter()
        client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(
                text_document=lsp.TextDocumentItem(
                    uri=uri, language_id="stoffel", version=1, text=text
                )
            )
        )
        while 1 not in bench.arrived:
            await asyncio.sleep(0.001)
        first = bench.arrived[1] - opened
        results = await bench.run(edits, pause)
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()

    print(
        f"stoffel-lsp latency: {text.count(chr(10))} lines, {edits} edits, "
        f"pause {pause * 1000:.0f} ms"
    )
    print(f"  open → first diagnostics: {first * 1000:.0f} ms")
    rows = [
        ("didChange → diagnostics (all edits)", "diag", 0.200),
        ("  … edits within a line", "diag_line", 0.200),
        ("  … edits inserting a line", "diag_newline", 0.200),
        ("completion", "completion", 0.050),
    ]
    missed = False
    for label, key, target in rows:
        values = results[key]
        median, p95 = statistics.median(values), percentile(values, 0.95)
        verdict = "ok" if p95 < target else "MISSED"
        missed |= key in ("diag", "completion") and p95 >= target
        print(
            f"  {label:<38} median {median * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms"
            f"   (target p95 < {target * 1000:.0f} ms: {verdict})"
        )
    return 1 if missed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=2000, help="size of the generated file")
    parser.add_argument("--edits", type=int, default=50, help="number of edits")
    parser.add_argument("--pause", type=float, default=0.1, help="seconds between edits")
    args = parser.parse_args(argv)
    return asyncio.run(measure(args.lines, args.edits, args.pause))


if __name__ == "__main__":
    sys.exit(main())
