#!/usr/bin/env python3
"""Score detente's article extraction on both extraction benchmarks, beside plain trafilatura.

    .venv/bin/python scripts/extract_bench.py [--shared ../shared] [--out DIR] [--sample N]
    .venv/bin/python scripts/extract_bench.py --benchmarks wcxb --forms html,html-no-restore \
        --line-model /tmp/sh_only.json     # HTML scored with a model trained on ScrapingHub only

For each benchmark in ``../shared/gold`` (ScrapingHub ``extraction``, 181 pages, and the WCXB
dev split ``extraction-wcxb-dev``, 711 article pages) it runs, in the same process and on the
same pages: ``detente.extract.extract_document`` over the HTML pages, and again without the
lines the line model restores (``restore=False``, form ``html-no-restore``); plain trafilatura
(``trafilatura.extract(html, url=url)``, exactly as ``score_extract.py trafilatura`` runs it);
``extract_document`` over the pages turned into seed-like text dumps by
``shared/tools/html2dump.py``; and the floor of keeping every line of those dumps. Each row is
mean token precision, recall and F1 per page, scored by ``shared/tools/score_extract.py``
(the scorer the lead runs from outside), with pages per second: the forms take turns page by
page, each call timed alone (scoring is not timed), so that on a shared machine they meet the
same load. Where the benchmark has a
``meta.json`` (the WCXB dev split: title, author and publish date of each page), the title,
author and date detente gives its HTML Article are compared with it beside plain trafilatura's
(``trafilatura.extract_metadata(html, default_url=url)``, timed apart from its body): the title
matches when equal after normalisation (casefolded words), the date when it is the same day, the
author when one name contains the other (normalised); each rate is over the pages whose truth
has that field. With ``--out`` the predictions
are written as ``{"doc_id","text"}`` JSONL files that ``score_extract.py score`` accepts;
``--sample N`` scores a fixed sample of N pages per benchmark (every k-th page by id).
``--line-model PATH`` runs every form with that line model file in place of the shipped one
(``scripts/train_line_model.py --only ... --out PATH`` writes one fitted on one benchmark), so
that a benchmark is scored by a model that has never seen its pages.
Extraction takes every language.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.errors import ModelError  # noqa: E402
from detente.extract import extract_document  # noqa: E402
from detente.extract.linemodel import LineModel, load_line_model, set_line_model  # noqa: E402
from detente.extract.metadata import normalise  # noqa: E402
from detente.model import Article, Document  # noqa: E402

BENCHMARKS = ("extraction", "extraction-wcxb-dev")
SHORT_NAMES = {"scrapinghub": "extraction", "wcxb": "extraction-wcxb-dev"}  # --benchmarks takes either name
FORMS = ("html", "html-no-restore", "trafilatura", "dump", "keepall")
LABELS = {"html": "detente, HTML", "html-no-restore": "detente, HTML without restored lines",
          "trafilatura": "plain trafilatura, HTML", "dump": "detente, text dumps",
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


def _body(doc: Document, meta: dict[str, Meta] | None = None, *, restore: bool = True) -> str:
    result = extract_document(doc, min_chars=0, restore=restore)
    if not isinstance(result, Article):
        return ""
    if meta is not None:
        meta[doc.doc_id] = {"title": result.title, "author": result.author,
                            "date": result.published.isoformat() if result.published else None}
    return result.text


def sample_pages(pages: Sequence[Any], size: int | None, part: tuple[int, int] | None = None) -> list[Any]:
    """Every k-th page by id, ``size`` of them (all pages when ``size`` is None); ``part=(i, n)``
    keeps the i-th of n interleaved parts of those (pages i, i+n, i+2n ... by id), so that the
    n parts together are the pages once each."""
    ordered = sorted(pages, key=lambda page: page[0])
    if part is not None:
        index, count = part
        if not 0 <= index < count:
            raise ValueError(f"part {index} of {count} does not exist: use 0 to {count - 1}")
        ordered = ordered[index::count]
    if size is None or size >= len(ordered):
        return ordered
    step = len(ordered) / size
    return [ordered[int(k * step)] for k in range(size)]


def run_benchmarks(shared: Path, out: Path | None = None, *, sample: int | None = None,
                   forms: Sequence[str] = FORMS, benchmarks: Sequence[str] = BENCHMARKS,
                   part: tuple[int, int] | None = None, line_model: LineModel | None = None) -> dict[str, Any]:
    """Extract and score each form of each benchmark, keyed ``"<benchmark>/<form>"`` (a
    ``Score``); where the benchmark has a ``meta.json`` and the HTML forms are run, also
    ``"<benchmark>/metadata"`` and ``"<benchmark>/trafilatura-metadata"`` (a ``MetaScore``);
    ``out`` receives the predictions; ``part`` scores one of n interleaved parts of the pages
    (see ``sample_pages``); ``line_model`` is used in place of the shipped one for the run (the
    shipped one is back in place afterwards)."""
    if line_model is None:
        return _run_benchmarks(shared, out, sample=sample, forms=forms, benchmarks=benchmarks, part=part)
    set_line_model(line_model)
    try:
        return _run_benchmarks(shared, out, sample=sample, forms=forms, benchmarks=benchmarks, part=part)
    finally:
        set_line_model(None)


def _run_benchmarks(shared: Path, out: Path | None, *, sample: int | None, forms: Sequence[str],
                    benchmarks: Sequence[str], part: tuple[int, int] | None) -> dict[str, Any]:
    scorer, dumper = _tools(shared)
    scores: dict[str, Any] = {}
    for bench in benchmarks:
        pages = sample_pages(list(scorer.pages(shared / "gold" / bench)), sample, part)
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
            "html-no-restore": _detente_html_no_restore,
            "trafilatura": _trafilatura,
            "dump": lambda key, url, raw, dumps=dumps: _body(Document.from_bytes(  # type: ignore[misc]
                dumps[key].encode("utf-8"), doc_id=key, kind="jsonl")),
            "keepall": lambda key, url, raw, dumps=dumps: dumps[key],  # type: ignore[misc]
        }
        rows: dict[str, list[tuple[float, float, float]]] = {form: [] for form in forms}
        predictions: dict[str, list[dict[str, str]]] = {form: [] for form in forms}
        seconds = dict.fromkeys(forms, 0.0)
        for index, (key, url, raw, gold) in enumerate(pages):
            # The forms take turns page by page (in reverse order every other page), each call
            # timed alone: on a shared machine every form meets the same load, and none is timed
            # on libraries another form's pass over the whole benchmark has already warmed.
            for form in (forms if index % 2 == 0 else forms[::-1]):
                started = time.perf_counter()
                text = readers[form](key, url, raw)
                seconds[form] += time.perf_counter() - started
                predictions[form].append({"doc_id": key, "text": text})
                rows[form].append(scorer.prf(text, gold))
        for form in forms:
            n = len(rows[form])
            scores[f"{bench}/{form}"] = Score(f"{bench}: {LABELS[form]}", n, sum(r[0] for r in rows[form]) / n,
                                              sum(r[1] for r in rows[form]) / n, sum(r[2] for r in rows[form]) / n,
                                              seconds[form])
            if out is not None:
                out.mkdir(parents=True, exist_ok=True)
                with (out / f"{bench}_{form}.jsonl").open("w", encoding="utf-8") as fh:
                    for record in predictions[form]:
                        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        if truth is not None and "html" in forms:
            scores[f"{bench}/metadata"] = score_metadata(f"{bench}: detente metadata", detente_meta, truth)
        if truth is not None and "trafilatura" in forms:
            plain = {key: _trafilatura_meta(url, raw) for key, url, raw, _ in pages}
            scores[f"{bench}/trafilatura-metadata"] = score_metadata(f"{bench}: plain trafilatura metadata", plain,
                                                                     truth)
    return scores


def to_json(scores: dict[str, Any]) -> str:
    """``run_benchmarks``' scores as one JSON object (read back by ``from_json``)."""
    return json.dumps({key: {"kind": type(score).__name__, **asdict(score)} for key, score in scores.items()})


def from_json(text: str) -> dict[str, Any]:
    scores: dict[str, Any] = {}
    for key, fields in json.loads(text).items():
        kind = fields.pop("kind")
        if kind == "MetaScore":
            fields = {name: tuple(value) if isinstance(value, list) else value for name, value in fields.items()}
            scores[key] = MetaScore(**fields)
        else:
            scores[key] = Score(**fields)
    return scores


def merge(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The scores of the pages of several parts taken together: a Score's means weighted by its
    pages (the mean over all the pages), its seconds summed (pages/s stays that of one process),
    a MetaScore's hits and counts added."""
    merged: dict[str, Any] = {}
    for key in parts[0]:
        found = [part[key] for part in parts if key in part]
        first = found[0]
        if isinstance(first, MetaScore):
            merged[key] = MetaScore(first.label, *(
                (sum(getattr(m, field)[0] for m in found), sum(getattr(m, field)[1] for m in found))
                for field in ("title", "author", "date")))
            continue
        pages = sum(score.pages for score in found)

        def mean(field: str, found: list[Score] = found, pages: int = pages) -> float:
            return sum(getattr(score, field) * score.pages for score in found) / max(pages, 1)

        merged[key] = Score(first.label, pages, mean("precision"), mean("recall"), mean("f1"),
                            sum(score.seconds for score in found))
    return merged


def run_in_parts(shared: Path, jobs: int, *, forms: Sequence[str] = FORMS,
                 benchmarks: Sequence[str] = BENCHMARKS, line_model: Path | None = None) -> dict[str, Any]:
    """``run_benchmarks`` over every page, the pages split into ``jobs`` interleaved parts scored
    side by side, each in a process of its own, then merged: the same figures (means over the
    same pages) in about 1/jobs of the time on a machine with that many free cores.
    ``line_model`` is the path of a line model file each part runs with."""
    if jobs <= 1:
        model = load_line_model(line_model) if line_model is not None else None
        return run_benchmarks(shared, forms=forms, benchmarks=benchmarks, line_model=model)
    model_args = ["--line-model", str(line_model)] if line_model is not None else []
    runs = [subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--shared", str(shared),
                              "--part", f"{index}/{jobs}", "--forms", ",".join(forms),
                              "--benchmarks", ",".join(benchmarks), "--json", *model_args],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for index in range(jobs)]
    parts = []
    for run in runs:
        out, err = run.communicate()
        if run.returncode != 0:
            raise RuntimeError(f"a part of the benchmark failed (exit {run.returncode}): {err.strip()[-2000:]}")
        parts.append(from_json(out))
    return merge(parts)


def _detente_html(key: str, url: str | None, raw: str, meta: dict[str, Meta] | None = None) -> str:
    return _body(Document.from_bytes(raw.encode("utf-8"), doc_id=key, kind="jsonl", media_type="html", url=url), meta)


def _detente_html_no_restore(key: str, url: str | None, raw: str) -> str:
    return _body(Document.from_bytes(raw.encode("utf-8"), doc_id=key, kind="jsonl", media_type="html", url=url),
                 restore=False)


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
    parser.add_argument("--benchmarks", default=",".join(BENCHMARKS),
                        help=f"comma-separated benchmarks to score (default {','.join(BENCHMARKS)}; "
                             f"{' and '.join(SHORT_NAMES)} name them too)")
    parser.add_argument("--forms", default=",".join(FORMS), help=f"comma-separated forms (default {','.join(FORMS)})")
    parser.add_argument("--part", default=None, metavar="I/N",
                        help="score only the I-th of N interleaved parts of the pages (0-based)")
    parser.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    parser.add_argument("--line-model", type=Path, default=None, metavar="PATH",
                        help="use this line model file instead of the shipped one "
                             "(written by scripts/train_line_model.py --out PATH)")
    args = parser.parse_args(argv)
    benchmarks = tuple(SHORT_NAMES.get(b, b) for b in args.benchmarks.split(",") if b)
    forms = tuple(f for f in args.forms.split(",") if f)
    unknown = [b for b in benchmarks if b not in BENCHMARKS] + [f for f in forms if f not in FORMS]
    if unknown or not benchmarks or not forms:
        print(f"error: unknown benchmark or form {unknown[0] if unknown else '(none given)'!r} - "
              f"benchmarks are {', '.join(BENCHMARKS)}; forms are {', '.join(FORMS)}", file=sys.stderr)
        return 2
    line_model = None
    if args.line_model is not None:
        try:
            line_model = load_line_model(args.line_model)
        except ModelError as exc:
            problem = f"{exc.message} - give a file written by scripts/train_line_model.py --out PATH"
            print(f"error: {' '.join(problem.split())}", file=sys.stderr)
            return 2
        print(f"line model: {args.line_model} (trained on {', '.join(line_model.trained_on) or 'unknown'})",
              file=sys.stderr)
    missing = [b for b in benchmarks if not (args.shared / "gold" / b / "ground-truth.json").exists()]
    if missing:
        print(f"error: no benchmark under {args.shared}/gold/{missing[0]} - pass --shared PATH", file=sys.stderr)
        return 2
    if args.sample is not None and args.sample < 1:
        print("error: --sample must be a positive number of pages", file=sys.stderr)
        return 2
    part = None
    if args.part is not None:
        index, _, count = args.part.partition("/")
        if not (index.isdigit() and count.isdigit() and int(index) < int(count)):
            print(f"error: --part takes I/N with 0 <= I < N (e.g. 0/2), not {args.part!r}", file=sys.stderr)
            return 2
        part = (int(index), int(count))
    scores = run_benchmarks(args.shared, args.out, sample=args.sample, forms=forms, benchmarks=benchmarks, part=part,
                            line_model=line_model)
    if args.json:
        print(to_json(scores), flush=True)
        return 0
    for score in scores.values():
        print(score.line(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
