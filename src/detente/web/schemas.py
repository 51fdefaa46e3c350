"""The API's answers described for the OpenAPI schema (``/openapi.json``, ``/docs``).

These models document what each endpoint returns; the endpoints themselves answer with the
records' ``to_dict()`` (``JSONResponse``), so nothing here is on the path of a request. Every
model allows extra fields: a newer detente may add some, and a client should ignore what it does
not know. ``ERROR_RESPONSES`` are the error answers, ``{"error", "hint"}``, with the statuses the
API really uses (400 for bad input, never FastAPI's default 422 validation answer).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ERROR_RESPONSES",
    "AlertList",
    "ArticleAnswer",
    "ChainList",
    "DyadRanking",
    "DyadReportAnswer",
    "ErrorBody",
    "EventAnswer",
    "EventPage",
    "Health",
    "PostedDocument",
    "SeriesAnswer",
    "error_responses",
]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorBody(_Open):
    """Every error: what happened, and what to do next."""

    error: str = Field(description="What happened, in one sentence.")
    hint: str = Field(description="What to do next.")
    reason: str | None = Field(None, description="A rejection's reason code (422 on POST /documents only).")


class ActorAnswer(_Open):
    code: str = Field(description="CAMEO-style actor code: country plus sectors (USAGOV), or IGO + body (IGONATO).")
    country: str = Field(description="ISO 3166-1 alpha-3, or IGO/NGO/IMG.")
    sector: str = ""
    text: str = Field("", description="The words the actor was read from.")
    name: str | None = Field(None, description="The canonical name of a person or organisation, when known.")


class EventAnswer(_Open):
    """One event with its evidence (the JSON of ``detente code --jsonl``) and its report counts."""

    id: str
    doc_id: str
    article_id: str
    sentence: str = Field(description="The evidence sentence.")
    sentence_index: int = Field(description="The sentence's place in the article; -1 for the headline.")
    span: list[int] = Field(description="[start, end] of the evidence in the article body.")
    source: ActorAnswer
    target: ActorAnswer | None
    type: str = Field(description="PLOVER event type, e.g. SANCTION.")
    mode: str = Field(description="PLOVER mode ('' when none).")
    cameo: str = Field(description="CAMEO code, a string with its leading zero (033).")
    goldstein: float
    quad_class: int = Field(description="1 verbal cooperation, 2 material cooperation, 3 verbal conflict, "
                                        "4 material conflict.")
    date: str | None = Field(description="YYYY-MM-DD, or null.")
    negated: bool
    hypothetical: bool
    future: bool
    historical: bool
    confidence: float = Field(description="Estimated probability that the event is right.")
    coder: str
    rule: str = Field(description="Which rules fired, in words.")
    url: str | None = None
    num_mentions: int | None = Field(None, description="Reports of the event (GDELT NumMentions).")
    num_sources: int | None = None
    num_articles: int | None = None


class EventPage(_Open):
    events: list[EventAnswer]
    next_cursor: str | None = Field(description="Pass as cursor= for the next page; null on the last.")
    next: str | None = Field(None, description="The URL of the next page.")


class ArticleAnswer(_Open):
    id: str
    doc_id: str
    url: str | None
    site: str | None
    title: str | None
    published: str | None
    language: str | None
    text: str = Field(description="The body; every event's span indexes it.")
    canonical_id: str = Field(description="The first copy of a syndicated story.")
    events: list[EventAnswer]


class DyadStatAnswer(_Open):
    source: str
    target: str
    events: int
    conflict_events: int
    cooperation_events: int
    goldstein_sum: float
    goldstein_mean: float | None
    escalation_index: float | None = Field(description="In the latest period.")
    period: str | None


class DyadRanking(_Open):
    freq: str
    most_active: list[DyadStatAnswer]
    most_escalating: list[DyadStatAnswer]


class PointAnswer(_Open):
    source: str
    target: str
    period: str = Field(description="First day of the period.")
    freq: str
    events: int
    quad_counts: dict[str, int]
    type_counts: dict[str, int]
    goldstein_sum: float
    goldstein_mean: float | None
    conflict: float
    cooperation: float
    smoothed: float
    baseline: float | None
    escalation_index: float | None


class DirectionAnswer(_Open):
    source: str
    target: str
    events: int
    flagged: int
    quad_counts: dict[str, int]
    type_counts: dict[str, int]
    goldstein_sum: float
    goldstein_mean: float | None
    conflict: float
    cooperation: float
    latest_index: float | None


class DyadReportAnswer(_Open):
    a: str
    b: str
    freq: str
    since: str | None
    until: str | None
    directions: list[DirectionAnswer]
    series: dict[str, list[PointAnswer]] = Field(description='Keyed "A->B" and "B->A".')


class SeriesAnswer(_Open):
    source: str
    target: str
    freq: str
    points: list[PointAnswer]


class LinkSide(_Open):
    event_id: str
    date: str | None
    source: str
    target: str | None
    type: str
    sentence: str
    article_id: str


class LinkAnswer(_Open):
    kind: str
    lag_days: int
    basis: str = Field(description="later_date or marked_response: the evidence that it answers.")
    marker: str | None = Field(description="The words that mark the response, for marked_response.")
    provocation: LinkSide
    response: LinkSide


class ChainAnswer(_Open):
    kind: str
    initiator: str
    responder: str
    start: str | None
    end: str | None
    length: int
    links: list[LinkAnswer]


class ChainList(_Open):
    chains: list[ChainAnswer]


class AlertAnswer(_Open):
    id: str
    source: str
    target: str
    period: str
    freq: str
    detectors: list[str] = Field(description="threshold and/or changepoint.")
    escalation_index: float | None
    threshold: float
    conflict: float
    baseline: float | None
    reason: str
    events: list[EventAnswer]


class AlertList(_Open):
    alerts: list[AlertAnswer]


class PostedDocument(_Open):
    status: str = Field(description="new, near_duplicate or duplicate.")
    article_id: str | None = None
    events: list[EventAnswer] = []
    article: dict[str, Any] | None = None


class Health(_Open):
    status: str = Field(description="ok, or failing (503) with error, hint and since.")
    version: str
    events: int | None = None
    articles: int | None = None
    read_only: bool
    writes: bool
    error: str | None = None
    hint: str | None = None


_ERRORS = {
    400: "Bad input: an unknown actor code, type or quad class, an inverted date range, a bad cursor or "
         "parameter (the error names it).",
    404: "No such id or path.",
    503: "The store cannot be used.",
    500: "Unexpected: details only in the server log.",
}


def error_responses(*statuses: int, **described: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these error statuses, each answered with ``ErrorBody``."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        out[status] = {"model": ErrorBody, "description": described.get(f"s{status}", _ERRORS.get(status, ""))}
    return out


ERROR_RESPONSES = error_responses(400, 503, 500)
