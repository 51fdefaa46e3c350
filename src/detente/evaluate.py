"""Score coded events against gold: the PLOVER GSR JSON list or an articles JSONL file.

The metrics are those of the project's EVAL.md, computed here independently of the shared
scorer (a test checks the two agree):

- a produced event *matches* a gold event when the type is the same, the source country is
  one of the gold's (IGO/NGO compared as groups), the target country is one of the gold's
  when the gold has a target, and the evidence sentence is the gold sentence (containment
  either way after whitespace and quote normalisation, or at least half the words shared);
- events flagged negated, hypothetical, future or reported are not counted as produced (they
  did not happen in the article's own voice); an unflagged event that matches a flagged
  (negated or hypothetical) gold event is a *modality error*;
- precision, recall, F1; type recall (gold events whose sentence got an event of the gold
  type); a lenient F1 that counts SANCTION and COERCE as one type;
- where the gold events carry ``date`` and ``location`` (the VOA files), over matched events:
  date accuracy (a matching event's ``date`` is the gold's day) and place accuracy (a matching
  event's ``place`` and the gold's location name the same place: one text contains the other,
  case and spacing aside);
- each error by its PLOVER class. A gold event missed is *no trigger* (no event at all in its
  sentence), *wrong type* (events in its sentence, none of its type), *wrong source* (its type
  found, none of those events with its source) or *wrong target* (its type and source found,
  the target wrong). A produced event that matches no gold event is a *modality* error (it
  matches a flagged gold event), *spurious* (no gold event in its sentence), *wrong type* (gold
  events in its sentence, none of its type) or *wrong actors* (its type is in the gold
  sentence, with other actors).

This module only reads gold files and scores events, so the coder's own learning code
(``coding.learn``) can use it; running the pipeline over a gold file (``evaluate``, ``ablate``)
is ``detente.pipeline.gold``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from .errors import GoldFormatError, SourceNotFound

__all__ = ["MISSED_CLASSES", "WRONG_CLASSES", "ErrorCase", "GoldDoc", "GoldEvent", "Score", "load_gold",
           "reliability", "score_events"]

OLD_LABELS = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
OLD_CODES = {"JAP": "JPN", "ITL": "ITA"}
GROUPS = ("IGO", "NGO", "IMG", "MNC")
LENIENT_TYPES = {"COERCE": "SANCTION"}
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_SPACES = re.compile(r"\s+")
FLAGS = ("negated", "hypothetical", "future", "reported")  # a produced event so flagged did not happen

# The PLOVER error classes, in the order they are tested, with what each means.
MISSED_CLASSES = {
    "no_trigger": "no event in its sentence",
    "wrong_type": "events there, none of its type",
    "wrong_source": "its type, never its source",
    "wrong_target": "its type and source, wrong target",
}
WRONG_CLASSES = {
    "modality": "matches a negated or hypothetical gold event",
    "spurious": "no gold event in its sentence",
    "wrong_type": "gold events there, none of its type",
    "wrong_actors": "its type in the gold, other actors",
}


def country_key(code: str | None) -> str | None:
    """The comparable country of an actor code: ISO3, or the group (IGO/NGO/...) it belongs to."""
    if not code:
        return None
    c = str(code).upper().split(":")[0]
    for g in GROUPS:
        if c.startswith(g):
            return g
    c = c[:3]
    return OLD_CODES.get(c, c)


def normalise_sentence(text: str) -> str:
    return _SPACES.sub(" ", text.translate(_QUOTES)).strip().lower()


def same_sentence(a: str, b: str) -> bool:
    x, y = normalise_sentence(a), normalise_sentence(b)
    if not x or not y:
        return False
    if x in y or y in x:
        return True
    wx, wy = set(x.split()), set(y.split())
    return len(wx & wy) / max(1, len(wx | wy)) >= 0.5


@dataclass(frozen=True)
class GoldEvent:
    sentence: str
    type: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    flagged: bool = False
    date: str | None = None  # the day it happened (YYYY-MM-DD), where the gold gives one
    location: str | None = None  # the place's words, where the gold gives them


@dataclass(frozen=True)
class GoldDoc:
    id: str
    text: str
    published: str | None
    events: tuple[GoldEvent, ...]
    boilerplate_lines: tuple[str, ...] = ()


def _codes(actors: Any) -> tuple[str, ...]:
    if not isinstance(actors, list):
        return ()
    out = []
    for a in actors:
        if isinstance(a, dict):
            k = country_key(a.get("code"))
            if k:
                out.append(k)
    return tuple(out)


def load_gold(path: str | Path) -> list[GoldDoc]:
    """Read a gold file: a PLOVER GSR ``.json`` list, or an articles ``.jsonl`` file."""
    p = Path(path)
    if not p.exists():
        raise SourceNotFound(f"no gold file at {p}")
    try:
        if p.suffix == ".json":
            return _load_gsr(json.loads(p.read_text(encoding="utf-8")))
        return list(_load_articles(p))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise GoldFormatError(f"{p} is not a gold file detente can read ({exc})") from exc


def _load_gsr(records: Any) -> list[GoldDoc]:
    if not isinstance(records, list):
        raise GoldFormatError("a PLOVER GSR file is a JSON list of records")
    docs: list[GoldDoc] = []
    seen: set[str] = set()
    for r in records:
        if not isinstance(r, dict) or r.get("event") == "DOCUMENT" or not r.get("text"):
            continue
        rid = str(r.get("id"))
        while rid in seen:  # one id is repeated in the GSR; keep both records apart
            rid += "-b"
        seen.add(rid)
        etype = str(OLD_LABELS.get(r["event"], r["event"]))
        ev = GoldEvent(r["text"], etype, _codes(r.get("source")), _codes(r.get("target")))
        docs.append(GoldDoc(rid, r["text"], r.get("date"), (ev,)))
    return docs


def _load_articles(path: Path) -> Iterator[GoldDoc]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            r = json.loads(line)
            events = []
            for e in r.get("events", []):
                src = country_key(e.get("source"))
                tgt = country_key(e.get("target"))
                events.append(GoldEvent(e["sentence"], OLD_LABELS.get(e["type"], e["type"]),
                                        (src,) if src else (), (tgt,) if tgt else (),
                                        bool(e.get("negated") or e.get("hypothetical")),
                                        _text_or_none(e.get("date")), _text_or_none(e.get("location"))))
            text = r.get("raw_text") or r.get("text")
            if not isinstance(text, str):
                raise GoldFormatError(f"{path}:{n}: a gold article needs raw_text")
            yield GoldDoc(str(r["id"]), text, r.get("published"), tuple(events),
                          tuple(r.get("boilerplate_lines") or ()))


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


@dataclass(frozen=True)
class ErrorCase:
    """One error: a gold event missed (``kind`` "missed") or a produced event that matches no gold
    event ("wrong"), with its PLOVER class and the actors on its side (gold or produced)."""

    kind: str
    error_class: str
    doc_id: str
    type: str
    sentence: str
    source: str | None
    target: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "class": self.error_class, "doc_id": self.doc_id, "type": self.type,
                "source": self.source, "target": self.target, "sentence": self.sentence}


@dataclass
class Score:
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    type_recall: float = 0.0
    lenient_f1: float = 0.0
    modality_errors: int = 0
    gold_events: int = 0
    produced_events: int = 0
    matched_gold: int = 0  # gold events some produced event matches
    matched_produced: int = 0  # produced events that match a gold event
    per_type: dict[str, dict[str, Any]] = field(default_factory=dict)
    confusions: list[tuple[str, str, int]] = field(default_factory=list)
    documents: int = 0
    rejected: int = 0
    missed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MISSED_CLASSES, 0))
    wrong: dict[str, int] = field(default_factory=lambda: dict.fromkeys(WRONG_CLASSES, 0))
    date_accuracy: float | None = None
    dated_matches: int = 0
    place_accuracy: float | None = None
    placed_matches: int = 0
    reliability: list[dict[str, Any]] = field(default_factory=list)  # confidence bins, see reliability()
    ece: float | None = None  # expected calibration error of `confidence` over the produced events
    precision_at_08: float | None = None  # precision of the produced events with confidence >= 0.8
    at_08: int = 0  # how many produced events had confidence >= 0.8
    errors: list[ErrorCase] = field(default_factory=list)  # each error; not in to_dict (see --errors-out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": self.precision, "recall": self.recall, "f1": self.f1,
            "type_recall": self.type_recall, "lenient_f1": self.lenient_f1,
            "modality_errors": self.modality_errors, "gold_events": self.gold_events,
            "produced_events": self.produced_events, "matched_gold": self.matched_gold,
            "matched_produced": self.matched_produced, "documents": self.documents, "rejected": self.rejected,
            "missed": dict(self.missed), "wrong": dict(self.wrong),
            "date_accuracy": self.date_accuracy, "dated_matches": self.dated_matches,
            "place_accuracy": self.place_accuracy, "placed_matches": self.placed_matches,
            "reliability": self.reliability, "ece": self.ece,
            "precision_at_0.8": self.precision_at_08, "events_at_0.8": self.at_08,
            "per_type": self.per_type,
            "confusions": [{"gold": g, "produced": p, "count": n} for g, p, n in self.confusions],
        }


def _actor_key(actor: Any) -> str | None:
    if isinstance(actor, str):
        return country_key(actor)
    if isinstance(actor, dict):
        return country_key(actor.get("country") or actor.get("code"))
    return None


def _source_ok(pred: dict[str, Any], gold: GoldEvent) -> bool:
    return _actor_key(pred.get("source")) in gold.sources


def _target_ok(pred: dict[str, Any], gold: GoldEvent) -> bool:
    return not gold.targets or _actor_key(pred.get("target")) in gold.targets


def _same_sentence(pred: dict[str, Any], gold: GoldEvent) -> bool:
    return same_sentence(str(pred.get("sentence", "")), gold.sentence)


def _matches(pred: dict[str, Any], gold: GoldEvent, lenient: bool) -> bool:
    pt, gt = pred.get("type"), gold.type
    if lenient:
        pt, gt = LENIENT_TYPES.get(str(pt), pt), LENIENT_TYPES.get(gt, gt)
    if pt != gt:
        return False
    return _source_ok(pred, gold) and _target_ok(pred, gold) and _same_sentence(pred, gold)


def happened(pred: dict[str, Any]) -> bool:
    """A produced event counts only when the article asserts it happened (no flag is set)."""
    return not any(pred.get(f) for f in FLAGS)


def missed_class(gold: GoldEvent, preds: list[dict[str, Any]]) -> str:
    """The PLOVER class of a gold event that no produced event in ``preds`` matches."""
    same = [p for p in preds if _same_sentence(p, gold)]
    if not same:
        return "no_trigger"
    typed = [p for p in same if p.get("type") == gold.type]
    if not typed:
        return "wrong_type"
    if not any(_source_ok(p, gold) for p in typed):
        return "wrong_source"
    return "wrong_target"


def wrong_class(pred: dict[str, Any], real: list[GoldEvent], flagged: list[GoldEvent]) -> str:
    """The PLOVER class of a produced event that matches no real gold event of its document."""
    if any(_matches(pred, g, False) for g in flagged):
        return "modality"
    same = [g for g in real if _same_sentence(pred, g)]
    if not same:
        return "spurious"
    if not any(g.type == pred.get("type") for g in same):
        return "wrong_type"
    return "wrong_actors"


def _place_text(pred: dict[str, Any]) -> str:
    value = pred.get("place") or pred.get("location")
    if isinstance(value, dict):
        value = value.get("text") or value.get("name")
    return normalise_sentence(value) if isinstance(value, str) else ""


def same_place(pred: dict[str, Any], location: str | None) -> bool:
    """The produced place and the gold location name the same place (one text contains the other)."""
    a, b = _place_text(pred), normalise_sentence(location or "")
    return bool(a and b and (a in b or b in a))


def _prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> tuple[float, float, float]:
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 3), round(r, 3), round(f, 3)


def _gold_actor(codes: tuple[str, ...]) -> str | None:
    return "|".join(codes) or None


def _confidence(pred: dict[str, Any]) -> float:
    try:
        value = float(pred.get("confidence") or 0.0)
    except (TypeError, ValueError):
        return 0.0
    return min(max(value, 0.0), 1.0)


RELIABILITY_EDGES = (0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def reliability(judged: Iterable[tuple[float, bool]],
                edges: tuple[float, ...] = RELIABILITY_EDGES) -> tuple[list[dict[str, Any]], float | None]:
    """Confidence bins against observed precision, and the expected calibration error.

    ``judged`` holds one (confidence, right) pair per produced event. Each bin [lo, hi) (the last
    one closed) reports its events, their mean confidence and the share that were right; the
    expected calibration error is the events-weighted mean gap between the two (0 = calibrated).
    """
    pairs = list(judged)
    rows: list[dict[str, Any]] = []
    gap = 0.0
    for i, (lo, hi) in enumerate(pairwise(edges)):
        last = i == len(edges) - 2
        inside = [(c, r) for c, r in pairs if lo <= c < hi or (last and c == hi)]
        if not inside:
            rows.append({"low": lo, "high": hi, "events": 0, "mean_confidence": None, "precision": None})
            continue
        mean_conf = sum(c for c, _ in inside) / len(inside)
        precision = sum(1 for _, r in inside if r) / len(inside)
        gap += len(inside) * abs(precision - mean_conf)
        rows.append({"low": lo, "high": hi, "events": len(inside), "mean_confidence": round(mean_conf, 3),
                     "precision": round(precision, 3)})
    return rows, (round(gap / len(pairs), 3) if pairs else None)


def score_events(docs: list[GoldDoc], predictions: Iterable[dict[str, Any]]) -> Score:
    """Score event dicts (``Event.to_dict()`` shape, with ``doc_id``) against gold documents."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for p in predictions:
        by_doc.setdefault(str(p.get("doc_id")), []).append(p)
    counts = Counter[str]()
    type_gold, type_hit, type_pred, type_tp = Counter[str](), Counter[str](), Counter[str](), Counter[str]()
    confusions = Counter[tuple[str, str]]()
    missed, wrong = Counter[str](), Counter[str]()
    type_missed: dict[str, Counter[str]] = {}
    type_wrong: dict[str, Counter[str]] = {}
    errors: list[ErrorCase] = []
    judged: list[tuple[float, bool]] = []  # (confidence, right) per produced event counted in precision
    for d in docs:
        preds = [p for p in by_doc.get(d.id, []) if happened(p)]
        real = [g for g in d.events if not g.flagged]
        flagged = [g for g in d.events if g.flagged]
        for g in real:
            counts["gold"] += 1
            type_gold[g.type] += 1
            hits = [p for p in preds if _matches(p, g, False)]
            if hits:
                counts["tp_gold"] += 1
                type_hit[g.type] += 1
                if g.date:
                    counts["dated"] += 1
                    counts["date_ok"] += any(str(p.get("date") or "")[:10] == g.date for p in hits)
                if g.location:
                    counts["placed"] += 1
                    counts["place_ok"] += any(same_place(p, g.location) for p in hits)
            else:
                cls = missed_class(g, preds)
                missed[cls] += 1
                type_missed.setdefault(g.type, Counter())[cls] += 1
                errors.append(ErrorCase("missed", cls, d.id, g.type, g.sentence, _gold_actor(g.sources),
                                        _gold_actor(g.targets)))
            if any(_matches(p, g, True) for p in preds):
                counts["tp_gold_lenient"] += 1
            same = [p for p in preds if _same_sentence(p, g)]
            if any(p.get("type") == g.type for p in same):
                counts["type_hits"] += 1
            else:
                for p in same:
                    confusions[(g.type, str(p.get("type")))] += 1
                if not same:
                    confusions[(g.type, "(none)")] += 1
        for p in preds:
            ptype = str(p.get("type"))
            counts["pred"] += 1
            type_pred[ptype] += 1
            right = any(_matches(p, g, False) for g in real)
            judged.append((_confidence(p), right))
            if right:
                counts["tp_pred"] += 1
                type_tp[ptype] += 1
            else:
                cls = wrong_class(p, real, flagged)
                wrong[cls] += 1
                type_wrong.setdefault(ptype, Counter())[cls] += 1
                errors.append(ErrorCase("wrong", cls, d.id, ptype, str(p.get("sentence", "")),
                                        _actor_key(p.get("source")), _actor_key(p.get("target"))))
            if any(_matches(p, g, True) for g in real):
                counts["tp_pred_lenient"] += 1
    prec, rec, f1 = _prf(counts["tp_pred"], counts["pred"], counts["tp_gold"], counts["gold"])
    _, _, lf = _prf(counts["tp_pred_lenient"], counts["pred"], counts["tp_gold_lenient"], counts["gold"])
    per_type: dict[str, dict[str, Any]] = {}
    for t in sorted(set(type_gold) | set(type_pred)):
        tp_, tr_, tf_ = _prf(type_tp[t], type_pred[t], type_hit[t], type_gold[t])
        per_type[t] = {"gold": type_gold[t], "produced": type_pred[t], "precision": tp_, "recall": tr_,
                       "f1": tf_,
                       "missed": {c: type_missed.get(t, Counter())[c] for c in MISSED_CLASSES},
                       "wrong": {c: type_wrong.get(t, Counter())[c] for c in WRONG_CLASSES}}
    bins, ece = reliability(judged)
    high = [right for conf, right in judged if conf >= 0.8]
    return Score(
        reliability=bins, ece=ece, at_08=len(high),
        precision_at_08=round(sum(high) / len(high), 3) if high else None,
        precision=prec, recall=rec, f1=f1,
        type_recall=round(counts["type_hits"] / counts["gold"], 3) if counts["gold"] else 0.0,
        lenient_f1=lf, modality_errors=wrong["modality"], gold_events=counts["gold"],
        produced_events=counts["pred"], matched_gold=counts["tp_gold"], matched_produced=counts["tp_pred"],
        per_type=per_type,
        confusions=[(g, pt, n) for (g, pt), n in confusions.most_common(12)], documents=len(docs),
        missed={c: missed[c] for c in MISSED_CLASSES}, wrong={c: wrong[c] for c in WRONG_CLASSES},
        date_accuracy=round(counts["date_ok"] / counts["dated"], 3) if counts["dated"] else None,
        dated_matches=counts["dated"],
        place_accuracy=round(counts["place_ok"] / counts["placed"], 3) if counts["placed"] else None,
        placed_matches=counts["placed"], errors=errors,
    )
