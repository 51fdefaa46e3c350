"""Headings, link lines, question headings and reader notices are not sentences: the extractor
marks them on the Article and the coder reads no event into them (invented pages only)."""

from __future__ import annotations

import pytest

from detente.extract import extract_document
from detente.extract.headings import heading_kind, heading_spans
from detente.model import Article, Document

PARAGRAPH = ("The foreign ministry of Lithuania said on Tuesday that two Belarusian diplomats had been declared "
             "persona non grata and given five days to leave the country.")


@pytest.mark.parametrize(("line", "kind"), [
    ("SEE MORE: Belarus threatens Lithuania with retaliation over expulsions", "link"),
    ("Read more: Minsk recalls its ambassador from Vilnius", "link"),
    ("RELATED | Lithuania closes a border crossing", "link"),
    ("WATCH: Soldiers move toward the border", "link"),
    ("What was the investigation about?", "question"),
    ("Why did Vilnius act now?", "question"),
    ("The Daily Ledger is committed to publishing a range of letters to the editor.", "notice"),
    ("Follow us on Facebook and X for more stories.", "notice"),
    ("This story has been updated with the ministry's statement.", "notice"),
    ("A long dispute over the border", "subhead"),
    ("Lithuania expelled two Belarusian diplomats on Tuesday.", None),
    ("\"Why would we accept this?\" the minister asked reporters.", None),
    ("More than 200 soldiers were moved to the border, officials said.", None),
    ("VILNIUS: Lithuania expelled two Belarusian diplomats on Tuesday.", None),
    ("What Minsk does next will decide whether the talks resume, the minister said in a long interview on "
     "state television on Tuesday evening?", None),
])
def test_each_kind_of_line(line: str, kind: str | None) -> None:
    assert heading_kind(line, PARAGRAPH) == kind


def test_a_short_line_is_a_subhead_only_before_a_paragraph() -> None:
    assert heading_kind("A long dispute over the border", PARAGRAPH) == "subhead"
    assert heading_kind("A long dispute over the border", "Short line") is None
    assert heading_kind("A long dispute over the border", None) is None
    assert heading_kind("a lower-case fragment of text", PARAGRAPH) is None


def test_spans_index_the_joined_body() -> None:
    lines = [PARAGRAPH, "SEE MORE: Minsk recalls its ambassador", "What did Belarus say?", PARAGRAPH]
    text = "\n".join(lines)
    spans = heading_spans(lines)
    assert [text[a:b] for a, b in spans] == [lines[1], lines[2]]


def test_the_first_line_under_the_headline_is_the_deck_not_a_subhead() -> None:
    # a standfirst states the story in one line without a full stop: it is read like the headline
    lines = ["Police fired tear gas at students in Dhaka", PARAGRAPH, "A long dispute over the border", PARAGRAPH]
    text = "\n".join(lines)
    assert [text[a:b] for a, b in heading_spans(lines)] == ["A long dispute over the border"]


def test_the_extractor_marks_the_lines_it_keeps() -> None:
    page = "\n".join([
        "Lithuania expels two Belarusian diplomats",
        PARAGRAPH,
        "What did Belarus say?",
        "Belarus called the decision a provocation and said it would answer in kind, its foreign ministry said "
        "in a statement published on Wednesday morning.",
        "A long dispute over the border",
        "The two neighbours have argued for years about a nuclear plant near the border and about migrants "
        "crossing into Lithuania from Belarus, officials in Vilnius said.",
    ])
    doc = Document.from_bytes(page.encode(), doc_id="invented", kind="file")
    article = extract_document(doc)
    assert isinstance(article, Article)
    marked = [article.text[a:b] for a, b in article.headings]
    assert "What did Belarus say?" in marked and "A long dispute over the border" in marked
    assert not any("provocation" in m or "persona non grata" in m for m in marked)
    assert article.to_dict()["headings"] == [list(span) for span in article.headings]


@pytest.mark.slow
def test_the_coder_reads_no_event_into_marked_lines() -> None:
    from detente.pipeline import code_articles

    lines = [
        "Lithuania expelled two Belarusian diplomats on Tuesday, the foreign ministry in Vilnius said.",
        "SEE MORE: Belarus threatens Lithuania with sanctions over the expulsions",
        "Why did Russia attack Ukraine?",
        "Belarus summoned the Lithuanian charge d'affaires on Wednesday to protest the decision.",
        "The Daily Ledger is committed to publishing letters, and Lithuania accused Belarus of lying to readers.",
    ]
    text = "\n".join(lines)
    base = Article(id="a1", doc_id="invented", document_id="d1", text=text, language="en")
    marked = Article(id="a1", doc_id="invented", document_id="d1", text=text, language="en",
                     headings=heading_spans(lines))
    assert [text[a:b] for a, b in marked.headings] == [lines[1], lines[2], lines[4]]
    (_, unmarked_events), (_, events) = list(code_articles([base, marked]))
    heading_lines = {lines[1], lines[2], lines[4]}
    assert {e.sentence for e in unmarked_events} & heading_lines, "without marks the coder reads these lines"
    assert not {e.sentence for e in events} & heading_lines
    assert {e.sentence for e in events} >= {lines[0], lines[3]}
