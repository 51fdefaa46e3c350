#!/usr/bin/env python3
"""Score detente's article extraction on the peer benchmark (../shared/gold/extraction).

    .venv/bin/python scripts/extract_bench.py [--shared ../shared] [--out DIR]

Runs ``detente.extract.extract_document`` over the benchmark's 181 HTML pages, and over
the same pages turned into plain-text dumps by ``shared/tools/html2dump.py``, and prints
mean token precision, recall and F1 per page for each, scored by
``shared/tools/score_extract.py`` (the same scorer the lead runs from outside). With
``--out`` the predictions are written as ``{"doc_id","text"}`` JSONL files that
``score_extract.py score`` accepts. The benchmark has pages in eleven languages; extraction
takes every one of them.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.extract import extract_document  # noqa: E402
from detente.model import Article, Document  # noqa: E402


@dataclass(frozen=True)
class Score:
    label: str
    pages: int
    precision: float
    recall: float
    f1: float
    seconds: float

    def line(self) -> str:
        return (f"{self.label}: pages={self.pages} precision={self.precision:.3f} recall={self.recall:.3f} "
                f"f1={self.f1:.3f} ({self.pages / max(self.seconds, 1e-9):.1f} pages/s)")


def _tools(shared: Path) -> tuple[ModuleType, ModuleType]:
    tools = str(shared / "tools")
    if tools not in sys.path:
        sys.path.insert(0, tools)
    return importlib.import_module("score_extract"), importlib.import_module("html2dump")


def _body(doc: Document) -> str:
    result = extract_document(doc, min_chars=0)
    return result.text if isinstance(result, Article) else ""


def run_benchmarks(shared: Path, out: Path | None = None) -> dict[str, Score]:
    """Extract and score both forms of the benchmark; ``out`` receives the predictions."""
    scorer, dumper = _tools(shared)
    bench = shared / "gold" / "extraction"
    pages = list(scorer.pages(bench))
    scores: dict[str, Score] = {}
    for form in ("html", "dump"):
        started, rows, predictions = time.perf_counter(), [], []
        for key, url, raw, gold in pages:
            if form == "html":
                doc = Document.from_bytes(raw.encode("utf-8"), doc_id=key, kind="jsonl", media_type="html", url=url)
            else:
                doc = Document.from_bytes(dumper.dump(raw).encode("utf-8"), doc_id=key, kind="jsonl")
            text = _body(doc)
            predictions.append({"doc_id": key, "text": text})
            rows.append(scorer.prf(text, gold))
        elapsed = time.perf_counter() - started
        n = len(rows)
        scores[form] = Score(form, n, sum(r[0] for r in rows) / n, sum(r[1] for r in rows) / n,
                             sum(r[2] for r in rows) / n, elapsed)
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            with (out / f"extract_{form}.jsonl").open("w", encoding="utf-8") as fh:
                for record in predictions:
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder")
    parser.add_argument("--out", type=Path, default=None, help="write the predictions as JSONL here")
    args = parser.parse_args(argv)
    if not (args.shared / "gold" / "extraction" / "ground-truth.json").exists():
        print(f"error: no benchmark under {args.shared}/gold/extraction - pass --shared PATH", file=sys.stderr)
        return 2
    for score in run_benchmarks(args.shared, args.out).values():
        print(score.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
