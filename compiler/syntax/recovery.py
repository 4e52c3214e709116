"""Feeding tokens to lark's LALR parser, with error recovery (DESIGN.md §2).

On an unexpected token we report one diagnostic, then resynchronise at a statement
boundary: pop the LALR stack to the innermost state where a statement may start, feed
a synthetic ERROR_LINE (→ ``ErrorStmt``) and skip the rest of the offending line. A
broken block header keeps its indented body (the grammar lets ERROR_LINE own a block),
so the rest of the file still yields a usable tree. A few errors are repaired in place
instead (``&&`` → ``and``, ``!`` → ``not``, ``if x: y`` → a one-line block).
"""

from __future__ import annotations

from copy import copy
from typing import Any, Final

from lark import Token
from lark.exceptions import UnexpectedToken
from lark.parsers.lalr_parser_state import ParseConf, ParserState

from stoffel.compiler.diagnostics import CompilerPanic, Diagnostic, syntax_error
from stoffel.compiler.source import SourceFile
from stoffel.compiler.syntax import messages
from stoffel.compiler.syntax.tokens import LAYOUT, end_position, make_token

_MAX_ERRORS: Final[int] = 200
_MAX_STALLS: Final[int] = 8
_SUBSTITUTES: Final[dict[str, tuple[str, str, str]]] = {
    "ANDAND": ("AND", "Unsupported boolean operator '&&'. Use 'and' instead.", "and"),
    "OROR": ("OR", "Unsupported boolean operator '||'. Use 'or' instead.", "or"),
    "BANG": ("NOT", "Unexpected prefix operator: !", "not"),
}


class Unrecoverable(Exception):
    """Recovery found no statement boundary to resume from (the caller salvages)."""


class Driver:
    """One parse: the token list, the LALR state, and the diagnostics it adds."""

    def __init__(
        self,
        source: SourceFile,
        tokens: list[Token],
        conf: ParseConf,
        diagnostics: list[Diagnostic],
        quiet_lines: set[int],
        quiet_indents: set[int],
    ) -> None:
        self.source = source
        self.tokens = tokens
        self.conf = conf
        self.state = ParserState(conf, None)  # type: ignore[arg-type]
        self.diagnostics = diagnostics
        # Lines that already carry a lexical error: parse errors there are cascades.
        self.quiet_lines = quiet_lines
        self.quiet_indents = quiet_indents
        self.errors = 0
        self.reported_at: set[int] = set()
        self.trial_conf = copy(conf)
        self.trial_conf.callbacks = {}
        end = len(source.text)
        line, column = end_position(source.text)
        self.eof = Token("$END", "", end, line, column, line, column, end)

    # ------------------------------------------------------------------ main loop

    def run(self) -> Any:
        i = 0
        tokens = self.tokens
        last_error, stalls = -1, 0
        while True:
            feed = self.state.feed_token
            try:
                n = len(tokens)
                while i < n:
                    feed(tokens[i])
                    i += 1
                return feed(self.eof, True)
            except UnexpectedToken:
                # Each repair makes progress; a loop at one token would be a bug, and an
                # editor must never hang on it: give up and salvage instead.
                stalls = stalls + 1 if i == last_error else 0
                last_error = i
                if stalls > _MAX_STALLS:
                    raise Unrecoverable from None
                i = self.recover(i)
            except (RecursionError, Unrecoverable):
                raise
            except Exception as exc:  # a bug in a callback: locate it at the token
                token = self.token_at(i)
                span = self.source.span(token.start_pos, max(token.start_pos, token.end_pos))
                raise CompilerPanic(f"{type(exc).__name__}: {exc}", span) from exc

    def salvage(self) -> list[Any]:
        """Whatever statements the value stack holds (after an unrecoverable error)."""
        out: list[Any] = []
        for value in self.state.value_stack:
            out.extend(value if isinstance(value, (list, tuple)) else [value])
        return out

    # ------------------------------------------------------------------- recovery

    def token_at(self, i: int) -> Token:
        return self.tokens[i] if i < len(self.tokens) else self.eof

    def expected(self) -> set[str]:
        """Terminals the parser would really shift next. The raw action table is not
        enough: LALR merges states, so it lists lookaheads from unrelated contexts."""
        candidates = [k for k in self.conf.states[self.state.position] if k.isupper()]
        return {k for k in candidates if self.accepts(self.state, k)}

    def recover(self, i: int) -> int:
        """Report the error at token ``i`` and return the index to resume feeding at."""
        tokens = self.tokens
        token = self.token_at(i)
        expected = self.expected()
        at_line_start = i == 0 or tokens[i - 1].type in LAYOUT
        kind = token.type

        if kind in _SUBSTITUTES:
            replacement, message, word = _SUBSTITUTES[kind]
            self.report(token, messages.Message(message, f"Replace '{token}' with '{word}'"))
            if replacement in expected:
                tokens[i] = Token(
                    replacement,
                    word,
                    token.start_pos,
                    token.line,
                    token.column,
                    token.end_line,
                    token.end_column,
                    token.end_pos,
                )
                return i
            return self.skip_line(i)
        if kind == "SECRET" and at_line_start:
            return self.stray_secret(i)
        if kind == "_INDENT":
            return self.unexpected_indent(i)
        if i and tokens[i - 1].type == "_COLON" and "_NEWLINE" in expected and kind != "_NEWLINE":
            return self.inline_block(i)

        at_statement = at_line_start and self.accepts(self.state, "ERROR_LINE")
        self.report(token, messages.describe(tokens, i, token, expected, at_statement))
        return self.skip_line(i)

    def report(self, token: Token, message: messages.Message) -> None:
        self.errors += 1
        if self.errors > _MAX_ERRORS or token.line in self.quiet_lines:
            return
        if token.start_pos in self.reported_at:
            return  # e.g. an unexpected INDENT and the token right after it: one problem
        self.reported_at.add(token.start_pos)
        end = max(token.end_pos, token.start_pos)
        self.diagnostics.append(
            syntax_error(message.text, self.source.span(token.start_pos, end), message.hint)
        )

    def accepts(self, state: ParserState, kind: str) -> bool:
        trial = ParserState(
            self.trial_conf,
            None,
            list(state.state_stack),  # type: ignore[arg-type]
            list(state.value_stack),
        )
        try:
            trial.feed_token(Token(kind, ""), kind == "$END")
        except UnexpectedToken:
            return False
        return True

    def pop_to_statement(self) -> int:
        """Pop the LALR stack until a statement may start; returns how many were popped."""
        state = self.state
        popped = 0
        while not self.accepts(state, "ERROR_LINE"):
            if len(state.state_stack) <= 1:
                raise Unrecoverable
            state.state_stack.pop()
            state.value_stack.pop()
            popped += 1
        return popped

    def skip_line(self, i: int) -> int:
        """Replace the statement around token ``i`` by ERROR_LINE; resume after its line."""
        tokens = self.tokens
        at_line_start = i == 0 or tokens[i - 1].type in LAYOUT
        popped = self.pop_to_statement()
        token = self.token_at(i)
        if i >= len(tokens):  # at EOF: close the broken statement, then accept EOF
            self.feed_error_line(token, token)
            return i
        if at_line_start and popped and token.type != "_NEWLINE":
            # The previous line left a construct open; end it and retry this token.
            self.feed_error_line(token, token)
            return i
        if at_line_start and token.type in ("_DEDENT", "_INDENT"):
            del tokens[i]
            return i
        start = messages.statement_start(tokens, i)
        j = i
        while j < len(tokens) and tokens[j].type != "_NEWLINE":
            j += 1
        last = tokens[j - 1] if j > start else tokens[start]
        first = tokens[start] if start < j else last
        self.state.feed_token(make_error_line(first, last))
        self.state.feed_token(tokens[j] if j < len(tokens) else make_token("_NEWLINE", "", last))
        return j + 1

    def feed_error_line(self, first: Token, last: Token) -> None:
        self.state.feed_token(make_error_line(first, last))
        self.state.feed_token(make_token("_NEWLINE", "", last, at_end=True))

    # ------------------------------------------------------------- targeted repairs

    def stray_secret(self, i: int) -> int:
        tokens = self.tokens
        self.report(
            tokens[i],
            messages.Message(
                "The 'secret' descriptor is only valid in type annotations",
                "Write it in the type instead, e.g. 'var x: secret int64 = 0'",
            ),
        )
        after = [t.type for t in tokens[i + 1 : i + 3]]
        field_like = after == ["NAME", "_COLON"] and "VAR" not in self.expected()
        if after[:1] == ["VAR"] or field_like:
            del tokens[i]  # `secret var x …` / `secret field: T`: parse the rest as usual
            return i
        return self.skip_line(i)

    def unexpected_indent(self, i: int) -> int:
        tokens = self.tokens
        token = tokens[i]
        if token.start_pos not in self.quiet_indents:
            self.report(
                token,
                messages.Message(
                    "Unexpected indentation",
                    "Only the lines of a block that follows a line ending in ':' are indented",
                ),
            )
        # Keep the lines: drop this INDENT and its matching DEDENT.
        depth = 0
        for j in range(i + 1, len(tokens)):
            kind = tokens[j].type
            if kind == "_INDENT":
                depth += 1
            elif kind == "_DEDENT":
                if depth == 0:
                    del tokens[j]
                    break
                depth -= 1
        del tokens[i]
        return i

    def inline_block(self, i: int) -> int:
        """``if x: y`` — report, then parse ``y`` as the one statement of the block."""
        tokens = self.tokens
        token = tokens[i]
        self.report(
            token,
            messages.Message(
                "Expected newline after ':' before indented block",
                "Move the block's statements to their own lines, indented by 2 spaces",
            ),
        )
        j = i
        while j < len(tokens) and tokens[j].type != "_NEWLINE":
            j += 1
        if j == len(tokens):
            return self.skip_line(i)
        tokens.insert(j + 1, make_token("_DEDENT", "", tokens[j], at_end=True))
        tokens[i:i] = [make_token("_NEWLINE", "", token), make_token("_INDENT", "", token)]
        return i


def make_error_line(first: Token, last: Token) -> Token:
    end = max(last.end_pos, first.start_pos)
    end_line, end_column = (
        (last.end_line, last.end_column) if end > first.start_pos else (first.line, first.column)
    )
    return Token(
        "ERROR_LINE", "", first.start_pos, first.line, first.column, end_line, end_column, end
    )
