"""HTML: article lines trafilatura left out, put back by the line model (``extract.restore``).

The rule is tested with a stand-in model whose probabilities are written beside each invented
line, so that what is tested is the rule (where a line stands, what its markup says), not the
shipped model's figures."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from detente.errors import ExtractionFailed
from detente.extract import restore
from detente.extract.html import extract_html, page_lines, parse_html, visible_lines
from detente.extract.lines import LineFeatures
from detente.extract.restore import RESTORE_GAP, PageLine, restore_lines

HIGH, LOW = 0.95, 0.05


class _Model:
    """Gives each line the probability written for it (LOW when none is)."""

    def __init__(self, probabilities: dict[str, float]) -> None:
        self.probabilities_of = probabilities

    def probabilities(self, feats: Sequence[LineFeatures], repeated: Sequence[bool],
                      rows: Sequence[int] | None = None) -> np.ndarray:
        picked = feats if rows is None else [feats[i] for i in rows]
        return np.array([self.probabilities_of.get(f.text, LOW) for f in picked])


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch) -> dict[str, float]:
    probabilities: dict[str, float] = {}
    monkeypatch.setattr(restore, "get_line_model", lambda: _Model(probabilities))
    return probabilities


P1 = "The harbour board voted on Monday to reopen the old quay to ferries after three years of repairs."
P2 = "Engineers said the new pilings would carry twice the load of the timber ones they replace."
P3 = "The first crossing is planned for the spring, once the pontoons have been tested in rough water."
STANDFIRST = "A quiet town waits for its boats to come back"
QUOTE = "“We have waited long enough,” said the ferry captain."


def _page(*lines: str | PageLine) -> list[PageLine]:
    return [line if isinstance(line, PageLine) else PageLine(line) for line in lines]


def test_a_likely_line_between_kept_paragraphs_is_put_back_in_page_order(model: dict[str, float]) -> None:
    model.update({P1: HIGH, P2: HIGH, QUOTE: HIGH})
    page = _page("Home", "News", P1, QUOTE, P2, "Contact us")
    assert restore_lines(page, [P1, P2], title=None) == [P1, QUOTE, P2]


def test_an_unlikely_line_is_left_out(model: dict[str, float]) -> None:
    model.update({P1: HIGH, P2: HIGH, QUOTE: 0.5})
    assert restore_lines(_page(P1, QUOTE, P2), [P1, P2]) == [P1, P2]


def test_a_standfirst_above_the_body_is_put_back_first(model: dict[str, float]) -> None:
    model.update({STANDFIRST: HIGH})
    page = _page("Home", "Ferries and harbours", STANDFIRST, P1, P2)
    assert restore_lines(page, [P1, P2]) == [STANDFIRST, P1, P2]


def test_the_rest_of_an_article_past_an_interruption_is_put_back(model: dict[str, float]) -> None:
    model.update({P3: HIGH, QUOTE: HIGH})
    page = _page(P1, P2, "Advertisement", "Continue below", P3, QUOTE, "Footer links")
    assert restore_lines(page, [P1, P2]) == [P1, P2, P3, QUOTE]


def test_a_likely_line_past_a_long_gap_is_not_the_article(model: dict[str, float]) -> None:
    model.update({P3: HIGH})
    gap = [f"Menu item {k}" for k in range(RESTORE_GAP + 1)]
    assert restore_lines(_page(P1, P2, *gap, P3), [P1, P2]) == [P1, P2]


def test_links_captions_and_boilerplate_words_stay_out(model: dict[str, float]) -> None:
    teaser = "Ferry fares to rise again next year, the operator says"
    caption = "The old quay at dawn, before the repairs began last winter"
    prompt = "Share this article on Facebook"
    model.update({teaser: HIGH, caption: HIGH, prompt: HIGH})
    page = _page(P1, PageLine(teaser, link_share=1.0), PageLine(caption, in_figure=True), prompt, P2)
    assert restore_lines(page, [P1, P2]) == [P1, P2]


def test_the_title_and_lines_the_body_holds_are_not_put_back_twice(model: dict[str, float]) -> None:
    title = "Old quay to reopen for ferries"
    shortened = "Engineers said the new pilings would carry twice the load."  # a link's words dropped
    full = "Engineers said the new pilings would carry twice the load of the timber."
    model.update({title: HIGH, full: HIGH, P1: HIGH})
    page = _page(title, P1, full, P2)
    assert restore_lines(page, [P1, shortened, P2], title=title) == [P1, shortened, P2]


def test_nothing_is_taken_out_of_the_body(model: dict[str, float]) -> None:
    model.update({P2: LOW})
    body = [P1, "A line the page does not show", P2]
    assert restore_lines(_page(P1, P2), body) == body
    assert restore_lines([], body) == body
    assert restore_lines(_page(P1), []) == []


def test_page_lines_read_links_and_captions_from_the_markup() -> None:
    tree = parse_html(
        "<html><body><p>Ferries return to the <a href='/q'>old quay</a> this spring.</p>"
        "<ul><li><a href='/a'>Fares rise again</a></li></ul>"
        "<figure><img src='q.jpg'><figcaption>The quay at dawn</figcaption></figure>"
        "<div class='photo-credit'>Photo by a reader</div><p>Line one<br>line two</p></body></html>")
    lines = page_lines(tree)
    assert [line.text for line in lines] == visible_lines(tree) == [
        "Ferries return to the old quay this spring.", "Fares rise again", "The quay at dawn", "Photo by a reader",
        "Line one", "line two"]
    shares = [round(line.link_share, 2) for line in lines]
    assert shares[0] == pytest.approx(len("oldquay") / len("Ferriesreturntotheoldquaythisspring."), abs=0.01)
    assert shares[1:] == [1.0, 0.0, 0.0, 0.0, 0.0]
    assert [line.in_figure for line in lines] == [False, False, True, True, False, False]


_ARTICLE = """<html><head><title>Old quay to reopen | The Harbour Courier</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Old quay to reopen</h1>
<p>PORT ELLEN, March 4 - The harbour board voted on Monday to reopen the old quay to ferries after
three years of repairs, ending a long wait for the island's fishing families.</p>
<p>Engineers said the new pilings would carry twice the load of the timber ones they replace, and
that the work had come in under its budget.</p>
<h2>What changes for passengers</h2>
<ul><li>Crossings move back to the town centre.</li><li>The temporary pier will close in May.</li></ul>
<p>The first crossing is planned for the spring, once the pontoons have been tested in rough water,
the board said in a statement.</p></article>
<aside><h3>Related</h3><a href="/x">Ferry fares to rise again next year</a></aside>
</body></html>"""


def test_restoring_keeps_every_line_trafilatura_kept_in_its_order() -> None:
    without = extract_html(_ARTICLE, restore=False).body
    with_restore = extract_html(_ARTICLE).body
    positions = [with_restore.index(line) for line in without]
    assert positions == sorted(positions)
    assert not any("fares" in line.lower() for line in with_restore)


@pytest.mark.parametrize("markup", ["<html><body><p>only</p></body></html>", "<p>" * 3000, "\x00<div>",
                                    "<html><body>" + "<div>deep " * 400 + "</body></html>"])
def test_odd_pages_never_raise(markup: str) -> None:
    with contextlib.suppress(ExtractionFailed):  # the documented rejection, never another error
        extract_html(markup)


def test_restore_is_deterministic() -> None:
    first: Any = extract_html(_ARTICLE).body
    assert all(extract_html(_ARTICLE).body == first for _ in range(3))
