"""Reciprocity: who answered whom, tit for tat (conflict) or step for step (cooperation).

Take the real events of one kind between two actors, in time order, and group consecutive
events in the same direction into a "move". When a move by B -> A starts within ``window``
days of the last event of the move by A -> B before it, that is a link: the last A -> B
event is the provocation, the first B -> A event the response. Consecutive links form a
chain; a gap longer than the window, or a move with no answer, ends it. Conflict events
(quad classes 3-4) and cooperation events (1-2) make separate chains, so an olive branch in
the middle of a quarrel neither breaks nor joins a tit-for-tat chain.

Events on the same day are ordered by article and sentence position, so "in response,
Russia summoned ..." after "the US expelled ..." in one article links in that order.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from ..errors import BadOption
from ..model import Actor, Event, ReciprocityChain, ReciprocityLink
from ..store import Store
from ..store.rows import EVENT_SELECT, event_from_record
from .codes import check_date_range, date_range_sql, parse_window, validate_dyad_key

__all__ = ["KINDS", "all_reciprocity", "chains_from_events", "dyad_key", "reciprocity_chains"]

KINDS = ("conflict", "cooperation")
_QUADS = {"conflict": (3, 4), "cooperation": (1, 2)}
DEFAULT_WINDOW = timedelta(days=14)


def dyad_key(actor: Actor | None) -> str | None:
    """The key an actor counts under in dyads: its country, or its own code for IGOs/NGOs."""
    if actor is None:
        return None
    return actor.code if actor.country in ("", "IGO", "NGO") else actor.country


def _kinds(kind: str) -> tuple[str, ...]:
    if kind == "both":
        return KINDS
    if kind not in KINDS:
        raise BadOption(f"unknown reciprocity kind '{kind}'", "use conflict, cooperation or both")
    return (kind,)


def _order(event: Event) -> tuple[Any, ...]:
    return (event.date, event.article_id, event.sentence_index, event.span[0], event.id)


def chains_from_events(events: Sequence[Event], *, kind: str, window: timedelta = DEFAULT_WINDOW
                       ) -> list[ReciprocityChain]:
    """Chains among ``events`` (already of one kind, between one pair, real and dated)."""
    ordered = sorted((e for e in events if e.date is not None and e.target is not None), key=_order)
    moves: list[list[Event]] = []
    for event in ordered:
        direction = (dyad_key(event.source), dyad_key(event.target))
        if moves and (dyad_key(moves[-1][0].source), dyad_key(moves[-1][0].target)) == direction:
            moves[-1].append(event)
        else:
            moves.append([event])
    chains: list[ReciprocityChain] = []
    current: list[ReciprocityLink] = []
    for before, after in itertools.pairwise(moves):
        provocation, response = before[-1], after[0]
        assert provocation.date is not None and response.date is not None
        lag = (response.date - provocation.date).days
        if lag <= window.days:
            current.append(ReciprocityLink(kind=kind, provocation=provocation, response=response, lag_days=lag))
            continue
        if current:
            chains.append(_chain(kind, current))
            current = []
    if current:
        chains.append(_chain(kind, current))
    return chains


def _chain(kind: str, links: list[ReciprocityLink]) -> ReciprocityChain:
    first = links[0].provocation
    return ReciprocityChain(kind=kind, initiator=dyad_key(first.source) or "", responder=dyad_key(first.target) or "",
                            links=tuple(links))


def _pair_events(store: Store, a: str, b: str, quads: tuple[int, ...], since: date | None,
                 until: date | None) -> list[Event]:
    clauses = ["e.is_real", "e.event_date IS NOT NULL",
               "((e.source_key = ? AND e.target_key = ?) OR (e.source_key = ? AND e.target_key = ?))",
               f"e.quad_class IN ({', '.join(str(q) for q in quads)})"]
    params: list[Any] = [a, b, b, a]
    dated, dates = date_range_sql(since, until, column="e.event_date")
    clauses += dated
    params += dates
    rows = store.query(f"{EVENT_SELECT} WHERE {' AND '.join(clauses)}", params)
    return [event_from_record(r) for r in rows]


def reciprocity_chains(store: Store, a: str, b: str, *, window: str | int | timedelta = DEFAULT_WINDOW,
                       kind: str = "both", since: date | None = None, until: date | None = None
                       ) -> list[ReciprocityChain]:
    """Tit-for-tat (conflict) and de-escalation (cooperation) chains between ``a`` and ``b``,
    in time order, each link with both events and their evidence sentences."""
    a, b = validate_dyad_key(a), validate_dyad_key(b)
    if a == b:
        raise BadOption(f"reciprocity needs two different actors, got {a} twice", "give two codes, e.g. USA RUS")
    span = parse_window(window)
    check_date_range(since, until)
    chains: list[ReciprocityChain] = []
    for k in _kinds(kind):
        chains += chains_from_events(_pair_events(store, a, b, _QUADS[k], since, until), kind=k, window=span)
    chains.sort(key=lambda c: (c.start or date.min, c.kind))
    return chains


def all_reciprocity(store: Store, *, window: str | int | timedelta = DEFAULT_WINDOW, kind: str = "both",
                    since: date | None = None, until: date | None = None, limit: int | None = None
                    ) -> list[ReciprocityChain]:
    """Chains of every pair with events in both directions, longest and latest first."""
    kinds = _kinds(kind)
    span = parse_window(window)
    check_date_range(since, until)
    pairs = store.query(
        """SELECT DISTINCT least(source_key, target_key) AS a, greatest(source_key, target_key) AS b
           FROM dyad_events x
           WHERE is_real AND target_key IS NOT NULL AND source_key <> target_key AND EXISTS (
               SELECT 1 FROM dyad_events y WHERE y.is_real AND y.source_key = x.target_key
                                              AND y.target_key = x.source_key)
           ORDER BY a, b""")
    chains: list[ReciprocityChain] = []
    for pair in pairs:
        for k in kinds:
            events = _pair_events(store, pair["a"], pair["b"], _QUADS[k], since, until)
            chains += chains_from_events(events, kind=k, window=span)
    chains.sort(key=lambda c: (-len(c.links), -(c.end or date.min).toordinal(), c.initiator, c.responder, c.kind))
    return chains[:limit] if limit else chains
