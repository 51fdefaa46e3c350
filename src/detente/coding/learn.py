"""Fitting the learned scorer: proposals from gold articles, labelled by the gold, a logistic model
chosen by cross-validation by article, calibrated on its cross-validated scores.

Used by ``scripts/train_coder.py`` (which writes ``coding/data/scorer.json``) and by
``detente eval --folds K``. Needs scikit-learn (training only; the coder itself reads the JSON).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import NotEnoughGold
from ..evaluate import GoldDoc, country_key, same_sentence, score_events
from ..model import PLOVER_TYPES
from .coder import code_parsed, finalize, propose_parsed
from .context import ArticleState
from .features import Proposal
from .proposer import FORMAT as PROPOSER_FORMAT
from .proposer import proposer_from_dict, sentence_features, set_proposer
from .rules import RuleSet, rule_set
from .rules.decide import select
from .scorer import FORMAT, Scorer, document_kind, scorer_from_dict, set_scorer

__all__ = ["Example", "calibrated_cut", "collect", "cross_validate", "cross_validate_proposer", "fit_proposer",
           "fit_scorer", "label", "sentence_examples"]

C_GRID = (0.01, 0.03, 0.1, 0.3)
THRESHOLDS = tuple(round(0.1 + 0.025 * k, 3) for k in range(21))  # 0.10 .. 0.60


@dataclass
class Example:
    """The proposals of one gold article, with the gold that labels them."""

    source: str  # the gold file it came from
    doc: GoldDoc
    proposals: list[Proposal]
    labels: list[int]
    kind: str = "article"  # scorer.document_kind: an article, or a single sentence


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


def collect(parsed: Iterable[tuple[GoldDoc, Any, Any]], source: str, rules: RuleSet | None = None,
            type_probabilities: dict[tuple[str, str, int], dict[str, float]] | None = None) -> list[Example]:
    """Every proposal of each parsed gold article (``pipeline.gold.parse_gold``), labelled. With
    ``type_probabilities`` ((source, doc id, sentence) -> probabilities, cross-validated), those
    stand in for the packaged proposer's."""
    out = []
    for doc, article, p in parsed:
        provider = None
        if type_probabilities is not None:
            def provider(sc: Any, _doc: GoldDoc = doc) -> dict[str, float]:
                return type_probabilities.get((source, _doc.id, sc.si), {})
        props = propose_parsed(article, p, rules=rules, type_probabilities=provider)
        out.append(Example(source, doc, props, [label(x, doc) for x in props], document_kind(len(p.sentences))))
    return out


# --- the proposer: sentence -> type probabilities -------------------------------------------------

@dataclass
class SentenceExample:
    key: tuple[str, str, int]  # (gold file, document id, sentence index)
    features: list[str]
    types: set[str]  # the real gold types of the sentence


def sentence_examples(parsed: Iterable[tuple[GoldDoc, Any, Any]], source: str) -> list[SentenceExample]:
    """Each sentence of each parsed gold article, with its features and the gold types it reports."""

    out = []
    for doc, article, p in parsed:
        state = ArticleState(article, p)
        for si in range(len(p.sentences)):
            sc = state.sentence(si)
            types = {g.type for g in doc.events if not g.flagged and same_sentence(sc.sent.text, g.sentence)}
            out.append(SentenceExample((source, doc.id, si), sentence_features(sc), types))
    return out


MIN_ARTICLES = 3  # a sentence feature seen in fewer training articles is not learnt from (it would memorise)


def _sentence_vocab(examples: Sequence[SentenceExample]) -> dict[str, int]:
    """The features seen in at least MIN_ARTICLES articles (GSR sentences count as articles)."""
    seen: dict[str, set[tuple[str, str]]] = {}
    for ex in examples:
        for f in ex.features:
            seen.setdefault(f, set()).add(ex.key[:2])
    articles = len({ex.key[:2] for ex in examples})
    least = MIN_ARTICLES if articles >= 10 * MIN_ARTICLES else 1  # a handful of articles: learn from all
    kept = sorted(f for f, docs in seen.items() if len(docs) >= least)
    return {f: j for j, f in enumerate(kept)}


def _sentence_matrix(examples: Sequence[SentenceExample],
                     vocab: dict[str, int] | None = None) -> tuple[Any, dict[str, int]]:
    from scipy.sparse import csr_matrix

    vocab = _sentence_vocab(examples) if vocab is None else vocab
    grow = False
    rows: list[int] = []
    cols: list[int] = []
    for r, ex in enumerate(examples):
        for f in ex.features:
            j = vocab.get(f)
            if j is None and grow:
                j = vocab[f] = len(vocab)
            if j is not None:
                rows.append(r)
                cols.append(j)
    return csr_matrix(([1.0] * len(rows), (rows, cols)), shape=(len(examples), len(vocab))), vocab


def _doc_folds(keys: Sequence[tuple[str, str, int]], k: int) -> list[int]:
    order: dict[tuple[str, str], int] = {}
    counters: dict[str, int] = {}
    for src, doc, _ in keys:
        if (src, doc) not in order:
            n = counters.get(src, 0)
            counters[src] = n + 1
            order[(src, doc)] = n % k
    return [order[(src, doc)] for src, doc, _ in keys]


def cross_validate_proposer(examples: Sequence[SentenceExample], k: int = 5,
                            c_grid: Sequence[float] = (0.03,)) -> tuple[float, dict[tuple[str, str, int],
                                                                                      dict[str, float]]]:
    """The C with the best out-of-fold log-likelihood, and each sentence's out-of-fold probabilities
    (folds by article, as for the scorer)."""
    fold = _doc_folds([ex.key for ex in examples], k)
    best: tuple[float, float, dict[tuple[str, str, int], dict[str, float]]] | None = None
    for c in c_grid:
        probs: dict[tuple[str, str, int], dict[str, float]] = {ex.key: {} for ex in examples}
        loglik = 0.0
        for f in range(k):
            train = [ex for ex, g in zip(examples, fold, strict=True) if g != f]
            test = [ex for ex, g in zip(examples, fold, strict=True) if g == f]
            x, vocab = _sentence_matrix(train)
            xt, _ = _sentence_matrix(test, vocab)
            for t in PLOVER_TYPES:
                y = [int(t in ex.types) for ex in train]
                if not any(y):
                    continue
                model = _fit(x, y, c)
                for ex, pr in zip(test, model.predict_proba(xt)[:, 1], strict=True):
                    probs[ex.key][t] = float(pr)
                    loglik += math.log(max(1e-9, pr if t in ex.types else 1.0 - pr))
        if best is None or loglik > best[0]:
            best = (loglik, c, probs)
    assert best is not None
    return best[1], best[2]


def proposer_figures(examples: Sequence[SentenceExample], probs: dict[tuple[str, str, int], dict[str, float]],
                     threshold: float) -> dict[str, dict[str, float]]:
    """The proposer alone, from out-of-fold probabilities, per gold file: sentence-level micro
    precision, recall and F1 of the (sentence, type) pairs at ``threshold``, and document-level
    macro F1 over the types (a document reports a type when one of its sentences does; the
    measure NGEC's type classifiers are reported in)."""
    out: dict[str, dict[str, float]] = {}
    for source in sorted({ex.key[0] for ex in examples}):
        tp = fp = fn = 0
        doc_gold: dict[str, set[str]] = {}
        doc_pred: dict[str, set[str]] = {}
        for ex in examples:
            if ex.key[0] != source:
                continue
            said = {t for t, pr in probs.get(ex.key, {}).items() if pr >= threshold}
            tp += len(said & ex.types)
            fp += len(said - ex.types)
            fn += len(ex.types - said)
            doc_gold.setdefault(ex.key[1], set()).update(ex.types)
            doc_pred.setdefault(ex.key[1], set()).update(said)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        per_type = []
        for t in sorted(set().union(*doc_gold.values(), *doc_pred.values()) if doc_gold else set()):
            t_tp = sum(1 for d in doc_gold if t in doc_gold[d] and t in doc_pred[d])
            t_fp = sum(1 for d in doc_gold if t not in doc_gold[d] and t in doc_pred[d])
            t_fn = sum(1 for d in doc_gold if t in doc_gold[d] and t not in doc_pred[d])
            per_type.append(2 * t_tp / (2 * t_tp + t_fp + t_fn) if t_tp + t_fp + t_fn else 0.0)
        out[source] = {"sentence_precision": round(prec, 3), "sentence_recall": round(rec, 3),
                       "sentence_f1": round(2 * prec * rec / (prec + rec), 3) if prec + rec else 0.0,
                       "document_macro_f1": round(sum(per_type) / len(per_type), 3) if per_type else 0.0}
    return out


def fit_proposer(examples: Sequence[SentenceExample], c: float, threshold: float, *,
                 name: str = "detente.proposer.v1", min_weight: float = 1e-3,
                 figures: dict[str, dict[str, float]] | None = None) -> dict[str, Any]:
    """The final proposer, fitted on every sentence, as the JSON ``proposer.json`` holds."""

    x, vocab = _sentence_matrix(examples)
    names = sorted(vocab, key=vocab.__getitem__)
    weights: dict[str, dict[str, float]] = {}
    for t in PLOVER_TYPES:
        y = [int(t in ex.types) for ex in examples]
        if not any(y):
            continue
        model = _fit(x, y, c)
        weights[t] = {n: round(float(w), 5) for n, w in sorted(zip(names, model.coef_[0], strict=True))
                      if abs(w) >= min_weight}
    return {"format": PROPOSER_FORMAT, "name": name, "threshold": threshold,
            "cross_validation": {"folds": "by article", "C": c, **({"by_file": figures} if figures else {})},
            "trained_on": sorted({ex.key[0] for ex in examples}), "weights": weights}


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

    if len(set(y)) < 2:
        raise NotEnoughGold("the training gold has too few events to fit the learned models on "
                            f"({sum(y)} right of {len(y)} proposals)",
                            "give more gold articles (or more --train files), or fewer --folds")

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


def decide(examples: Sequence[Example], probabilities: dict[tuple[int, int], float],
           threshold: float | dict[str, float]) -> dict[str, list[dict[str, Any]]]:
    """The events each article reports at ``threshold`` (one, or one per document kind), given each
    proposal's probability, by gold file."""
    out: dict[str, list[dict[str, Any]]] = {}
    for ei, ex in enumerate(examples):
        by_sentence: dict[int, list[Proposal]] = {}
        for pi, p in enumerate(ex.proposals):
            p.probability = probabilities.get((ei, pi), 0.0)
            by_sentence.setdefault(p.event.sentence_index * 1_000_000 + p.event.span[0], []).append(p)
        events = out.setdefault(ex.source, [])
        for props in by_sentence.values():
            cut = threshold if isinstance(threshold, float) else threshold[ex.kind]
            for p in finalize(select(props, cut), scored=True):
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
    threshold: float  # of articles
    f1: dict[str, float]  # per gold file, at the chosen thresholds
    margins: dict[tuple[int, int], float]  # out-of-fold margin of every real proposal
    labels: dict[tuple[int, int], int]
    table: list[tuple[float, float, dict[str, float]]]  # (C, threshold, F1 by file) for every setting tried
    thresholds: dict[str, float] = field(default_factory=dict)  # per document kind (scorer.document_kind)


def _kind_of_files(examples: Sequence[Example]) -> dict[str, str]:
    """Each gold file's document kind: the kind most of its documents are."""
    counts: dict[str, Counter[str]] = {}
    for ex in examples:
        counts.setdefault(ex.source, Counter())[ex.kind] += 1
    return {src: c.most_common(1)[0][0] for src, c in counts.items()}


def cross_validate(examples: Sequence[Example], k: int = 5, c_grid: Sequence[float] = C_GRID,
                   thresholds: Sequence[float] = THRESHOLDS) -> CrossValidation:
    """K-fold cross-validation by article: for each C, out-of-fold scores for every proposal, and for
    each document kind (articles, single sentences) the threshold with the best mean F1 over the
    gold files of that kind; the C whose thresholds give the best mean F1 over all files wins."""
    fold = _folds(examples, k)
    kind_of = _kind_of_files(examples)
    best: tuple[float, CrossValidation] | None = None
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
        rows = []
        for th in thresholds:
            f1 = _f1_by_source(examples, decide(examples, probs, th))
            table.append((c, th, f1))
            rows.append((th, f1))
        chosen: dict[str, float] = {}
        for kind in sorted(set(kind_of.values())):
            files = [s for s, kd in kind_of.items() if kd == kind]
            chosen[kind] = max(rows, key=lambda r: (sum(r[1][s] for s in files) / len(files), -r[0]))[0]
        for kind in ("article", "sentence"):
            chosen.setdefault(kind, chosen.get("article", chosen.get("sentence", thresholds[0])))
        f1 = _f1_by_source(examples, decide(examples, probs, chosen))
        mean = sum(f1.values()) / len(f1)
        if best is None or mean > best[0] + 1e-9:
            best = (mean, CrossValidation(c, chosen["article"], f1, margins, labels, table, chosen))
    assert best is not None
    best[1].table = table
    return best[1]


def platt(margins: dict[tuple[int, int], float], labels: dict[tuple[int, int], int]) -> tuple[float, float]:
    """Slope and intercept that map a margin to a calibrated probability (fitted on out-of-fold margins)."""
    from sklearn.linear_model import LogisticRegression

    keys = sorted(margins)
    x = [[margins[k]] for k in keys]
    y = [labels[k] for k in keys]
    model = LogisticRegression(C=1e6, solver="lbfgs", max_iter=5000).fit(x, y)
    return float(model.coef_[0][0]), float(model.intercept_[0])


def calibrated_cut(cut: float, slope: float, intercept: float) -> float:
    """A threshold chosen on sigmoid(margin) re-expressed on the calibrated scale. A tiny or perfectly
    separable training set gives a steep calibration whose cut would round to 0 or 1: it is kept
    inside (0, 1), where the scorer file's loader expects it."""
    z = slope * math.log(cut / (1.0 - cut)) + intercept
    return min(0.9999, max(0.0001, round(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), 4)))


def fit_scorer(examples: Sequence[Example], cv: CrossValidation, *, name: str = "detente.scorer.v1",
               min_weight: float = 1e-4) -> dict[str, Any]:
    """The final model, fitted on every example with the cross-validated C, as the JSON a
    ``scorer.json`` holds. The threshold is re-expressed on the calibrated scale."""
    x, y, vocab, _ = _matrix(examples)
    model = _fit(x, y, cv.c)
    names = sorted(vocab, key=vocab.__getitem__)
    weights = {n: round(float(w), 5) for n, w in zip(names, model.coef_[0], strict=True) if abs(w) >= min_weight}
    slope, intercept = platt(cv.margins, cv.labels)
    # the thresholds were chosen on uncalibrated probabilities sigmoid(margin): the same cuts in margin terms
    def calibrated(cut: float) -> float:
        return calibrated_cut(cut, slope, intercept)

    threshold = calibrated(cv.threshold)
    by_kind = {kind: calibrated(cut) for kind, cut in sorted((cv.thresholds or {"article": cv.threshold}).items())}
    return {
        "format": FORMAT, "name": name, "threshold": threshold, "thresholds": by_kind,
        "calibration": {"slope": round(slope, 5), "intercept": round(intercept, 5)},
        "cross_validation": {"folds": "by article", "C": cv.c, "f1": cv.f1,
                             "thresholds": {kind: cut for kind, cut in sorted(cv.thresholds.items())}},
        "trained_on": sorted({ex.source for ex in examples}),
        "weights": dict(sorted(weights.items())),
    }


def scorer_of(model: dict[str, Any]) -> Scorer:

    return scorer_from_dict(model, "a fitted model")


# --- the whole fit: proposer, then scorer on cross-validated proposer probabilities --------------

PROPOSE_AT = 0.3  # a type at least this probable, with no event word of its own, is proposed
PROPOSER_C = (0.03,)  # strong regularisation: the proposer must not memorise its training sentences


@dataclass
class Fitted:
    proposer: dict[str, Any]
    scorer: dict[str, Any]
    cv: CrossValidation
    proposals: int
    right: int


def train(parsed: dict[str, list[tuple[GoldDoc, Any, Any]]], *, k: int = 5,
          scorer_c: Sequence[float] = C_GRID, proposer_c: Sequence[float] = PROPOSER_C) -> Fitted:
    """Fit the proposer and the scorer on parsed gold articles by gold file (``pipeline.gold.parse_gold``).

    The scorer learns from proposals made with the proposer's cross-validated probabilities, so
    that it sees them as they are on news the proposer has not read. Leaves the fitted proposer
    in use in this process (the caller restores it with ``proposer.set_proposer(None)``)."""

    sentences = [ex for name, docs in parsed.items() for ex in sentence_examples(docs, name)]
    c_proposer, oof = cross_validate_proposer(sentences, k=k, c_grid=proposer_c)
    proposer = fit_proposer(sentences, c_proposer, PROPOSE_AT,
                            figures=proposer_figures(sentences, oof, PROPOSE_AT))
    set_proposer(proposer_from_dict(proposer, "the fitted proposer"))
    rules = rule_set(["detente.decide.learned.v1"])  # every reading, nothing decided
    examples = [ex for name, docs in parsed.items() for ex in collect(docs, name, rules, oof)]
    cv = cross_validate(examples, k=k, c_grid=scorer_c)
    scorer = fit_scorer(examples, cv)
    n = sum(1 for ex in examples for p in ex.proposals if p.event.is_real)
    right = sum(y for ex in examples for p, y in zip(ex.proposals, ex.labels, strict=True) if p.event.is_real)
    return Fitted(proposer, scorer, cv, n, right)


def cross_validated_events(gold: list[tuple[GoldDoc, Any, Any]], k: int,
                           extra: dict[str, list[tuple[GoldDoc, Any, Any]]] | None = None,
                           ) -> list[dict[str, Any]]:
    """The events of each gold article coded by a proposer and scorer fitted without it: K folds by
    article, each fitted on the other folds (and on ``extra`` gold files, if given)."""

    out: list[dict[str, Any]] = []
    try:
        for f in range(k):
            train_docs = {"gold": [x for i, x in enumerate(gold) if i % k != f], **(extra or {})}
            articles = sum(len(docs) for docs in train_docs.values())
            fitted = train(train_docs, k=max(2, min(k, 5, articles)), scorer_c=(fitted_c(),))
            set_scorer(scorer_from_dict(fitted.scorer, "a fold's scorer"))
            for i, (_, article, p) in enumerate(gold):
                if i % k == f:
                    out.extend(ev.to_dict() for ev in code_parsed(article, p))
    finally:
        set_proposer(None)
        set_scorer(None)
    return out


def fitted_c() -> float:
    """The scorer's C as the shipped model chose it by cross-validation (folds use it as it is)."""
    import json
    from importlib import resources

    data = json.loads(resources.files("detente.coding").joinpath("data", "scorer.json").read_text("utf-8"))
    return float(data["cross_validation"]["C"])
