#!/usr/bin/env python3
"""Score detente's article extraction on both extraction benchmarks, beside plain trafilatura.

    .venv/bin/python scripts/extract_bench.py [--shared ../shared] [--out DIR] [--sample N]

For each benchmark in ``../shared/gold`` (ScrapingHub ``extraction``, 181 pages, and the WCXB
dev split ``extraction-wcxb-dev``, 711 article pages) it runs, in the same process and on the
same pages: ``detente.extract.extract_document`` over the HTML pages; plain trafilatura
(``trafilatura.extract(html, url=url)``, exactly as ``score_extract.py trafilatura`` runs it);
``extract_document`` over the pages turned into seed-like text dumps by
``shared/tools/html2dump.py``; and the floor of keeping every line of those dumps. Each row is
mean token precision, recall and F1 per page, scored by ``shared/tools/score_extract.py``
(the scorer the lead runs from outside), with pages per second. Where the benchmark has a
``meta.json`` (the WCXB dev split: title, author and publish date of each page), the title,
author and date detente gives its HTML Article are compared with it beside plain trafilatura's
(``trafilatura.extract_metadata(html, default_url=url)``, timed apart from its body): the title
matches when equal after normalisation (casefolded words), the date when it is the same day, the
author when one name contains the other (normalised); each rate is over the pages whose truth
has that field. With ``--out`` the predictions
are written as ``{"doc_id","text"}`` JSONL files that ``score_extract.py score`` accepts;
``--sample N`` scores a fixed sample of N pages per benchmark (every k-th page by id).
Extraction takes every language.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.extract import extract_document  # noqa: E402
from detente.extract.metadata import normalise  # noqa: E402
from detente.model import Article, Document  # noqa: E402

BENCHMARKS = ("extraction", "extraction-wcxb-dev")
FORMS = ("html", "trafilatura", "dump", "keepall")
LABELS = {"html": "detente, HTML", "trafilatura": "plain trafilatura, HTML", "dump": "detente, text dumps",
          "keepall": "keep every line, text dumps"}


@dataclass(frozen=True)
class Score:
    label: str
    pages: int
    precision: float
    recall: float
    f1: float
    seconds: float

    @property
    def pages_per_second(self) -> float:
        return self.pages / max(self.seconds, 1e-9)

    def line(self) -> str:
        return (f"{self.label}: pages={self.pages} precision={self.precision:.3f} recall={self.recall:.3f} "
                f"f1={self.f1:.3f} ({self.pages_per_second:.1f} pages/s)")


@dataclass(frozen=True)
class MetaScore:
    """Title, author and date rates against a benchmark's ``meta.json``."""

    label: str
    title: tuple[int, int]
    author: tuple[int, int]
    date: tuple[int, int]

    @staticmethod
    def rate(hits: tuple[int, int]) -> float:
        return hits[0] / max(hits[1], 1)

    def line(self) -> str:
        return (f"{self.label}: title={self.rate(self.title):.3f} ({self.title[0]}/{self.title[1]}) "
                f"author={self.rate(self.author):.3f} ({self.author[0]}/{self.author[1]}) "
                f"date={self.rate(self.date):.3f} ({self.date[0]}/{self.date[1]})")


Meta = dict[str, str | None]


def score_metadata(label: str, predicted: dict[str, Meta], truth: dict[str, dict[str, Any]]) -> MetaScore:
    """Rates of ``predicted`` (page id -> title, author, date as ``YYYY-MM-DD``) against ``truth``
    (page id -> title, author, publish_date), over the pages whose truth has the field."""
    counts = {"title": [0, 0], "author": [0, 0], "date": [0, 0]}
    for key, gold in truth.items():
        got = predicted.get(key, {})
        if gold.get("title"):
            counts["title"][1] += 1
            counts["title"][0] += normalise(got.get("title")) == normalise(gold["title"])
        if gold.get("author"):
            want, have = normalise(gold["author"]), normalise(got.get("author"))
            counts["author"][1] += 1
            counts["author"][0] += bool(have) and (want in have or have in want)
        if gold.get("publish_date"):
            counts["date"][1] += 1
            counts["date"][0] += (got.get("date") or "")[:10] == str(gold["publish_date"])[:10]
    return MetaScore(label, (counts["title"][0], counts["title"][1]), (counts["author"][0], counts["author"][1]),
                     (counts["date"][0], counts["date"][1]))


def _tools(shared: Path) -> tuple[ModuleType, ModuleType]:
    tools = str(shared / "tools")
    if tools not in sys.path:
        sys.path.insert(0, tools)
    return importlib.import_module("score_extract"), importlib.import_module("html2dump")


def _body(doc: Document, meta: dict[str, Meta] | None = None) -> str:
    result = extract_document(doc, min_chars=0)
    if not isinstance(result, Article):
        return ""
    if meta is not None:
        meta[doc.doc_id] = {"title": result.title, "author": result.author,
                            "date": result.published.isoformat() if result.published else None}
    return result.text


def sample_pages(pages: Sequence[Any], size: int | None) -> list[Any]:
    """Every k-th page by id, ``size`` of them (all pages when ``size`` is None)."""
    ordered = sorted(pages, key=lambda page: page[0])
    if size is None or size >= len(ordered):
        return ordered
    step = len(ordered) / size
    return [ordered[int(k * step)] for k in range(size)]


def run_benchmarks(shared: Path, out: Path | None = None, *, sample: int | None = None,
                   forms: Sequence[str] = FORMS, benchmarks: Sequence[str] = BENCHMARKS) -> dict[str, Any]:
    """Extract and score each form of each benchmark, keyed ``"<benchmark>/<form>"`` (a
    ``Score``); where the benchmark has a ``meta.json`` and the HTML forms are run, also
    ``"<benchmark>/metadata"`` and ``"<benchmark>/trafilatura-metadata"`` (a ``MetaScore``);
    ``out`` receives the predictions."""
    scorer, dumper = _tools(shared)
    scores: dict[str, Any] = {}
    for bench in benchmarks:
        pages = sample_pages(list(scorer.pages(shared / "gold" / bench)), sample)
        meta_file = shared / "gold" / bench / "meta.json"
        truth = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.exists() else None
        if truth is not None:
            truth = {key: truth[key] for key, *_ in pages if key in truth}
        detente_meta: dict[str, Meta] = {}
        dumps = {key: dumper.dump(raw) for key, _url, raw, _gold in pages} if {"dump", "keepall"} & set(forms) \
            else {}
        readers: dict[str, Callable[[str, str | None, str], str]] = {
            "html": lambda key, url, raw, detente_meta=detente_meta: _detente_html(  # type: ignore[misc]
                key, url, raw, detente_meta),
            "trafilatura": _trafilatura,
            "dump": lambda key, url, raw, dumps=dumps: _body(Document.from_bytes(  # type: ignore[misc]
                dumps[key].encode("utf-8"), doc_id=key, kind="jsonl")),
            "keepall": lambda key, url, raw, dumps=dumps: dumps[key],  # type: ignore[misc]
        }
        for form in forms:
            read = readers[form]
            started, rows, predictions = time.perf_counter(), [], []
            for key, url, raw, gold in pages:
                text = read(key, url, raw)
                predictions.append({"doc_id": key, "text": text})
                rows.append(scorer.prf(text, gold))
            elapsed = time.perf_counter() - started
            n = len(rows)
            scores[f"{bench}/{form}"] = Score(f"{bench}: {LABELS[form]}", n, sum(r[0] for r in rows) / n,
                                              sum(r[1] for r in rows) / n, sum(r[2] for r in rows) / n, elapsed)
            if out is not None:
                out.mkdir(parents=True, exist_ok=True)
                with (out / f"{bench}_{form}.jsonl").open("w", encoding="utf-8") as fh:
                    for record in predictions:
                        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        if truth is not None and "html" in forms:
            scores[f"{bench}/metadata"] = score_metadata(f"{bench}: detente metadata", detente_meta, truth)
        if truth is not None and "trafilatura" in forms:
            plain = {key: _trafilatura_meta(url, raw) for key, url, raw, _ in pages}
            scores[f"{bench}/trafilatura-metadata"] = score_metadata(f"{bench}: plain trafilatura metadata", plain,
                                                                     truth)
    return scores


def _detente_html(key: str, url: str | None, raw: str, meta: dict[str, Meta] | None = None) -> str:
    return _body(Document.from_bytes(raw.encode("utf-8"), doc_id=key, kind="jsonl", media_type="html", url=url), meta)


def _trafilatura_meta(url: str | None, raw: str) -> Meta:
    import trafilatura

    found = trafilatura.extract_metadata(raw, default_url=url)
    if found is None:
        return {}
    return {"title": found.title, "author": found.author, "date": found.date}


def _trafilatura(key: str, url: str | None, raw: str) -> str:
    import trafilatura

    return trafilatura.extract(raw, url=url) or ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder")
    parser.add_argument("--out", type=Path, default=None, help="write the predictions as JSONL here")
    parser.add_argument("--sample", type=int, default=None, help="score a fixed sample of N pages per benchmark")
    args = parser.parse_args(argv)
    missing = [b for b in BENCHMARKS if not (args.shared / "gold" / b / "ground-truth.json").exists()]
    if missing:
        print(f"error: no benchmark under {args.shared}/gold/{missing[0]} - pass --shared PATH", file=sys.stderr)
        return 2
    if args.sample is not None and args.sample < 1:
        print("error: --sample must be a positive number of pages", file=sys.stderr)
        return 2
    for score in run_benchmarks(args.shared, args.out, sample=args.sample).values():
        print(score.line(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
