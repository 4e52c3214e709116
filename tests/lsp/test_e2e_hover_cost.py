"""End to end: hovering a function shows the cost model's rounds, multiplications and
openings (DESIGN §2 item 8), the same figures as ``stoffelc --cost`` at n = 5, t = 1."""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from .helpers import close_document, diagnostics, open_document, pos

pytestmark = pytest.mark.asyncio(loop_scope="session")

TEXT = """\
def dot(xs: list[secret int64], ys: list[secret int64]) -> secret int64:
  var acc: secret int64 = 0
  for i in 0..3:
    acc = acc + xs[i] * ys[i]
  return acc

def main() -> int64:
  var a: secret int64 = 2
  var b: secret int64 = 5
  var bigger: secret bool = a < b
  print(bigger.reveal())
  return dot([1, 2, 3], [4, twice(5), 6]).reveal()

def twice(x: int64) -> int64:
  return x * 2
"""


async def _hover(client: LanguageClient, uri: str, line: int, column: int) -> str:
    result = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=pos(line, column)
        )
    )
    assert result is not None
    assert isinstance(result.contents, lsp.MarkupContent)
    return result.contents.value


async def test_hover_on_a_function_shows_its_cost(client: LanguageClient) -> None:
    uri, version = open_document(client, "hover_cost.stfl", TEXT)
    assert await diagnostics(client, uri, version) == []
    # dot: three independent products share one round; nothing is opened inside.
    text = await _hover(client, uri, 0, 5)
    assert "cost: 1 rounds, 3 multiplications, 0 openings, 0 comparisons" in text
    # main: one comparison (2 + ⌈log2 66⌉ = 9 rounds, 65 products, one masked opening),
    # the opening of its result, then dot's products and the final opening: 9 + 1 + 1 + 1.
    text = await _hover(client, uri, 6, 5)
    assert "cost: 12 rounds, 68 multiplications, 3 openings, 1 comparisons" in text
    # A function without communication gets no cost line (no noise on clear helpers).
    text = await _hover(client, uri, 13, 5)
    assert "def twice(x: int64) -> int64" in text and "cost" not in text
    close_document(client, uri)
