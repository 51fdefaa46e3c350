"""Plain-text dumps: keep every article line, drop the menus, prompts, notices and lists around it.

A dump is a page saved as text, one visible block per line. Each line is described by its
general features (``lines.describe_line``) and the learned line model (``linemodel``) gives
it the probability that it is article text, from its own features, its neighbours' and where
it stands among the page's prose; lines above the model's threshold are the body. A
paragraph printed twice is kept once. The first line is the title when it reads like a
headline. Every dropped line is kept, in order, for audit, with the model's probability.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .language import script_for_page
from .linemodel import get_line_model
from .lines import Kind, LineFeatures, describe_line, looks_like_bio

__all__ = ["DumpArticle", "LineDecision", "boilerplate_by_its_words", "describe_lines", "extract_dump", "filter_lines",
           "find_date", "split_lines", "title_split"]

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


def describe_lines(lines: Sequence[str], *, whole_page: bool = True,
                   title: str | None = None) -> tuple[list[LineFeatures], list[bool]]:
    """Each line's features, and whether the page has it more than once (the ``title`` line
    taken off the top of the page counts as on the page)."""
    counts = Counter(line.casefold() for line in lines)
    if title:
        counts[" ".join(title.split()).casefold()] += 1
    script = script_for_page(list(lines))
    repeated = [whole_page and counts[line.casefold()] > 1 for line in lines]
    return [describe_line(line, repeated=repeated[i], script=script) for i, line in enumerate(lines)], repeated


def filter_lines(lines: Sequence[str], *, whole_page: bool = True, title: str | None = None) -> list[LineDecision]:
    """Decide, line by line, what is article text.

    ``whole_page`` locates the article first (a dump): the learned line model
    (``linemodel``) gives every line the probability that it is article text; ``title`` is the
    page's first line when it was taken off as the headline. Without ``whole_page`` the lines
    are already an article body (trafilatura's output) and only boilerplate inside it is removed.
    """
    feats, repeated = describe_lines(lines, whole_page=whole_page, title=title)
    if not feats:
        return []
    if not whole_page:
        return _clean_body(feats)
    model = get_line_model()
    probabilities = model.probabilities(feats, repeated).tolist()
    # a line that is boilerplate by its own words (a prompt, a notice, a credit, a byline) goes
    # whatever its neighbours: measured, this helps on both benchmarks (F1 +0.001 on each)
    keep = [p >= model.threshold and not boilerplate_by_its_words(f)
            for f, p in zip(feats, probabilities, strict=True)]
    why = [_model_reason(f, p, k) for f, p, k in zip(feats, probabilities, keep, strict=True)]
    if not _hard_wrapped(feats, keep):
        _drop_headline_lists(feats, keep, why)
        _drop_captions(feats, keep, why)
    _drop_profile_names(feats, keep, why)
    _drop_repeated_paragraphs(feats, keep, why)
    return [LineDecision(i, feats[i].text, keep[i], why[i]) for i in range(len(feats))]


def _unfinished(f: LineFeatures) -> bool:
    """A short line that is not a sentence, a label or a list item: a headline, a link."""
    return f.kind in (Kind.SHORT, Kind.NEAR) and not (f.ends_sentence or f.ends_colon or f.bullet)


# a line longer than this with no sentence end, inside the story, is a caption or a teaser
_CAPTION_MIN_WORDS = 13
# a teaser headline has at least this many words; list items are often shorter
_HEADLINE_MIN_WORDS = 4
# a box of related stories holds a few headlines; a longer run of short lines is a list the article gives
_TEASERS_MAX = 5


def _drop_captions(feats: list[LineFeatures], keep: list[bool], why: list[str]) -> None:
    """A long line with no sentence end between two kept sentence paragraphs is a photo caption
    or a teaser; a subheading is short.
    A hand rule kept beside the model (measured in the README)."""
    kept = [i for i in range(len(feats)) if keep[i]]
    for before, i, after in zip(kept, kept[1:], kept[2:], strict=False):
        if _unfinished(feats[i]) and _opens_upper(feats[i]) and feats[i].words >= _CAPTION_MIN_WORDS and \
                _paragraph(feats[before]) and _paragraph(feats[after]):
            keep[i], why[i] = False, "caption or teaser (a long line with no sentence end)"


# a page whose kept lines open in lower case this often is prose wrapped at a fixed width: its
# lines without a sentence end are pieces of paragraphs, not headlines or captions
_WRAPPED_SHARE = 0.2


def _hard_wrapped(feats: list[LineFeatures], keep: list[bool]) -> bool:
    kept = [f.text for f, k in zip(feats, keep, strict=True) if k]
    return bool(kept) and sum(t[:1].islower() for t in kept) >= _WRAPPED_SHARE * len(kept)


def _opens_upper(f: LineFeatures) -> bool:
    return not f.text[:1].islower()


def _paragraph(f: LineFeatures) -> bool:
    return f.kind is not Kind.BAD and f.ends_sentence


def _drop_headline_lists(feats: list[LineFeatures], keep: list[bool], why: list[str]) -> None:
    """Two or more kept lines in a row that are none of them sentences (or all written in
    headline capitals), each of a headline's length but the first (a label such as "Read
    also"), after a sentence paragraph and before the next one (or closing the page), are a
    list of teaser headlines (at most five), not a subheading: a subheading stands alone between
    paragraphs, and a list of items is short words after a label with a colon, or long. A hand rule kept
    beside the model (measured in the README)."""
    i = 0
    while i < len(feats):
        j = i
        while j < len(feats) and keep[j] and _opens_upper(feats[j]) and \
                (_unfinished(feats[j]) or feats[j].title_case) and \
                (j == i or feats[j].words >= _HEADLINE_MIN_WORDS):
            j += 1
        before = next((k for k in range(i - 1, -1, -1) if keep[k]), None)
        after = next((k for k in range(j, len(feats)) if keep[k]), None)
        if 2 <= j - i <= _TEASERS_MAX and before is not None and _paragraph(feats[before]) and \
                (after is None or _paragraph(feats[after])):
            for k in range(i, j):
                keep[k], why[k] = False, "list of headlines or links"
        i = max(j, i + 1)


def _drop_profile_names(feats: list[LineFeatures], keep: list[bool], why: list[str]) -> None:
    """The name over an author's profile ("Jane Doe" / "Jane Doe is a reporter who covers ...")
    goes when the profile under it goes. A hand rule kept beside the model (measured in the README)."""
    for i in range(len(feats) - 1):
        name, profile = feats[i], feats[i + 1]
        if keep[i] and not keep[i + 1] and profile.text.startswith(name.text + " ") and \
                looks_like_bio(profile, name.text):
            keep[i], why[i] = False, "the name over an author's profile"


def boilerplate_by_its_words(f: LineFeatures) -> bool:
    """The line is a prompt, a notice, a credit or a byline by its own words, wherever it stands."""
    return f.kind is Kind.BAD and f.why in _BODY_BOILERPLATE


def _model_reason(f: LineFeatures, probability: float, keep: bool) -> str:
    if keep:
        return f"article text (line model {probability:.2f})"
    if f.kind is Kind.BAD:
        return f"{f.why} (line model {probability:.2f})"
    return f"outside the article (line model {probability:.2f})"


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


def title_split(lines: Sequence[str], title_hint: str | None = None) -> str | None:
    """The first line when ``extract_dump`` takes it as the title (it reads like a headline,
    or equals ``title_hint``), else None."""
    if len(lines) < 2:
        return None
    first = describe_line(lines[0])
    hint = title_hint.strip() if title_hint and title_hint.strip() else None
    if (hint and _same_text(first.text, hint)) or (hint is None and _headline_title(first)):
        return first.text
    return None


def _headline_title(f: LineFeatures) -> bool:
    # a menu or breadcrumb ("Home | World | Politics") reads like a headline but lists links
    menu = sum(f.text.count(sep) for sep in _MENU_SEPARATORS) >= 2
    return f.kind is not Kind.BAD and f.headline_like and 2 <= f.words <= 25 and not f.ends_colon and not menu


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _one_line(line: str, title: str | None, today: date | None) -> DumpArticle:
    """A document of one line is its own body (unless its words make it boilerplate): there is
    no page around it for the line model to tell it from."""
    f = describe_line(line)
    keep = not boilerplate_by_its_words(f)
    decision = LineDecision(0, f.text, keep, "the only line of the document" if keep else f.why)
    return DumpArticle(title=title, body=(f.text,) if keep else (), dropped=() if keep else (f.text,),
                       author=None, published=find_date([f.text], today=today), decisions=(decision,))


# the lines that may stand between a headline and the story: a byline, a dateline, a date
_UNDER_HEADLINE = 2
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _headline_above_prose(lines: Sequence[str]) -> int | None:
    """Where the headline stands when it is not the first line: the line right above the first
    prose paragraph (past at most two byline or date lines) when it reads like a headline of
    four words or more and is no longer than a caption, and every line above it is a menu item
    (a few words, no sentence). None otherwise."""
    feats, _ = describe_lines(lines)
    first_prose = next((i for i, f in enumerate(feats) if f.kind is Kind.GOOD), None)
    if first_prose is None:
        return None
    at = first_prose - 1
    for _ in range(_UNDER_HEADLINE):
        if at > 0 and _dateline_or_byline(feats[at]):
            at -= 1
    menu = all(f.words <= _HEADLINE_MIN_WORDS and not f.ends_sentence for f in feats[:at])
    if at > 0 and menu and _headline_title(feats[at]) and _HEADLINE_MIN_WORDS <= feats[at].words < _CAPTION_MIN_WORDS:
        return at
    return None


def _dateline_or_byline(f: LineFeatures) -> bool:
    return not f.ends_sentence and f.words <= 12 and bool(
        f.byline or f.date_words or _BYLINE_NAME.match(f.text) or _YEAR.search(f.text))


def _drop_above(decisions: list[LineDecision], headline: int) -> list[LineDecision]:
    """The headline and what stands above it (the site's menu) are not article text, nor are the
    byline and date lines between the headline and the story."""
    out = []
    story = next((d.index for d in decisions[headline + 1:] if not _dateline_or_byline(describe_line(d.text))),
                 len(decisions))
    for d in decisions:
        if d.index <= headline:
            d = LineDecision(d.index, d.text, False, "the headline" if d.index == headline else "above the headline")
        elif d.index < story and d.keep:
            d = LineDecision(d.index, d.text, False, "byline or date under the headline")
        out.append(d)
    return out


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
    if len(lines) == 1:
        return _one_line(lines[0], title, today)
    headline = title_split(lines, title_hint)
    other_headline = None
    if headline is None and title is not None:
        # the page opens with a headline-like line that is not the given title (a kicker, a caption
        # above the story): it stands where the headline stands, so it is not the story either
        other_headline = title_split(lines, None)
        headline = other_headline
    decisions: list[LineDecision] = []
    below_menu = _headline_above_prose(lines) if title is None else None
    if below_menu:  # the headline stands under the site's menu: it is the title, the menu above it goes
        title = lines[below_menu]
        decisions = _drop_above([LineDecision(i, line, False, "") for i, line in enumerate(lines[:below_menu])] + [
            LineDecision(d.index + below_menu, d.text, d.keep, d.why) for d in filter_lines(lines[below_menu:])],
            below_menu)
        lines = [d.text for d in decisions]
    elif headline is not None:
        decisions = filter_lines(lines[1:], title=headline)
        if any(d.keep for d in decisions):
            title = title or headline
            lines = lines[1:]
        else:  # nothing but the headline: the line is the text
            decisions = []
    if not decisions:
        decisions = filter_lines(lines)
    body = tuple(d.text for d in decisions if d.keep)
    dropped = tuple(d.text for d in decisions if not d.keep)
    if other_headline is not None and lines[0] != other_headline:
        dropped = (other_headline, *dropped)
    first_kept = next((d.index for d in decisions if d.keep), len(lines))
    if title is None:
        # a dump that opens with the site's menu: the headline is the last headline-like line the
        # filter dropped above the body ("Home | World | Politics", then the headline, then the story)
        above = [d.text for d in decisions[:first_kept] if not d.keep and not _BYLINE_NAME.match(d.text.strip())]
        title = next((t for t in reversed(above) if _headline_title(f := describe_line(t)) and f.words >= 4), None)
        if title is not None:
            at = dropped.index(title)
            dropped = dropped[:at] + dropped[at + 1:]  # the headline is the title, not a dropped line
    if below_menu:
        dropped = tuple(d.text for d in decisions if not d.keep and d.index != below_menu)
    head = [d.text for d in decisions[:first_kept]] + list(body[:1])
    return DumpArticle(
        title=title,
        body=body,
        dropped=dropped,
        author=find_author([d.text for d in decisions if not d.keep][:40]),
        published=find_date(head[-15:], today=today),
        decisions=tuple(decisions),
    )
