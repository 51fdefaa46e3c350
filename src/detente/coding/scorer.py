"""The learned scorer: the probability that a proposed event is right (type, source and target).

A logistic model over the features of ``coding.features``, fitted by ``scripts/train_coder.py``
on the training gold (never on a test set) and shipped as ``coding/data/scorer.json``: the
weights, a Platt calibration fitted on cross-validated scores (so that ``confidence`` is the
estimated probability that the event is right), and the reporting threshold chosen by
cross-validation. Inference is a sum of weights: no library, no download, loaded once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..modelfile import ModelFile, damaged

__all__ = ["KINDS", "SCORER_FILE", "Scorer", "document_kind", "get_scorer", "load_scorer", "scorer_from_dict"]

SCORER_FILE = "scorer.json"
FORMAT = "detente.scorer"
KINDS = ("article", "sentence")


def document_kind(sentences: int) -> str:
    """"sentence" for a document of one sentence (a headline, a wire sentence, a GSR record), else
    "article": the two are reported at their own cross-validated thresholds."""
    return "sentence" if sentences <= 1 else "article"


@dataclass(frozen=True)
class Scorer:
    name: str
    weights: dict[str, float]
    slope: float
    intercept: float
    threshold: float  # the reporting threshold of articles
    trained_on: tuple[str, ...] = ()
    sentence_threshold: float | None = None  # of single-sentence documents (None: the same)

    def threshold_for(self, kind: str) -> float:
        if kind == "sentence" and self.sentence_threshold is not None:
            return self.sentence_threshold
        return self.threshold

    def margin(self, features: list[str]) -> float:
        w = self.weights
        return sum(w.get(f, 0.0) for f in features)

    def probability(self, features: list[str]) -> float:
        z = self.slope * self.margin(features) + self.intercept
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))


def _scorer(data: dict[str, Any], source: str) -> Scorer:
    """A Scorer from a scorer file's JSON (its format checked by ``ModelFile``)."""
    hint = _FILE.hint
    try:
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        cal = data["calibration"]
        slope, intercept = float(cal["slope"]), float(cal["intercept"])
        threshold = float(data["threshold"])
        by_kind = data.get("thresholds") or {}
        if not isinstance(by_kind, dict) or set(by_kind) - set(KINDS):
            raise ValueError(f"'thresholds' must map {' and '.join(KINDS)} to numbers")
        threshold = float(by_kind.get("article", threshold))
        sentence = float(by_kind["sentence"]) if "sentence" in by_kind else None
        name = str(data["name"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise damaged(source, exc, hint) from exc
    if sentence is not None and not (0.0 < sentence < 1.0):
        raise damaged(source, "a threshold out of range", hint)
    if not weights or not all(math.isfinite(v) for v in weights.values()) or not (0.0 < threshold < 1.0) \
            or not (math.isfinite(slope) and math.isfinite(intercept)):
        raise damaged(source, "empty or out-of-range numbers", hint)
    return Scorer(name, weights, slope, intercept, threshold, tuple(data.get("trained_on") or ()), sentence)


_FILE: ModelFile[Scorer] = ModelFile("detente.coding", SCORER_FILE, what="scorer model", fmt=FORMAT, parse=_scorer,
                                      script="scripts/train_coder.py")


# The model file's readers, as modelfile.ModelFile describes them.
scorer_from_dict = _FILE.from_data
load_scorer = _FILE.load
get_scorer = _FILE.get
set_scorer = _FILE.set
