"""Fitting the learned scorer: proposals from gold articles, labelled by the gold, a logistic model
chosen by cross-validation by article, calibrated on its cross-validated scores.

Used by ``scripts/train_coder.py`` (which writes ``coding/data/scorer.json``) and by
``detente eval --folds K``. Needs scikit-learn (training only; the coder itself reads the JSON).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..evaluate import GoldDoc, country_key, same_sentence, score_events
from .coder import finalize, propose_parsed
from .features import Proposal
from .rules import RuleSet
from .rules.decide import select
from .scorer import FORMAT, Scorer

__all__ = ["Example", "collect", "cross_validate", "fit_scorer", "label"]

C_GRID = (0.03, 0.1, 0.3, 1.0)
THRESHOLDS = tuple(round(0.2 + 0.025 * k, 3) for k in range(17))  # 0.20 .. 0.60


@dataclass
class Example:
    """The proposals of one gold article, with the gold that labels them."""

    source: str  # the gold file it came from
    doc: GoldDoc
    proposals: list[Proposal]
    labels: list[int]


def label(proposal: Proposal, doc: GoldDoc) -> int:
    """1 when the proposed event matches a real gold event of its sentence (type, source country,
    target country where the gold has one), as the independent scorer matches them."""
    e = proposal.event
    src = country_key(e.source.country or e.source.code)
    tgt = country_key(e.target.country or e.target.code) if e.target is not None else None
    for g in doc.events:
        if g.flagged or g.type != e.type or src not in g.sources:
            continue
        if g.targets and tgt not in g.targets:
            continue
        if same_sentence(e.sentence, g.sentence):
            return 1
    return 0


def collect(parsed: Iterable[tuple[GoldDoc, Any, Any]], source: str, rules: RuleSet | None = None) -> list[Example]:
    """Every proposal of each parsed gold article (``evaluate.parse_gold``), labelled."""
    out = []
    for doc, article, p in parsed:
        props = propose_parsed(article, p, rules=rules)
        out.append(Example(source, doc, props, [label(x, doc) for x in props]))
    return out


def _matrix(examples: Sequence[Example], vocab: dict[str, int] | None = None) -> tuple[Any, list[int], dict[str, int],
                                                                                        list[tuple[int, int]]]:
    """A sparse feature matrix of the real (unflagged) proposals, their labels, the vocabulary, and
    for each row its (example, proposal) index."""
    from scipy.sparse import csr_matrix

    grow = vocab is None
    vocab = {} if vocab is None else vocab
    rows: list[int] = []
    cols: list[int] = []
    ys: list[int] = []
    where: list[tuple[int, int]] = []
    for ei, ex in enumerate(examples):
        for pi, (p, y) in enumerate(zip(ex.proposals, ex.labels, strict=True)):
            if not p.event.is_real:
                continue
            r = len(ys)
            for f in set(p.features):
                j = vocab.get(f)
                if j is None and grow:
                    j = vocab[f] = len(vocab)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
            ys.append(y)
            where.append((ei, pi))
    m = csr_matrix(([1.0] * len(rows), (rows, cols)), shape=(len(ys), len(vocab)))
    return m, ys, vocab, where


def _fit(x: Any, y: list[int], c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    # the "bias" feature carries the intercept, so that it is regularised like every other weight
    return LogisticRegression(C=c, solver="liblinear", fit_intercept=False, max_iter=5000).fit(x, y)


def _folds(examples: Sequence[Example], k: int) -> list[int]:
    """A fold per example, by article, balanced within each gold file, deterministic."""
    fold = []
    counters: dict[str, int] = {}
    for ex in examples:
        n = counters.get(ex.source, 0)
        counters[ex.source] = n + 1
        fold.append(n % k)
    return fold


def decide(examples: Sequence[Example], probabilities: dict[tuple[int, int], float], threshold: float
           ) -> dict[str, list[dict[str, Any]]]:
    """The events each article reports at ``threshold``, given each proposal's probability, by gold file."""
    out: dict[str, list[dict[str, Any]]] = {}
    for ei, ex in enumerate(examples):
        by_sentence: dict[int, list[Proposal]] = {}
        for pi, p in enumerate(ex.proposals):
            p.probability = probabilities.get((ei, pi), 0.0)
            by_sentence.setdefault(p.event.sentence_index * 1_000_000 + p.event.span[0], []).append(p)
        events = out.setdefault(ex.source, [])
        for props in by_sentence.values():
            for p in finalize(select(props, threshold), scored=True):
                d = p.event.to_dict()
                d["doc_id"] = ex.doc.id
                events.append(d)
    return out


def _f1_by_source(examples: Sequence[Example], events: dict[str, list[dict[str, Any]]]) -> dict[str, float]:
    docs: dict[str, list[GoldDoc]] = {}
    for ex in examples:
        docs.setdefault(ex.source, []).append(ex.doc)
    return {s: score_events(d, events.get(s, [])).f1 for s, d in docs.items()}


@dataclass
class CrossValidation:
    c: float
    threshold: float
    f1: dict[str, float]  # per gold file, at the chosen threshold
    margins: dict[tuple[int, int], float]  # out-of-fold margin of every real proposal
    labels: dict[tuple[int, int], int]
    table: list[tuple[float, float, dict[str, float]]]  # (C, threshold, F1 by file) for every setting tried


def cross_validate(examples: Sequence[Example], k: int = 5, c_grid: Sequence[float] = C_GRID,
                   thresholds: Sequence[float] = THRESHOLDS) -> CrossValidation:
    """K-fold cross-validation by article: for each C, out-of-fold scores for every proposal; the
    (C, threshold) with the best mean F1 over the gold files wins."""
    fold = _folds(examples, k)
    best: CrossValidation | None = None
    table = []
    for c in c_grid:
        margins: dict[tuple[int, int], float] = {}
        labels: dict[tuple[int, int], int] = {}
        for f in range(k):
            train = [ex for ex, g in zip(examples, fold, strict=True) if g != f]
            test_idx = [i for i, g in enumerate(fold) if g == f]
            x, y, vocab, _ = _matrix(train)
            model = _fit(x, y, c)
            xt, yt, _, where = _matrix([examples[i] for i in test_idx], vocab)
            if xt.shape[0] == 0:
                continue
            for (ei, pi), m, lab in zip(where, model.decision_function(xt), yt, strict=True):
                key = (test_idx[ei], pi)
                margins[key] = float(m)
                labels[key] = lab
        probs = {key: 1.0 / (1.0 + math.exp(-m)) for key, m in margins.items()}
        for th in thresholds:
            f1 = _f1_by_source(examples, decide(examples, probs, th))
            table.append((c, th, f1))
            mean = sum(f1.values()) / len(f1)
            if best is None or mean > sum(best.f1.values()) / len(best.f1) + 1e-9:
                best = CrossValidation(c, th, f1, margins, labels, table)
    assert best is not None
    best.table = table
    return best


def platt(margins: dict[tuple[int, int], float], labels: dict[tuple[int, int], int]) -> tuple[float, float]:
    """Slope and intercept that map a margin to a calibrated probability (fitted on out-of-fold margins)."""
    from sklearn.linear_model import LogisticRegression

    keys = sorted(margins)
    x = [[margins[k]] for k in keys]
    y = [labels[k] for k in keys]
    model = LogisticRegression(C=1e6, solver="lbfgs", max_iter=5000).fit(x, y)
    return float(model.coef_[0][0]), float(model.intercept_[0])


def fit_scorer(examples: Sequence[Example], cv: CrossValidation, *, name: str = "detente.scorer.v1",
               min_weight: float = 1e-4) -> dict[str, Any]:
    """The final model, fitted on every example with the cross-validated C, as the JSON a
    ``scorer.json`` holds. The threshold is re-expressed on the calibrated scale."""
    x, y, vocab, _ = _matrix(examples)
    model = _fit(x, y, cv.c)
    names = sorted(vocab, key=vocab.__getitem__)
    weights = {n: round(float(w), 5) for n, w in zip(names, model.coef_[0], strict=True) if abs(w) >= min_weight}
    slope, intercept = platt(cv.margins, cv.labels)
    # the threshold was chosen on uncalibrated probabilities sigmoid(margin): the same cut in margin terms
    margin_cut = math.log(cv.threshold / (1.0 - cv.threshold))
    threshold = 1.0 / (1.0 + math.exp(-(slope * margin_cut + intercept)))
    return {
        "format": FORMAT, "name": name, "threshold": round(threshold, 4),
        "calibration": {"slope": round(slope, 5), "intercept": round(intercept, 5)},
        "cross_validation": {"folds": "by article", "C": cv.c, "f1": cv.f1},
        "trained_on": sorted({ex.source for ex in examples}),
        "weights": dict(sorted(weights.items())),
    }


def scorer_of(model: dict[str, Any]) -> Scorer:
    from .scorer import scorer_from_dict

    return scorer_from_dict(model, "a fitted model")
