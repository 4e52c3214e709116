"""The StoffelLang parser: scanner → indentation post-lexer → contextual words → lark LALR.

The lark parser is built once, at import. Each parse feeds our tokens to lark's LALR
parser state with per-parse callbacks (``AstBuilder``), so nodes are built directly
during parsing — no parse tree — and concurrent parses share nothing mutable.
``parse_module`` never raises: any internal failure becomes an E901 diagnostic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import attrs
from lark import Lark, Token, Tree
from lark.parse_tree_builder import ParseTreeBuilder
from lark.parsers.lalr_parser_state import ParseConf

from stoffel.compiler.ast import nodes as n
from stoffel.compiler.diagnostics import (
    CompilerPanic,
    Diagnostic,
    Severity,
    syntax_error,
)
from stoffel.compiler.source import SourceFile, Span
from stoffel.compiler.syntax.builder import AstBuilder
from stoffel.compiler.syntax.contextual import resolve_contextual
from stoffel.compiler.syntax.indenter import Indenter
from stoffel.compiler.syntax.limits import enforce_depth, may_be_too_deep
from stoffel.compiler.syntax.recovery import Driver, Unrecoverable
from stoffel.compiler.syntax.scanner import StoffelLexer, scan
from stoffel.compiler.syntax.tokens import end_position

_GRAMMAR: Final[str] = (Path(__file__).parent / "stoffel.lark").read_text(encoding="utf-8")
LARK: Final[Lark] = Lark(
    _GRAMMAR,
    parser="lalr",
    lexer=StoffelLexer,
    start=["module", "expr"],
    propagate_positions=True,
    maybe_placeholders=True,
    cache=True,  # the LALR table is cached on disk: editor and CLI start-up stay fast
)
_TABLE = LARK.parser.parser._parse_table


def _plain_names() -> None:
    """Store the grammar's symbol names as plain ``str``: lark keeps some as ``Token``s,
    and every reduction looks one up in a dict, where a ``Token`` key means a Python-level
    ``__eq__`` call. Same strings, same table; just the fast comparison path."""
    for rule in LARK.rules:
        rule.origin.name = str(rule.origin.name)
    for state, actions in list(_TABLE.states.items()):
        _TABLE.states[state] = {str(k): v for k, v in actions.items()}


_plain_names()
# Our callbacks compute spans themselves (a Tree-only position wrapper on every reduction
# would be pure overhead), so the per-parse callbacks come from a builder without it.
_TREE_BUILDER = ParseTreeBuilder(
    LARK.rules, Tree, propagate_positions=False, maybe_placeholders=True
)


@attrs.frozen(kw_only=True)
class ParseResult:
    module: n.Module
    diagnostics: tuple[Diagnostic, ...]

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


def parse_module(source: SourceFile) -> ParseResult:
    """Parse one file. Never raises; syntax errors (E001) come back as diagnostics."""
    diagnostics: list[Diagnostic] = []
    body: tuple[n.Stmt, ...] = ()
    try:
        body = _parse(source, diagnostics, "module")
    except RecursionError:
        diagnostics.append(
            syntax_error(
                "Program nesting is too deep to parse",
                _file_span(source),
                "Split deeply nested expressions or blocks into smaller pieces",
            )
        )
    except Exception as exc:  # a compiler bug: report it where it happened, keep going
        diagnostics.append(_panic(exc, source))
    module = n.Module(path=source.path, body=body, span=_file_span(source))
    return ParseResult(module=module, diagnostics=tuple(diagnostics))


def parse_expression(text: str, path: str = "<expr>") -> tuple[n.Expr, tuple[Diagnostic, ...]]:
    """Parse a single expression (for tests and tools); errors leave an ``ErrorExpr``."""
    source = SourceFile(path, text)
    diagnostics: list[Diagnostic] = []
    try:
        expr = _parse(source, diagnostics, "expr")
    except Exception as exc:
        if not diagnostics:
            diagnostics.append(_panic(exc, source))
        expr = n.ErrorExpr(span=_file_span(source))
    return expr, tuple(diagnostics)


def tokenize(source: SourceFile) -> tuple[list[Token], list[Diagnostic]]:
    """The token list the parser sees (layout tokens included), for tests and tools."""
    diagnostics: list[Diagnostic] = []
    indenter = Indenter(source, diagnostics)
    tokens = list(indenter.process(scan(source, diagnostics)))
    return resolve_contextual(tokens, source, diagnostics), diagnostics


def _parse(source: SourceFile, diagnostics: list[Diagnostic], start: str) -> object:
    indenter = Indenter(source, diagnostics)
    tokens = list(indenter.process(scan(source, diagnostics)))
    tokens = resolve_contextual(tokens, source, diagnostics)
    if start == "expr":
        tokens = [t for t in tokens if t.type not in ("_NEWLINE", "_INDENT", "_DEDENT")]
    quiet_lines = {d.span.line for d in diagnostics if d.span is not None}
    builder = AstBuilder(source.path, diagnostics)
    conf = ParseConf(_TABLE, _TREE_BUILDER.create_callback(builder), start)
    driver = Driver(source, tokens, conf, diagnostics, quiet_lines, indenter.reported)
    try:
        result = driver.run()
    except Unrecoverable:
        if start == "expr":
            raise
        result = tuple(s for s in driver.salvage() if isinstance(s, n.Stmt))
    if may_be_too_deep(tokens, indenter.max_depth):
        if start == "expr":
            (stmt,) = enforce_depth((n.ExprStmt(expr=result, span=result.span),), diagnostics)
            return stmt.expr if isinstance(stmt, n.ExprStmt) else n.ErrorExpr(span=result.span)
        return enforce_depth(result, diagnostics)
    return result


def _file_span(source: SourceFile) -> Span:
    end_line, end_column = end_position(source.text)
    return Span(
        file=source.path,
        start=0,
        end=len(source.text),
        line=1,
        column=1,
        end_line=end_line,
        end_column=end_column,
    )


def _panic(exc: Exception, source: SourceFile) -> Diagnostic:
    if isinstance(exc, CompilerPanic) and exc.span is not None:
        return exc.to_diagnostic()
    return CompilerPanic(f"{type(exc).__name__}: {exc}", _location_of(exc, source)).to_diagnostic()


def _location_of(exc: Exception, source: SourceFile) -> Span:
    """The position of the token being parsed when ``exc`` happened, else the file start."""
    token = getattr(exc, "token", None)
    if isinstance(token, Token) and token.start_pos is not None:
        return source.span(token.start_pos, token.end_pos or token.start_pos)
    return source.span(0, 0)
