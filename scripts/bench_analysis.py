"""``scripts/bench.py --only analysis``: what the analysis commands cost on ten years of news.

    .venv/bin/python scripts/bench.py --only analysis [--analysis-db store.duckdb] [--analysis-events 100000]

Builds (or reuses, with ``--analysis-db``) a store of ``--analysis-events`` synthetic events
(default 100,000; four per article) spanning ten years, 2016-01-01 to 2025-12-31, written
through the store's single writer as ``detente ingest`` writes them. The news is shaped like
real coverage, not spread evenly over the calendar:

- eight long rivalries (USA-RUS, USA-CHN, ...) reported all decade, with a few flare-ups each
  and a planted escalation in the last weeks;
- thirty episodes: a pair of countries in the news for two to eight months, then not again;
- the episode the dyad measurement reads: Armenia and Azerbaijan, 27 September to 10 November 2020;
- scattered single reports between any two of 24 countries;
- about 6% of the events negated or hypothetical (never counted).

It then runs the commands an analyst runs, each as a fresh process (start-up included), and
prints their wall times: ``detente alerts --freq D`` (the latest day), the same over the last
year (``--since``), weekly alerts over the whole decade, and ``detente dyad ARM AZE --freq D
--csv`` (whose rows it counts). ``dyad_days`` is the number of days from the pair's first to
its last real event (either direction), read from the store by SQL; the series must have
exactly one row per day of that span.

Last line: ``alerts_daily_s=<seconds> dyad_daily_lines=<n> dyad_days=<n>``. A measurement,
not a test.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from detente.coding.ontology import cameo_info, default_cameo
from detente.model import PLOVER_TYPES, Actor, Article, Document, Event, normalise_body, sha256_hex, stable_id
from detente.store import open_store

__all__ = ["build_store", "run"]

START = date(2016, 1, 1)
END = date(2025, 12, 31)
DAYS = (END - START).days + 1
EVENTS_PER_ARTICLE = 4
COUNTRIES = ("USA", "RUS", "CHN", "UKR", "DEU", "FRA", "GBR", "IRN", "ISR", "TUR", "IND", "PAK", "SAU", "KOR",
             "PRK", "TWN", "JPN", "EGY", "ETH", "SDN", "VEN", "COL", "ARM", "AZE")
RIVALRIES = (("USA", "RUS"), ("USA", "CHN"), ("ISR", "IRN"), ("IND", "PAK"), ("RUS", "UKR"), ("CHN", "TWN"),
             ("KOR", "PRK"), ("SAU", "IRN"))
DYAD = ("ARM", "AZE")
DYAD_EPISODE = (date(2020, 9, 27), date(2020, 11, 10))
SECTORS = ("GOV", "MIL", "GOV", "GOV", "CVL", "BUS")
CONFLICT = tuple(t for t in PLOVER_TYPES if t in ("REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION",
                                                  "MOBILIZE", "COERCE", "ASSAULT"))
WORDS = ("minister", "talks", "border", "troops", "sanctions", "envoy", "summit", "ceasefire", "aid", "convoy",
         "pipeline", "tariffs", "exercise", "drone", "statement", "embassy", "spokesperson", "parliament", "treaty",
         "delegation", "council", "protest", "strike", "port", "grain", "energy", "vessel", "satellite",
         "inspection", "corridor", "negotiators", "cabinet", "capital", "province", "refugees", "observers")


@dataclass(frozen=True)
class Story:
    """Who a report is about, when, and how hostile its coverage is (share of conflict events)."""

    pair: tuple[str, str]
    day: date
    hostility: float


def _day(offset: int) -> date:
    return START + timedelta(days=offset)


class Newsroom:
    """Draws stories the way coverage clusters: rivalries with flare-ups, episodes, stray reports."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.flares = {pair: sorted(rng.sample(range(DAYS - 40), 3)) for pair in RIVALRIES}
        others = [(a, b) for a in COUNTRIES for b in COUNTRIES
                  if a < b and (a, b) not in RIVALRIES and (b, a) not in RIVALRIES and {a, b} != set(DYAD)]
        self.episodes = []
        for pair in rng.sample(others, 30):
            length = rng.randrange(60, 241)
            begin = rng.randrange(DAYS - length)
            self.episodes.append((pair, begin, length))

    def story(self) -> Story:
        rng = self.rng
        draw = rng.random()
        if draw < 0.55:
            pair = rng.choice(RIVALRIES)
            if rng.random() < 0.25:  # a flare-up: weeks of dense, hostile coverage
                begin = rng.choice(self.flares[pair])
                return Story(pair, _day(begin + rng.randrange(21)), 0.9)
            if pair == RIVALRIES[0] and rng.random() < 0.02:  # the planted escalation at the end of the store
                return Story(pair, END - timedelta(days=rng.randrange(10)), 0.95)
            return Story(pair, _day(rng.randrange(DAYS)), 0.55)
        if draw < 0.90:
            pair, begin, length = rng.choice(self.episodes)
            return Story(pair, _day(begin + rng.randrange(length)), 0.5)
        if draw < 0.905:
            span = (DYAD_EPISODE[1] - DYAD_EPISODE[0]).days + 1
            return Story(DYAD, DYAD_EPISODE[0] + timedelta(days=rng.randrange(span)), 0.8)
        a, b = rng.sample([c for c in COUNTRIES if c not in DYAD], 2)
        return Story((a, b), _day(rng.randrange(DAYS)), 0.5)


def _article(rng: random.Random, newsroom: Newsroom, n: int) -> tuple[Document, Article, list[Event]]:
    story = newsroom.story()
    plans = []
    for _ in range(EVENTS_PER_ARTICLE):
        a, b = story.pair if rng.random() < 0.6 else story.pair[::-1]
        kind = rng.choice(CONFLICT) if rng.random() < story.hostility else rng.choice(PLOVER_TYPES[:7])
        plans.append((a + rng.choice(SECTORS), kind, b + rng.choice(SECTORS)))
    day = story.day
    sentences = [f"On {day.isoformat()} {s} did {k.lower()} towards {t} (report {n}) amid "
                 + " ".join(rng.choice(WORDS) for _ in range(12)) + "." for s, k, t in plans]
    body = normalise_body("\n".join(sentences))
    doc = Document.from_bytes(body.encode(), doc_id=f"bench-{n}", kind="text", url=f"https://news.example/{n}")
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
            coder="bench.synthetic.v1", rule="synthetic event for the analysis benchmark", url=doc.url))
    return doc, article, events


def build_store(path: Path, n_events: int, seed: int = 16) -> None:
    rng = random.Random(seed)
    newsroom = Newsroom(rng)
    articles = n_events // EVENTS_PER_ARTICLE
    started = time.monotonic()
    with open_store(path) as store:
        for first in range(0, articles, 1000):
            with store.writer() as writer:
                for n in range(first, min(articles, first + 1000)):
                    doc, article, events = _article(rng, newsroom, n)
                    writer.add(article, events, document=doc)
        stats = store.stats()
    print(f"built {path}: {stats.events:,} events ({stats.real_events:,} real) in {stats.articles:,} articles, "
          f"{START} to {END} ({time.monotonic() - started:.0f} s)", flush=True)


def _detente(*args: str) -> tuple[float, str]:
    """Run the CLI in a fresh process; (wall seconds, stdout)."""
    command = [sys.executable, "-c", "import sys; from detente.cli import main; sys.exit(main())", *args]
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"detente {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-400:]}")
    return seconds, done.stdout


def run(db: Path | None, n_events: int, scratch: Path) -> None:
    path = db or scratch / "analysis.duckdb"
    if not path.exists():
        build_store(path, n_events)
    with open_store(path, read_only=True) as store:
        row = store.query(
            """SELECT count(*) AS events, min(event_date) AS lo, max(event_date) AS hi FROM dyad_events
               WHERE is_real""")[0]
        span = store.query(
            """SELECT min(event_date) AS lo, max(event_date) AS hi FROM dyad_events WHERE is_real AND
               ((source_key = ? AND target_key = ?) OR (source_key = ? AND target_key = ?))""",
            [DYAD[0], DYAD[1], DYAD[1], DYAD[0]])[0]
        dyads = store.scalar("""SELECT count(*) FROM (SELECT DISTINCT source_key, target_key FROM dyad_events
                                WHERE is_real AND target_key IS NOT NULL AND source_key <> target_key)""")
    dyad_days = (span["hi"] - span["lo"]).days + 1
    print(f"store: {row['events']:,} real events from {row['lo']} to {row['hi']}, {dyads} directed dyads; "
          f"{DYAD[0]}-{DYAD[1]} from {span['lo']} to {span['hi']} ({dyad_days} days)")
    db_arg = ["--db", str(path)]
    timings = {}
    outputs = {}
    for name, args in (
        ("alerts --freq D", ["alerts", "--freq", "D", "--json"]),
        ("alerts --freq D --since <a year before the end>",
         ["alerts", "--freq", "D", "--since", (row["hi"] - timedelta(days=365)).isoformat(), "--json"]),
        ("alerts --freq W --since <the first day>", ["alerts", "--freq", "W", "--since", row["lo"].isoformat(),
                                                     "--json"]),
        (f"dyad {DYAD[0]} {DYAD[1]} --freq D --csv", ["dyad", DYAD[0], DYAD[1], "--freq", "D", "--csv"]),
    ):
        seconds, stdout = min((_detente(*args, *db_arg) for _ in range(3)), key=lambda r: r[0])
        timings[name], outputs[name] = seconds, stdout
        print(f"  detente {name}: {seconds:.2f} s (best of 3, a fresh process each, start-up included)")
    import json

    for name in ("alerts --freq D", "alerts --freq D --since <a year before the end>",
                 "alerts --freq W --since <the first day>"):
        alerts = json.loads(outputs[name])
        print(f"  {name}: {len(alerts)} alerts ({len({(a['source'], a['target']) for a in alerts})} dyads)")
    csv_lines = outputs[f"dyad {DYAD[0]} {DYAD[1]} --freq D --csv"].splitlines()
    dyad_lines = len(csv_lines) - 1  # the header
    print(f"  dyad {DYAD[0]} {DYAD[1]} --freq D: {dyad_lines} daily rows, {csv_lines[1][:10]} .. {csv_lines[-1][:10]}")
    seconds_alerts = timings["alerts --freq D"]
    print(f"alerts_daily_s={seconds_alerts:.2f} dyad_daily_lines={dyad_lines} dyad_days={dyad_days}")
