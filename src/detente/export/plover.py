"""PLOVER event JSON: the fields of the PLOVER gold records, plus detente's auxiliary modes.

``actor`` and ``recipient`` are lists of ``{"actorText", "code", "sector"}`` (plus
``country``) as in the PLOVER gold standard records; ``negated``, ``hypothetical``,
``future`` and ``historical`` are booleans (PLOVER names the modes but has no field yet).
"""

from __future__ import annotations

from typing import Any

from ..analysis.queries import StoredEvent
from ..model import Actor

__all__ = ["PLOVER_VERSION", "plover_record"]

PLOVER_VERSION = "PLOVER-2021"  # the ontology the events are coded in (CAMEO2PLOVER-2021 crosswalk)


def _actor(actor: Actor) -> dict[str, str]:
    return {"actorText": actor.text, "code": actor.code, "sector": actor.sector, "country": actor.country}


def plover_record(item: StoredEvent) -> dict[str, Any]:
    event = item.event
    return {
        "id": event.id,
        "date": event.date.isoformat() if event.date else None,
        "actor": [_actor(event.source)],
        "recipient": [_actor(event.target)] if event.target else [],
        "event": event.type,
        "mode": event.mode,
        "context": [],
        "text": event.sentence,
        "publication": item.site or "",
        "url": event.url or "",
        "version": PLOVER_VERSION,
        "dateCoded": item.stored_at.date().isoformat() if item.stored_at else None,
        "coder": event.coder,
        "negated": event.negated,
        "hypothetical": event.hypothetical,
        "future": event.future,
        "historical": event.historical,
        "cameo": event.cameo,
        "goldstein": event.goldstein,
        "confidence": event.confidence,
        "num_mentions": item.num_mentions,
        "num_sources": item.num_sources,
        "num_articles": item.num_articles,
    }
