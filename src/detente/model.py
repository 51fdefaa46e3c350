"""The records that flow between detente's stages.

Every stage takes one of these and returns a new one; none is mutated after it is made,
and none holds a spaCy object (see ``detente.nlp`` for the token records the coder reads).

    Source -> Document -> extract -> Article | Rejected -> nlp -> ParsedArticle
           -> actors + coding -> Event -> store -> analysis (DyadPoint, Alert, ReciprocityLink)
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

__all__ = [
    "PLOVER_TYPES",
    "QUAD_CLASS_OF_TYPE",
    "Actor",
    "Alert",
    "Article",
    "Document",
    "DocumentRecord",
    "DyadPoint",
    "Event",
    "ReciprocityChain",
    "ReciprocityLink",
    "Rejected",
    "sha256_hex",
    "stable_id",
]

# PLOVER 2021 event types in quad-class order (GDELT's 1..4 quad classes).
PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE",          # 1 verbal cooperation
    "COOPERATE", "AID", "RETREAT",                     # 2 material cooperation
    "REQUEST", "ACCUSE", "REJECT", "THREATEN",         # 3 verbal conflict
    "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",  # 4 material conflict
)
QUAD_CLASS_OF_TYPE: dict[str, int] = {
    **dict.fromkeys(("AGREE", "CONSULT", "SUPPORT", "CONCEDE"), 1),
    **dict.fromkeys(("COOPERATE", "AID", "RETREAT"), 2),
    **dict.fromkeys(("REQUEST", "ACCUSE", "REJECT", "THREATEN"), 3),
    **dict.fromkeys(("PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"), 4),
}

_WS = re.compile(r"\s+")


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def normalise_body(text: str) -> str:
    """The form of an article body that its id is computed from: whitespace collapsed per line."""
    lines = (_WS.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def stable_id(*parts: object, length: int = 24) -> str:
    """A short deterministic id from its parts (same parts, same id, in any process)."""
    return sha256_hex("\x1f".join(str(p) for p in parts))[:length]


@dataclass(frozen=True)
class Document:
    """What arrived, untouched.

    ``id`` is the sha256 of ``content``; ``doc_id`` is the name the user knows the input by
    (the JSONL record's id, else the path or URL). ``kind`` says which source made it:
    file, stdin, url, jsonl, warc, feed. ``media_type`` is ``"html"`` or ``"text"`` (a hint
    from the source; the extractor sniffs again). ``published``/``title``/``url`` are hints a
    corpus may carry and extraction prefers over what it finds in the page.
    """

    id: str
    doc_id: str
    kind: str
    uri: str
    content: bytes
    media_type: str = "text"
    url: str | None = None
    published: date | None = None
    title: str | None = None
    fetched_at: str | None = None
    encoding: str | None = None

    @classmethod
    def from_bytes(cls, content: bytes, *, doc_id: str, kind: str, uri: str | None = None,
                   **hints: Any) -> Document:
        return cls(id=sha256_hex(content), doc_id=doc_id, kind=kind, uri=uri or doc_id,
                   content=content, **hints)


@dataclass(frozen=True)
class DocumentRecord:
    """What the store records of a Document: everything but its bytes, whose number it keeps.

    The store's writer takes this (a Document passed to it is reduced to it first), so a
    document known only from a record (a batch shard keeps no bytes) is stored exactly as the
    original would be."""

    id: str
    doc_id: str
    kind: str | None = None
    uri: str | None = None
    url: str | None = None
    media_type: str | None = None
    size: int | None = None
    fetched_at: str | None = None

    @classmethod
    def of(cls, doc: Document) -> DocumentRecord:
        return cls(id=doc.id, doc_id=doc.doc_id, kind=doc.kind, uri=doc.uri, url=doc.url,
                   media_type=doc.media_type, size=len(doc.content), fetched_at=doc.fetched_at)


@dataclass(frozen=True)
class Article:
    """A clean article: body without boilerplate, one paragraph per line in ``text``."""

    id: str
    doc_id: str
    document_id: str
    text: str
    url: str | None = None
    site: str | None = None
    title: str | None = None
    author: str | None = None
    published: date | None = None
    language: str | None = None
    dropped_lines: tuple[str, ...] = ()
    # The language detector's confidence in ``language`` (0..1); None when nobody measured it.
    language_confidence: float | None = None
    # Character ranges of ``text`` that are not sentences (subheads, question headings, link lines,
    # reader notices): kept for the reader, skipped by the coder.
    headings: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["published"] = self.published.isoformat() if self.published else None
        d["dropped_lines"] = list(self.dropped_lines)
        return {
            "id": d["id"], "doc_id": d["doc_id"], "url": d["url"], "site": d["site"],
            "title": d["title"], "author": d["author"], "published": d["published"],
            "language": d["language"], "language_confidence": d["language_confidence"], "text": d["text"],
            "dropped_lines": d["dropped_lines"], "headings": [list(span) for span in self.headings],
        }


@dataclass(frozen=True)
class Rejected:
    """A document that did not become an article, and why (a reason code plus words)."""

    document_id: str
    doc_id: str
    stage: str
    reason: str
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Actor:
    """An actor as country + sector, e.g. code ``RUSGOV`` = country ``RUS`` + sector ``GOV``.

    International bodies use country ``IGO`` and code ``IGO`` + short name (``IGONATO``).
    ``text`` is the surface text the actor was read from; ``name`` a canonical name when
    known (a person or organisation).
    """

    code: str
    country: str
    sector: str = ""
    text: str = ""
    name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "country": self.country, "sector": self.sector, "text": self.text,
                "name": self.name}


@dataclass(frozen=True)
class Event:
    """One coded event with the evidence it was read from.

    ``span`` indexes ``Article.text``. Flagged events (negated, hypothetical, future, and
    ``reported``: a claim inside someone's speech) are kept with their flags and are never
    counted as things that happened.

    ``date`` is the day the event happened, or the first day of the span its sentence names;
    ``date_precision`` says which (day, week, month, year) and ``date_source`` where it came from
    (sentence, dateline, published). ``place`` is the place's text as written, resolved (when the
    gazetteer knows it) to ``place_country`` (ISO3), ``place_admin1`` (GeoNames ``CC.code``),
    ``lat``/``lon``, ``geo_precision`` (city, admin1, country) and ``geonames_id``.
    """

    id: str
    article_id: str
    doc_id: str
    sentence_index: int
    span: tuple[int, int]
    sentence: str
    source: Actor
    target: Actor | None
    type: str
    mode: str
    cameo: str
    goldstein: float
    quad_class: int
    date: date | None
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    historical: bool = False
    confidence: float = 0.5
    coder: str = ""
    rule: str = ""
    url: str | None = None
    reported: bool = False
    date_precision: str | None = None
    date_source: str | None = None
    place: str | None = None
    place_country: str | None = None
    place_admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: str | None = None
    geonames_id: int | None = None

    @property
    def is_real(self) -> bool:
        """True when the event is asserted as having happened (no modality flag)."""
        return not (self.negated or self.hypothetical or self.future or self.reported)

    def place_dict(self) -> dict[str, Any]:
        """The place fields as the JSON outputs carry them (``place`` is the text)."""
        return {"place": self.place, "place_country": self.place_country, "place_admin1": self.place_admin1,
                "lat": self.lat, "lon": self.lon, "geo_precision": self.geo_precision,
                "geonames_id": self.geonames_id}

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "article_id": self.article_id,
            "sentence": self.sentence,
            "sentence_index": self.sentence_index,
            "span": list(self.span),
            "source": self.source.to_dict(),
            "target": self.target.to_dict() if self.target else None,
            "type": self.type,
            "mode": self.mode,
            "cameo": self.cameo,
            "goldstein": self.goldstein,
            "quad_class": self.quad_class,
            "date": self.date.isoformat() if self.date else None,
            "date_precision": self.date_precision,
            "date_source": self.date_source,
            **self.place_dict(),
            "negated": self.negated,
            "hypothetical": self.hypothetical,
            "future": self.future,
            "historical": self.historical,
            "reported": self.reported,
            "confidence": self.confidence,
            "coder": self.coder,
            "rule": self.rule,
            "url": self.url,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        def actor(a: dict[str, Any] | None) -> Actor | None:
            if not a:
                return None
            return Actor(code=a.get("code", ""), country=a.get("country", ""),
                         sector=a.get("sector", "") or "", text=a.get("text", "") or "", name=a.get("name") or None)

        src = actor(d["source"])
        assert src is not None
        return cls(
            id=d["id"], article_id=d.get("article_id", ""), doc_id=str(d.get("doc_id", "")),
            sentence_index=int(d.get("sentence_index", 0)), span=tuple(d.get("span", (0, 0))),
            sentence=d.get("sentence", ""), source=src, target=actor(d.get("target")),
            type=d["type"], mode=d.get("mode", "") or "", cameo=d.get("cameo", "") or "",
            goldstein=float(d.get("goldstein", 0.0)), quad_class=int(d.get("quad_class", 0)),
            date=date.fromisoformat(d["date"]) if d.get("date") else None,
            negated=bool(d.get("negated")), hypothetical=bool(d.get("hypothetical")),
            future=bool(d.get("future")), historical=bool(d.get("historical")),
            confidence=float(d.get("confidence", 0.5)), coder=d.get("coder", ""),
            rule=d.get("rule", ""), url=d.get("url"), reported=bool(d.get("reported")),
            date_precision=d.get("date_precision"), date_source=d.get("date_source"),
            place=d.get("place"), place_country=d.get("place_country"), place_admin1=d.get("place_admin1"),
            lat=_float_or_none(d.get("lat")), lon=_float_or_none(d.get("lon")),
            geo_precision=d.get("geo_precision"),
            geonames_id=int(d["geonames_id"]) if d.get("geonames_id") is not None else None,
        )


def _float_or_none(value: Any) -> float | None:
    return float(value) if value is not None else None


# ---- analysis records (dyad series, alerts, reciprocity); built by detente.analysis ----


@dataclass(frozen=True)
class DyadPoint:
    """One period of a directed dyad ``source -> target`` (dyad keys: a country, or an IGO/NGO code).

    Only real events count (never negated, hypothetical or future ones). ``conflict`` is the
    conflict intensity of the period (sum of -Goldstein x confidence over events with a negative
    Goldstein score), ``cooperation`` the same for positive scores; ``baseline`` and
    ``escalation_index`` are ``None`` until the dyad has enough history (see README, "Escalation
    index").
    """

    source: str
    target: str
    period: date
    freq: str
    events: int
    quad_counts: tuple[int, int, int, int]
    type_counts: tuple[tuple[str, int], ...]
    goldstein_sum: float
    goldstein_mean: float | None
    conflict: float
    cooperation: float
    smoothed: float
    baseline: float | None
    escalation_index: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source, "target": self.target, "period": self.period.isoformat(),
            "freq": self.freq, "events": self.events,
            "quad_counts": {str(q): n for q, n in zip((1, 2, 3, 4), self.quad_counts, strict=True)},
            "type_counts": dict(self.type_counts),
            "goldstein_sum": self.goldstein_sum, "goldstein_mean": self.goldstein_mean,
            "conflict": self.conflict, "cooperation": self.cooperation, "smoothed": self.smoothed,
            "baseline": self.baseline, "escalation_index": self.escalation_index,
        }


@dataclass(frozen=True)
class Alert:
    """A directed dyad that escalated in ``period``: which detectors fired, the score, the evidence.

    ``id`` is stable for the same dyad, period, frequency and detectors, so a sink can deliver
    each alert once however often alerts are recomputed.
    """

    id: str
    source: str
    target: str
    period: date
    freq: str
    detectors: tuple[str, ...]
    escalation_index: float | None
    threshold: float
    conflict: float
    baseline: float | None
    reason: str
    events: tuple[Event, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "source": self.source, "target": self.target,
            "period": self.period.isoformat(), "freq": self.freq, "detectors": list(self.detectors),
            "escalation_index": self.escalation_index, "threshold": self.threshold,
            "conflict": self.conflict, "baseline": self.baseline, "reason": self.reason,
            "events": [e.to_dict() for e in self.events],
        }


@dataclass(frozen=True)
class ReciprocityLink:
    """``provocation`` (X -> Y) answered by ``response`` (Y -> X) ``lag_days`` later.

    ``basis`` says why it is a link: ``later_date`` (the response is dated after the
    provocation, in another report) or ``marked_response`` (the response's own sentence says it
    answers: ``marker`` is the words, e.g. "in retaliation for").
    """

    kind: str
    provocation: Event
    response: Event
    lag_days: int
    basis: str = "later_date"
    marker: str | None = None

    def to_dict(self) -> dict[str, Any]:
        def side(e: Event) -> dict[str, Any]:
            return {
                "event_id": e.id, "date": e.date.isoformat() if e.date else None,
                "source": e.source.code, "target": e.target.code if e.target else None,
                "type": e.type, "mode": e.mode, "cameo": e.cameo, "goldstein": e.goldstein,
                "sentence": e.sentence, "article_id": e.article_id, "span": list(e.span), "url": e.url,
            }

        return {"kind": self.kind, "lag_days": self.lag_days, "basis": self.basis, "marker": self.marker,
                "provocation": side(self.provocation), "response": side(self.response)}


@dataclass(frozen=True)
class ReciprocityChain:
    """Consecutive links between two dyad keys of one ``kind`` (``conflict`` or ``cooperation``);
    ``initiator`` made the first move."""

    kind: str
    initiator: str
    responder: str
    links: tuple[ReciprocityLink, ...]

    @property
    def start(self) -> date | None:
        return self.links[0].provocation.date if self.links else None

    @property
    def end(self) -> date | None:
        return self.links[-1].response.date if self.links else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "initiator": self.initiator, "responder": self.responder,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "length": len(self.links), "links": [link.to_dict() for link in self.links],
        }
