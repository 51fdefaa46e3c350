"""A fuzzing pass (hypothesis) over the readers of untrusted input and the API's parameters.

Whatever the bytes or the query string, nothing may escape but detente's own errors: a corpus
line, an archive record or a dump line that cannot be used is a ``Rejected`` value, and a bad
parameter is a 400 (an unknown id a 404), never a 500.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.errors import DetenteError
from detente.extract import extract_document, extract_dump, filter_lines
from detente.ingest.jsonl import documents_from_jsonl
from detente.ingest.warc import documents_from_warc
from detente.model import Article, Document, Rejected
from tests.hostile.web_support import client
from tests.ingest.test_warc import mixed_records, warc_bytes

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)
records = st.fixed_dictionaries({}, optional={
    key: json_values | st.text(max_size=200)
    for key in ("id", "text", "html", "raw_text", "url", "published", "title")})
corpus_lines = st.one_of(
    st.binary(max_size=300),
    json_values.map(json.dumps).map(str.encode),
    records.map(json.dumps).map(str.encode),
    st.integers(1, 5000).map(lambda depth: b"[" * depth + b"]" * depth),
    st.integers(1, 5000).map(lambda depth: b'{"a":' * depth + b"1" + b"}" * depth),
)


def _only_detente_escapes(read: Callable[[], Iterable[Any]]) -> list[Any]:
    """Run a reader to its end; detente's own errors may come out of it, nothing else."""
    try:
        return list(read())
    except DetenteError:
        return []


@contextmanager
def _file(content: bytes, suffix: str) -> Iterator[str]:
    fd, path = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        yield path
    finally:
        os.unlink(path)


@FUZZ
@given(st.lists(corpus_lines, max_size=8), st.booleans())
def test_the_jsonl_reader_turns_every_line_into_a_document_or_a_rejection(lines: list[bytes], gzipped: bool) -> None:
    content = b"\n".join(lines)
    with _file(gzip.compress(content) if gzipped else content, ".jsonl.gz" if gzipped else ".jsonl") as path:
        items = _only_detente_escapes(lambda: documents_from_jsonl(path))
    assert all(isinstance(item, Document | Rejected) for item in items)
    # at most one item a line (a generated "line" may hold newlines of its own), and one more for the file
    assert len(items) <= content.count(b"\n") + 2


ARCHIVE, OFFSETS = warc_bytes(mixed_records()[:4])
PLAIN_ARCHIVE, _ = warc_bytes(mixed_records()[:4], gzip_records=False)


@st.composite
def damaged_archives(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from([ARCHIVE, PLAIN_ARCHIVE])))
    for _ in range(draw(st.integers(0, 6))):
        where = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if action == "flip":
            data[where] ^= draw(st.integers(1, 255))
        elif action == "cut":
            del data[where:where + draw(st.integers(1, 400))]
        elif action == "insert":
            data[where:where] = draw(st.binary(min_size=1, max_size=200) | st.just(b"\n" * 50) |
                                     st.just(b"WARC/1.0\r\n") | st.just(gzip.compress(b"\0" * 200_000)))
        else:
            del data[where:]
        if not data:
            break
    return bytes(data)


@FUZZ
@given(st.one_of(damaged_archives(), st.binary(max_size=2000)), st.booleans())
def test_the_warc_reader_never_raises_on_a_damaged_archive(archive: bytes, gz_name: bool) -> None:
    with _file(archive, ".warc.gz" if gz_name else ".warc") as path:
        items = _only_detente_escapes(lambda: documents_from_warc(path))
    assert all(isinstance(item, Document | Rejected) for item in items)


dump_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400) | st.lists(
    st.sampled_from(["Share this", "Subscribe now", "", "  ", "By Ana Diaz", "March 3, 2024", "Read more »",
                     "Lithuania expelled two Russian diplomats on Tuesday, the ministry said.",
                     "x" * 3000, "\x00\x1b[31m", "‮reversed", "© 2024 News", "1.", "•"]),
    max_size=30).map("\n".join)


@FUZZ
@given(dump_text)
def test_the_text_dump_filter_takes_any_text(text: str) -> None:
    article = extract_dump(text)
    assert all(isinstance(line, str) for line in article.body)
    decisions = filter_lines(text.split("\n"))
    assert len(decisions) == len(text.split("\n"))


@FUZZ
@given(st.binary(max_size=3000) | dump_text.map(str.encode), st.sampled_from(["text", "html"]))
def test_extraction_of_any_bytes_is_an_article_or_a_rejection(content: bytes, media: str) -> None:
    result = extract_document(Document.from_bytes(content, doc_id="fuzz", kind="file", media_type=media))
    assert isinstance(result, Article | Rejected)


# ---- the API's parameters ------------------------------------------------------------------------

def _nested_cursor(depth: int) -> str:
    return base64.urlsafe_b64encode(("[" * depth + "]" * depth).encode()).decode()


EXTREMES = ["99999999999999d", "9999999999w", "1000000000d", "999999999d", "3651d", "0d", "-1", "0",
            "-99999999999", "1" + "0" * 30, "9" * 5000, "1e309", "1e-309", "nan", "inf", "-inf", "0x10", "１４d",
            "14 d", "2024-01-03", "0001-01-01", "9999-12-31", "1000-01-01", "2999-12-31", "2024-02-30",
            "99999-01-01", "2024-01-03T25:00:00Z", "nan,nan", "1e309,0", "91,181", "-0,-0", "0,0,0,0",
            "nan,nan,nan,nan", "1e999,-1e999,0,0", "180,90,-180,-90", "1,2,3", ",", "ZZ", "places",
            "", _nested_cursor(5000)]
parameter_values = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
    st.sampled_from(EXTREMES),
    st.tuples(st.integers(1, 60), st.sampled_from(["", "d", "w", "D", ".5", "e5"])).map(lambda t: "9" * t[0] + t[1]),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["USA", "RUS", "USAGOV", "IGONATO", "IGO", "W", "D", "M", "auto", "14d", "2w", "both",
                     "conflict", "real", "flagged", "any", "THREATEN", "ASSAULT,AID", "1,2,3", "19", "0.5"]),
    st.integers(1, 3000).map(_nested_cursor),
    json_values.map(lambda v: base64.urlsafe_b64encode(json.dumps(v).encode()).decode()),
)

# (path template, query parameters): the API, and the dashboard pages' JSON twins built by the same code.
WHERE = ("country_of_event", "near", "radius", "bbox")
ROUTES: list[tuple[str, tuple[str, ...]]] = [
    ("/api/v1/events", ("source", "target", "type", "since", "until", "modality", "quad_class", "cameo_root",
                        "min_confidence", "article_id", "limit", "cursor", *WHERE)),
    ("/api/v1/events/{x}", ()),
    ("/api/v1/articles/{x}", ()),
    ("/api/v1/dyads", ("limit", "since", "until", "freq")),
    ("/api/v1/dyads/{x}/{y}", ("freq", "since", "until")),
    ("/api/v1/dyads/{x}/{y}/series", ("freq", "since", "until")),
    ("/api/v1/reciprocity", ("a", "b", "window", "kind", "since", "until", "limit")),
    ("/api/v1/alerts", ("since", "freq", "threshold")),
    ("/search.json", ("source", "target", "type", "since", "until", "modality", "limit", "cursor",
                      "quad_class", "cameo_root", "min_confidence", *WHERE)),
    ("/dyads/{x}/{y}.json", ("freq", "since", "until")),
    ("/events/{x}.json", ()),
    ("/articles/{x}.json", ()),
    ("/map.json", ("a", "b", "since", "until", "modality")),
    # the tables' CSV downloads (an error is the HTML error page)
    ("/index.csv", ("table",)),
    ("/dyads/{x}/{y}.csv", ("freq", "since", "until", "table")),
    ("/articles/{x}.csv", ("table",)),
    ("/search.csv", ("source", "type", "since", "quad_class", "min_confidence", "table", *WHERE)),
    ("/map.csv", ("a", "b", "since", "until", "modality", "table")),
]


@pytest.fixture(scope="module")
def http() -> Iterator[Any]:
    with client() as test_client:
        yield test_client


@pytest.mark.parametrize(("template", "names"), ROUTES, ids=[route for route, _ in ROUTES])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_parameters_make_the_api_answer_500(http: Any, template: str, names: tuple[str, ...],
                                                data: st.DataObject) -> None:
    path = template.replace("{x}", quote(data.draw(parameter_values), safe="") or "USA")
    path = path.replace("{y}", quote(data.draw(parameter_values), safe="") or "RUS")
    params = {name: data.draw(parameter_values) for name in names if data.draw(st.booleans())}
    if len(json.dumps(params)) > 30_000:  # longer than a URL may be
        return
    _never_500(http, path, params, csv=template.endswith(".csv"))


def _never_500(http: Any, path: str, params: dict[str, str], *, csv: bool) -> None:
    # a CSV route answers an error as a page; the API as JSON, even for a drawn id ending in ".csv"
    answer = http.get(path, params=params)
    assert answer.status_code in (200, 400, 404), (path, params, answer.status_code, answer.text[:300])
    if answer.status_code != 200 and not csv:
        body = answer.json()
        assert body["error"] and body["hint"]
    elif answer.status_code != 200:
        assert "text/html" in answer.headers["content-type"] and "Traceback" not in answer.text


@pytest.mark.parametrize(("template", "names"), [r for r in ROUTES if r[1]], ids=[r[0] for r in ROUTES if r[1]])
def test_every_extreme_value_of_every_parameter_is_a_400_at_worst(http: Any, template: str,
                                                                  names: tuple[str, ...]) -> None:
    path = template.replace("{x}", "USA").replace("{y}", "RUS")
    for name in names:
        for value in EXTREMES:
            _never_500(http, path, {name: value}, csv=template.endswith(".csv"))
