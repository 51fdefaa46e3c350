"""Fit the text-dump line model and write src/detente/extract/data/line_model.json.

    .venv/bin/python scripts/train_line_model.py              # cross-benchmark figures, then fit on both, write
    .venv/bin/python scripts/train_line_model.py --no-cross   # fit on both and write only
    .venv/bin/python scripts/train_line_model.py --check      # fit and compare with the shipped file, write nothing
    .venv/bin/python scripts/train_line_model.py --only scrapinghub --out /tmp/sh_only.json  # one benchmark's model

Training data (from ../shared/gold, never copied into the repository): the two extraction
benchmarks, ScrapingHub (``extraction``, 181 pages) and the WCXB dev split
(``extraction-wcxb-dev``, 711 pages). Each page is turned into a seed-like text dump by
``../shared/tools/html2dump.py`` and every line is labelled automatically: a line is article
text when at least half of its words are covered by a run of four words (across line ends)
that the hand-made body holds, each run of the body used once (a teaser that repeats the lede
is not labelled twice). Kept this way, the labelled lines score 0.99 token F1 on both sets.

The model is scikit-learn histogram gradient boosting over the features ``linemodel`` computes
(``--stages 2`` adds a second stage fitted on the first stage's out-of-fold probabilities; it
did not help across benchmarks). The keep threshold is the one with the best mean page F1 out
of fold (4 folds by page). Cross-benchmark figures
(fit on one set, score the other through ``extract_dump``) are printed before the final fit
on both. Deterministic: folds by page order, fixed seeds, one thread.

``--only scrapinghub`` (or ``wcxb``) fits on that benchmark's pages alone and writes the model
to ``--out`` (required then: the shipped file is only replaced by a model fitted on both, or
when ``--out`` names it). ``scripts/extract_bench.py --line-model PATH`` scores the other
benchmark's HTML pages with it: the HTML cross-benchmark figures in the README.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one thread: deterministic, and kind to a shared machine

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.extract import linemodel as lm  # noqa: E402
from detente.extract.textdump import describe_lines, extract_dump, split_lines, title_split  # noqa: E402

SHARED = ROOT.parent / "shared"
BENCHMARKS = ("extraction", "extraction-wcxb-dev")
SHORT_NAMES = {"scrapinghub": "extraction", "wcxb": "extraction-wcxb-dev"}  # --only's names for BENCHMARKS
OUT = ROOT / "src" / "detente" / "extract" / "data" / lm.LINE_MODEL_FILE
TOKEN = re.compile(r"\w+", re.UNICODE)
RUN = 4  # words per run matched against the hand-made body
FOLDS = 4
THRESHOLDS = tuple(round(0.1 + 0.05 * k, 2) for k in range(11))  # 0.1 ... 0.6
PARAMS = {"max_iter": 150, "learning_rate": 0.1, "max_leaf_nodes": 15, "l2_regularization": 1.0,
          "early_stopping": False, "random_state": 0}


@dataclass
class Page:
    bench: str
    key: str
    dump: str
    lines: list[str]
    gold: str
    x: np.ndarray
    y: np.ndarray


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in TOKEN.findall(text)]


def label_lines(lines: Sequence[str], gold: str, k: int = RUN) -> list[bool]:
    """Which lines are article text: most of their words in a k-word run the body holds."""
    body = _tokens(gold)
    runs = Counter(tuple(body[i:i + k]) for i in range(len(body) - k + 1))
    stream: list[str] = []
    owner: list[int] = []
    for index, line in enumerate(lines):
        for token in _tokens(line):
            stream.append(token)
            owner.append(index)
    covered = [False] * len(stream)
    for i in range(len(stream) - k + 1):
        if runs[tuple(stream[i:i + k])]:
            covered[i:i + k] = [True] * k
    total, hit = [0] * len(lines), [0] * len(lines)
    for i, index in enumerate(owner):
        total[index] += 1
        hit[index] += covered[i]
    labels = [total[i] > 0 and hit[i] / total[i] >= 0.5 for i in range(len(lines))]
    used: Counter[tuple[str, ...]] = Counter()
    for index, line in enumerate(lines):  # a repeat of an already labelled line is not labelled again
        if not labels[index]:
            continue
        words = _tokens(line)
        own = Counter(tuple(words[i:i + k]) for i in range(len(words) - k + 1))
        if own and all(used[r] + c > runs[r] for r, c in own.items()):
            labels[index] = False
        else:
            used.update(own)
    return labels


def load_pages(shared: Path, benchmarks: Sequence[str] = BENCHMARKS) -> list[Page]:
    tools = str(shared / "tools")
    if tools not in sys.path:
        sys.path.insert(0, tools)
    scorer = importlib.import_module("score_extract")
    dumper = importlib.import_module("html2dump")
    pages = []
    for bench in benchmarks:
        for key, _url, raw, gold in scorer.pages(shared / "gold" / bench):
            dump = dumper.dump(raw)
            lines = split_lines(dump)
            title = title_split(lines)  # the lines extract_dump gives the model: the headline taken off
            if title is not None:
                lines = lines[1:]
            feats, repeated = describe_lines(lines, title=title)
            x = lm.page_features(feats, repeated)
            y = np.array(label_lines(lines, gold), dtype=int)
            pages.append(Page(bench, key, dump, lines, gold, x, y))
    return pages


def _stack(pages: Sequence[Page], extra: Sequence[np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    xs = [p.x for p in pages] if extra is None else [np.hstack([p.x, e]) for p, e in zip(pages, extra, strict=True)]
    return np.vstack(xs), np.concatenate([p.y for p in pages])


def _fit(x: np.ndarray, y: np.ndarray) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(**PARAMS).fit(x, y)


def export_trees(model: Any, features: tuple[str, ...]) -> dict[str, Any]:
    """A fitted HistGradientBoostingClassifier as the flat arrays ``linemodel.Trees`` reads."""
    roots, feature, threshold, left, right, value = [], [], [], [], [], []
    depth = 0
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        offset = len(feature)
        roots.append(offset)
        for node in nodes:
            leaf = bool(node["is_leaf"])
            feature.append(0 if leaf else int(node["feature_idx"]))
            threshold.append(0.0 if leaf else float(node["num_threshold"]))
            left.append(-1 if leaf else offset + int(node["left"]))
            right.append(-1 if leaf else offset + int(node["right"]))
            value.append(float(node["value"]) if leaf else 0.0)
            depth = max(depth, int(node["depth"]))
    return {"features": list(features), "baseline": float(np.ravel(model._baseline_prediction)[0]),
            "depth": depth + 1, "roots": roots, "feature": feature, "threshold": threshold,
            "left": left, "right": right, "value": value}


def _folds(n: int) -> list[np.ndarray]:
    return [np.arange(n)[np.arange(n) % FOLDS == f] for f in range(FOLDS)]


def _out_of_fold(pages: Sequence[Page], fit: Callable[[Sequence[Page]], lm.LineModel]) -> list[np.ndarray]:
    """Each page's line probabilities from a model fitted on the other folds."""
    result: list[np.ndarray] = [np.zeros(0)] * len(pages)
    for held in _folds(len(pages)):
        held_set = set(held.tolist())
        model = fit([p for i, p in enumerate(pages) if i not in held_set])
        for i in held:
            result[i] = _probabilities(model, pages[i])
    return result


def _probabilities(model: lm.LineModel, page: Page) -> np.ndarray:
    first = model.line.probability(page.x)
    if model.context is None:
        return first
    return model.context.probability(np.hstack([page.x, lm.context_features(first)]))


def _page_f1(prf: Callable[..., tuple[float, float, float]], page: Page, keep: Sequence[bool]) -> float:
    return prf("\n".join(line for line, k in zip(page.lines, keep, strict=True) if k), page.gold)[2]


def fit_model(pages: Sequence[Page], *, stages: int, prf: Callable[..., Any], name: str) -> lm.LineModel:
    """Fit the stages and choose the threshold out of fold."""

    def fit_stages(train: Sequence[Page], threshold: float = 0.5) -> lm.LineModel:
        first = _fit(*_stack(train))
        line = lm.trees_from_dict(export_trees(first, lm.PAGE_FEATURES), lm.PAGE_FEATURES, name)
        if stages == 1:
            return lm.LineModel(line, None, threshold)
        inner = _out_of_fold(train, lambda t: lm.LineModel(
            lm.trees_from_dict(export_trees(_fit(*_stack(t)), lm.PAGE_FEATURES), lm.PAGE_FEATURES, name),
            None, 0.5))
        second = _fit(*_stack(train, [lm.context_features(p) for p in inner]))
        features = lm.PAGE_FEATURES + lm.CONTEXT_FEATURES
        return lm.LineModel(line, lm.trees_from_dict(export_trees(second, features), features, name), threshold)

    oof = _out_of_fold(pages, fit_stages)
    def mean_f1(threshold: float) -> tuple[float, float]:
        return float(np.mean([_page_f1(prf, p, q >= threshold) for p, q in zip(pages, oof, strict=True)])), -threshold

    best = max(THRESHOLDS, key=mean_f1)
    model = fit_stages(pages, best)
    return lm.LineModel(model.line, model.context, best, tuple(sorted({p.bench for p in pages})))


def to_dict(model: lm.LineModel, sizes: dict[str, int]) -> dict[str, Any]:
    def trees(t: lm.Trees) -> dict[str, Any]:
        return t.to_dict()

    return {"format": lm.FORMAT, "threshold": model.threshold, "trained_on": list(model.trained_on),
            "pages": sizes, "params": PARAMS, "line": trees(model.line),
            "context": trees(model.context) if model.context is not None else None}


def score_through_extract(model: lm.LineModel, pages: Sequence[Page], prf: Callable[..., Any]) -> tuple[float, ...]:
    """Mean token P/R/F1 of ``extract_dump`` with ``model`` over ``pages``."""
    lm.set_line_model(model)
    try:
        rows = [prf("\n".join(extract_dump(p.dump).body), p.gold) for p in pages]
    finally:
        lm.set_line_model(None)
    return tuple(float(np.mean([r[i] for r in rows])) for i in range(3))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=SHARED, help="the shared folder holding gold/ and tools/")
    ap.add_argument("--out", type=Path, default=None,
                    help="where to write the model (default: the shipped file; required with --only)")
    ap.add_argument("--only", choices=sorted(SHORT_NAMES), default=None,
                    help="fit on this benchmark's pages only (no cross figures); needs --out")
    ap.add_argument("--stages", type=int, choices=(1, 2), default=1,
                    help="one stage of trees (shipped), or a second over the first's probabilities")
    ap.add_argument("--no-cross", action="store_true", help="skip the cross-benchmark figures")
    ap.add_argument("--check", action="store_true", help="compare with the existing file; write nothing")
    args = ap.parse_args(argv)
    if args.only is not None and args.out is None:
        print("error: --only fits a model on one benchmark, which is not the shipped model - "
              "give --out PATH (e.g. --out /tmp/sh_only.json)", file=sys.stderr)
        return 2
    out = OUT if args.out is None else args.out
    benchmarks = BENCHMARKS if args.only is None else (SHORT_NAMES[args.only],)
    missing = [b for b in benchmarks if not (args.shared / "gold" / b / "ground-truth.json").exists()]
    if missing or not (args.shared / "tools" / "html2dump.py").exists():
        print(f"error: the extraction benchmarks or tools are not under {args.shared} - give --shared DIR",
              file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    pages = load_pages(args.shared, benchmarks)
    prf = importlib.import_module("score_extract").prf
    sizes = {b: sum(p.bench == b for p in pages) for b in benchmarks}
    print(f"{len(pages)} pages, {sum(len(p.lines) for p in pages)} lines, "
          f"{sum(int(p.y.sum()) for p in pages)} labelled article text ({time.perf_counter() - t0:.0f} s)",
          file=sys.stderr)
    if not args.no_cross and args.only is None:
        for train_on, test_on in (BENCHMARKS, BENCHMARKS[::-1]):
            model = fit_model([p for p in pages if p.bench == train_on], stages=args.stages, prf=prf, name=train_on)
            P, R, F = score_through_extract(model, [p for p in pages if p.bench == test_on], prf)
            print(f"trained on {train_on}, scored on {test_on}: f1={F:.3f} (P {P:.3f}, R {R:.3f}), "
                  f"threshold {model.threshold}", flush=True)
    name = "both" if args.only is None else benchmarks[0]
    model = fit_model(pages, stages=args.stages, prf=prf, name=name)
    for bench in benchmarks:
        P, R, F = score_through_extract(model, [p for p in pages if p.bench == bench], prf)
        print(f"trained on {name}, scored on {bench}: f1={F:.3f} (P {P:.3f}, R {R:.3f}), threshold {model.threshold}")
    text = json.dumps(to_dict(model, sizes), separators=(",", ":")) + "\n"
    if args.check:
        same = out.exists() and out.read_text(encoding="utf-8") == text
        print(f"{out} is what this code and gold give" if same else f"{out} differs")
        return 0 if same else 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} ({len(text) / 1024:.0f} KB, {time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
