"""Load test of ``detente serve``: concurrent readers against a store of synthetic events.

    .venv/bin/python scripts/load_test.py                       # 10,000 events, 50 readers, 30 s
    .venv/bin/python scripts/load_test.py --db big.duckdb       # reuse (or build once) a store
    .venv/bin/python scripts/load_test.py --readers 10 --seconds 5 --events 2000

It builds a store of ``--events`` synthetic events (random dyads among twelve countries over
two years, written through the store's single writer, as ``detente ingest`` would), starts
``detente serve`` on it on 127.0.0.1 in a subprocess, runs ``--readers`` concurrent reader
threads for ``--seconds`` over the API's read endpoints (event pages with filters and
cursors, single events, articles, dyad rankings, series, reciprocity, alerts, health), and
prints p50/p99 latency per endpoint and overall, the throughput and the error count. It
exits 1 when any request failed. Not a timed test: the numbers go in the README.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from detente.coding.ontology import cameo_info, default_cameo
from detente.model import PLOVER_TYPES, Actor, Article, Document, Event, normalise_body, sha256_hex, stable_id
from detente.store import open_store

COUNTRIES = ("USA", "RUS", "CHN", "UKR", "DEU", "FRA", "GBR", "IRN", "ISR", "TUR", "IND", "PAK")
SECTORS = ("GOV", "MIL", "GOV", "GOV", "CVL", "BUS")
WORDS = ("minister", "talks", "border", "troops", "sanctions", "envoy", "summit", "ceasefire", "aid",
         "convoy", "pipeline", "tariffs", "exercise", "drone", "statement", "embassy", "spokesperson",
         "parliament", "treaty", "delegation", "council", "protest", "strike", "port", "grain", "energy",
         "vessel", "satellite", "inspection", "corridor", "reserve", "negotiators", "cabinet", "capital",
         "province", "election", "refugees", "currency", "exports", "coalition", "agency", "observers",
         "warning", "deadline", "memorandum")
EVENTS_PER_ARTICLE = 4
START = date(2022, 1, 3)
DAYS = 730


def _sentence(rng: random.Random, src: str, kind: str, tgt: str, day: date, n: int) -> str:
    filler = " ".join(rng.choice(WORDS) for _ in range(12))
    return f"On {day.isoformat()} {src} did {kind.lower()} towards {tgt} (report {n}) amid {filler}."


def synthetic_article(rng: random.Random, n: int) -> tuple[Document, Article, list[Event]]:
    """One article of ``EVENTS_PER_ARTICLE`` events between random countries, each sentence its evidence."""
    day = START + timedelta(days=rng.randrange(DAYS))
    plans = []
    for _ in range(EVENTS_PER_ARTICLE):
        a, b = rng.sample(COUNTRIES, 2)
        plans.append((a + rng.choice(SECTORS), rng.choice(PLOVER_TYPES), b + rng.choice(SECTORS)))
    sentences = [_sentence(rng, s, k, t, day, n) for s, k, t in plans]
    body = normalise_body("\n".join(sentences))
    doc = Document.from_bytes(body.encode(), doc_id=f"synthetic-{n}", kind="text", url=f"https://news.example/{n}")
    article = Article(id=sha256_hex(body), doc_id=doc.doc_id, document_id=doc.id, text=body, url=doc.url,
                      site="news.example", title=f"Synthetic report {n}", published=day, language="en")
    events, offset = [], 0
    for index, ((src, kind, tgt), sentence) in enumerate(zip(plans, sentences, strict=True)):
        cameo = default_cameo(kind)
        info = cameo_info(cameo)
        span = (offset, offset + len(sentence))
        offset += len(sentence) + 1
        flags = rng.random()
        events.append(Event(
            id=stable_id(article.id, index, span[0], span[1], kind, src, tgt, cameo), article_id=article.id,
            doc_id=doc.doc_id, sentence_index=index, span=span, sentence=sentence,
            source=Actor(src, src[:3], src[3:], src), target=Actor(tgt, tgt[:3], tgt[3:], tgt), type=kind,
            mode=info.mode, cameo=cameo, goldstein=info.goldstein, quad_class=info.quad_class, date=day,
            negated=flags < 0.03, hypothetical=0.03 <= flags < 0.06, confidence=round(rng.uniform(0.4, 0.95), 2),
            coder="loadtest.synthetic.v1", rule="synthetic event for the load test", url=doc.url))
    return doc, article, events


def build_store(path: str, n_events: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    articles = n_events // EVENTS_PER_ARTICLE
    started = time.monotonic()
    with open_store(path) as store:
        for first in range(0, articles, 250):
            with store.writer() as writer:
                for n in range(first, min(articles, first + 250)):
                    doc, article, events = synthetic_article(rng, n)
                    writer.add(article, events, document=doc)
        stats = store.stats()
    print(f"built {path}: {stats.events} events in {stats.articles} articles "
          f"({time.monotonic() - started:.1f} s)", flush=True)


def sample_ids(path: str) -> dict[str, list[Any]]:
    with open_store(path, read_only=True) as store:
        events = [r["id"] for r in store.query("SELECT id FROM events USING SAMPLE 500 ROWS")]
        articles = [r["id"] for r in store.query("SELECT id FROM articles USING SAMPLE 500 ROWS")]
        pairs = [(r["s"], r["t"]) for r in store.query(
            "SELECT DISTINCT source_key AS s, target_key AS t FROM dyad_events WHERE target_key IS NOT NULL "
            "AND source_key <> target_key")]
    return {"events": events, "articles": articles, "pairs": pairs}


def start_server(path: str) -> tuple[subprocess.Popen[str], str]:
    """``detente serve`` on a free loopback port; returns the process and its base URL."""
    command = [sys.executable, "-c", "import sys; from detente.cli import main; sys.exit(main())",
               "serve", "--db", path, "--host", "127.0.0.1", "--port", "0", "--no-access-log"]
    env = {k: v for k, v in os.environ.items() if k != "DETENTE_TOKEN"}
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stderr is not None
    deadline = time.monotonic() + 60
    for line in proc.stderr:
        match = re.search(r"at (http://127\.0\.0\.1:\d+)/", line)
        if match:
            base = match.group(1)
            break
        if time.monotonic() > deadline:
            break
    else:
        raise SystemExit(f"the server did not start (exit {proc.wait()})")
    threading.Thread(target=lambda: [None for _ in proc.stderr or ()], daemon=True).start()  # drain its log
    for _ in range(200):
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.05)
    raise SystemExit("the server did not answer /healthz")


def request_plan(rng: random.Random, ids: dict[str, list[Any]]) -> tuple[str, str]:
    """(endpoint name, path) of one reader request, drawn by weight."""
    a, b = rng.choice(ids["pairs"])
    roll = rng.random()
    if roll < 0.30:
        params = rng.choice([f"source={a}", f"source={a}&target={b}", f"type={rng.choice(PLOVER_TYPES)}",
                             "modality=real", f"since={START + timedelta(days=rng.randrange(DAYS))}", "limit=100"])
        return "events", f"/api/v1/events?{params}"
    if roll < 0.45:
        return "event", f"/api/v1/events/{rng.choice(ids['events'])}"
    if roll < 0.55:
        return "article", f"/api/v1/articles/{rng.choice(ids['articles'])}"
    if roll < 0.70:
        return "series", f"/api/v1/dyads/{a}/{b}/series?freq={rng.choice('DWM')}"
    if roll < 0.78:
        return "reciprocity", f"/api/v1/reciprocity?a={a}&b={b}"
    if roll < 0.85:
        return "dyad", f"/api/v1/dyads/{a}/{b}"
    if roll < 0.90:
        return "dyads", "/api/v1/dyads"
    if roll < 0.95:
        return "alerts", "/api/v1/alerts"
    return "healthz", "/healthz"


def reader(base: str, ids: dict[str, list[Any]], until: float, seed: int,
           results: list[tuple[str, float, bool]], lock: threading.Lock) -> None:
    rng = random.Random(seed)
    mine: list[tuple[str, float, bool]] = []
    with httpx.Client(base_url=base, timeout=120) as client:
        cursor_path: str | None = None
        while time.monotonic() < until:
            name, path = ("events", cursor_path) if cursor_path else request_plan(rng, ids)
            cursor_path = None
            t0 = time.perf_counter()
            try:
                response = client.get(path)
                ok = response.status_code == 200
                if ok and name == "events" and rng.random() < 0.5:
                    cursor_path = response.json().get("next")  # follow the cursor half the time
            except httpx.HTTPError:
                ok = False
            mine.append((name, time.perf_counter() - t0, ok))
    with lock:
        results.extend(mine)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def report(results: list[tuple[str, float, bool]], seconds: float, readers: int) -> int:
    by_name: dict[str, list[float]] = defaultdict(list)
    errors = 0
    for name, latency, ok in results:
        by_name[name].append(latency)
        errors += not ok
    print(f"\n{'endpoint':<12}{'requests':>10}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for name in sorted(by_name, key=lambda n: -len(by_name[n])):
        values = by_name[name]
        print(f"{name:<12}{len(values):>10}{percentile(values, .5) * 1000:>10.1f}"
              f"{percentile(values, .99) * 1000:>10.1f}{max(values) * 1000:>10.1f}")
    everything = [latency for _, latency, _ in results]
    print(f"{'all':<12}{len(everything):>10}{percentile(everything, .5) * 1000:>10.1f}"
          f"{percentile(everything, .99) * 1000:>10.1f}{max(everything, default=0) * 1000:>10.1f}")
    print(f"\n{readers} readers, {seconds:g} s: {len(results)} requests, {len(results) / seconds:.0f} req/s, "
          f"p50 {percentile(everything, .5) * 1000:.1f} ms, p99 {percentile(everything, .99) * 1000:.1f} ms, "
          f"errors {errors}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="store to use; built when missing (default: a temporary file)")
    parser.add_argument("--events", type=int, default=10_000, help="events in a built store")
    parser.add_argument("--readers", type=int, default=50, help="concurrent reader threads")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the readers run")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or str(Path(tmp) / "load.duckdb")
        if not Path(path).exists():
            build_store(path, args.events)
        ids = sample_ids(path)
        proc, base = start_server(path)
        try:
            # Wait for the server's own warm-up (it computes the store-wide views once), as a user would.
            with httpx.Client(base_url=base, timeout=600) as client:
                for name in ("/index.json", "/api/v1/dyads", "/api/v1/alerts", "/api/v1/reciprocity", "/api/v1/events"):
                    client.get(name)
            results: list[tuple[str, float, bool]] = []
            lock = threading.Lock()
            until = time.monotonic() + args.seconds
            threads = [threading.Thread(target=reader, args=(base, ids, until, seed, results, lock))
                       for seed in range(args.readers)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            errors = report(results, args.seconds, args.readers)
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
