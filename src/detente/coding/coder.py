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

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from ..model import Actor, Article, Event, stable_id
from ..nlp import ParsedText, parse, parse_many
from .arguments import Found, Resolved, find_source, find_targets
from .candidates import ATTRIBUTION_VERBS, MAX_TARGETS, Candidate, as_agent
from .context import ArticleState, SentenceContext, article_text, detach_datelines, text_for_parsing
from .features import Proposal, proposal_features
from .headline import headline_arguments, headline_verb, reduced_passives, restore_case
from .lexicon import load_lexicon
from .modality import modality_of
from .ontology import cameo_info
from .proposer import packaged_probabilities
from .rules import RuleSet, Stage
from .triggers import Trigger
from .when import ArticleDates, share_event_dates
from .where import ArticlePlaces

# how a source guessed with no one named was found: what it did is not remembered for a later "the
# attack" (a source named by reference, "the group", "it", "police" of the place, is)
GUESSED = (Found.IMPLICIT_AGENT, Found.UNATTRIBUTED_ATTACK, Found.CROWD, Found.REPRESSION, Found.DYAD,
           Found.EARLIER_ACT, Found.CONTEXT_SPEAKER, Found.CONTEXT_SENTENCE, Found.CONTEXT_ARTICLE, Found.CONTEXT_OWN,
           Found.LOCATION)

__all__ = ["CODER_NAME", "code_article", "code_parsed", "parse_articles", "propose_parsed", "text_for_parsing"]

CODER_NAME = "detente.rules.v2"
_ALL_RULES = RuleSet()
TypeProbabilities = Callable[[SentenceContext], dict[str, float]]


# kinds of material act a headline may tell in the passive with no auxiliary ("Journalist jailed",
# "Soldiers killed in ambush", "Activists freed"): release, legal punishment, expulsion, coercion,
# violence
_HEADLINE_PASSIVE_ROOTS = ("08", "11", "16", "17", "18", "19", "20")


def _transitive_act(lemma: str) -> bool:
    """Whether ``lemma`` is a verb of a material act whose plain sense takes its target as direct
    object ("arrest", "kill", "expel")."""
    return any(not e.particle and not e.prep and not e.objects and e.target[:1] == ("dobj",)
               and e.cameo.startswith(_HEADLINE_PASSIVE_ROOTS) for e in load_lexicon().verb_entries(lemma))


class _ArticleCoder:
    def __init__(self, article: Article, parsed: ParsedText, rules: RuleSet,
                 type_probabilities: TypeProbabilities | None = None) -> None:
        parsed = restore_case(parsed, article_text(article))  # the headline was parsed in sentence case
        if parsed.text.endswith(article.text):
            parsed = reduced_passives(parsed, len(parsed.text) - len(article.text), _transitive_act)
            parsed = headline_arguments(parsed, len(parsed.text) - len(article.text), _transitive_act)
        parsed = detach_datelines(parsed)
        self.state = ArticleState(article, parsed)
        self.state.rules = rules
        self.state.type_probabilities = type_probabilities or packaged_probabilities
        self.rules = rules
        state = self.state
        self.dates = ArticleDates(parsed, article.published, body_start=state.offset, in_quote=state.in_quote)
        self._inherited: set[str] = set()  # ids of events dated by the article's fallback, not their sentence
        self.places = ArticlePlaces(parsed, body_start=state.offset, in_quote=state.in_quote)

    def _not_sentences(self) -> set[int]:
        """Sentences inside the body lines the extractor marked as headings, link lines or notices."""
        spans, offset = self.state.article.headings, self.state.offset
        return {si for si, s in enumerate(self.state.parsed.sentences)
                if any(lo <= s.char_start - offset and s.char_end - offset <= hi for lo, hi in spans)}

    def code(self) -> list[Event]:
        events = [p.event for p in self.propose(decide=True)]
        return share_event_dates(events, self._inherited, self.dates.reference)

    def propose(self, *, decide: bool) -> list[Proposal]:
        """Every proposed event of the article, sentence by sentence; with ``decide``, only those the
        decision rules report (each with its confidence)."""
        out: list[Proposal] = []
        alternatives = self.rules.of(Stage.ALTERNATIVES)
        deciders = self.rules.of(Stage.DECIDE)
        skipped = self._not_sentences() if self.state.article.headings else set()
        for si in range(len(self.state.parsed.sentences)):
            if si in skipped:
                continue
            sc = self.state.sentence(si)
            found = self._candidates(sc)
            cands = self._statements(sc, [c for c in found if not c.tentative])
            if len(cands) < len(found):
                # tentative triggers go through the same conventions, but never change the rules' own
                cands += [c for c in self._statements(sc, found) if c.trigger.tentative]
            if deciders or not decide:
                # an act told as done has the doer its own phrase names, or none: no doer from the context
                cands = cands + [alt for c in cands if not c.tentative for rule in alternatives
                                 for alt in rule.fn(sc, c)
                                 if not (c.trigger.told and alt.alternative.startswith("source"))]
            proposals = self._proposals(sc, cands)
            if decide:
                proposals = self._decide(sc, proposals, deciders)
            out.extend(proposals)
            for c in cands:
                if not c.tentative and c.source and c.target and c.source.actors and c.target.actors:
                    sc.discourse.note_pair(c.source.actors[0], c.target.actors[0])
                if not c.tentative and not c.alternative and c.source and c.source.actors and (
                        not c.source.inferred or not c.source.found(*GUESSED)):
                    sc.discourse.note_act(sentence=si, lemma=sc.tokens[c.trigger.token].lemma.lower(),
                                          cameo=c.cameo, doer=c.source.actors[0])
        return out

    def _statements(self, sc: SentenceContext, cands: list[Candidate]) -> list[Candidate]:
        for rule in self.rules.of(Stage.STATEMENTS):
            cands = rule.fn(sc, cands)
        return cands

    def _decide(self, sc: SentenceContext, proposals: list[Proposal], deciders: list[Any]) -> list[Proposal]:
        if not deciders:
            return finalize([p for p in proposals if p.primary], scored=False)
        for rule in deciders:
            proposals = rule.fn(sc, proposals)
        return finalize(proposals, scored=True)

    def _candidates(self, sc: SentenceContext) -> list[Candidate]:
        out: list[Candidate] = []
        skips = self.rules.of(Stage.SKIP)
        for trig in self._triggers(sc):
            if any(rule.fn(sc, trig) for rule in skips):
                continue
            src = find_source(sc.arg, trig)
            mod = modality_of(sc.tree, trig.token)
            tgt = find_targets(sc.arg, trig, src)
            if src is None and not trig.told:
                src = self._first(Stage.SOURCE, sc, trig, tgt)
            if tgt is None and src is not None:
                tgt = self._first(Stage.TARGET, sc, trig, src)
            out.append(Candidate(trig, trig.cameo, src, tgt, mod))
        return out

    def _triggers(self, sc: SentenceContext) -> list[Trigger]:
        found: list[Trigger] = []
        for rule in self.rules.of(Stage.TRIGGERS):
            found.extend(rule.fn(sc, found))
        return found

    def _first(self, stage: Stage, sc: SentenceContext, trig: Trigger, other: Any) -> Resolved | None:
        for rule in self.rules.of(stage):
            found = rule.fn(sc, trig, other)
            if found is not None:
                return found
        return None

    def _proposals(self, sc: SentenceContext, cands: list[Candidate]) -> list[Proposal]:
        """The events each candidate's actors make (one per source and target), as proposals."""
        out: list[Proposal] = []
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
                    # the reverse of a violent act is an event of its own, not a competing reading
                    group = (c.trigger.token, c.cameo + ("~" if c.alternative.startswith("reverse") else ""))
                    out.append(Proposal(ev, c, group, []))
        sizes: dict[tuple[int, str], int] = {}
        for p in out:
            sizes[p.group] = sizes.get(p.group, 0) + 1
        for p in out:
            p.features = proposal_features(sc, p.candidate, p.event, sizes[p.group])
        return out

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
        parts += [str(r) for r in c.modality.reasons]
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
            future=c.modality.future, reported=c.modality.reported, confidence=conf, coder=CODER_NAME,
            rule="; ".join(parts) + f" [trigger '{tokens[trig.token].text}']", url=article.url,
            **self._when_where(eid, sc.si, c, src, tgt, bool(past)),
        )

    def _when_where(self, eid: str, si: int, c: Candidate, src: Actor, tgt: Actor | None, past: bool) -> dict[str, Any]:
        """The event's date (``when``) and place (``where``) fields. An event a past year dates keeps
        that date, or none when its sentence gives no date to keep."""
        trigger = (c.trigger.token, c.trigger.verb)
        when = self.dates.for_event(si, trigger, future=c.modality.future)
        dated = when.day is not None and not (past and when.source != "sentence")
        if when.inherited:
            self._inherited.add(eid)
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


def finalize(proposals: list[Proposal], *, scored: bool) -> list[Proposal]:
    """The events one sentence reports: one per (type, source, target), the most confident reading,
    and no target-less event beside the same source's event of that type with a target. With
    ``scored``, each event's confidence is its scorer's probability."""
    if scored:
        for p in proposals:
            p.event = replace(p.event, confidence=round(p.probability, 3))
    best: dict[tuple[str, str, str], Proposal] = {}
    for p in proposals:
        e = p.event
        key = (e.type, e.source.code, e.target.code if e.target else "")
        if key not in best or best[key].event.confidence < e.confidence:
            best[key] = p
    kept = list(best.values())
    with_target = {(p.event.type, p.event.source.code) for p in kept if p.event.target is not None}
    return [p for p in kept if p.event.target is not None or (p.event.type, p.event.source.code) not in with_target]


def _event_verb(word: str) -> bool:
    """Whether ``word`` is the base form of a verb the coder reads events from."""
    return word in ATTRIBUTION_VERBS or bool(load_lexicon().verb_entries(word))


def parse_articles(articles: Iterable[Article], *, batch_size: int = 32) -> Iterator[ParsedText]:
    """The parse of each article as the coder reads it (``text_for_parsing``), in order: spaCy over
    many articles at once (``nlp.parse_many``), and a headline whose verb the parser read as a noun
    parsed again on its own (``headline.headline_verb``)."""
    for parsed in parse_many((text_for_parsing(a) for a in articles), batch_size=batch_size):
        yield headline_verb(parsed, parse, _event_verb)


def code_parsed(article: Article, parsed: ParsedText, *, rules: RuleSet | None = None) -> list[Event]:
    """Code the events of ``article`` from its parse (``nlp.parse(text_for_parsing(article))``).

    ``rules`` switches named rules off (``coding.rules.rule_set(["dyad_partner"])``); by default
    every registered rule runs."""
    return _ArticleCoder(article, parsed, rules or _ALL_RULES).code()


def code_article(article: Article, parsed: ParsedText, *, rules: RuleSet | None = None) -> list[Event]:
    """Alias of ``code_parsed`` (the name the pipeline uses)."""
    return code_parsed(article, parsed, rules=rules)


def propose_parsed(article: Article, parsed: ParsedText, *, rules: RuleSet | None = None,
                   type_probabilities: TypeProbabilities | None = None) -> list[Proposal]:
    """Every event the rules propose for ``article`` (tentative triggers and alternative readings
    included, nothing decided): what the learned scorer is trained on. ``type_probabilities``
    replaces the packaged proposer (training passes cross-validated probabilities)."""
    return _ArticleCoder(article, parsed, rules or _ALL_RULES, type_probabilities).propose(decide=False)
