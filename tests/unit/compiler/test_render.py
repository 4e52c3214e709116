"""The diagnostic renderer: Rust-style text and the JSON contract of DESIGN.md §6."""

from __future__ import annotations

from stoffel.compiler.diagnostics import Code, Diagnostic, Note, Severity
from stoffel.compiler.render import diagnostics_to_json, render_all, render_diagnostic
from stoffel.compiler.source import SourceFile

SOURCE = SourceFile("prog.stfl", "var x = 1\nvar y: int32 = x\nprint(y)\n")


def lookup(path: str) -> SourceFile | None:
    return SOURCE if path == SOURCE.path else None


def _diag(**overrides: object) -> Diagnostic:
    fields: dict = {
        "code": Code.TYPE,
        "message": "Cannot initialize variable 'y' of type 'int32' with value of type 'int64'",
        "span": SOURCE.span(25, 26),
        "hint": "use a value of type 'int32'",
    }
    fields.update(overrides)
    return Diagnostic(**fields)


def test_renders_header_location_snippet_caret_and_help() -> None:
    assert render_diagnostic(_diag(), lookup) == "\n".join(
        [
            "error[E101]: Cannot initialize variable 'y' of type 'int32' with value of type "
            "'int64'",
            "  --> prog.stfl:2:16",
            "  |",
            "1 | var x = 1",
            "2 | var y: int32 = x",
            "  |                ^",
            "  |",
            "help: use a value of type 'int32'",
        ]
    )


def test_caret_spans_the_whole_range_on_the_first_line() -> None:
    text = render_diagnostic(_diag(span=SOURCE.span(10, 15), hint=None), lookup)
    assert text.splitlines()[-2] == "  | ^^^^^"
    assert "help" not in text


def test_first_line_has_no_context_above() -> None:
    lines = render_diagnostic(_diag(span=SOURCE.span(4, 5)), lookup).splitlines()
    assert lines[1:5] == ["  --> prog.stfl:1:5", "  |", "1 | var x = 1", "  |     ^"]


def test_notes_show_their_location() -> None:
    note = Note(message="declared secret here", span=SOURCE.span(0, 3))
    text = render_diagnostic(_diag(notes=(note,)), lookup)
    assert "  = note: declared secret here (at prog.stfl:1:1)" in text.splitlines()


def test_missing_source_still_gives_location() -> None:
    text = render_diagnostic(_diag(span=SourceFile("gone.stfl", "x").span(0, 1)), lookup)
    assert text.splitlines()[1] == "  --> gone.stfl:1:1"


def test_abort_summary_counts_errors_only() -> None:
    warning = _diag(severity=Severity.WARNING)
    one = render_all([_diag(), warning], lookup)
    assert one.endswith("error: aborting due to previous error")
    assert render_all([_diag(), _diag()], lookup).endswith("aborting due to 2 previous errors")
    assert "aborting" not in render_all([warning], lookup)


def test_colour_only_when_asked() -> None:
    assert "\x1b[" not in render_diagnostic(_diag(), lookup)
    assert "\x1b[" in render_diagnostic(_diag(), lookup, colour=True)


def test_json_schema() -> None:
    note = Note(message="first declared here", span=SOURCE.span(0, 3))
    payload = diagnostics_to_json([_diag(notes=(note,))])
    assert payload == {
        "diagnostics": [
            {
                "severity": "error",
                "code": "E101",
                "message": "Cannot initialize variable 'y' of type 'int32' with value of type "
                "'int64'",
                "file": "prog.stfl",
                "line": 2,
                "column": 16,
                "end_line": 2,
                "end_column": 17,
                "hint": "use a value of type 'int32'",
                "notes": [
                    {"message": "first declared here", "file": "prog.stfl", "line": 1, "column": 1}
                ],
            }
        ]
    }


def test_columns_count_characters_not_bytes() -> None:
    source = SourceFile("u.stfl", 'var s = "ä€"\nvar t = x\n')
    span = source.span(source.text.index("x"), source.text.index("x") + 1)
    assert (span.line, span.column) == (2, 9)
    span = source.span(source.text.index('"') + 2, source.text.index('"') + 3)
    assert (span.line, span.column, span.end_column) == (1, 11, 12)
