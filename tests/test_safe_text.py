"""The one terminal-text sanitiser, as the CLI and the rejection lines use it."""

from __future__ import annotations

from detente.cli._safe_text import cell, plain
from detente.ingest.reasons import rejection_line, safe_one_line
from detente.model import Rejected
from detente.safe_text import safe_one_line as the_one


def test_one_sanitiser_behind_every_name() -> None:
    assert plain is the_one and safe_one_line is the_one


def test_controls_and_bidi_characters_are_shown_escaped_on_one_line() -> None:
    assert the_one("Minister\x1b[2J said\r\nno") == "Minister\\x1b[2J said no"
    assert the_one("evil\u202egnp.exe") == "evil\\u202egnp.exe"
    assert the_one("\u200fright-to-left mark\u200e") == "\\u200fright-to-left mark\\u200e"
    assert the_one("a\u2066b\u2069\x85c") == "a\\u2066b\\u2069 c"  # NEL (\x85) is whitespace: one space
    assert the_one("  Ελληνικά  κείμενο\t") == "Ελληνικά κείμενο"
    assert the_one(None) == "" and the_one(42) == "42"


def test_cli_cells_and_rejection_lines_use_it() -> None:
    assert cell("[bold]x[/bold]\x07").plain == "[bold]x[/bold]\\x07"
    line = rejection_line(Rejected(document_id="d", doc_id="page\x1b].html", stage="extract", reason="no_text",
                                   detail="no\nparagraphs"))
    assert line.startswith("page\\x1b].html: no_text (no paragraphs) - ")
