"""Title, author and publication date of an HTML page, chosen among the page's own candidates.

A page states its metadata in several places that disagree: the ``<title>`` (often with the
site's name after a separator), ``og:``/``twitter:`` and other ``<meta>`` tags, JSON-LD
(``headline``, ``author``, ``datePublished``), the ``<h1>`` above the article, ``<time>``
elements and a byline near the heading. trafilatura's own metadata is one more candidate.
The choice rules below are general (no site is named) and were chosen by measurement against
the title, author and date truth of the WCXB dev split (``scripts/extract_bench.py`` reports
the rates beside plain trafilatura's).
"""

from __future__ import annotations

import contextlib
import html
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from .textdump import find_date as written_date

__all__ = ["Candidates", "TrafilaturaMeta", "choose_author", "choose_date", "choose_title", "collect", "normalise",
           "read_trafilatura", "stated_date"]

_TITLE_SEPARATORS = re.compile(r"\s+(?:[|\-–—:•·»~/]|::)\s+")
_JSONLD_ARTICLE_TYPES = re.compile(r"(?:Article|Posting|BlogPosting|Report|WebPage|Review|Recipe|HowTo)$", re.I)
_ISO_DATE = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)")
_AUTHOR_CLASS = re.compile(r"(?:^|[\s_-])(?:author|byline|by-line|writer|contributor)s?(?:$|[\s_-])", re.I)
_BY_PREFIX = re.compile(r"^\s*(?:written\s+|posted\s+|reviewed\s+|edited\s+)?by[:\s]+", re.I)
_NAME_WORD = re.compile(r"^[^\W\d_][\w'’.-]*$")
_MAX_AUTHOR_CHARS = 80


@dataclass
class Candidates:
    """Every value the page offers for each field, with where it came from, in page order."""

    titles: list[tuple[str, str]] = field(default_factory=list)
    authors: list[tuple[str, str]] = field(default_factory=list)
    dates: list[tuple[str, date]] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)


@dataclass
class TrafilaturaMeta:
    """trafilatura's reading of a page's metadata; its author search (a copy of the whole tree,
    pruned) runs only when asked for, which the choice below rarely needs."""

    tree: Any
    title: str | None
    url: str | None
    date: str | None
    sitename: str | None
    _author: str | None
    _searched: bool = False

    @property
    def author(self) -> str | None:
        if self._author is None and not self._searched:
            from trafilatura.metadata import extract_author

            self._searched = True
            try:
                self._author = _clean(extract_author(self.tree)) or None
            except (RecursionError, ValueError):
                self._author = None
        return self._author


def read_trafilatura(tree: Any, *, url: str | None, max_date: str, extensive: bool,
                     stated_date: bool = False, lines: Sequence[str] = ()) -> TrafilaturaMeta:
    """What ``trafilatura.extract_metadata`` gives for the title, author, date and site name,
    without the categories, tags and licence it also looks for (a third of its time), with the
    author searched lazily, and htmldate not asked at all when the page states its date
    (``stated_date``: a candidate ``choose_date`` then takes); its search of the page's text
    (``extensive``) runs only when its reading of the markup gives no date either, nor a full
    date written in the page's visible ``lines`` (the first, as a text dump's date is read).
    Uses trafilatura's own steps (the version pinned in requirements.lock)."""
    from htmldate import extractors as htmldate_extractors
    from htmldate import find_date
    from trafilatura import metadata as traf

    # htmldate's text search hands odd strings to dateparser, which tries all 205 locales on any
    # string none of them reads (about 4 s the first time in a process, for one date in 588 on
    # the WCXB pages); the same parser told the languages the string's month names belong to
    # finds the same dates (see DateStrings).
    htmldate_extractors.get_external_parser = date_strings_parser  # type: ignore[assignment]
    found = traf.examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None  # as trafilatura: a single word is a handle, not a name
    with contextlib.suppress(Exception):  # trafilatura guards its JSON-LD reader the same way
        found = traf.extract_meta_json(tree, found)
    title = found.title or traf.extract_title(tree)
    page_url = found.url or traf.extract_url(tree, url)
    # the page's own statement of its date (published_time, JSON-LD, <time>) is taken as it is,
    # without htmldate's weighing of the page's dates: measured on the WCXB dev pages, two more
    # dates right of 588 and htmldate's reading spared on the pages that state one (README)
    day = None if stated_date else \
        find_date(tree, url=page_url, original_date=True, extensive_search=False, max_date=max_date)
    if not day and extensive and not stated_date:
        # The markup states no date at all. A date written out in full on the page ("March 3,
        # 2024") comes first: htmldate's search of the whole source costs some 40 ms a page, and
        # on the 103 WCXB dev pages it ran on it was right on 21 of the 33 with a true date (a
        # year's first day from copyright lines on many of the others); this first, it after: 23
        # (README, Article extraction).
        written = written_date(lines, today=date.fromisoformat(max_date[:10])) if lines else None
        day = written.isoformat() if written is not None else \
            find_date(tree, url=page_url, original_date=True, extensive_search=True, max_date=max_date)
    site = found.sitename or traf.extract_sitename(tree)
    if site:
        site = site.lstrip("@")
        if site and "." not in site and not site[0].isupper():
            site = site.title()
    return TrafilaturaMeta(tree, _clean(title) or None, page_url or None, day or None, site or None,
                           _clean(found.author) or None)


# htmldate's own settings for dateparser (htmldate/extractors.py, get_external_parser)
_DATEPARSER_SETTINGS = {"NORMALIZE": True, "PARSERS": ["custom-formats", "absolute-time"],
                        "PREFER_DATES_FROM": "past", "PREFER_LOCALE_DATE_ORDER": True,
                        "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": True}
_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")
_LETTER_WORD = re.compile(r"[^\W\d_]+")


class DateStrings:
    """A stand-in for the dateparser parser htmldate uses on date-like strings of a page's text:
    each string goes to a parser limited to the locales whose month names it contains, to English
    when it names no month in any locale, and to every locale (as htmldate does) when it has no
    letters at all (dateparser then tries one locale per date order)."""

    def __init__(self) -> None:
        self._parsers: dict[tuple[str, ...] | None, Any] = {}
        self._months: dict[str, set[str]] | None = None

    def month_locales(self, text: str) -> tuple[str, ...] | None:
        """The locales to try on ``text`` (None: all of them)."""
        words = [w.replace("ı", "i").replace("İ", "i").lower() for w in _LETTER_WORD.findall(text)]
        if not words:
            return None
        if self._months is None:
            from dateparser.languages.loader import default_loader

            months: dict[str, set[str]] = {}
            for locale in default_loader.get_locales():
                for key in _MONTH_KEYS:
                    for name in locale.info.get(key, ()):
                        months.setdefault(name.replace("ı", "i").replace("İ", "i").lower(), set()).add(
                            locale.shortname)
            self._months = months
        named: set[str] = set()
        for word in words:
            named |= self._months.get(word, set())
        return tuple(sorted(named)) if named else ("en",)

    def get_date_data(self, text: str) -> Any:
        locales = self.month_locales(text)
        parser = self._parsers.get(locales)
        if parser is None:
            from dateparser import DateDataParser

            parser = DateDataParser(locales=list(locales) if locales else None, settings=_DATEPARSER_SETTINGS)
            if len(self._parsers) >= 64:  # a page of odd month-name mixes must not grow this without end
                self._parsers.clear()
            self._parsers[locales] = parser
        return parser.get_date_data(text)


_DATE_STRINGS = DateStrings()


def date_strings_parser() -> DateStrings:
    return _DATE_STRINGS


def normalise(text: str | None) -> str:
    """Casefolded words only (what two titles or names are compared on)."""
    return " ".join(re.sub(r"[\W_]+", " ", (text or "").casefold()).split())


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _date_of(value: str | None) -> date | None:
    if not value:
        return None
    found = _ISO_DATE.search(value)
    if not found:
        return None
    try:
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


def _meta_tags(tree: Any) -> Iterator[tuple[str, str]]:
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = el.get("content")
        if key and value:
            yield key, _clean(value)


def _jsonld_objects(tree: Any) -> Iterator[dict[str, Any]]:
    for el in tree.iter("script"):
        if (el.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(el.text or "")
        except (ValueError, RecursionError):
            continue
        stack: list[Any] = [data]
        seen = 0
        while stack and seen < 200:
            item = stack.pop(0)
            seen += 1
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)


def _types(obj: dict[str, Any]) -> list[str]:
    kind = obj.get("@type")
    if isinstance(kind, str):
        return [kind]
    if isinstance(kind, list):
        return [k for k in kind if isinstance(k, str)]
    return []


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [_clean(value)]
    if isinstance(value, dict):
        name = value.get("name")
        return [_clean(name)] if isinstance(name, str) else []
    if isinstance(value, list):
        return [n for item in value[:10] for n in _names(item)]
    return []


def collect(tree: Any) -> Candidates:
    """The page's own title, author and date candidates (``tree`` is read, never changed)."""
    found = Candidates()
    title_el = tree.find(".//title")
    if title_el is not None and _clean(title_el.text_content()):
        found.titles.append(("title", _clean(title_el.text_content())))
    for key, value in _meta_tags(tree):
        if key in ("og:site_name", "application-name", "apple-mobile-web-app-title", "twitter:site"):
            found.sites.append(value.lstrip("@"))
        elif key in ("og:title", "twitter:title", "title", "headline", "dc.title", "sailthru.title", "parsely-title"):
            found.titles.append((key, value))
        elif key in ("author", "article:author", "dc.creator", "byl", "parsely-author", "sailthru.author",
                     "twitter:creator") and not value.startswith(("http", "@")):
            found.authors.append((key, value))
        elif key in ("article:published_time", "datepublished", "pubdate", "publishdate", "date", "dc.date",
                     "dc.date.issued", "og:published_time", "parsely-pub-date", "sailthru.date", "publish-date",
                     "article.published", "published_time", "release_date"):
            day = _date_of(value)
            if day:
                found.dates.append((key, day))
    for obj in _jsonld_objects(tree):
        types = _types(obj)
        if any(t in ("WebSite", "Organization", "NewsMediaOrganization") for t in types):
            found.sites.extend(_names(obj))
        for publisher in _names(obj.get("publisher")):
            found.sites.append(publisher)
        if not any(_JSONLD_ARTICLE_TYPES.search(t) for t in types):
            continue
        kind = "webpage" if all(t.lower().endswith("webpage") for t in types) else "article"
        for key in ("headline", "name"):
            if isinstance(obj.get(key), str) and _clean(obj[key]):
                found.titles.append((f"ld:{kind}:{key}", _clean(obj[key])))
        for name in _names(obj.get("author")) + _names(obj.get("creator")):
            if name:
                found.authors.append((f"ld:{kind}:author", name))
        for key in ("datePublished", "dateCreated"):
            day = _date_of(obj.get(key) if isinstance(obj.get(key), str) else None)
            if day:
                found.dates.append((f"ld:{kind}:{key}", day))
    for h1 in tree.iter("h1"):
        text = _clean(h1.text_content())
        if text:
            found.titles.append(("h1", text))
    for el in tree.iter("time"):
        day = _date_of(el.get("datetime"))
        if day:
            found.dates.append(("time", day))
    for el in _byline_elements(tree):
        text = _BY_PREFIX.sub("", _clean(el.text_content()))
        if text and len(text) <= _MAX_AUTHOR_CHARS:
            found.authors.append(("byline", text))
    return found


# What marks a byline element, in page order (an attribute comes right after its element).
_BYLINE_MARKS = etree.XPath(".//@class | .//@id | .//*[@rel = 'author' or @itemprop = 'author']")


def _is_byline_element(el: Any) -> bool:
    """An element that holds a byline by its markup: ``rel`` or ``itemprop`` author, or a class
    or id naming an author, byline, writer or contributor."""
    return el.get("rel") == "author" or el.get("itemprop") == "author" or \
        bool(_AUTHOR_CLASS.search(f"{el.get('class', '')} {el.get('id', '')}"))


def _byline_elements(tree: Any) -> list[Any]:
    """The elements ``_is_byline_element`` accepts, in page order, read from their attributes
    (a class or id matches on its own exactly when it matches in the two joined by a space: a
    word never spans the space) rather than by asking every element of the page."""
    found: dict[Any, None] = {}
    names: dict[str, bool] = {}
    marks: list[Any] = _BYLINE_MARKS(tree)
    for mark in marks:
        if getattr(mark, "attrname", None) is None:  # an element (rel or itemprop author)
            found[mark] = None
            continue
        hit = names.get(mark)
        if hit is None:
            hit = names[mark] = bool(_AUTHOR_CLASS.search(mark))
        if hit:
            found[mark.getparent()] = None
    return list(found)


_META_TITLES = ("og:title", "twitter:title", "title", "headline", "ld:article:headline", "ld:article:name",
                "ld:webpage:name", "ld:webpage:headline", "dc.title", "parsely-title", "sailthru.title")
_PREFERRED_TITLES = ("ld:article:headline", "og:title", "twitter:title", "headline")
# Where a name is read from, most trusted first; trafilatura's author (None) comes last: it is
# as often right as the page's byline elements (WCXB dev: 430 against 429 of 553 with it before
# them), and its search of the whole page then runs only on pages that state no author.
_AUTHOR_SOURCES = ("ld:article:author", "author", "article:author", "parsely-author", "sailthru.author",
                   "dc.creator", "byl", "ld:webpage:author", "byline", None)
_DATE_SOURCES = ("article:published_time", "ld:article:datePublished", "ld:webpage:datePublished", "datepublished",
                 "og:published_time", "parsely-pub-date", "sailthru.date", "pubdate", "publishdate", "dc.date.issued",
                 "ld:article:dateCreated", "time")
_NOT_A_NAME = re.compile(
    r"\b(?:updated|published|posted|written|reviewed|edited|min(?:ute)?s?\s+read|read\s+time|share|comments?|"
    r"full\s+bio|says|on|name|e-?mail|website|"
    r"january|february|march|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|today|yesterday|ago)\b|\d|\*|https?:|www\.|@",
    re.I,
)
_MIN_TITLE_WORDS = 3


def _looks_like_site(text: str, sites: Sequence[str], host: str) -> bool:
    """Whether a title part or heading names the site rather than the article."""
    words = normalise(text)
    if not words:
        return True
    for site in sites:
        name = normalise(site)
        if name and (words == name or (len(name) >= 3 and name in words)):
            return True
    compact = words.replace(" ", "")
    label = host.split(".")[0] if host else ""
    return bool(host) and len(compact) >= 4 and (compact in host or (len(label) >= 4 and label in compact))


def _host_key(url: str | None) -> str:
    host = (urlsplit(url).hostname or "") if url else ""
    return host.removeprefix("www.").replace("-", "")


def _without_site(title: str, sites: Sequence[str], host: str) -> str:
    parts = [part for part in _TITLE_SEPARATORS.split(title) if part.strip()]
    if len(parts) < 2:
        return title
    kept = [part for part in parts if not _looks_like_site(part, sites, host)]
    return max(kept, key=len) if kept else title


def choose_title(found: Candidates, fallback: str | None, *, url: str | None = None) -> str | None:
    """The article's headline: the first ``<h1>`` not naming the site (the site's name, or its
    host) that a meta title confirms (equal to it or to a part of it between separators, or
    contained in it), else the one such ``<h1>`` when it has three words or more, else the
    preferred meta title without the site's name, else ``fallback``."""
    host = _host_key(url)
    headings = [value for source, value in found.titles if source == "h1"]
    metas = [value for source, value in found.titles if source in _META_TITLES]
    whole = [normalise(m) for m in metas]
    parts = set(whole) | {normalise(p) for m in metas for p in _TITLE_SEPARATORS.split(m)}
    own = [h for h in headings if not _looks_like_site(h, found.sites, host)]
    for heading in own:
        key = normalise(heading)
        if key and (key in parts or (len(key) >= 15 and any(key in m for m in whole))):
            return heading
    if len(own) == 1 and len(normalise(own[0]).split()) >= _MIN_TITLE_WORDS:
        return own[0]
    preferred = [value for source, value in found.titles if source in _PREFERRED_TITLES] or metas
    if preferred:
        return _without_site(preferred[0], found.sites, host)
    return fallback


def _as_name(value: str | None) -> str | None:
    """``value`` up to its first date, time or prompt word (``'Jane Roe February 8'`` is
    ``'Jane Roe'``), when what is left reads as a name."""
    text = _BY_PREFIX.sub("", _clean(html.unescape(value or "")))
    cut = _NOT_A_NAME.search(text)
    if cut:
        text = text[:cut.start()]
    text = text.strip(" ,;:|-–—·•")
    if not text or len(text) > _MAX_AUTHOR_CHARS or text.casefold() == "by":
        return None
    if not any(ch.isupper() for ch in text) or not any(_NAME_WORD.match(w) for w in text.split()):
        return None
    return text


def choose_author(found: Candidates, fallback: str | TrafilaturaMeta | None, *,
                  url: str | None = None) -> str | None:
    """The first value that reads as a name (up to a date or prompt word, no address), in the
    order of ``_AUTHOR_SOURCES`` (``None`` there is ``fallback``, trafilatura's). A site or a
    team is a name here: pages sign with them."""
    for source in _AUTHOR_SOURCES:
        if source is None:
            values = [fallback.author if isinstance(fallback, TrafilaturaMeta) else fallback]
        else:
            values = [v for s, v in found.authors if s == source]
        for value in values:
            name = _as_name(value)
            if name:
                return name
    return None


def stated_date(found: Candidates, *, today: date | None = None) -> date | None:
    """The first date the markup states (in the order of ``_DATE_SOURCES``), not after ``today``."""
    limit = today or date.today()
    for source in _DATE_SOURCES:
        for where, day in found.dates:
            if where == source and day <= limit:
                return day
    return None


def choose_date(found: Candidates, fallback: date | None, *, today: date | None = None) -> date | None:
    """``fallback`` (trafilatura's, which weighs the page's dates; ``read_trafilatura`` gives
    none when the markup states one) when there is one, else the first date the markup states,
    in the order of ``_DATE_SOURCES``; never after ``today``."""
    limit = today or date.today()
    if fallback is not None and fallback <= limit:
        return fallback
    return stated_date(found, today=limit)
