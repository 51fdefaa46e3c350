"""RSS/Atom feeds and feed lists (plain text or OPML), read from bytes we fetched ourselves.

feedparser is only ever handed a byte stream (``io.BytesIO``): given a string it would
fetch URLs or open files by itself, past the SSRF guard. What it returns is reduced at once
to small ``FeedItem`` records, so nothing downstream holds feedparser's dictionaries.

    read_feed_list(path) -> list[str]                  one URL a line ('#' comments), or OPML
    parse_feed(content, url=, content_type=) -> ParsedFeed   items, and why a feed is unusable
    inline_document(item, feed_url=) -> Document       an item without a link, from the entry's own HTML
"""

from __future__ import annotations

import calendar
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..errors import BadOption, Reason, SourceNotFound
from ..model import Document, sha256_hex
from .reasons import safe_one_line
from .urls import is_url, url_scheme

__all__ = ["FeedItem", "ParsedFeed", "inline_document", "is_opml", "parse_feed", "read_feed_list"]

# Longest item key kept: a guid is an opaque string a feed controls, so it is bounded.
_MAX_KEY = 512
# Entry text kept for an item without a link (its only content), in characters.
_MAX_INLINE = 200_000
# The root element is <opml>, after an optional XML declaration, comments and a DOCTYPE.
_OPML_HINT = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:(?:<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)\s*)*<opml[\s>]",
                        re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed, reduced to what the watcher needs.

    ``key`` identifies the item within its feed across polls: the entry's guid/id, else its
    link, else a hash of its title, date and text. ``inline`` is the entry's own HTML
    (content, else summary) and is only kept when there is no link to fetch.
    """

    key: str
    link: str | None
    title: str | None
    published: date | None
    inline: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    """What a feed body held: its items in feed order, or why it could not be used.

    ``reason`` is ``None`` for a usable feed, ``not_a_feed`` when the body is no RSS/Atom at
    all, or ``bad_feed`` when it is broken beyond recovery. ``warning`` says a feed was not
    well-formed although some items could still be read.
    """

    items: tuple[FeedItem, ...]
    title: str | None = None
    reason: str | None = None
    detail: str = ""
    warning: str = ""

    @property
    def ok(self) -> bool:
        return self.reason is None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    flat = " ".join(value.split())
    return flat or None


def _entry_date(entry: Mapping[str, Any]) -> date | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(name)
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), UTC).date()
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def _entry_link(entry: Mapping[str, Any], base: str) -> str | None:
    candidates = [entry.get("link")]
    candidates += [link.get("href") for link in entry.get("links") or () if isinstance(link, Mapping)
                   and link.get("rel", "alternate") == "alternate"]
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.strip():
            absolute = urljoin(base, candidate.strip())
            if url_scheme(absolute) in ("http", "https"):
                return absolute
    return None


def _entry_inline(entry: Mapping[str, Any]) -> str | None:
    for block in entry.get("content") or ():
        if isinstance(block, Mapping) and isinstance(block.get("value"), str) and block["value"].strip():
            return str(block["value"])[:_MAX_INLINE]
    summary = entry.get("summary")
    if isinstance(summary, str) and summary.strip():
        return summary[:_MAX_INLINE]
    return None


def _item_of(entry: Mapping[str, Any], base: str) -> FeedItem | None:
    link = _entry_link(entry, base)
    title = _text(entry.get("title"))
    published = _entry_date(entry)
    inline = None if link else _entry_inline(entry)
    guid = entry.get("id")
    if isinstance(guid, str) and guid.strip():
        key = guid.strip()
    elif link:
        key = link
    elif inline or title:
        key = "sha256:" + sha256_hex(f"{title}\x1f{published}\x1f{inline}")
    else:
        return None  # an empty entry (what a parser salvages from broken markup)
    if len(key) > _MAX_KEY:
        key = "sha256:" + sha256_hex(key)
    return FeedItem(key=key, link=link, title=title, published=published, inline=inline)


def parse_feed(content: bytes, *, url: str, content_type: str = "") -> ParsedFeed:
    """The items of an RSS or Atom feed body fetched from ``url`` (relative links resolve against it).

    Never raises for bad input: a body that is not a feed, or is too broken to read, comes
    back with a ``reason``; a feed with recoverable errors comes back with its items and a
    ``warning``.
    """
    import feedparser

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(io.BytesIO(content), response_headers=headers,
                                  resolve_relative_uris=True, sanitize_html=True)
    except Exception as exc:  # feedparser is lenient, but a body is hostile input: never let it stop a watch
        return ParsedFeed(items=(), reason=Reason.BAD_FEED, detail=safe_one_line(f"{type(exc).__name__}: {exc}"))
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, feedparser.ThingsNobodyCaresAboutButMe):
        problem = None  # a missing or contradicting Content-Type: the body itself parsed fine
    problem_text = safe_one_line(str(problem) or type(problem).__name__) if problem is not None else ""
    seen: set[str] = set()
    items: list[FeedItem] = []
    for entry in parsed.get("entries") or ():
        item = _item_of(entry, url)
        if item is not None and item.key not in seen:
            seen.add(item.key)
            items.append(item)
    title = _text((parsed.get("feed") or {}).get("title"))
    if not parsed.get("version") and not items:
        detail = "no RSS or Atom elements" + (f" ({problem_text})" if problem_text else "")
        return ParsedFeed(items=(), title=title, reason=Reason.NOT_A_FEED, detail=detail)
    if problem is not None and not items:
        return ParsedFeed(items=(), title=title, reason=Reason.BAD_FEED, detail=problem_text)
    warning = f"not well-formed ({problem_text}); read {len(items)} items anyway" if problem is not None else ""
    return ParsedFeed(items=tuple(items), title=title, warning=warning)


def inline_document(item: FeedItem, *, feed_url: str) -> Document:
    """The Document of an item that has no link: the entry's own (sanitised) HTML, ``kind="feed"``."""
    body = item.inline or ""
    if item.title and item.title not in body:
        body = f"<h1>{_escape(item.title)}</h1>\n{body}"
    return Document.from_bytes(body.encode("utf-8"), doc_id=f"{feed_url}#{item.key}", kind="feed",
                               uri=feed_url, media_type="html", published=item.published, title=item.title,
                               encoding="utf-8")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---- feed lists ----------------------------------------------------------------------------------

def is_opml(content: bytes) -> bool:
    """True when ``content`` is an OPML document (its root element is ``<opml>``)."""
    return bool(_OPML_HINT.match(content[:4096].lstrip(b"\xef\xbb\xbf")))


def _opml_urls(content: bytes, where: str) -> list[str]:
    from lxml import etree

    # No entities, no DTDs, no network: an OPML file is a list, nothing in it needs resolving.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise BadOption(f"{where} is not valid OPML: {safe_one_line(str(exc))}",
                        "fix the file, or give a text file with one feed URL a line") from None
    urls = []
    for outline in root.iter("outline"):
        for name in ("xmlUrl", "xmlurl", "url"):
            value = outline.get(name)
            if value and value.strip():
                urls.append(value.strip())
                break
    return urls


def _text_urls(content: bytes, where: str) -> list[tuple[int, str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadOption(f"{where} is not UTF-8 text", "save the feed list as UTF-8") from None
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        # A comment may also follow the URL (a '#' after white space; a URL's own '#' has none before it).
        line = re.split(r"\s+#", line, maxsplit=1)[0].strip()
        lines.append((number, line))
    return lines


def read_feed_list(path: str | Path) -> list[str]:
    """The feed URLs listed in ``path``, in order, without repeats.

    The file is either OPML (every ``<outline xmlUrl=...>``, at any depth) or text with one
    URL a line, blank lines and ``#`` comments ignored. Only http(s) URLs are accepted; any
    other line is an error naming its line number, so a typo never silently drops a feed.
    """
    file = Path(path)
    where = safe_one_line(str(path))
    if not file.is_file():
        raise SourceNotFound(f"no such feed list: {where}", "give a text file of feed URLs or an OPML file")
    try:
        content = file.read_bytes()
    except OSError as exc:
        raise SourceNotFound(f"cannot read {where}: {exc.strerror}", "check the file's permissions") from exc
    # Line 0 stands for "somewhere in the OPML tree" (outlines have no useful line number).
    numbered = [(0, url) for url in _opml_urls(content, where)] if is_opml(content) else _text_urls(content, where)
    urls: list[str] = []
    for number, url in numbered:
        at = f"line {number} of {where}" if number else f"an outline in {where}"
        if not is_url(url) or not urlsplit(url).hostname:
            raise BadOption(f"{at} is not an http(s) feed URL: {safe_one_line(url)[:200]}",
                            "give one http:// or https:// URL a line ('#' starts a comment)")
        if url not in urls:
            urls.append(url)
    if not urls:
        raise BadOption(f"{where} lists no feeds", "add one feed URL a line, or give an OPML file")
    return urls
