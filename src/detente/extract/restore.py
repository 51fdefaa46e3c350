"""Article lines trafilatura left out of an HTML page, put back by the line model.

trafilatura (precision favoured) keeps the paragraphs of the article's container and leaves
out what it doubts: a heading, a list, a standfirst, a one-line quote or the rest of an article
the markup splits into several blocks. The text-dump line model (``linemodel``) reads the same
page as lines and says, for each visible line, how likely it is article text; the two disagree
on the lines trafilatura dropped. This module puts back a dropped line when all of these hold:

- the line model gives it at least ``RESTORE_PROBABILITY``;
- it stands inside the stretch of the page that trafilatura's body covers, or is reached from
  that stretch by walking up or down the page through lines that are article text by one of the
  two readers, never more than ``RESTORE_GAP`` lines in a row that are neither, and no further
  than ``RESTORE_REACH`` lines (the model reads only that much of the page around the body);
- it is not mostly link text (a teaser headline, a "read more" list) and not inside a figure or
  a caption or credit block: trafilatura sees the markup the line model does not, and it is
  right to leave those out;
- it is not boilerplate by its own words (a prompt, a notice, a credit, a byline), not the
  page's title and not a line the body already holds.

Nothing is taken out of trafilatura's body: dropping its lines that the line model doubts was
measured and cost article text on both benchmarks (README, Article extraction). Restored lines
are inserted in page order among the body's lines.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .linemodel import get_line_model
from .textdump import boilerplate_by_its_words, describe_lines

__all__ = ["RESTORE_GAP", "RESTORE_PROBABILITY", "RESTORE_REACH", "PageLine", "restore_lines"]

# Chosen on both benchmarks, and kept only as it held with a model trained on the other
# benchmark (README, Article extraction).
RESTORE_PROBABILITY = 0.8
RESTORE_GAP = 3
RESTORE_REACH = 25
# a line more than half of whose characters are link text is a link, not a paragraph
MAX_LINK_SHARE = 0.5
# a body line that is not one of the page's lines word for word (trafilatura drops a link's
# words inside a paragraph, writes a list item as "- item") stands for the page line nearby
# holding this share of its words
_NEAR_MATCH = 0.6
_NEAR_WINDOW = 40
_NEAR_MIN_WORDS = 4
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class PageLine:
    """One visible line of an HTML page, with what its markup says about it."""

    text: str
    link_share: float = 0.0  # the share of its characters inside links
    in_figure: bool = False  # inside a figure, a figcaption, or a caption or credit block


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _match_body(page_words: list[list[str]], body_words: list[list[str]]) -> list[int | None]:
    """For each body line, the index of the page line it is (None when none is): the same words
    first, in page order; then a page line near the matched neighbours holding most of its words."""
    keys = [" ".join(words) for words in page_words]
    at: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        if key:
            at.setdefault(key, []).append(index)
    where: list[int | None] = [None] * len(body_words)
    last = -1
    for b, words in enumerate(body_words):
        found = at.get(" ".join(words))
        if found:
            where[b] = next((v for v in found if v > last), found[0])
            last = max(last, where[b] or 0)
    counted: dict[int, Counter[str]] = {}
    for b, words in enumerate(body_words):
        if where[b] is not None or len(words) < _NEAR_MIN_WORDS:
            continue
        before = next((w for w in reversed(where[:b]) if w is not None), None)
        after = next((w for w in where[b + 1:] if w is not None), None)
        lo = before if before is not None else max(0, (after if after is not None else len(keys)) - _NEAR_WINDOW)
        hi = min(after if after is not None else len(keys) - 1, lo + _NEAR_WINDOW)
        wanted = Counter(words)
        best, best_at = 0.0, None
        for v in range(lo, min(hi, len(keys) - 1) + 1):
            if page_words[v] and not wanted.keys().isdisjoint(page_words[v]):
                counts = counted.get(v)
                if counts is None:
                    counts = counted[v] = Counter(page_words[v])
                share = sum((wanted & counts).values()) / len(words)
                if share > best:
                    best, best_at = share, v
        if best_at is not None and best >= _NEAR_MATCH:
            where[b] = best_at
    return where


def restore_lines(page: Sequence[PageLine], body: Sequence[str], *, title: str | None = None) -> list[str]:
    """``body`` (trafilatura's lines) with the page's article lines it left out put back, in page
    order. ``page`` is the page's visible lines, its title line taken off the top."""
    if not page or not body:
        return list(body)
    page_words = [_words(line.text) for line in page]
    body_words = [_words(line) for line in body]
    where = _match_body(page_words, body_words)
    matched = [w for w in where if w is not None]
    if not matched:
        return list(body)
    held = " " + " | ".join(" ".join(words) for words in body_words) + " "
    covered = [not words or f" {' '.join(words)} " in held for words in page_words]
    for w in matched:
        covered[w] = True
    lo, hi = min(matched), max(matched)
    # the model reads the body's stretch of the page and RESTORE_REACH lines on either side: the
    # menus above and the footer below cost time and move its figures little (README)
    first, end = max(0, lo - RESTORE_REACH), min(len(page), hi + RESTORE_REACH + 1)
    feats, repeated = describe_lines([line.text for line in page[first:end]], title=title)
    title_key = " ".join(_words(title or ""))

    def open_to_restore(v: int) -> bool:
        """Every test but the model's."""
        line = page[v]
        return (not covered[v] and bool(page_words[v]) and line.link_share < MAX_LINK_SHARE and not line.in_figure
                and not boilerplate_by_its_words(feats[v - first]) and " ".join(page_words[v]) != title_key)

    # the model reads the whole stretch, but only the lines the other tests leave open are scored
    candidates = [v for v in range(first, end) if open_to_restore(v)]
    if not candidates:
        return list(body)
    scored = get_line_model().probabilities(feats, repeated, rows=[v - first for v in candidates]).tolist()
    probability = dict(zip(candidates, scored, strict=True))

    def wanted(v: int) -> bool:
        return probability.get(v, 0.0) >= RESTORE_PROBABILITY

    picked = {v for v in range(lo, hi + 1) if wanted(v)}
    for step, start in ((1, hi + 1), (-1, lo - 1)):
        v, missed = start, 0
        while first <= v < end and missed <= RESTORE_GAP:
            if wanted(v):
                picked.add(v)
                missed = 0
            elif covered[v]:
                missed = 0
            else:
                missed += 1
            v += step
    if not picked:
        return list(body)
    return _merge(body, where, page, sorted(picked), {" ".join(words) for words in body_words})


def _merge(body: Sequence[str], where: list[int | None], page: Sequence[PageLine], picked: list[int],
           held: set[str]) -> list[str]:
    """The body lines in their order, each restored line put before the first body line that
    stands below it on the page (a line printed twice is put back once)."""
    out: list[str] = []
    queue = list(picked)

    def put_back(before: int | None) -> None:
        while queue and (before is None or queue[0] < before):
            line = page[queue.pop(0)].text
            key = " ".join(_words(line))
            if key not in held:
                held.add(key)
                out.append(line)

    for line, w in zip(body, where, strict=True):
        if w is not None:
            put_back(w)
        out.append(line)
    put_back(None)
    return out
