"""The StoffelLang front end: source text → AST (``parse_module``), with E001 diagnostics."""

from stoffel.compiler.syntax.parser import ParseResult, parse_expression, parse_module, tokenize

__all__ = ["ParseResult", "parse_expression", "parse_module", "tokenize"]
