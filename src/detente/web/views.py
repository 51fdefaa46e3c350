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
    iter_events,
    query_events,
    reciprocity_chains,
)
from ..analysis.codes import CAMEO_ROOTS, MODALITIES, QUAD_NAMES, country_name, parse_freq, validate_dyad_key
from ..analysis.geo import geo_filter
from ..analysis.reciprocity import dyad_key
from ..dates import parse_date
from ..errors import BadOption
from ..model import PLOVER_TYPES
from ..store import Store
from .highlight import segment_text
from .security import safe_href

__all__ = [
    "PAGE_TABLES",
    "SEARCH_FIELDS",
    "article_page",
    "dyad_page",
    "event_page",
    "events_table",
    "overview_page",
    "page_table",
    "search_csv_page",
    "search_page",
]

# Events shown per page on the dyad page and in search results.
PAGE_EVENTS = 50
# Alerts on the overview, and the evidence events shown under each.
OVERVIEW_ALERTS = 10
ALERT_EVENTS = 3

SEARCH_FIELDS = ("source", "target", "type", "quad_class", "cameo_root", "min_confidence", "since", "until",
                 "modality", "limit", "country_of_event", "near", "radius", "bbox")
MAP_EVENTS = 5000  # the newest events a map shows
MAX_SEARCH_LIMIT = 500
# Rows of a search's CSV download (every match, not only the page shown, up to this many).
MAX_CSV_ROWS = 10_000


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


def _event_query(filters: Mapping[str, str]) -> dict[str, Any]:
    """The ``query_events`` arguments of a search form's fields (checked there)."""
    modality = filters.get("modality", "any")
    if modality not in MODALITIES:
        raise BadOption(f"unknown modality '{modality}'", "use one of " + ", ".join(MODALITIES))
    return {"source": filters.get("source"), "target": filters.get("target"), "type": filters.get("type"),
            "quad_class": filters.get("quad_class"), "cameo_root": filters.get("cameo_root"),
            "min_confidence": filters.get("min_confidence"), "since": _optional_date(filters.get("since")),
            "until": _optional_date(filters.get("until")), "modality": modality,
            "geo": geo_filter(country_of_event=filters.get("country_of_event"), near=filters.get("near"),
                              radius=filters.get("radius"), bbox=filters.get("bbox"))}


def search_page(store: Store, params: Mapping[str, str], *, cursor: str | None = None) -> dict[str, Any]:
    """Events by actor, type, quad class, CAMEO root, confidence, modality and date range, newest
    first, one page (``limit``, default 50) at a time."""
    filters = search_filters(params)
    text = filters.get("limit", str(PAGE_EVENTS))
    if not (text.isascii() and text.isdigit()) or len(text) > 6 or not 1 <= int(text) <= MAX_SEARCH_LIMIT:
        raise BadOption(f"limit '{text[:20]}' is not a number from 1 to {MAX_SEARCH_LIMIT}", "give e.g. limit=50")
    page = query_events(store, limit=int(text), cursor=cursor or None, **_event_query(filters))
    next_url = f"/search?{urlencode({**filters, 'cursor': page.next_cursor})}" if page.next_cursor else None
    shown = {k: v for k, v in filters.items() if k != "limit"}
    return {"filters": filters, "events": [item.to_dict() for item in page.items],
            "next_cursor": page.next_cursor, "next_url": next_url,
            "csv_url": "/search.csv" + (f"?{urlencode(shown)}" if shown else ""),
            "types": list(PLOVER_TYPES), "modalities": list(MODALITIES),
            "quad_classes": [[str(q), name] for q, name in QUAD_NAMES.items()],
            "cameo_roots": [[code, name] for code, name in CAMEO_ROOTS.items()]}


# ---- CSV downloads: every table of every page ----------------------------------------------------

Table = tuple[list[str], list[list[Any]]]


def _actor_code(actor: Mapping[str, Any] | None) -> str:
    return str(actor["code"]) if actor else ""


def events_table(events: list[dict[str, Any]]) -> Table:
    header = ["date", "source", "source_text", "type", "mode", "target", "target_text", "cameo", "goldstein",
              "quad_class", "confidence", "negated", "hypothetical", "future", "historical", "reports", "sentence",
              "event_id", "article_id", "url"]
    rows = [[e["date"] or "", _actor_code(e["source"]), e["source"]["text"], e["type"], e["mode"],
             _actor_code(e["target"]), e["target"]["text"] if e["target"] else "", e["cameo"], e["goldstein"],
             e["quad_class"], e["confidence"], e["negated"], e["hypothetical"], e["future"], e["historical"],
             e.get("num_mentions", 1), e["sentence"], e["id"], e["article_id"], e.get("url") or ""]
            for e in events]
    return header, rows


def _dyads_table(rows: list[dict[str, Any]]) -> Table:
    header = ["source", "target", "events", "conflict_events", "cooperation_events", "goldstein_sum",
              "goldstein_mean", "escalation_index", "period"]
    return header, [[d[k] for k in header] for d in rows]


def _chains_table(chains: list[dict[str, Any]]) -> Table:
    header = ["chain", "kind", "initiator", "responder", "link", "lag_days", "basis", "marker",
              "provocation_date", "provocation", "provocation_sentence", "response_date", "response",
              "response_sentence", "provocation_id", "response_id"]
    rows = []
    for k, c in enumerate(chains, 1):
        for n, link in enumerate(c["links"], 1):
            p, r = link["provocation"], link["response"]
            rows.append([k, c["kind"], c["initiator"], c["responder"], n, link["lag_days"], link.get("basis", ""),
                         link.get("marker") or "", p["date"], f"{p['source']} {p['type']} {p['target']}",
                         p["sentence"], r["date"], f"{r['source']} {r['type']} {r['target']}", r["sentence"],
                         p["event_id"], r["event_id"]])
    return header, rows


def _alerts_table(alerts: list[dict[str, Any]]) -> Table:
    header = ["period", "freq", "source", "target", "detectors", "escalation_index", "threshold", "conflict",
              "baseline", "reason", "events", "alert_id"]
    return header, [[a["period"], a["freq"], a["source"], a["target"], "+".join(a["detectors"]),
                     a["escalation_index"], a["threshold"], a["conflict"], a["baseline"], a["reason"],
                     a.get("events_total", len(a["events"])), a["id"]] for a in alerts]


def _totals_table(report: dict[str, Any]) -> Table:
    header = ["source", "target", "events", "verbal_cooperation", "material_cooperation", "verbal_conflict",
              "material_conflict", "goldstein_sum", "goldstein_mean", "latest_index", "flagged"]
    return header, [[d["source"], d["target"], d["events"], *(d["quad_counts"][q] for q in "1234"),
                     d["goldstein_sum"], d["goldstein_mean"], d["latest_index"], d["flagged"]]
                    for d in report["directions"]]


def _series_table(report: dict[str, Any]) -> Table:
    header = ["direction", "period", "events", "verbal_cooperation", "material_cooperation", "verbal_conflict",
              "material_conflict", "goldstein_sum", "conflict", "cooperation", "smoothed", "baseline",
              "escalation_index"]
    rows = [[direction, p["period"], p["events"], *(p["quad_counts"][q] for q in "1234"), p["goldstein_sum"],
             p["conflict"], p["cooperation"], p["smoothed"], p["baseline"], p["escalation_index"]]
            for direction, points in report["series"].items() for p in points]
    return header, rows


def _places_table(page: dict[str, Any]) -> Table:
    header = ["place", "country", "quad_class", "events", "latest", "lat", "lon", "evidence"]
    return header, [[c["place"], c["country"] or "", c["quad_class"], c["events"], c["latest"] or "", c["lat"],
                     c["lon"], c["url"]] for c in page["clusters"]]


# Which tables each page offers as CSV, by the name its ``?table=`` asks for.
PAGE_TABLES: dict[str, dict[str, Any]] = {
    "overview": {"most_escalating": lambda page: _dyads_table(page["most_escalating"]),
                 "most_active": lambda page: _dyads_table(page["most_active"]),
                 "alerts": lambda page: _alerts_table(page["alerts"]),
                 "chains": lambda page: _chains_table(page["chains"])},
    "dyad": {"totals": lambda page: _totals_table(page["report"]),
             "series": lambda page: _series_table(page["report"]),
             "events": lambda page: events_table(page["events"]),
             "chains": lambda page: _chains_table(page["chains"])},
    "search": {"events": lambda page: events_table(page["events"])},
    "article": {"events": lambda page: events_table(page["events"])},
    "map": {"places": _places_table},
}


def search_csv_page(store: Store, params: Mapping[str, str]) -> dict[str, Any]:
    """Every event a search matches (up to ``MAX_CSV_ROWS``), for its CSV download."""
    page = query_events(store, limit=MAX_CSV_ROWS, **_event_query(search_filters(params)))
    return {"events": [item.to_dict() for item in page.items], "truncated": page.next_cursor is not None}


def page_table(kind: str, page: dict[str, Any], name: str | None) -> Table:
    tables = PAGE_TABLES[kind]
    chosen = name or next(iter(tables))
    if chosen not in tables:
        raise BadOption(f"this page has no table '{chosen[:40]}'", "ask for one of: " + ", ".join(tables))
    result: Table = tables[chosen](page)
    return result


def map_page(store: Store, params: Mapping[str, str]) -> dict[str, Any]:
    """The events that have a place, for the map: one cluster per place and quad class (the newest
    ``MAP_EVENTS`` events), each with its event count and a link to its evidence: the event's page for
    one event, else a search of the events within a few kilometres. ``a`` (and ``b``) keep one actor's
    events (or one dyad's, both directions); ``since``/``until`` bound the dates; ``modality`` is
    ``real`` by default."""
    filters = {name: params.get(name, "").strip() for name in ("a", "b", "since", "until", "modality")}
    filters = {k: v for k, v in filters.items() if v}
    modality = filters.setdefault("modality", "real")
    if modality not in ("real", "any", "flagged"):
        raise BadOption(f"unknown modality '{modality[:20]}'", "use real, any or flagged")
    a = validate_dyad_key(filters["a"], what="first actor code").upper() if filters.get("a") else None
    b = validate_dyad_key(filters["b"], what="second actor code").upper() if filters.get("b") else None
    if b and not a:
        a, b = b, None
    since, until = _optional_date(filters.get("since")), _optional_date(filters.get("until"))
    placed = geo_filter(placed=True)
    directions = [(a, b), (b, a)] if a and b else ([(a, None), (None, a)] if a else [(None, None)])
    seen: dict[str, Any] = {}
    truncated = False
    for src, tgt in directions:
        for n, item in enumerate(iter_events(store, source=src, target=tgt, since=since, until=until,
                                             modality=modality, geo=placed)):
            if n >= MAP_EVENTS:
                truncated = True
                break
            seen.setdefault(item.event.id, item.event)
    events = sorted(seen.values(), key=lambda e: (e.date or date.min, e.id), reverse=True)
    if len(events) > MAP_EVENTS:
        events, truncated = events[:MAP_EVENTS], True
    groups: dict[tuple[float, float, int], list[Any]] = {}
    for e in events:
        groups.setdefault((round(e.lat, 2), round(e.lon, 2), e.quad_class), []).append(e)
    scope = {k: v for k, v in (("source", a if not b else None), ("since", filters.get("since")),
                                ("until", filters.get("until")), ("modality", modality)) if v}
    clusters = []
    for (lat, lon, quad), group in groups.items():
        newest = group[0]
        places: dict[str, int] = {}
        for e in group:
            places[e.place] = places.get(e.place, 0) + 1
        url = (f"/events/{newest.id}" if len(group) == 1 else
               "/search?" + urlencode({**scope, "near": f"{lat:g},{lon:g}", "radius": "5"}))
        clusters.append({"lat": lat, "lon": lon, "quad_class": quad, "events": len(group),
                         "place": max(places.items(), key=lambda kv: kv[1])[0], "country": newest.place_country,
                         "latest": newest.date.isoformat() if newest.date else None, "url": url,
                         "event_ids": [e.id for e in group[:20]]})
    clusters.sort(key=lambda c: (-c["events"], c["place"] or ""))
    return {"filters": filters, "placed": len(events), "found": len(events), "truncated": truncated,
            "points": [{"id": e.id, "lat": e.lat, "lon": e.lon, "quad_class": e.quad_class, "type": e.type,
                        "date": e.date.isoformat() if e.date else None, "place": e.place,
                        "source": e.source.code, "target": e.target.code if e.target else None}
                       for e in events],
            "clusters": clusters}
