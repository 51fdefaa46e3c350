"""Plain-text dumps: keep every article line, drop the menus, prompts, notices and lists around it.

A dump is a page saved as text, one visible block per line. Each line is described by its
general features (``lines.describe_line``) and put in one of jusText's classes. The article
is then found as the densest run of sentence-like lines (a maximum-sum segment over per-line
scores), and the short lines inside it are judged by their context, as jusText does with
short and near-good blocks: a lone short line between paragraphs is a subheading or a
one-line quote and stays; a run of headline-like lines is a list of links and goes; a
profile box after the story goes. Every dropped line is kept, in order, for audit.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .language import script_for_page
from .lines import Kind, LineFeatures, describe_line, looks_like_bio

__all__ = ["DumpArticle", "LineDecision", "extract_dump", "filter_lines", "find_date", "split_lines"]

# Per-line scores for the maximum-sum segment that locates the article.
_GOOD_BASE, _GOOD_PER_WORD, _GOOD_WORD_CAP = 1.0, 0.05, 60
_NEAR_SENTENCE, _NEAR_OTHER, _SHORT, _BAD = 0.4, -0.3, -0.5, -1.5
# Headings that open what follows an article (comments, replies, lists of other stories):
# a stronger barrier, so that long comments or teasers below are not joined to the story.
_SECTION_HEADING = re.compile(
    r"^\W*(?:\d+\s+)?(?:comments?|responses?|replies|reply|leave a (?:reply|comment)|post a comment|"
    r"add a comment|join the (?:discussion|conversation)|related(?: articles| stories| posts| coverage)?|"
    r"more (?:from|stories|on this)|most (?:read|popular|viewed)|you (?:may|might) also like|recommended|"
    r"read (?:more|next)|trending)\b.{0,40}$",
    re.I,
)
_SECTION_BREAK = -3.0
# A paragraph cut off with an ellipsis is a teaser's summary: weak evidence of the story.
_TRUNCATED = re.compile(r"(?:\.\.\.|…)[\"'”’)\]]*$")
# A lone line with no sentence end inside the article is a subheading up to this many words;
# longer, it is a caption or a teaser.
_SUBHEADING_MAX_WORDS = 12
# Lines after the article that end the dump with nothing else after them belong to the
# article (a dump cut off mid-story) when there are at most this many and none is boilerplate.
_TRAILING_TAIL = 2
_BYLINE_NAME = re.compile(
    r"^(?:by|written by|words by|posted by|reported by)\s+((?:[A-Z][\w.'’-]*\s?){1,4}?)(?:\s*(?:,|\||and\b|-|–|—|$))",
    re.I,
)
_MONTH_NUMBER = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_DATE_MDY = re.compile(r"\b([A-Z][a-z]{2,8})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_DATE_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Z][a-z]{2,8})\.?,?\s+(\d{4})\b")
_DATE_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


@dataclass(frozen=True)
class LineDecision:
    """One line of the input and what the filter did with it, with the reason in words."""

    index: int
    text: str
    keep: bool
    why: str


@dataclass(frozen=True)
class DumpArticle:
    title: str | None
    body: tuple[str, ...]
    dropped: tuple[str, ...]
    author: str | None
    published: date | None
    decisions: tuple[LineDecision, ...]


def split_lines(text: str) -> list[str]:
    """The non-empty lines of a text, whitespace collapsed."""
    return [line for line in (" ".join(raw.split()) for raw in text.splitlines()) if line]


def _score(f: LineFeatures) -> float:
    if f.kind is Kind.GOOD and _TRUNCATED.search(f.text):
        return _NEAR_SENTENCE
    if f.kind is Kind.GOOD:
        return _GOOD_BASE + _GOOD_PER_WORD * min(f.words, _GOOD_WORD_CAP)
    if f.kind is Kind.NEAR:
        return _NEAR_SENTENCE if f.ends_sentence else _NEAR_OTHER
    if f.kind is Kind.SHORT:
        return _NEAR_SENTENCE / 2 if f.ends_sentence else _SHORT
    return _SECTION_BREAK if _SECTION_HEADING.match(f.text) else _BAD


def _densest_run(scores: Sequence[float]) -> tuple[int, int, float]:
    """The [start, end] of the contiguous run with the largest score sum (Kadane), and the sum."""
    best, best_span = float("-inf"), (0, -1)
    running, start = 0.0, 0
    for i, s in enumerate(scores):
        if running <= 0:
            running, start = s, i
        else:
            running += s
        if running > best:
            best, best_span = running, (start, i)
    return best_span[0], best_span[1], best


def _is_standfirst(f: LineFeatures) -> bool:
    """A summary sentence just above the article (kept with it)."""
    if f.kind is Kind.BAD or f.byline:
        return False
    return (f.ends_sentence and f.words >= 6 and f.stop_density >= 0.15) or (f.words >= 12 and f.stop_density >= 0.2)


def filter_lines(lines: Sequence[str], *, whole_page: bool = True) -> list[LineDecision]:
    """Decide, line by line, what is article text.

    ``whole_page`` locates the article first (a dump). Without it the lines are already an
    article body (trafilatura's output) and only boilerplate inside it is removed.
    """
    counts = Counter(line.casefold() for line in lines)
    script = script_for_page(list(lines))
    feats = [describe_line(line, repeated=whole_page and counts[line.casefold()] > 1, script=script)
             for line in lines]
    n = len(feats)
    if n == 0:
        return []
    if not whole_page:
        return _clean_body(feats)
    start, end, best = _densest_run([_score(f) for f in feats])
    if end < start or (best <= 0 and n > _TRAILING_TAIL + 1):
        return [LineDecision(i, f.text, False, "no article text on the page") for i, f in enumerate(feats)]
    lead = start
    if start > 0 and _is_standfirst(feats[start - 1]):
        start -= 1
    tail = feats[end + 1:]
    if 0 < len(tail) <= _TRAILING_TAIL and all(f.kind is not Kind.BAD for f in tail) and \
            not (len(tail) >= 2 and all(f.title_case for f in tail)):
        end = n - 1

    keep = [False] * n
    why = ["outside the article" for _ in range(n)]
    for i in range(start, end + 1):
        f = feats[i]
        if f.kind is Kind.BAD:
            why[i] = f.why
        elif i < lead:
            keep[i], why[i] = True, "standfirst above the article"
        elif f.headline_like:
            why[i] = "pending"
        elif f.kind is Kind.GOOD or (f.kind is Kind.NEAR and (f.ends_sentence or f.ends_colon)):
            keep[i], why[i] = True, f.why
        elif f.ends_sentence and not f.headline_like:
            keep[i], why[i] = True, "short sentence"
        else:
            why[i] = "pending"
    _judge_short_lines(feats, keep, why, start, end)
    _drop_profile_boxes(feats, keep, why, start, end)
    _drop_repeated_paragraphs(feats, keep, why)
    return [LineDecision(i, feats[i].text, keep[i], why[i]) for i in range(n)]


# In an article body already cut out of its page, only these verdicts are trusted: a short
# table row, a date under an embedded post or a list closing the story are article content.
_BODY_BOILERPLATE = {"template placeholder", "legal or consent notice", "contact details or a bare link",
                     "photo credit or caption", "byline", "prompt or navigation words"}


def _clean_body(feats: list[LineFeatures]) -> list[LineDecision]:
    """Lines that are already an article body: drop only the lines that are boilerplate by
    their own words (prompts, notices, credits, bylines), keep everything else."""
    decisions = []
    for i, f in enumerate(feats):
        drop = f.kind is Kind.BAD and f.why in _BODY_BOILERPLATE
        decisions.append(LineDecision(i, f.text, not drop, f.why if drop else "article text"))
    return decisions


def _judge_short_lines(feats: list[LineFeatures], keep: list[bool], why: list[str], start: int, end: int) -> None:
    """Context decides the short and headline-like lines inside the article."""
    i = start
    while i <= end:
        if why[i] != "pending":
            i += 1
            continue
        j = i
        while j + 1 <= end and why[j + 1] == "pending":
            j += 1
        run = feats[i:j + 1]
        before = _neighbour_kept(keep, why, i, -1, start, end)
        after = _neighbour_kept(keep, why, j, +1, start, end)
        if len(run) >= 2:
            verdict, reason = False, "list of headlines or links"
        else:
            f = run[0]
            at_tail = j == end and j == len(feats) - 1
            if f.ends_colon:
                verdict, reason = after, "label introducing the text below" if after else "label with nothing below"
            elif f.words > _SUBHEADING_MAX_WORDS and not f.ends_sentence and not at_tail:
                verdict, reason = False, "caption or teaser (a long line with no sentence end)"
            elif (before or i == start) and (after or at_tail):
                verdict, reason = True, "subheading or short paragraph inside the article"
            else:
                verdict, reason = False, "short line at the edge of the article"
        for k in range(i, j + 1):
            keep[k], why[k] = verdict, reason
        i = j + 1


def _neighbour_kept(keep: list[bool], why: list[str], index: int, step: int, start: int, end: int) -> bool:
    k = index + step
    return start <= k <= end and why[k] != "pending" and keep[k]


def _drop_profile_boxes(feats: list[LineFeatures], keep: list[bool], why: list[str], start: int, end: int) -> None:
    """An author profile after the story: a name line and a line about that person."""
    kept = [i for i in range(start, end + 1) if keep[i]]
    if len(kept) < 3:
        return
    tail_from = kept[len(kept) * 2 // 3]
    for i in range(max(tail_from, start + 1), end + 1):
        if not keep[i]:
            continue
        name_line = feats[i - 1].text if feats[i - 1].words <= 5 else None
        if looks_like_bio(feats[i], name_line):
            keep[i], why[i] = False, "author profile"
            if name_line and feats[i].text.startswith(name_line):
                keep[i - 1], why[i - 1] = False, "author profile"


def _drop_repeated_paragraphs(feats: list[LineFeatures], keep: list[bool], why: list[str]) -> None:
    """A paragraph printed twice (a pull quote, a teaser repeating the lede) is kept once."""
    seen: set[str] = set()
    for i, f in enumerate(feats):
        if not keep[i]:
            continue
        key = f.text.casefold()
        if key in seen:
            keep[i], why[i] = False, "repeats an earlier paragraph"
        seen.add(key)


_MENU_SEPARATORS = ("|", "•", "·", "»", "›")


def _headline_title(f: LineFeatures) -> bool:
    # a menu or breadcrumb ("Home | World | Politics") reads like a headline but lists links
    menu = sum(f.text.count(sep) for sep in _MENU_SEPARATORS) >= 2
    return f.kind is not Kind.BAD and f.headline_like and 2 <= f.words <= 25 and not f.ends_colon and not menu


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def find_author(lines: Sequence[str]) -> str | None:
    """The name on a byline such as "By Jane Doe, Reuters"."""
    for line in lines:
        match = _BYLINE_NAME.match(line.strip())
        if match:
            name = match.group(1).strip(" ,.")
            if name and len(name.split()) <= 4:
                return name
    return None


def find_date(lines: Sequence[str], *, today: date | None = None) -> date | None:
    """The first full date written in ``lines`` ("March 3, 2024", "3 March 2024", "2024-03-03")
    that is not in the future."""
    limit = today or date.today()
    for line in lines:
        for found in _dates_in(line):
            if date(1990, 1, 1) <= found <= limit:
                return found
    return None


def _dates_in(line: str) -> list[date]:
    found: list[tuple[int, date]] = []
    for pattern, order in ((_DATE_MDY, "mdy"), (_DATE_DMY, "dmy"), (_DATE_ISO, "ymd")):
        for m in pattern.finditer(line):
            try:
                if order == "mdy":
                    month, day, year = _MONTH_NUMBER.get(m.group(1)[:3].lower()), int(m.group(2)), int(m.group(3))
                elif order == "dmy":
                    day, month, year = int(m.group(1)), _MONTH_NUMBER.get(m.group(2)[:3].lower()), int(m.group(3))
                else:
                    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
                if month:
                    found.append((m.start(), date(year, month, day)))
            except ValueError:
                continue
    return [d for _, d in sorted(found, key=lambda pair: pair[0])]


def extract_dump(text: str, *, title_hint: str | None = None, today: date | None = None) -> DumpArticle:
    """The article in a plain-text dump: title, body lines, dropped lines, byline and date.

    The title is the first line when it reads like a headline (or equals ``title_hint``);
    it is then not part of the body.
    """
    lines = split_lines(text)
    title: str | None = title_hint.strip() if title_hint and title_hint.strip() else None
    first = describe_line(lines[0]) if lines else None
    decisions: list[LineDecision] = []
    if first is not None and len(lines) > 1 and (
            (title and _same_text(first.text, title)) or (title is None and _headline_title(first))):
        decisions = filter_lines(lines[1:])
        if any(d.keep for d in decisions):
            title = title or first.text
            lines = lines[1:]
        else:  # nothing but the headline: the line is the text
            decisions = []
    if not decisions:
        decisions = filter_lines(lines)
    body = tuple(d.text for d in decisions if d.keep)
    dropped = tuple(d.text for d in decisions if not d.keep)
    first_kept = next((d.index for d in decisions if d.keep), len(lines))
    if title is None:
        # a dump that opens with the site's menu: the headline is the last headline-like line the
        # filter dropped above the body ("Home | World | Politics", then the headline, then the story)
        above = [d.text for d in decisions[:first_kept] if not d.keep and not _BYLINE_NAME.match(d.text.strip())]
        title = next((t for t in reversed(above) if _headline_title(f := describe_line(t)) and f.words >= 4), None)
        if title is not None:
            at = dropped.index(title)
            dropped = dropped[:at] + dropped[at + 1:]  # the headline is the title, not a dropped line
    head = [d.text for d in decisions[:first_kept]] + list(body[:1])
    return DumpArticle(
        title=title,
        body=body,
        dropped=dropped,
        author=find_author([d.text for d in decisions if not d.keep][:40]),
        published=find_date(head[-15:], today=today),
        decisions=tuple(decisions),
    )
