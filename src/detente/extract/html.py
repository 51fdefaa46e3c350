"""HTML pages: trafilatura for the body and metadata, helped on both sides.

Before trafilatura, blocks that are boilerplate on every site are cut out of the tree by
their markup alone: cookie and consent banners, share bars, newsletter boxes, "related" and
"read more" lists, comment sections, author profile boxes (by class, id, ARIA role or
label), never a block holding most of the page's text. trafilatura then runs with comments
off and precision favoured, and its output lines go through the text-dump line filter a
second time, which removes the prompts and notices that sit inside article containers; then
the article lines trafilatura left out are put back where the line model reads the page's
visible lines as article text (``restore``). When trafilatura finds nothing, the page's
visible lines go through the dump filter instead. Title, author and date are read from the
whole page before anything is cut (``metadata``).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import date
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from ..errors import ExtractionFailed, Reason
from .metadata import choose_author, choose_date, choose_title, collect, read_trafilatura, stated_date
from .restore import PageLine, restore_lines
from .textdump import LineDecision, filter_lines, split_lines

__all__ = ["HtmlArticle", "extract_html", "page_lines", "preclean", "visible_lines"]

_BOILERPLATE_NAME = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent|gdpr|cmp|share|sharing|sharebar|social|socials|newsletters?|subscribe|"
    r"subscription|signup|sign-up|related|recommend\w*|read-?more|more-stories|more-articles|"
    r"outbrain|taboola|comments?|comment-list|disqus|respond|author-bio|authorbio|author-box|bio-box|"
    r"about-author|author-info|promo|advert\w*|ads?|ad-slot|ad-container|sponsor\w*|breadcrumbs?|popup|"
    r"modal|paywall|tag-list|tags|trending|most-popular|most-read|print-only)(?:$|[\s_-])",
    re.I,
)
_BOILERPLATE_ROLES = {"navigation", "complementary", "contentinfo", "banner", "dialog", "alertdialog", "search",
                      "menu", "menubar", "toolbar"}
_BOILERPLATE_LABEL = re.compile(r"\b(?:share|cookie|newsletter|related|comments?|advert\w*|navigation|menu)\b", re.I)
_BOILERPLATE_TAGS = {"nav", "aside", "footer", "form", "button", "select", "noscript", "iframe", "dialog"}
_NEVER_REMOVED = {"html", "body", "article", "main"}
# A block holding more than this share of the page's text is never cut, whatever its name.
_MAX_REMOVED_SHARE = 0.3
# Past this length a named block is cut only when it is mostly links (a list of headlines).
_LONG_BLOCK_CHARS = 2000
_LINK_LIST_DENSITY = 0.4
_PROSE_CHARS = 150
_LARGE_PAGE_CHARS = 2_000_000
_BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "section", "article", "header",
               "footer", "nav", "aside", "blockquote", "figcaption", "dt", "dd", "form", "ul", "ol", "table",
               "main", "pre", "hr", "td", "th", "figure", "address", "details", "summary"}
_INVISIBLE_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "head", "object", "embed"}


@dataclass(frozen=True)
class HtmlArticle:
    title: str | None
    author: str | None
    url: str | None
    site: str | None
    published: date | None
    body: tuple[str, ...]
    dropped: tuple[str, ...]


# lxml.html's own parser asks a Python function for the class of every element object it
# hands out (form fields get classes of their own); walking a page makes thousands of them, in
# trafilatura's passes too (its copies keep the parser). The same HtmlElement for every element,
# looked up in C, costs a fraction of that; nothing here uses the form classes. One parser per
# thread, as lxml keeps its own default parsers.
_PARSERS = threading.local()


def _parser() -> Any:
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = etree.HTMLParser()
        parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
            element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment, pi=lxml_html.HtmlProcessingInstruction,
            entity=lxml_html.HtmlEntity))
        _PARSERS.parser = parser
    return parser


def parse_html(text: str) -> Any:
    """An lxml tree, or ExtractionFailed(no_text) when the markup has no element at all."""
    try:
        tree = lxml_html.document_fromstring(text, parser=_parser())
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionFailed(Reason.NO_TEXT, "the HTML could not be parsed into a page with text") from exc
    return tree


def _class_names(el: Any) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}"


def _is_boilerplate_block(el: Any) -> str | None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag.lower() in _NEVER_REMOVED:
        return None
    if tag.lower() in _BOILERPLATE_TAGS:
        return f"<{tag}>"
    role = (el.get("role") or "").strip().lower()
    if role in _BOILERPLATE_ROLES:
        return f"role={role}"
    label = el.get("aria-label") or ""
    if label and _BOILERPLATE_LABEL.search(label):
        return f"aria-label={label!r}"
    names = _class_names(el)
    if names.strip() and _BOILERPLATE_NAME.search(names):
        return f"class/id {names.strip()!r}"
    return None


# The attributes and tags a boilerplate block is known by, in page order (an attribute comes
# right after its element): asking every element of the page for each of them from Python cost
# more than the rest of pre-cleaning.
_BLOCK_MARKS = etree.XPath(" | ".join([".//@class", ".//@id", ".//@role", ".//@aria-label"]
                                      + [f".//{tag}" for tag in sorted(_BOILERPLATE_TAGS)]))


def boilerplate_blocks(body: Any) -> list[Any]:
    """The elements under ``body`` that ``_is_boilerplate_block`` names, in page order.

    The same verdicts, read from the attributes: a class or id matches the name pattern on its
    own exactly when it matches in the class and id joined by a space (a word never spans the
    space, a boundary on both sides). A page repeats its class names, so each is judged once."""
    found: dict[Any, None] = {}
    names: dict[str, bool] = {}
    marks: list[Any] = _BLOCK_MARKS(body)
    hit: bool | None
    for mark in marks:
        kind = getattr(mark, "attrname", None)  # an attribute's value knows its name, an element has none
        if kind is None:
            found[mark] = None
            continue
        if kind == "role":
            hit = mark.strip().lower() in _BOILERPLATE_ROLES
        elif kind == "aria-label":
            hit = bool(_BOILERPLATE_LABEL.search(mark))
        else:
            hit = names.get(mark)
            if hit is None:
                hit = names[mark] = bool(_BOILERPLATE_NAME.search(mark))
        if hit:
            found[mark.getparent()] = None
    return [el for el in found if el.tag.lower() not in _NEVER_REMOVED]


def preclean(tree: Any) -> list[str]:
    """Cut boilerplate blocks out of ``tree`` (in place); returns what was cut, for audit."""
    body = tree.find(".//body")
    if body is None:
        return []
    total = len(body.text_content() or "") or 1
    removed: list[str] = []
    for el in boilerplate_blocks(body):
        parent = el.getparent()
        if parent is None or not _attached(el, body):
            continue
        text = " ".join((el.text_content() or "").split())
        if len(text) > _MAX_REMOVED_SHARE * total:
            continue
        if (len(text) > _LONG_BLOCK_CHARS or _prose_paragraphs(el) >= 2) \
                and _link_density(el, len(text)) < _LINK_LIST_DENSITY:
            continue  # a block of prose is judged by trafilatura, not by its name
        if text:
            removed.append(text[:200])
        el.drop_tree()
    return removed


def _prose_paragraphs(el: Any) -> int:
    return sum(1 for p in el.iter("p") if len(" ".join((p.text_content() or "").split())) >= _PROSE_CHARS)


def _link_density(el: Any, text_length: int) -> float:
    linked = sum(len(" ".join((a.text_content() or "").split())) for a in el.iter("a"))
    return linked / max(1, text_length)


def _attached(el: Any, root: Any) -> bool:
    node = el
    while node is not None:
        if node is root:
            return True
        node = node.getparent()
    return False


def visible_lines(tree: Any) -> list[str]:
    """The page's visible text, one block per line (the shape of a text dump)."""
    return [line.text for line in page_lines(tree)]


# what str.splitlines splits at (split_lines' line ends)
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_FIGURE_TAGS = {"figure", "figcaption"}
_CAPTION_CLASS = re.compile(r"caption|credit", re.I)


class _LineBuilder:
    """Collects a page's text pieces into lines, counting the characters inside links and
    noting whether any of a line's text stands in a figure or caption."""

    def __init__(self) -> None:
        self.lines: list[PageLine] = []
        self._pieces: list[str] = []
        self._link_chars = 0
        self._figure = False

    def add(self, text: str, in_link: bool, in_figure: bool) -> None:
        for k, piece in enumerate(_LINE_BREAK.split(text)):
            if k:
                self.end_line()
            if piece:
                self._pieces.append(piece)
                if in_link:
                    self._link_chars += sum(len(word) for word in piece.split())
                if in_figure and not piece.isspace():
                    self._figure = True

    def end_line(self) -> None:
        if not self._pieces:
            return  # nothing since the last line (no link characters, no figure text either)
        words = "".join(self._pieces).split()
        if words:
            chars = sum(len(word) for word in words)
            self.lines.append(PageLine(" ".join(words), self._link_chars / chars, self._figure))
        self._pieces, self._link_chars, self._figure = [], 0, False


def _figure_like(el: Any, tag: str) -> bool:
    return tag in _FIGURE_TAGS or bool(_CAPTION_CLASS.search(el.get("class") or ""))


def page_lines(tree: Any) -> list[PageLine]:
    """The page's visible lines (``visible_lines``), each with its share of link text and
    whether it stands in a figure or a caption or credit block."""
    builder = _LineBuilder()
    skip_depth = links = figures = 0
    # what each open element added to the link and figure counts, taken back at its end (a
    # caption's class is read once, not at both ends)
    opened: list[tuple[bool, bool]] = []
    for event, el in etree.iterwalk(tree, events=("start", "end")):
        if event == "start":
            if skip_depth or not isinstance(el.tag, str) or (tag := el.tag.lower()) in _INVISIBLE_TAGS:
                skip_depth += 1
                continue
            link, figure = tag == "a", _figure_like(el, tag)
            opened.append((link, figure))
            links += link
            figures += figure
            if tag in _BLOCK_TAGS:
                builder.end_line()
            if el.text:
                builder.add(el.text, links > 0, figures > 0)
        else:
            if skip_depth:
                skip_depth -= 1
                if skip_depth == 0 and el.tail:
                    builder.add(el.tail, links > 0, figures > 0)
                continue
            link, figure = opened.pop()
            links -= link
            figures -= figure
            if el.tag.lower() in _BLOCK_TAGS:
                builder.end_line()
            if el.tail:
                builder.add(el.tail, links > 0, figures > 0)
    builder.end_line()
    return builder.lines


_SCRIPT_OR_STYLE = re.compile(r"<(script|style|template|svg|noscript)\b.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^<>]*>")


def _stripped_lines(text: str) -> list[str]:
    """The text between tags, for markup the parser gave up on (nesting deeper than libxml2
    keeps, for one): a last resort so that readable words are never lost."""
    import html as html_entities

    bare = _TAG.sub("\n", _SCRIPT_OR_STYLE.sub("\n", text))
    return split_lines(html_entities.unescape(bare))


# trafilatura with precision favoured sometimes keeps a sliver of the article: its lead, or one
# of the blocks a guide or a review is split into. When its text is under this share of the
# page's prose, its balanced reading (the one plain trafilatura gives) is asked for too and taken
# when it is more than twice as long (README, Article extraction: the 4% of pages this asks it
# on, and the shares and ratios measured around these on both benchmarks).
_SLIVER_SHARE = 0.3
_BALANCED_GAIN = 2.0
_PROSE_MIN_WORDS = 12
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*$")


def _prose_chars(lines: list[PageLine]) -> int:
    """The characters of the page's visible lines that read as prose: sentences of some length,
    not mostly link text."""
    return sum(len(line.text) for line in lines
               if line.link_share < 0.5 and _SENTENCE_END.search(line.text)
               and len(line.text.split()) >= _PROSE_MIN_WORDS)


def _trafilatura_body(tree: Any, *, url: str | None, fast: bool, prose: int) -> Any:
    """trafilatura's reading of the pre-cleaned page (comments off, precision favoured), or its
    balanced reading when the first keeps a sliver of the page's ``prose`` and the second is
    much longer; None when it finds nothing."""
    import trafilatura

    def read(precision: bool) -> Any:
        return trafilatura.bare_extraction(tree, url=url, include_comments=False, favor_precision=precision,
                                           include_images=False, fast=fast, with_metadata=False)

    precise = read(True)
    own = len(getattr(precise, "text", None) or "") if precise is not None else 0
    if fast or own >= _SLIVER_SHARE * prose:
        return precise
    balanced = read(False)
    longer = len(getattr(balanced, "text", None) or "") if balanced is not None else 0
    return balanced if longer > _BALANCED_GAIN * own else precise


def _date_or_none(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def extract_html(text: str, *, url: str | None = None, today: date | None = None,
                 restore: bool = True) -> HtmlArticle:
    """Title, byline, canonical URL, site, date and body lines of an HTML page.

    ``restore`` puts back the article lines trafilatura left out that the line model reads as
    article text (``restore``); off, the body is trafilatura's lines less their boilerplate."""

    tree = parse_html(text)
    title_el = tree.find(".//title")
    page_title = " ".join((title_el.text_content() if title_el is not None else "").split()) or None
    large = len(text) > _LARGE_PAGE_CHARS
    seen = [] if large else page_lines(tree)
    visible = [line.text for line in seen]
    limit = (today or date.today()).isoformat()
    # The metadata is read from the whole page (bylines and dates sit in blocks preclean cuts);
    # on very large pages the full-text date search costs more than it gives.
    candidates = collect(tree)
    try:
        found = read_trafilatura(tree, url=url, max_date=limit, extensive=not large,
                                 stated_date=stated_date(candidates, today=today) is not None, lines=visible)
    except (RecursionError, ValueError, etree.LxmlError):
        found = None
    page_url = url or (found.url if found is not None else None)
    author = choose_author(candidates, found, url=page_url)  # before preclean: bylines sit in cut blocks
    preclean(tree)
    try:
        result = _trafilatura_body(tree, url=url, fast=large, prose=_prose_chars(seen))
    except (RecursionError, ValueError, etree.LxmlError):
        result = None  # pathological markup trafilatura cannot walk: the dump reading below takes over
    meta_title = getattr(found, "title", None) if found is not None else None
    title = meta_title or page_title
    body_lines = split_lines(getattr(result, "text", None) or "") if result is not None else []
    decisions: list[LineDecision]
    if body_lines:
        if title and body_lines and _same(body_lines[0], title):
            body_lines = body_lines[1:]
        decisions = filter_lines(body_lines, whole_page=False)
    else:
        decisions = []
    if any(d.keep for d in decisions):
        body = tuple(d.text for d in decisions if d.keep)
        if restore and seen:
            page = seen[1:] if title and _same(seen[0].text, title) else seen
            body = tuple(restore_lines(page, body, title=title))
        body = drop_repeated_runs(body)
    else:
        # trafilatura found no article container: read the page as a dump instead.
        lines = (visible if not large else visible_lines(parse_html(text))) or _stripped_lines(text)
        if not lines:
            raise ExtractionFailed(Reason.NO_TEXT, "the HTML page has no readable text (no paragraphs, only markup)")
        if title and lines and _same(lines[0], title):
            lines = lines[1:]
        decisions = filter_lines(lines)
        body = tuple(d.text for d in decisions if d.keep)
    dropped = _lines_left_out(visible, body, title) if visible else \
        tuple(d.text for d in decisions if not d.keep)
    return HtmlArticle(
        title=choose_title(candidates, title, url=page_url),
        author=author,
        url=page_url,
        site=found.sitename if found is not None else None,
        published=choose_date(candidates, _date_or_none(found.date if found is not None else None), today=today),
        body=body,
        dropped=dropped,
    )


# A page that prints its story twice (a print or mobile copy, tabs holding the same text) repeats
# a run of its paragraphs: a run of at least this many lines, holding at least this many prose
# paragraphs, that repeats an earlier run word for word is the copy. Short lines repeat in
# articles of their own accord (table cells, the headings of a plan printed for each day), and a
# single paragraph repeated is a pull quote the article shows twice; neither is cut.
_REPEAT_RUN_LINES = 3
_REPEAT_RUN_PROSE = 3
_REPEAT_PROSE_WORDS = 16  # a paragraph of prose, not a line of a list ("Portion: 1 cup rice, 1 tsp. oil.")
_WORDS = re.compile(r"\w+")


def _prose_line(line: str) -> bool:
    return len(line.split()) >= _REPEAT_PROSE_WORDS and bool(_SENTENCE_END.search(line))


def drop_repeated_runs(body: tuple[str, ...]) -> tuple[str, ...]:
    """``body`` without the runs of paragraphs that repeat an earlier run (the story printed twice)."""
    keys = [" ".join(_WORDS.findall(line.casefold())) for line in body]
    first: dict[str, int] = {}
    drop = [False] * len(body)
    for i, key in enumerate(keys):
        j = first.setdefault(key, i)
        if j == i or drop[i]:
            continue
        run = 0
        while i + run < len(keys) and j + run < i and keys[j + run] == keys[i + run]:
            run += 1
        if run >= _REPEAT_RUN_LINES and sum(_prose_line(body[i + k]) for k in range(run)) >= _REPEAT_RUN_PROSE:
            drop[i:i + run] = [True] * run
    return body if not any(drop) else tuple(line for line, cut in zip(body, drop, strict=True) if not cut)


def _lines_left_out(page_lines: list[str], body: tuple[str, ...], title: str | None) -> tuple[str, ...]:
    """The page's visible lines that are not part of the body (nor the title), in page order."""
    kept = {_key(line) for line in body}
    joined = _key(" ".join(body))
    left_out = []
    for line in page_lines:
        key = _key(line)
        if key in kept or (title and key == _key(title)) or (len(key) >= 40 and key in joined):
            continue
        left_out.append(line)
    return tuple(left_out)


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())
