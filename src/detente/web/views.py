"""What each dashboard page shows, as plain JSON-ready data.

Each function here builds one page's data from the library's query functions
(``detente.analysis``); the HTML page renders exactly this data through its template, and
the page's JSON twin (the same path with ``.json``) returns it as it is. So the two can
never disagree, and everything a person sees can be fetched by a script.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlencode

from ..analysis import (
    dyad_report,
    escalation_summary,
    get_article,
    get_event,
    query_events,
    reciprocity_chains,
)
from ..analysis.codes import MODALITIES, country_name, parse_freq, validate_dyad_key
from ..analysis.reciprocity import dyad_key
from ..errors import BadOption
from ..model import PLOVER_TYPES
from ..pipeline import parse_date
from ..store import Store
from .highlight import segment_text
from .security import safe_href

__all__ = [
    "SEARCH_FIELDS",
    "article_page",
    "dyad_page",
    "event_page",
    "overview_page",
    "search_page",
]

# Events shown per page on the dyad page and in search results.
PAGE_EVENTS = 50
# Alerts on the overview, and the evidence events shown under each.
OVERVIEW_ALERTS = 10
ALERT_EVENTS = 3

SEARCH_FIELDS = ("source", "target", "type", "since", "until", "modality", "limit")
MAX_SEARCH_LIMIT = 500


def dyad_name(code: str) -> str:
    """A readable name for a dyad key: the country's name, or the body's code without its prefix."""
    if code.startswith(("IGO", "NGO")) and len(code) > 3:
        return code[3:]
    return country_name(code) or code


def _named_dyads(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "source_name": dyad_name(row["source"]), "target_name": dyad_name(row["target"])}
            for row in rows]


def overview_page(store: Store, *, limit: int = 10) -> dict[str, Any]:
    """The store at a glance: most escalating and most active dyads, the latest alerts, the longest chains."""
    summary = escalation_summary(store, limit=limit).to_dict()
    alerts = summary.pop("alerts")
    latest = [{**alert, "events": alert["events"][:ALERT_EVENTS], "events_total": len(alert["events"])}
              for alert in alerts[:OVERVIEW_ALERTS]]
    return {
        **summary,
        "most_active": _named_dyads(summary["most_active"]),
        "most_escalating": _named_dyads(summary["most_escalating"]),
        "alerts": latest,
        "alerts_total": len(alerts),
    }


def _optional_date(value: str | date | None) -> date | None:
    return parse_date(value or None)


def dyad_page(store: Store, a: str, b: str, *, freq: str = "W", since: str | date | None = None,
              until: str | date | None = None) -> dict[str, Any]:
    """Both directions of a dyad: the series for the chart, the latest events, the reciprocity chains."""
    a, b = validate_dyad_key(a), validate_dyad_key(b)
    since_d, until_d = _optional_date(since), _optional_date(until)
    report = dyad_report(store, a, b, freq=parse_freq(freq), since=since_d, until=until_d)
    pages = [query_events(store, source=src, target=tgt, since=since_d, until=until_d, limit=PAGE_EVENTS)
             for src, tgt in ((a, b), (b, a))]
    items = sorted((item for page in pages for item in page.items),
                   key=lambda item: (item.event.date or date.min, item.event.id), reverse=True)
    chains = reciprocity_chains(store, a, b, since=since_d, until=until_d)
    more = any(page.next_cursor for page in pages)
    return {
        "a": a, "b": b, "a_name": dyad_name(a), "b_name": dyad_name(b), "freq": report.freq,
        "since": since_d.isoformat() if since_d else None, "until": until_d.isoformat() if until_d else None,
        "report": report.to_dict(),
        "events": [item.to_dict() for item in items[:PAGE_EVENTS]],
        "more_events": more or len(items) > PAGE_EVENTS,
        "search_urls": [f"/search?{urlencode({'source': src, 'target': tgt})}" for src, tgt in ((a, b), (b, a))],
        "chains": [chain.to_dict() for chain in chains],
    }


def article_page(store: Store, article_id: str) -> dict[str, Any] | None:
    """An article's body cut into highlight segments, with the events whose evidence they are."""
    view = get_article(store, article_id)
    if view is None:
        return None
    data = view.to_dict()
    spans = [(item.event.id, item.event.span[0], item.event.span[1]) for item in view.events]
    data["segments"] = [segment.to_dict() for segment in segment_text(view.article.text, spans)]
    data["link"] = safe_href(view.article.url)
    return data


def event_page(store: Store, event_id: str) -> dict[str, Any] | None:
    item = get_event(store, event_id)
    if item is None:
        return None
    data = item.to_dict()
    data["link"] = safe_href(item.event.url)
    target = dyad_key(item.event.target)
    data["dyad_url"] = f"/dyads/{dyad_key(item.event.source)}/{target}" if target else None
    return data


def search_filters(params: Mapping[str, str]) -> dict[str, str]:
    """The search form's non-empty fields, stripped (``modality`` defaults to ``any``)."""
    filters = {name: params.get(name, "").strip() for name in SEARCH_FIELDS}
    return {name: value for name, value in filters.items() if value}


def search_page(store: Store, params: Mapping[str, str], *, cursor: str | None = None) -> dict[str, Any]:
    """Events by actor, type and date range, newest first, one page (``limit``, default 50) at a time."""
    filters = search_filters(params)
    modality = filters.get("modality", "any")
    if modality not in MODALITIES:
        raise BadOption(f"unknown modality '{modality}'", "use one of " + ", ".join(MODALITIES))
    text = filters.get("limit", str(PAGE_EVENTS))
    if not text.isdigit() or not 1 <= int(text) <= MAX_SEARCH_LIMIT:
        raise BadOption(f"limit '{text[:20]}' is not a number from 1 to {MAX_SEARCH_LIMIT}", "give e.g. limit=50")
    limit = int(text)
    page = query_events(store, source=filters.get("source"), target=filters.get("target"),
                        type=filters.get("type"), since=_optional_date(filters.get("since")),
                        until=_optional_date(filters.get("until")), modality=modality, limit=limit,
                        cursor=cursor or None)
    next_url = f"/search?{urlencode({**filters, 'cursor': page.next_cursor})}" if page.next_cursor else None
    return {"filters": filters, "events": [item.to_dict() for item in page.items],
            "next_cursor": page.next_cursor, "next_url": next_url,
            "types": list(PLOVER_TYPES), "modalities": list(MODALITIES)}
