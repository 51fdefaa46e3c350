"""The event store: migrations, refusals that change nothing, duplicates and near-duplicates, round trips."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.analysis import get_article, get_event, query_events
from detente.errors import SchemaTooNew, StoreCorrupt, StoreError
from detente.model import PLOVER_TYPES
from detente.store import SCHEMA_VERSION, Store, open_store
from tests.store_support import article_for, make_event

SEED_LIKE = (
    "US President Joe Biden has called for de-escalating the ongoing tensions with Moscow after his "
    "administration launched diplomatic and financial offensives against Russian officials.\n"
    "The US earlier in the day announced the expulsion of 10 Russian diplomats and sweeping sanctions "
    "against individuals and entities in response to election interference.\n"
    "In response, Russia Deputy Foreign Minister Sergei Ryabkov summoned US Ambassador to Russia John "
    "Sullivan, telling him that the new sanctions will shortly be followed by retaliatory measures.\n"
    "Relations between Washington and Moscow have been adversarial in recent years, and the two are "
    "bitterly divided over Ukraine, human rights and cybersecurity issues."
)


def _story(text: str, *, doc_id: str, url: str) -> tuple:  # type: ignore[type-arg]
    doc, article = article_for(text, doc_id=doc_id, url=url, published=date(2021, 4, 15))
    lines = article.text.split("\n")
    events = []
    offset = 0
    for index, line in enumerate(lines):
        if "expulsion" in line:
            events.append(make_event("USAGOV", "SANCTION", "RUSGOV", date(2021, 4, 15), article_id=article.id,
                                     index=index, sentence=line, span=(offset, offset + len(line)), doc_id=doc_id,
                                     url=url, mode="expel"))
        if "summoned" in line:
            events.append(make_event("RUSGOV", "THREATEN", "USA", date(2021, 4, 15), article_id=article.id,
                                     index=index, sentence=line, span=(offset, offset + len(line)), doc_id=doc_id,
                                     url=url))
        offset += len(line) + 1
    return doc, article, events


def _digest(path: Path) -> tuple[str, list[str]]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), sorted(p.name for p in path.parent.iterdir())


# ---- opening --------------------------------------------------------------------------------

def test_new_store_is_migrated_and_reopens_read_only(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with open_store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.stats().events == 0
    with open_store(path, read_only=True) as store:
        assert store.read_only
        assert store.query("SELECT DISTINCT app FROM schema_version") == [{"app": "detente"}]


def test_db_path_comes_from_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETENTE_DB", str(tmp_path / "env.duckdb"))
    with open_store() as store:
        assert store.path == str(tmp_path / "env.duckdb")
    assert (tmp_path / "env.duckdb").exists()


def test_missing_file_read_only_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no event store") as info:
        open_store(tmp_path / "none.duckdb", read_only=True)
    assert "detente ingest" in info.value.hint
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("content", [b"", b"hello, not a database at all" * 50, b"\x00" * 4096])
def test_not_a_duckdb_file_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.duckdb"
    path.write_bytes(content)
    before = _digest(path)
    for read_only in (True, False):
        with pytest.raises(StoreCorrupt):
            open_store(path, read_only=read_only)
    assert _digest(path) == before


def test_someone_elses_duckdb_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE sales (id INTEGER, amount DOUBLE)")
    con.close()
    before = _digest(path)
    for read_only in (True, False):
        with pytest.raises(StoreCorrupt, match="not a detente"):
            open_store(path, read_only=read_only)
    assert _digest(path) == before


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    with open_store(path) as store, store.writer() as w:
        w.con.execute("INSERT INTO schema_version VALUES (?, 'detente', 'from the future', now())",
                      [SCHEMA_VERSION + 1])
    before = _digest(path)
    for read_only in (True, False):
        with pytest.raises(SchemaTooNew, match=f"v{SCHEMA_VERSION + 1}"):
            open_store(path, read_only=read_only)
    assert _digest(path) == before


def test_a_locked_store_says_so(tmp_path: Path) -> None:
    path = tmp_path / "locked.duckdb"
    open_store(path).close()
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(path)!r}); "
                               "print('ready', flush=True); time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match="in use by another process"):
            open_store(path, read_only=True)
    finally:
        holder.kill()
        holder.wait()


def test_writing_needs_a_writable_store(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    open_store(path).close()
    with open_store(path, read_only=True) as store, pytest.raises(StoreError, match="read-only"):
        store.start_run("x")


# ---- duplicates and near-duplicates -----------------------------------------------------------

def test_same_document_twice_is_a_no_op(store: Store) -> None:
    doc, article, events = _story(SEED_LIKE, doc_id="a", url="https://one.example/a")
    first = store.add(article, events, document=doc)
    assert (first.status, first.events_added) == ("new", 2)
    again = store.add(article, events, document=doc)
    assert (again.status, again.events_added, again.mentions_added) == ("duplicate", 0, 0)
    assert store.stats().mentions == 2


def test_syndicated_copy_with_other_boilerplate_and_url_counts_events_once(store: Store) -> None:
    doc, article, events = _story(SEED_LIKE, doc_id="a", url="https://one.example/a")
    store.add(article, events, document=doc)
    copy = "Share this story!\n" + SEED_LIKE + "\nSubscribe to our newsletter for more.\nBack to top"
    doc2, article2, events2 = _story(copy, doc_id="b", url="https://two.example/b")
    assert article2.id != article.id and {e.id for e in events2}.isdisjoint(e.id for e in events)
    result = store.add(article2, events2, document=doc2)
    assert result.status == "near_duplicate" and result.canonical_id == article.id
    assert result.similarity is not None and result.similarity >= 0.6
    assert (result.events_added, result.mentions_added) == (0, 2)
    page = query_events(store)
    assert sorted(e.id for e in page.events) == sorted(e.id for e in events)
    assert {(i.num_mentions, i.num_sources, i.num_articles) for i in page.items} == {(2, 2, 2)}
    # The copy's page shows the events at the copy's own spans.
    view = get_article(store, article2.id)
    assert view is not None and view.canonical_id == article.id
    for item in view.events:
        start, end = item.event.span
        assert article2.text[start:end] == item.event.sentence


def test_same_body_from_another_url_is_a_mention(store: Store) -> None:
    doc, article, events = _story(SEED_LIKE, doc_id="a", url="https://one.example/a")
    store.add(article, events, document=doc)
    doc2 = replace(doc, id="f" * 64, doc_id="b", url="https://two.example/b")
    result = store.add(replace(article, document_id=doc2.id, doc_id="b", url=doc2.url), events, document=doc2)
    assert (result.status, result.similarity, result.mentions_added) == ("near_duplicate", 1.0, 2)
    assert {i.num_mentions for i in query_events(store).items} == {2}


def test_a_copy_that_adds_a_sentence_adds_that_event_only(store: Store) -> None:
    doc, article, events = _story(SEED_LIKE, doc_id="a", url="https://one.example/a")
    store.add(article, events, document=doc)
    extra = SEED_LIKE + "\nLater the US expelled two more diplomats, the expulsion order said."
    doc2, article2, events2 = _story(extra, doc_id="b", url="https://two.example/b")
    result = store.add(article2, events2, document=doc2)
    assert result.status == "near_duplicate"
    assert (result.events_added, result.mentions_added) == (1, 2)
    counts = sorted(i.num_mentions for i in query_events(store).items)
    assert counts == [1, 2, 2]


def test_different_stories_are_not_merged(store: Store) -> None:
    doc, article, events = _story(SEED_LIKE, doc_id="a", url="https://one.example/a")
    store.add(article, events, document=doc)
    other = ("Protesters gathered in the capital on Sunday demanding the resignation of the cabinet, while "
             "police blocked the main square.\nThe expulsion of journalists last month was condemned by rights "
             "groups.\nOfficials summoned the organisers for talks that ended without agreement.")
    doc2, article2, events2 = _story(other, doc_id="b", url="https://two.example/b")
    result = store.add(article2, events2, document=doc2)
    assert result.status == "new" and result.events_added == len(events2)


def test_near_duplicates_are_found_in_a_later_session(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    doc, article, events = _story(SEED_LIKE, doc_id="a", url="https://one.example/a")
    with open_store(path) as store:
        store.add(article, events, document=doc)
    copy = "Advertisement\n" + SEED_LIKE.replace("recent years", "the past few years")
    doc2, article2, events2 = _story(copy, doc_id="b", url="https://two.example/b")
    with open_store(path) as store:
        result = store.add(article2, events2, document=doc2)
        assert result.status == "near_duplicate" and result.mentions_added == 2


def test_rejections_are_recorded_once(store: Store) -> None:
    from detente.model import Document, Rejected

    doc = Document.from_bytes(b"tiny", doc_id="t", kind="text")
    rejected = Rejected(document_id=doc.id, doc_id="t", stage="extract", reason="too_short")
    assert store.add(rejected, [], document=doc).status == "rejected"
    assert store.add(rejected, [], document=doc).status == "duplicate"
    assert store.stats().rejected_documents == 1
    # A rejection with no content (a missing file) is not recorded: it may work next time.
    assert store.add(Rejected(document_id="", doc_id="gone", stage="ingest", reason="not_found")).status \
        == "rejected"
    assert store.stats().documents == 1


def test_a_failed_batch_leaves_nothing(store: Store) -> None:
    doc, article, events = _story(SEED_LIKE, doc_id="a", url="https://one.example/a")
    with pytest.raises(RuntimeError), store.writer() as w:
        w.add(article, events, document=doc)
        raise RuntimeError("coder crashed")
    assert store.stats().documents == 0 and store.stats().events == 0


def test_interrupted_runs_are_marked_when_a_writer_opens(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with open_store(path) as store:
        run = store.start_run("ingest", "x")
    with open_store(path) as store:
        assert store.runs()[0]["id"] == run and store.runs()[0]["status"] == "interrupted"


# ---- round trips ------------------------------------------------------------------------------

_codes = st.sampled_from(["USAGOV", "RUSGOV", "UKRMIL", "CHN", "IGONATO", "FRAGOVMIL", "IRNCVL"])
_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=80)


@st.composite
def _events(draw: st.DrawFn) -> list:  # type: ignore[type-arg]
    n = draw(st.integers(1, 6))
    out = []
    for i in range(n):
        kind = draw(st.sampled_from(PLOVER_TYPES))
        target = draw(st.one_of(st.none(), _codes))
        day = draw(st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2030, 12, 31))))
        event = make_event(draw(_codes), kind, target, day, article_id="A", index=i,
                           sentence=draw(_text), span=(i * 10, i * 10 + 5),
                           confidence=draw(st.floats(0, 1, allow_nan=False)), negated=draw(st.booleans()),
                           hypothetical=draw(st.booleans()), future=draw(st.booleans()),
                           historical=draw(st.booleans()), mode=draw(st.sampled_from(["", "expel", "phone"])))
        out.append(replace(event, rule=draw(_text), url=draw(st.one_of(st.none(), st.just("https://x.example/a")))))
    return out


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=_events())
def test_store_round_trip_gives_equal_events(events: list) -> None:  # type: ignore[type-arg]
    unique = list({e.id: e for e in events}.values())
    text = "\n".join(f"line {i} of a story long enough to be an article" for i in range(8))
    doc, article = article_for(text, doc_id="rt")
    unique = [replace(e, article_id=article.id) for e in unique]
    with open_store(":memory:") as store:
        store.add(article, unique, document=doc)
        for event in unique:
            stored = get_event(store, event.id)
            assert stored is not None and stored.event == event
        assert sorted(query_events(store, limit=100).events, key=lambda e: e.id) == sorted(unique, key=lambda e: e.id)


def test_flagged_events_are_stored_and_queryable(store: Store) -> None:
    text = "A line that says a thing.\nAnother line that says another thing."
    doc, article = article_for(text, doc_id="f")
    real = make_event("USAGOV", "THREATEN", "RUSGOV", date(2021, 1, 1), article_id=article.id, index=0)
    hypo = make_event("USAGOV", "ASSAULT", "RUSGOV", date(2021, 1, 1), article_id=article.id, index=1,
                      hypothetical=True)
    store.add(article, [real, hypo], document=doc)
    assert [e.id for e in query_events(store, modality="real").events] == [real.id]
    assert [e.id for e in query_events(store, modality="flagged").events] == [hypo.id]
    assert [e.id for e in query_events(store, modality="hypothetical").events] == [hypo.id]
    assert len(query_events(store).events) == 2


def _calls_to_store(articles: int) -> int:
    """Python function calls made by storing ``articles`` articles with one event each in a new store."""
    import cProfile
    import pstats

    store = open_store(":memory:")
    try:
        profile = cProfile.Profile()
        profile.enable()
        with store.writer() as w:
            for n in range(articles):
                words = " ".join(hashlib.sha256(f"{n}:{k}".encode()).hexdigest()[:8] for k in range(12))
                doc, article = article_for(f"Story {n}: {words}.", doc_id=f"d{n}")  # unrelated stories
                w.add(article, [make_event("USAGOV", "CONSULT", "RUSGOV", date(2021, 1, 1), article_id=article.id)],
                      document=doc)
        profile.disable()
        assert store.stats().events == articles
        return int(pstats.Stats(profile).total_calls)  # type: ignore[attr-defined]
    finally:
        store.close()


def test_writes_are_cheap_and_grow_with_the_articles_not_the_store() -> None:
    """Storing is cheap next to coding (MinHash, LSH lookup, rows): work is counted, not timed, and
    grows in proportion to the unrelated articles stored (near copies cost more: each is compared)."""
    _calls_to_store(5)  # first use: imports and one-time set-up
    hundred, two_hundred = _calls_to_store(100), _calls_to_store(200)
    assert two_hundred / hundred < 2.3, (hundred, two_hundred)
    assert two_hundred / 200 < 5_000, two_hundred


def test_the_writer_stores_a_document_from_its_record_as_from_the_document() -> None:
    """A document known only by its record (a batch shard keeps no bytes) gives the same documents row."""
    import json

    from detente.model import DocumentRecord
    from detente.store import AddStatus

    columns = "id, doc_id, kind, uri, url, site, media_type, size, fetched_at, outcome, reason, article_id"
    rows = []
    for by_record in (False, True):
        doc, article = article_for("Talks went on in Geneva all week, officials said.", doc_id="geneva.txt",
                                   url="https://news.example/geneva")
        doc = replace(doc, fetched_at="2024-05-02T10:00:00Z")
        with open_store(":memory:") as store:
            result = store.add(article, [], document=DocumentRecord.of(doc) if by_record else doc)
            assert result.status is AddStatus.NEW and json.loads(json.dumps(result.to_dict()))["status"] == "new"
            rows.append(store.query(f"SELECT {columns} FROM documents"))
    assert rows[0] == rows[1] and rows[0][0]["size"] == len(doc.content) and rows[0][0]["kind"] == "text"
    assert [s.value for s in AddStatus] == ["new", "near_duplicate", "duplicate", "rejected"]
