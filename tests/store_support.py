"""Test helpers for the store, analysis and export tests: events built by hand, and a fake coder.

The fake coder (``fake_code_documents``) stands in for ``pipeline.code_documents`` without
spaCy: a document's lines starting with ``#`` are boilerplate, the rest is the body, and each
body line may carry an event marker ``<<SRC TYPE[:mode] TGT YYYY-MM-DD [flags]>>`` (TGT ``-``
for none). Event ids are derived like the real coder's (article id, sentence, span, type,
actors, CAMEO). It is registered as the coder ``tests.fake.v1`` (``CODER``): importing this
module and setting ``DETENTE_CODER=tests.fake.v1`` makes ``detente ingest``, ``batch``, ``watch``
and ``serve`` use it (``FAKE_CLI`` runs the CLI that way in a fresh interpreter);
``DETENTE_FAKE_CODER_DELAY`` (seconds per document) and ``DETENTE_FAKE_CODER_TRACE`` (a file that
gets one line per coded document) let the SIGKILL test kill a run mid-way.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from detente.model import (
    QUAD_CLASS_OF_TYPE,
    Actor,
    Article,
    Document,
    Event,
    Rejected,
    normalise_body,
    sha256_hex,
    stable_id,
)
from detente.pipeline import register_coder

CAMEO_OF_TYPE: dict[str, tuple[str, float]] = {
    "AGREE": ("030", 4.0), "CONSULT": ("040", 1.0), "SUPPORT": ("051", 3.4), "CONCEDE": ("080", 5.0),
    "COOPERATE": ("061", 6.4), "AID": ("070", 7.0), "RETREAT": ("0871", 9.0),
    "REQUEST": ("100", -5.0), "ACCUSE": ("112", -2.0), "REJECT": ("120", -4.0), "THREATEN": ("138", -7.0),
    "PROTEST": ("140", -6.5), "SANCTION": ("166", -7.0), "MOBILIZE": ("150", -7.2), "COERCE": ("174", -5.0),
    "ASSAULT": ("190", -10.0),
}
CODER = "tests.fake.v1"
# ``python -c FAKE_CLI ARGS`` (run from the repository root or with it on PYTHONPATH, and with
# DETENTE_CODER=tests.fake.v1 in the environment): ``detente ARGS`` with the fake coder registered.
FAKE_CLI = "import sys, tests.store_support; from detente.cli import main; sys.exit(main(sys.argv[1:]))"

_MARK = re.compile(r"<<(?P<src>[A-Z]{3,16}) (?P<type>[A-Z]+)(?::(?P<mode>\w+))? (?P<tgt>[A-Z]{3,16}|-) "
                   r"(?P<date>\d{4}-\d\d-\d\d)(?P<flags>(?: [a-z]+)*)>>")


def actor(code: str, text: str = "") -> Actor:
    if code.startswith(("IGO", "NGO")):
        return Actor(code=code, country=code[:3], sector="", text=text or code, name=code[3:])
    return Actor(code=code, country=code[:3], sector=code[3:6], text=text or code)


def make_event(src: str, type: str, tgt: str | None, day: date | None, *, article_id: str = "a",
               index: int = 0, sentence: str | None = None, span: tuple[int, int] | None = None,
               confidence: float = 0.8, negated: bool = False, hypothetical: bool = False, future: bool = False,
               historical: bool = False, mode: str = "", doc_id: str = "doc", url: str | None = None) -> Event:
    cameo, goldstein = CAMEO_OF_TYPE[type]
    text = sentence if sentence is not None else f"{src} {type.lower()} {tgt or 'nobody'} on {day}."
    where = span if span is not None else (0, len(text))
    target = actor(tgt) if tgt else None
    return Event(
        id=stable_id(article_id, index, where[0], where[1], type, src, tgt or "", cameo),
        article_id=article_id, doc_id=doc_id, sentence_index=index, span=where, sentence=text,
        source=actor(src), target=target, type=type, mode=mode, cameo=cameo, goldstein=goldstein,
        quad_class=QUAD_CLASS_OF_TYPE[type], date=day, negated=negated, hypothetical=hypothetical, future=future,
        historical=historical, confidence=confidence, coder=CODER, rule=f"test rule for {type}", url=url)


def article_for(text: str, *, doc_id: str = "doc", url: str | None = None,
                published: date | None = None) -> tuple[Document, Article]:
    doc = Document.from_bytes(text.encode("utf-8"), doc_id=doc_id, kind="text", url=url)
    body = normalise_body(text)
    return doc, Article(id=sha256_hex(body), doc_id=doc_id, document_id=doc.id, text=body, url=url,
                        published=published)


def add_events(store: Any, events_by_day: Iterable[tuple[str, str, str | None, date | None]], **kwargs: Any
               ) -> list[Event]:
    """Store events given as (source, type, target, date), each in an article of its own (one transaction)."""
    stored = []
    tag = stable_id(len(store.query("SELECT id FROM documents")), kwargs)[:6]
    with store.writer() as writer:
        for n, (src, kind, tgt, day) in enumerate(events_by_day):
            sentence = f"Report {tag}-{n}: {src} did {kind} to {tgt} on {day}."
            doc, article = article_for(sentence, doc_id=f"d{tag}-{n}")
            event = make_event(src, kind, tgt, day, article_id=article.id, sentence=sentence, doc_id=doc.doc_id,
                               **kwargs)
            writer.add(article, [event], document=doc)
            stored.append(event)
    return stored


def marker(src: str, kind: str, tgt: str | None, day: date | str, *flags: str) -> str:
    extra = "".join(f" {f}" for f in flags)
    return f"<<{src} {kind} {tgt or '-'} {day}{extra}>>"


def fake_article(doc: Document, published: date | None = None) -> Article | Rejected:
    try:
        text = doc.content.decode("utf-8")
    except UnicodeDecodeError:
        return Rejected(document_id=doc.id, doc_id=doc.doc_id, stage="extract", reason="bad_encoding")
    lines = text.splitlines()
    kept = [line for line in lines if not line.lstrip().startswith("#")]
    body = normalise_body("\n".join(kept))
    if len(body) < 10:
        return Rejected(document_id=doc.id, doc_id=doc.doc_id, stage="extract", reason="too_short",
                        detail=f"{len(body)} characters")
    dropped = tuple(line.strip() for line in lines if line.lstrip().startswith("#"))
    return Article(id=sha256_hex(body), doc_id=doc.doc_id, document_id=doc.id, text=body, url=doc.url,
                   published=doc.published or published, dropped_lines=dropped)


def fake_events(article: Article) -> list[Event]:
    events = []
    offset = 0
    for index, line in enumerate(article.text.split("\n")):
        for match in _MARK.finditer(line):
            flags = set(match.group("flags").split())
            tgt = None if match.group("tgt") == "-" else match.group("tgt")
            kind = match.group("type")
            span = (offset, offset + len(line))
            base = make_event(match.group("src"), kind, tgt, date.fromisoformat(match.group("date")),
                              article_id=article.id, index=index, sentence=line, span=span,
                              negated="negated" in flags, hypothetical="hypothetical" in flags,
                              future="future" in flags, mode=match.group("mode") or "", doc_id=article.doc_id,
                              url=article.url)
            events.append(base)
        offset += len(line) + 1
    return events


@register_coder(CODER)
def fake_code_documents(docs: Iterable[Any], *, batch_size: int = 32, published: date | None = None
                        ) -> Iterator[tuple[Article | Rejected, list[Event]]]:
    delay = float(os.environ.get("DETENTE_FAKE_CODER_DELAY", "0") or 0)
    trace = os.environ.get("DETENTE_FAKE_CODER_TRACE")
    for doc in docs:
        if isinstance(doc, Rejected):
            yield doc, []
            continue
        if delay:
            time.sleep(delay)
        item = fake_article(doc, published)
        yield item, fake_events(item) if isinstance(item, Article) else []
        if trace:
            with open(trace, "a", encoding="utf-8") as fh:
                fh.write(doc.doc_id + "\n")


def documents(texts: Sequence[str], *, prefix: str = "doc", urls: Sequence[str | None] | None = None
              ) -> list[Document]:
    return [Document.from_bytes(t.encode("utf-8"), doc_id=f"{prefix}{i}", kind="text",
                                url=(urls[i] if urls else None)) for i, t in enumerate(texts)]


def store_state(store: Any) -> dict[str, Any]:
    """Everything a run leaves in the store except run ids and timestamps (for comparing runs)."""
    def rows(sql: str) -> list[tuple[Any, ...]]:
        return sorted(tuple(r.values()) for r in store.query(sql))

    return {
        "documents": rows("SELECT id, doc_id, outcome, reason, article_id, canonical_id, similarity FROM documents"),
        "articles": rows("SELECT id, document_id, canonical_id, similarity, text FROM articles"),
        "bands": rows("SELECT bucket, article_id FROM article_bands"),
        "events": rows("SELECT * EXCLUDE (run_id, stored_at) FROM events"),
        "mentions": rows("SELECT * EXCLUDE (run_id, stored_at) FROM mentions"),
        "counts": rows("SELECT * FROM event_counts"),
    }


def kill_mid_run(argv: Sequence[str], *, cwd: Any, trace: Any, after_lines: int, delay: float, what: str) -> int:
    """Run ``detente ARGV`` in a process with the fake coder slowed to ``delay`` s a document, SIGKILL
    it once ``trace`` has ``after_lines`` lines (documents coded), and return its exit status."""
    import signal
    import subprocess
    import sys
    from pathlib import Path

    trace = Path(trace)
    env = {**os.environ, "PYTHONPATH": str(cwd), "DETENTE_CODER": CODER, "DETENTE_FAKE_CODER_DELAY": str(delay),
           "DETENTE_FAKE_CODER_TRACE": str(trace)}
    proc = subprocess.Popen([sys.executable, "-c", FAKE_CLI, *argv], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if trace.exists() and len(trace.read_text().splitlines()) >= after_lines:
                break
            time.sleep(0.02)
        assert proc.poll() is None, f"the {what} finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    return int(proc.returncode)


@contextmanager
def serve_in_thread(app: Any) -> Iterator[str]:
    """``app`` on uvicorn in a thread, on a free loopback port (the socket made as ``detente serve``
    makes it); yields the base URL and stops the server on exit."""
    import threading

    import uvicorn

    from detente.cli.serve_cmd import listen_socket

    sock = listen_socket("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
