"""The StoffelLang formatter: ``format_source(text, path) -> FormatResult``."""

from stoffel.compiler.fmt.api import FormatResult, format_source

__all__ = ["FormatResult", "format_source"]
