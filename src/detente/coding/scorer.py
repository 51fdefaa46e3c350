"""The learned scorer: the probability that a proposed event is right (type, source and target).

A logistic model over the features of ``coding.features``, fitted by ``scripts/train_coder.py``
on the training gold (never on a test set) and shipped as ``coding/data/scorer.json``: the
weights, a Platt calibration fitted on cross-validated scores (so that ``confidence`` is the
estimated probability that the event is right), and the reporting threshold chosen by
cross-validation. Inference is a sum of weights: no library, no download, loaded once.
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ModelError

__all__ = ["KINDS", "SCORER_FILE", "Scorer", "document_kind", "get_scorer", "load_scorer", "scorer_from_dict"]

SCORER_FILE = "scorer.json"
FORMAT = "detente.scorer"
_lock = threading.Lock()
_cached: Scorer | None = None
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


def scorer_from_dict(data: Any, source: str = SCORER_FILE) -> Scorer:
    """A Scorer from the JSON of a model file; a clear error when it is not one."""
    hint = "rebuild it with: .venv/bin/python scripts/train_coder.py"
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelError(f"{source} is not a detente scorer model (format '{FORMAT}' expected)", hint)
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
        raise ModelError(f"{source} is damaged ({exc.__class__.__name__}: {exc})", hint) from exc
    if sentence is not None and not (0.0 < sentence < 1.0):
        raise ModelError(f"{source} is damaged (a threshold out of range)", hint)
    if not weights or not all(math.isfinite(v) for v in weights.values()) or not (0.0 < threshold < 1.0) \
            or not (math.isfinite(slope) and math.isfinite(intercept)):
        raise ModelError(f"{source} is damaged (empty or out-of-range numbers)", hint)
    return Scorer(name, weights, slope, intercept, threshold, tuple(data.get("trained_on") or ()), sentence)


def load_scorer(path: str | Path | None = None) -> Scorer:
    """Read a scorer model file (the packaged one by default)."""
    try:
        if path is None:
            text = resources.files("detente.coding").joinpath("data", SCORER_FILE).read_text(encoding="utf-8")
            source = f"detente/coding/data/{SCORER_FILE}"
        else:
            text = Path(path).read_text(encoding="utf-8")
            source = str(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(f"the scorer model {path or SCORER_FILE} cannot be read ({exc})",
                         "reinstall detente, or rebuild it with: .venv/bin/python scripts/train_coder.py") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelError(f"{source} is damaged (not JSON: {exc.msg} at line {exc.lineno})",
                         "rebuild it with: .venv/bin/python scripts/train_coder.py") from exc
    return scorer_from_dict(data, source)


def get_scorer() -> Scorer:
    """The packaged scorer, loaded once per process."""
    global _cached
    if _cached is None:
        with _lock:
            if _cached is None:
                _cached = load_scorer()
    return _cached


def set_scorer(scorer: Scorer | None) -> None:
    """Use ``scorer`` in this process (cross-validation folds, tests); None goes back to the packaged one."""
    global _cached
    with _lock:
        _cached = scorer
