"""PLOVER event JSON: the fields of the PLOVER gold records, plus detente's auxiliary modes.

``context`` comes from the CAMEO -> PLOVER crosswalk's context column for the event's
CAMEO code. ``actor`` and ``recipient`` are lists of ``{"actorText", "code", "sector"}`` (plus
``country``) as in the PLOVER gold standard records; ``mode`` is null when the type has none;
``eventText`` is the trigger word and ``language`` the article's; ``negated``, ``hypothetical``,
``future`` and ``historical`` are booleans (PLOVER names the modes but has no field yet).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..analysis.queries import StoredEvent
from ..model import Actor

__all__ = ["PLOVER_VERSION", "plover_record", "trigger_of"]

PLOVER_VERSION = "PLOVER-2021"  # the ontology the events are coded in (CAMEO2PLOVER-2021 crosswalk)


@lru_cache(maxsize=512)
def contexts_of(cameo: str) -> tuple[str, ...]:
    """PLOVER contexts of a CAMEO code from the packaged crosswalk (empty when unknown)."""
    try:
        from ..coding.ontology import cameo_info  # late: loads the coder package (~0.3 s)

        return tuple(cameo_info(cameo).contexts)
    except (KeyError, ImportError):
        return ()


def _actor(actor: Actor) -> dict[str, str]:
    return {"actorText": actor.text, "code": actor.code, "sector": actor.sector, "country": actor.country}


_TRIGGER = re.compile(r"\[trigger '([^']*)'\]")


def trigger_of(event: Any) -> str | None:
    """The word that signals the event (PLOVER's ``eventText``): the event's ``trigger`` when it
    has one, else the trigger its rule names (``... [trigger 'expelled']``)."""
    trigger = getattr(event, "trigger", None)
    if trigger:
        return str(trigger)
    found = _TRIGGER.findall(event.rule or "")
    return found[-1] if found else None


def location(event: Any) -> dict[str, Any] | None:
    """Where the event happened, as the PLOVER records' ``location`` object (None when unknown)."""
    if not event.place:
        return None
    return {"placeName": event.place, "countryCode": event.place_country, "admin1": event.place_admin1,
            "lat": event.lat, "lon": event.lon, "precision": event.geo_precision, "geonamesID": event.geonames_id}


def plover_record(item: StoredEvent) -> dict[str, Any]:
    event = item.event
    return {
        "id": event.id,
        "date": event.date.isoformat() if event.date else None,
        "actor": [_actor(event.source)],
        "recipient": [_actor(event.target)] if event.target else [],
        "event": event.type,
        "mode": event.mode or None,
        "context": list(contexts_of(event.cameo)) if event.cameo else [],
        "eventText": trigger_of(event),
        "text": event.sentence,
        "language": item.language or None,
        "publication": item.site or "",
        "url": event.url or "",
        "version": PLOVER_VERSION,
        "dateCoded": item.stored_at.date().isoformat() if item.stored_at else None,
        "coder": event.coder,
        "negated": event.negated,
        "hypothetical": event.hypothetical,
        "future": event.future,
        "historical": event.historical,
        "reported": event.reported,
        "datePrecision": event.date_precision,
        "location": location(event),
        "cameo": event.cameo,
        "goldstein": event.goldstein,
        "confidence": event.confidence,
        "num_mentions": item.num_mentions,
        "num_sources": item.num_sources,
        "num_articles": item.num_articles,
    }
