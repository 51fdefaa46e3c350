"""The rule coder: a parsed article in, events with evidence out (``detente.rules.v2``).

For each sentence, in order, the named rules of ``coding.rules`` run by stage:

1. ``TRIGGERS`` find the event words; ``SKIP`` rules drop background ones;
2. for each trigger the syntax gives its source and target (``arguments``) and its auxiliary
   modes (``modality``); ``SOURCE`` and ``TARGET`` rules fill in a missing end;
3. ``STATEMENTS`` rules apply PLOVER's conventions for what is said rather than done, and add
   the events a sentence carries without an event word;
4. ``EVENTS`` rules turn each candidate's actors into events; one event is kept per
   (type, source, target), and the sentence's actors are recorded so that later pronouns,
   surnames and "the two sides" resolve.

Every event carries its sentence, character span, the rules that fired in words, and a
confidence; negated/hypothetical/future events are kept with their flags.
"""

from __future__ import annotations

from typing import Any

from ..model import Actor, Article, Event, stable_id
from ..nlp import ParsedText
from .arguments import Resolved, find_source, find_targets
from .candidates import MAX_TARGETS, Candidate, as_agent
from .context import ArticleState, SentenceContext, text_for_parsing
from .modality import modality_of
from .ontology import cameo_info
from .rules import RuleSet, Stage
from .triggers import Trigger
from .when import ArticleDates
from .where import ArticlePlaces

__all__ = ["CODER_NAME", "code_article", "code_parsed", "text_for_parsing"]

CODER_NAME = "detente.rules.v2"
_ALL_RULES = RuleSet()


class _ArticleCoder:
    def __init__(self, article: Article, parsed: ParsedText, rules: RuleSet) -> None:
        self.state = ArticleState(article, parsed)
        self.state.rules = rules
        self.rules = rules
        state = self.state
        self.dates = ArticleDates(parsed, article.published, body_start=state.offset, in_quote=state.in_quote)
        self.places = ArticlePlaces(parsed, body_start=state.offset, in_quote=state.in_quote)

    def _not_sentences(self) -> set[int]:
        """Sentences inside the body lines the extractor marked as headings, link lines or notices."""
        spans, offset = self.state.article.headings, self.state.offset
        return {si for si, s in enumerate(self.state.parsed.sentences)
                if any(lo <= s.char_start - offset and s.char_end - offset <= hi for lo, hi in spans)}

    def code(self) -> list[Event]:
        events: list[Event] = []
        skipped = self._not_sentences() if self.state.article.headings else set()
        for si in range(len(self.state.parsed.sentences)):
            if si in skipped:
                continue
            sc = self.state.sentence(si)
            cands = self._candidates(sc)
            for rule in self.rules.of(Stage.STATEMENTS):
                cands = rule.fn(sc, cands)
            events.extend(self._events(sc, cands))
            for c in cands:
                if c.source and c.target and c.source.actors and c.target.actors:
                    sc.discourse.note_pair(c.source.actors[0], c.target.actors[0])
        return events

    def _candidates(self, sc: SentenceContext) -> list[Candidate]:
        out: list[Candidate] = []
        skips = self.rules.of(Stage.SKIP)
        for trig in self._triggers(sc):
            if any(rule.fn(sc, trig) for rule in skips):
                continue
            src = find_source(sc.arg, trig)
            mod = modality_of(sc.tree, trig.token)
            tgt = find_targets(sc.arg, trig, src)
            if src is None:
                src = self._first(Stage.SOURCE, sc, trig, tgt)
            if tgt is None and src is not None:
                tgt = self._first(Stage.TARGET, sc, trig, src)
            out.append(Candidate(trig, trig.cameo, src, tgt, mod))
        return out

    def _triggers(self, sc: SentenceContext) -> list[Trigger]:
        found: list[Trigger] = []
        for rule in self.rules.of(Stage.TRIGGERS):
            found.extend(rule.fn(sc))
        return found

    def _first(self, stage: Stage, sc: SentenceContext, trig: Trigger, other: Any) -> Resolved | None:
        for rule in self.rules.of(stage):
            found = rule.fn(sc, trig, other)
            if found is not None:
                return found
        return None

    def _events(self, sc: SentenceContext, cands: list[Candidate]) -> list[Event]:
        out: dict[tuple[str, str, str], Event] = {}
        shaping = self.rules.of(Stage.EVENTS)
        for c in cands:
            if c.source is None:
                continue
            sources: list[Actor] = list(c.source.actors)
            targets: list[Actor | None] = list(c.target.actors[:MAX_TARGETS]) if c.target else [None]
            shaped: tuple[Candidate, list[Actor], list[Actor | None]] | None = (c, sources, targets)
            for rule in shaping:
                shaped = rule.fn(sc, c, sources, targets)
                if shaped is None:
                    break
                c, sources, targets = shaped
            if shaped is None:
                continue
            info = cameo_info(c.cameo)
            for src in sources:
                # an actor is not its own target; with no other target left the event has none
                own = [t for t in targets if t is None or t.code != src.code] or [None]
                for tgt in own:
                    ev = self._event(sc, c, info, as_agent(src), as_agent(tgt) if tgt else None)
                    key = (ev.type, ev.source.code, ev.target.code if ev.target else "")
                    if key not in out or out[key].confidence < ev.confidence:
                        out[key] = ev
        kept = list(out.values())
        with_target = {(e.type, e.source.code) for e in kept if e.target is not None}
        return [e for e in kept if e.target is not None or (e.type, e.source.code) not in with_target]

    def _event(self, sc: SentenceContext, c: Candidate, info: Any, src: Actor, tgt: Actor | None) -> Event:
        trig = c.trigger
        state = self.state
        tokens = state.tokens
        sent = sc.sent
        conf = 0.55 + 0.1 * min(trig.specificity, 3) / 3
        if c.source is not None and not c.source.inferred:
            conf += 0.15
        if c.target is not None and not c.target.inferred:
            conf += 0.1
        if c.target is None:
            conf -= 0.05
        if trig.kind == "noun" and trig.verb == trig.token:
            conf -= 0.1
        conf = round(max(0.1, min(0.95, conf)), 2)
        parts = [f"{trig.matched} -> {info.plover_type}"
                 + (f":{info.mode}" if info.mode else "") + f" (CAMEO {c.cameo})"]
        parts += c.notes
        if c.source is not None:
            parts.append(f"source from {c.source.how}")
        if c.target is not None:
            parts.append(f"target from {c.target.how}")
        parts += list(c.modality.reasons)
        past = self._past_reference(trig)
        if past:
            parts.append(f"historical: '{past}'")
        article = state.article
        if sc.in_title:
            start, end, index = sent.char_start, sent.char_end, -1
        else:
            start, end, index = sent.char_start - state.offset, sent.char_end - state.offset, state.body_index(sc.si)
        eid = stable_id(article.id, index, trig.token - sent.start, info.plover_type, c.cameo, src.code,
                        tgt.code if tgt else "")
        return Event(
            id=eid, article_id=article.id, doc_id=article.doc_id, sentence_index=index,
            span=(start, end), sentence=sent.text, source=src, target=tgt, type=info.plover_type,
            mode=info.mode, cameo=c.cameo, goldstein=info.goldstein, quad_class=info.quad_class,
            negated=c.modality.negated, hypothetical=c.modality.hypothetical,
            future=c.modality.future, confidence=conf, coder=CODER_NAME,
            rule="; ".join(parts) + f" [trigger '{tokens[trig.token].text}']", url=article.url,
            **self._when_where(sc.si, c, src, tgt, bool(past)),
        )

    def _when_where(self, si: int, c: Candidate, src: Actor, tgt: Actor | None, past: bool) -> dict[str, Any]:
        """The event's date (``when``) and place (``where``) fields. An event a past year dates keeps
        that date, or none when its sentence gives no date to keep."""
        trigger = (c.trigger.token, c.trigger.verb)
        when = self.dates.for_event(si, trigger, future=c.modality.future)
        dated = when.day is not None and not (past and when.source != "sentence")
        discourse = self.state.discourse
        countries = {*discourse.country_counts, discourse.home_country}
        where = self.places.for_event(si, trigger, actors=(src.country, tgt.country if tgt else ""),
                                      countries=countries)
        out: dict[str, Any] = {
            "date": when.day if dated else None, "date_precision": when.precision if dated else None,
            "date_source": when.source if dated else None, "historical": past or (dated and when.historical),
        }
        if where is not None:
            out.update(place=where.text, place_country=where.country, place_admin1=where.admin1, lat=where.lat,
                       lon=where.lon, geo_precision=where.precision, geonames_id=where.geonames_id)
        return out

    def _past_reference(self, trig: Trigger) -> str:
        """A date naming an earlier year that modifies the trigger itself ("seized power in August 2020",
        "fought wars in the 1990s"): the event is background, not news of the article's day. A date
        inside an argument ("meddling in the 2020 elections") does not date the event."""
        state = self.state
        if state.on is None:
            return ""
        tree = state.tree
        tokens = tree.tokens
        anchors = {trig.verb, trig.token}
        for y in state.years_by_sentence.get(tokens[trig.verb].sent, ()):
            if int(tokens[y].text[:4]) >= state.on.year:
                continue
            cur: int | None = y
            phrase = y
            for _ in range(4):
                if cur is None or tokens[cur].dep not in ("pobj", "prep", "npadvmod", "tmod", "advmod", "nummod",
                                                           "compound", "appos"):
                    break
                if tokens[cur].dep in ("nummod", "compound", "appos"):
                    phrase = tree.head(cur) or phrase  # "August 2020": the month carries the year
                cur = tree.head(cur)
                if cur in anchors:
                    a, b = sorted((phrase, y))
                    return state.parsed.text[tokens[a].idx:tokens[b].end_idx]
        return ""


def code_parsed(article: Article, parsed: ParsedText, *, rules: RuleSet | None = None) -> list[Event]:
    """Code the events of ``article`` from its parse (``nlp.parse(text_for_parsing(article))``).

    ``rules`` switches named rules off (``coding.rules.rule_set(["dyad_partner"])``); by default
    every registered rule runs."""
    return _ArticleCoder(article, parsed, rules or _ALL_RULES).code()


def code_article(article: Article, parsed: ParsedText, *, rules: RuleSet | None = None) -> list[Event]:
    """Alias of ``code_parsed`` (the name the pipeline uses)."""
    return code_parsed(article, parsed, rules=rules)
