"""Reading feeds (RSS, Atom, broken ones, hostile ones) and feed lists (text, OPML)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.errors import BadOption, SourceNotFound
from detente.ingest.feeds import inline_document, is_opml, parse_feed, read_feed_list
from tests.watch.support import Entry, atom, rss

BASE = "https://news.example/feeds/world.xml"


def test_rss_items_in_feed_order_with_absolute_links_dates_and_guids() -> None:
    body = rss([Entry("g-1", "https://news.example/a", "First", date(2024, 3, 2)),
                Entry("g-2", "/relative/b", "Second", date(2024, 3, 1)),
                Entry(None, "https://news.example/c", "No guid")]).encode()
    feed = parse_feed(body, url=BASE, content_type="application/rss+xml")
    assert feed.ok and feed.title == "Test feed" and not feed.warning
    assert [i.key for i in feed.items] == ["g-1", "g-2", "https://news.example/c"]
    assert [i.link for i in feed.items] == ["https://news.example/a", "https://news.example/relative/b",
                                            "https://news.example/c"]
    assert [i.published for i in feed.items] == [date(2024, 3, 2), date(2024, 3, 1), None]
    assert all(i.inline is None for i in feed.items)  # a linked item's page is fetched, its text not kept


def test_atom_feeds_and_items_without_links() -> None:
    body = atom([Entry("urn:1", "https://news.example/x", "Linked", date(2024, 1, 5)),
                 Entry("urn:2", None, "Only text", summary="<p>The envoys <b>met</b>.</p>")]).encode()
    feed = parse_feed(body, url=BASE)
    assert [(i.key, i.link) for i in feed.items] == [("urn:1", "https://news.example/x"), ("urn:2", None)]
    assert feed.items[1].inline is not None and "met" in feed.items[1].inline
    doc = inline_document(feed.items[1], feed_url=BASE)
    assert doc.kind == "feed" and doc.doc_id == f"{BASE}#urn:2" and doc.title == "Only text"
    assert b"<h1>Only text</h1>" in doc.content


def test_feed_html_is_sanitised_and_non_http_links_are_dropped() -> None:
    summary = '<p onclick="steal()">Hi<script>alert(1)</script></p>'
    body = rss([Entry("x", "javascript:alert(1)", "Bad link", summary=summary)]).encode()
    item = parse_feed(body, url=BASE).items[0]
    assert item.link is None and item.inline is not None
    assert "script" not in item.inline and "onclick" not in item.inline


@pytest.mark.parametrize(("body", "reason"), [
    (b"<rss><channel><item><title>cut off", "bad_feed"),
    (b"<html><body><p>Just a page</p></body></html>", "not_a_feed"),
    (b"", "not_a_feed"),
    (b"\x00\xff\xfe garbage", "not_a_feed"),
])
def test_unusable_bodies_give_a_reason(body: bytes, reason: str) -> None:
    feed = parse_feed(body, url=BASE, content_type="application/rss+xml" if reason == "bad_feed" else "")
    assert (feed.ok, feed.reason, feed.items) == (False, reason, ())
    assert feed.detail


def test_a_feed_with_an_error_after_good_items_is_read_with_a_warning() -> None:
    good = rss([Entry("1", "https://news.example/1", "One"), Entry("2", "https://news.example/2", "Two")])
    body = good.replace("</channel></rss>", "<item><title>broken & unescaped</title></item></channel></rss>")
    feed = parse_feed(body.encode(), url=BASE)
    assert feed.ok and "not well-formed" in feed.warning
    assert [i.key for i in feed.items][:2] == ["1", "2"]


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    body = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
            '<rss version="2.0"><channel><title>t</title><item><title>&x;</title>'
            '<link>https://news.example/e</link></item></channel></rss>').encode()
    feed = parse_feed(body, url=BASE)
    assert all("TOP-SECRET" not in (i.title or "") for i in feed.items)


def test_feedparser_never_opens_a_path_or_url_it_is_given(tmp_path: Path) -> None:
    # A body that is a file path or a URL is read as (bad) feed text, never opened or fetched.
    path = tmp_path / "feed.xml"
    path.write_text(rss([Entry("p", "https://news.example/p", "From disk")]))
    assert parse_feed(str(path).encode(), url=BASE).items == ()
    assert parse_feed(b"http://127.0.0.1:9/feed.xml", url=BASE).items == ()


def test_long_guids_are_hashed_and_duplicates_dropped() -> None:
    long_guid = "g" * 2000
    body = rss([Entry(long_guid, "https://news.example/1", "One"), Entry(long_guid, "https://news.example/1", "Again")])
    items = parse_feed(body.encode(), url=BASE).items
    assert len(items) == 1 and items[0].key.startswith("sha256:") and len(items[0].key) < 100


# Latin-1 letters are left out: feedparser "repairs" some of their pairs as if they were UTF-8
# read as cp1252 (a title "Â¡" comes back "¡"), which is its choice, not a property of ours.
_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=[
    chr(c) for c in range(0x80, 0x100)]), min_size=1, max_size=40).map(str.strip)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.from_regex(r"[a-z0-9:-]{1,30}", fullmatch=True), st.from_regex(r"[a-z0-9/]{1,20}",
                                                                                          fullmatch=True), _text),
                min_size=0, max_size=8, unique_by=lambda t: t[0]))
def test_property_rss_round_trip(entries: list[tuple[str, str, str]]) -> None:
    body = rss([Entry(g, f"https://news.example/{p}", t or "untitled") for g, p, t in entries]).encode()
    feed = parse_feed(body, url=BASE)
    assert feed.ok
    assert [i.key for i in feed.items] == [g for g, _, _ in entries]
    assert [i.link for i in feed.items] == [f"https://news.example/{p}" for _, p, _ in entries]
    assert [i.title for i in feed.items] == [" ".join((t or "untitled").split()) or None for _, _, t in entries]


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_property_any_bytes_parse_without_raising(body: bytes) -> None:
    feed = parse_feed(body, url=BASE)
    assert feed.ok or feed.reason in {"bad_feed", "not_a_feed"}
    assert all(i.link is None or i.link.startswith(("http://", "https://")) for i in feed.items)


# ---- feed lists -----------------------------------------------------------------------------------

def test_text_list_with_comments_blank_lines_and_repeats(tmp_path: Path) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text("\ufeff# world news\n\nhttps://a.example/rss  # the main one\n"
                       "  https://b.example/atom.xml#frag\nhttps://a.example/rss\n")
    assert read_feed_list(listing) == ["https://a.example/rss", "https://b.example/atom.xml#frag"]


def test_opml_nested_outlines(tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<!-- exported -->
<opml version="1.0"><head><title>Subscriptions</title></head><body>
  <outline text="Europe"><outline text="A" type="rss" xmlUrl="https://a.example/rss"/>
     <outline text="Deeper"><outline text="B" type="rss" xmlUrl="https://b.example/feed"/></outline></outline>
  <outline text="No feed here"/>
</body></opml>""")
    assert is_opml(opml.read_bytes())
    assert read_feed_list(opml) == ["https://a.example/rss", "https://b.example/feed"]


def test_opml_entities_and_bad_xml(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("https://evil.example/from-a-file")
    opml = tmp_path / "x.opml"
    doctype = f'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY e SYSTEM "file://{secret}">]>'
    opml.write_text(doctype + '<opml><head><title>&e;</title></head>'
                              '<body><outline xmlUrl="https://a.example/rss"/></body></opml>')
    assert read_feed_list(opml) == ["https://a.example/rss"]
    opml.write_text(doctype + '<opml><body><outline xmlUrl="&e;"/></body></opml>')
    with pytest.raises(BadOption, match="external entity"):  # refused, never read
        read_feed_list(opml)
    opml.write_text("<opml><body><outline xmlUrl='https://a.example/rss'></body>")
    with pytest.raises(BadOption, match="not valid OPML"):
        read_feed_list(opml)


@pytest.mark.parametrize(("content", "message"), [
    ("https://a.example/rss\nwww.b.example/rss\n", "line 2 of"),
    ("file:///etc/passwd\n", r"not an http\(s\) feed URL"),
    ("http:///no-host\n", r"not an http\(s\) feed URL"),
    ("# only a comment\n", "lists no feeds"),
])
def test_bad_lists_name_the_problem(tmp_path: Path, content: str, message: str) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text(content)
    with pytest.raises(BadOption, match=message):
        read_feed_list(listing)


def test_missing_and_binary_lists(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFound):
        read_feed_list(tmp_path / "missing.txt")
    binary = tmp_path / "feeds.bin"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(BadOption, match="not UTF-8"):
        read_feed_list(binary)
