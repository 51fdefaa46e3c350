"""Reciprocity: who answered whom, tit for tat (conflict) or step for step (cooperation).

Take the real, dated events of one kind between two actors in time order, and group
consecutive events in the same direction into a "move". B's move answers A's move before it
when one of B's acts toward A is a response to one of A's acts toward B, within ``window``
days, by one of two kinds of evidence (each link says which, in ``basis``):

- ``later_date``: the response is dated after the provocation, in another report;
- ``marked_response``: the response's own sentence says it answers ("in retaliation for",
  "in response to", "countermeasures", "after Lithuania expelled ..."); then it may be
  the same day, and in the same article when the provocation is reported before it.

Two events of one article never link on their dates alone: an article's background sentences
("the two countries have long disputed ...") carry the article's date, not an order of
events. A link joins the first act of the answering move that qualifies to the act of the
earlier move it answers (one of its own type, an expulsion for an expulsion, else the
latest); consecutive links form a chain; a move with no answer, or a gap longer than the
window, ends it. Conflict events (quad classes 3-4) and cooperation events (1-2) make
separate chains, so an olive branch in the middle of a quarrel neither breaks nor joins a
tit-for-tat chain.

Finding chains reads only what ordering needs (ids, dates, positions, the response cue of each
sentence); full events are read for the chains returned.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import BadOption
from ..model import Actor, Event, ReciprocityChain, ReciprocityLink
from ..store import Store
from ..store.rows import EVENT_SELECT, event_from_record
from .codes import check_date_range, country_name, date_range_sql, parse_window, validate_dyad_key

__all__ = ["KINDS", "all_reciprocity", "chains_from_events", "dyad_key", "reciprocity_chains", "response_marker"]

KINDS = ("conflict", "cooperation")
_QUADS = {"conflict": (3, 4), "cooperation": (1, 2)}
DEFAULT_WINDOW = timedelta(days=14)

# Words by which a sentence presents its act as an answer to an earlier one (RE2 syntax too, so
# the database can pick out the few sentences that may carry one).
_CUE_PATTERN = (
    r"\b(in (?:retaliation|response|reply|return|kind)(?: (?:for|to|against))?|retaliat(?:e|es|ed|ing|ion|ory)"
    r"|respond(?:s|ed|ing)? (?:to|by|with)|counter-?measures?|counter-?sanctions?|tit[- ]for[- ]tat"
    r"|reciprocat(?:e|es|ed|ing|ion)|mirror(?:s|ed|ing)? (?:the |that |this )?(?:move|measure|step|decision)s?"
    r"|(?:a |the )?reciprocal (?:move|measure|step|expulsions?|sanctions?))\b")
_CUES = re.compile(_CUE_PATTERN, re.IGNORECASE)
# A cue under a modal, an infinitive or a negation promises or denies an answer ("warned it would
# respond to any further steps", "vowed to retaliate", "did not retaliate"): no mark of one.
_UNREAL_BEFORE = re.compile(r"(?:\b(?:would|will|could|might|may|shall|should|must|to|not|never)|n't|n’t|'ll|’ll)\s*$",
                            re.IGNORECASE)
_AFTER_PATTERN = r"\b(?:after|following)\b"
_AFTER = re.compile(_AFTER_PATTERN + r"((?:\W+[\w'’-]+){1,8})", re.IGNORECASE)


@lru_cache(maxsize=1)
def _country_words() -> dict[str, tuple[str, ...]]:
    """Names, adjectives and capitals of each country, lower-cased (from the actor tables)."""
    words: dict[str, set[str]] = defaultdict(set)
    data = resources.files("detente.actors").joinpath("data")
    with data.joinpath("country_words.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for cell in (row.get("names"), row.get("adjectives")):
                words[row["iso3"]].update(w.strip().lower() for w in (cell or "").split("|") if w.strip())
    with data.joinpath("capitals.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for cell in (row.get("capital"), row.get("aliases"), row.get("metonym")):
                words[row["iso3"]].update(w.strip().lower() for w in (cell or "").split("|") if w.strip())
    return {code: tuple(sorted(ws, key=len, reverse=True)) for code, ws in words.items()}


@lru_cache(maxsize=4096)
def _names_of(key: str, text: str) -> tuple[str, ...]:
    """How a sentence may name the dyad key ``key`` (a country or a body): its words and the actor's text."""
    names = set(_country_words().get(key, ()))
    if key.startswith(("IGO", "NGO")) and len(key) > 3:
        names.add(key[3:].lower())
    elif country_name(key):
        names.add(country_name(key).lower())
    cleaned = re.sub(r"^(?:the|a|an)\s+", "", (text or "").strip(), flags=re.IGNORECASE).lower()
    if 2 <= len(cleaned) <= 40:
        names.add(cleaned)
    names.discard("us")  # lower-cased, the US and the pronoun look alike; "u.s." and the names remain
    return tuple(n for n in names if n)


def response_marker(sentence: str, other: str, other_text: str = "") -> str | None:
    """The words by which ``sentence`` presents its act as an answer to ``other``'s (a dyad key)
    earlier act, or ``None``: a response cue ("in retaliation for", "countermeasures"; not one that
    is only promised or denied, "would respond to", "vowed to retaliate"), or
    "after"/"following" with ``other`` named within the next eight words ("after Lithuania
    expelled two diplomats")."""
    for cue in _CUES.finditer(sentence or ""):
        if not _UNREAL_BEFORE.search(sentence[max(0, cue.start() - 12):cue.start()]):
            return cue.group(0)
    names = _names_of(other, other_text)
    for match in _AFTER.finditer(sentence or ""):
        rest = " " + re.sub(r"[^\w.'’-]+", " ", match.group(1).lower()) + " "
        if any(f" {name} " in rest or f" {name}'s " in rest or f" {name}’s " in rest for name in names):
            return match.group(0).strip()
    return None


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


@dataclass(frozen=True)
class Act:
    """What ordering and linking need of an event (full events are read for the chains found)."""

    id: str
    day: date
    article_id: str
    sentence_index: int
    start: int
    source: str
    target: str
    marker: str | None
    type: str = ""


@dataclass(frozen=True)
class _Link:
    provocation: Act
    response: Act
    lag: int
    basis: str


def _link(p: Act, r: Act, window: int) -> _Link | None:
    """The link of ``r`` answering ``p`` (``p`` earlier in order), if the evidence allows one."""
    lag = (r.day - p.day).days
    if lag < 0 or lag > window:
        return None
    if r.marker is not None:
        # In one article, an answer answers what the text reported before it.
        if r.article_id == p.article_id and (p.sentence_index, p.start) >= (r.sentence_index, r.start):
            return None
        return _Link(p, r, lag, "marked_response")
    if lag >= 1 and r.article_id != p.article_id:
        return _Link(p, r, lag, "later_date")
    return None


def _in_order(acts: Iterable[Act]) -> list[Act]:
    """``acts`` in time order. Within one article of one day, the text gives no order of the acts
    it reports (background sentences carry the article's date): its acts go by direction, in the
    order the directions first appear, and acts marked as responses come last."""
    acts = list(acts)
    first_seen: dict[tuple[date, str, str, str], int] = {}
    for act in sorted(acts, key=lambda a: (a.day, a.article_id, a.sentence_index, a.start)):
        first_seen.setdefault((act.day, act.article_id, act.source, act.target), act.sentence_index)
    return sorted(acts, key=lambda a: (a.day, a.article_id, a.marker is not None,
                                       first_seen[(a.day, a.article_id, a.source, a.target)],
                                       a.sentence_index, a.start, a.id))


def chain_links(acts: Iterable[Act], window: int) -> list[list[_Link]]:
    """The chains among ``acts`` (of one kind, between one pair), as lists of links."""
    ordered = _in_order(acts)
    moves: list[list[Act]] = []
    for act in ordered:
        if moves and (moves[-1][0].source, moves[-1][0].target) == (act.source, act.target):
            moves[-1].append(act)
        else:
            moves.append([act])
    chains: list[list[_Link]] = []
    current: list[_Link] = []
    for before, after in itertools.pairwise(moves):
        found = None
        for response in after:
            # Of the acts it may answer, the one of its own type (an expulsion for an expulsion), else the latest.
            options = [lk for p in before if (lk := _link(p, response, window)) is not None]
            if options:
                found = max(enumerate(options), key=lambda ko: (ko[1].provocation.type == response.type, ko[0]))[1]
                break
        if found is not None:
            current.append(found)
            continue
        if current:
            chains.append(current)
            current = []
    if current:
        chains.append(current)
    return chains


def _act(event: Event) -> Act | None:
    source, target = dyad_key(event.source), dyad_key(event.target)
    if event.date is None or source is None or target is None:
        return None
    marker = response_marker(event.sentence, target, event.target.text if event.target else "")
    return Act(event.id, event.date, event.article_id, event.sentence_index, event.span[0], source, target, marker,
               event.type)


def _chain(kind: str, links: Sequence[_Link], events: dict[str, Event]) -> ReciprocityChain:
    first = links[0].provocation
    return ReciprocityChain(kind=kind, initiator=first.source, responder=first.target, links=tuple(
        ReciprocityLink(kind=kind, provocation=events[lk.provocation.id], response=events[lk.response.id],
                        lag_days=lk.lag, basis=lk.basis, marker=lk.response.marker) for lk in links))


def chains_from_events(events: Sequence[Event], *, kind: str, window: timedelta = DEFAULT_WINDOW
                       ) -> list[ReciprocityChain]:
    """Chains among ``events`` (already of one kind, between one pair, real and dated)."""
    by_id = {e.id: e for e in events}
    acts = [a for a in (_act(e) for e in events) if a is not None]
    return [_chain(kind, links, by_id) for links in chain_links(acts, window.days)]


def _acts(store: Store, pairs: Sequence[tuple[str, str]] | None, since: date | None, until: date | None
          ) -> dict[tuple[str, str, str], list[Act]]:
    """Real, dated events between the unordered ``pairs`` (every pair when ``None``), by
    (first key, second key, kind), as ``Act`` records."""
    clauses = ["is_real", "event_date IS NOT NULL", "target_key IS NOT NULL", "source_key <> target_key",
               "quad_class BETWEEN 1 AND 4"]
    params: list[Any] = []
    if pairs is not None:
        keys = sorted({k for pair in pairs for k in pair})
        clauses.append(f"source_key IN ({', '.join('?' for _ in keys)})")
        clauses.append(f"target_key IN ({', '.join('?' for _ in keys)})")
        params += keys + keys
    dated, dates = date_range_sql(since, until, column="event_date")
    rows = store.query(
        f"""SELECT id, event_date, article_id, sentence_index, span_start, source_key, target_key, quad_class,
                   type, CASE WHEN regexp_matches(sentence, ?, 'i') OR regexp_matches(sentence, ?, 'i')
                              THEN sentence END AS cued, target_text
            FROM dyad_events WHERE {' AND '.join(clauses + dated)}""", [_CUE_PATTERN, _AFTER_PATTERN, *params, *dates])
    wanted = None if pairs is None else {tuple(sorted(p)) for p in pairs}
    grouped: dict[tuple[str, str, str], list[Act]] = defaultdict(list)
    for r in rows:
        a, b = sorted((r["source_key"], r["target_key"]))
        if wanted is not None and (a, b) not in wanted:
            continue
        kind = "conflict" if r["quad_class"] >= 3 else "cooperation"
        marker = response_marker(r["cued"], r["target_key"], r["target_text"] or "") if r["cued"] else None
        grouped[(a, b, kind)].append(Act(r["id"], r["event_date"], r["article_id"], int(r["sentence_index"]),
                                         int(r["span_start"]), r["source_key"], r["target_key"], marker,
                                         r["type"]))
    return grouped


def _events_by_id(store: Store, ids: Iterable[str]) -> dict[str, Event]:
    wanted = sorted(set(ids))
    out: dict[str, Event] = {}
    for k in range(0, len(wanted), 500):
        chunk = wanted[k:k + 500]
        rows = store.query(f"{EVENT_SELECT} WHERE e.id IN ({', '.join('?' for _ in chunk)})", chunk)
        out.update((r["id"], event_from_record(r)) for r in rows)
    return out


def _materialise(store: Store, found: Sequence[tuple[str, list[_Link]]]) -> list[ReciprocityChain]:
    events = _events_by_id(store, (act.id for _, links in found for lk in links
                                   for act in (lk.provocation, lk.response)))
    return [_chain(kind, links, events) for kind, links in found]


def reciprocity_chains(store: Store, a: str, b: str, *, window: str | int | timedelta = DEFAULT_WINDOW,
                       kind: str = "both", since: date | None = None, until: date | None = None
                       ) -> list[ReciprocityChain]:
    """Tit-for-tat (conflict) and de-escalation (cooperation) chains between ``a`` and ``b``,
    in time order, each link with both events, their evidence sentences and its basis."""
    a, b = validate_dyad_key(a), validate_dyad_key(b)
    if a == b:
        raise BadOption(f"reciprocity needs two different actors, got {a} twice", "give two codes, e.g. USA RUS")
    span = parse_window(window)
    check_date_range(since, until)
    kinds = _kinds(kind)
    grouped = _acts(store, [(a, b)], since, until)
    first, second = sorted((a, b))
    found = [(k, links) for k in kinds for links in chain_links(grouped.get((first, second, k), []), span.days)]
    chains = _materialise(store, found)
    chains.sort(key=lambda c: (c.start or date.min, c.kind))
    return chains


def all_reciprocity(store: Store, *, window: str | int | timedelta = DEFAULT_WINDOW, kind: str = "both",
                    since: date | None = None, until: date | None = None, limit: int | None = None
                    ) -> list[ReciprocityChain]:
    """Chains of every pair with events in both directions, longest and latest first."""
    kinds = _kinds(kind)
    span = parse_window(window)
    check_date_range(since, until)
    found: list[tuple[str, list[_Link]]] = []
    for (_, _, k), acts in sorted(_acts(store, None, since, until).items()):
        if k in kinds:
            found += [(k, links) for links in chain_links(acts, span.days)]
    found.sort(key=lambda kl: (-len(kl[1]), -kl[1][-1].response.day.toordinal(), kl[1][0].provocation.source,
                               kl[1][0].provocation.target, kl[0]))
    return _materialise(store, found[:limit] if limit else found)
