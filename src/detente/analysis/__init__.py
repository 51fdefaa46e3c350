"""What an analyst asks of the store: events, dyads, escalation, reciprocity, alerts.

    query_events(store, source=, target=, type=, since=, until=, modality=, limit=, cursor=) -> Page
    get_event(store, id) -> StoredEvent | None        get_article(store, id) -> ArticleView | None
    dyad_series(store, a, b, freq=) -> list[DyadPoint]   dyad_report(store, a, b, freq=) -> DyadReport
    top_dyads(store, by=events|escalation|conflict, limit=, since=) -> list[DyadStat]
    reciprocity_chains(store, a, b, window=) -> list[ReciprocityChain]   all_reciprocity(store, ...)
    find_alerts(store, since=, freq=) -> list[Alert]   escalation_summary(store) -> EscalationSummary

Every function validates its arguments (``BadOption``) and returns frozen records with ``to_dict()``.
"""

from __future__ import annotations

from .alerts import find_alerts
from .dyads import DirectionSummary, DyadReport, DyadStat, dyad_report, top_dyads
from .queries import ArticleView, Page, StoredEvent, get_article, get_event, iter_events, query_events
from .reciprocity import all_reciprocity, reciprocity_chains
from .series import DEFAULT_INDEX, IndexParams, dyad_series, escalation_index
from .summary import EscalationSummary, escalation_summary

__all__ = [
    "DEFAULT_INDEX",
    "ArticleView",
    "DirectionSummary",
    "DyadReport",
    "DyadStat",
    "EscalationSummary",
    "IndexParams",
    "Page",
    "StoredEvent",
    "all_reciprocity",
    "dyad_report",
    "dyad_series",
    "escalation_index",
    "escalation_summary",
    "find_alerts",
    "get_article",
    "get_event",
    "iter_events",
    "query_events",
    "reciprocity_chains",
    "top_dyads",
]
