"""The rule coder: a parsed article in, events with evidence out (``detente.rules.v1``).

For each sentence, in order:

1. find triggers (``triggers.find_triggers``) and, for each, its source and target actors
   (``arguments``) and its auxiliary modes (``modality``);
2. apply PLOVER's conventions for embedded events: what a speaker *announces* for the future
   is a THREATEN (conflict) or AGREE (cooperation) by the speaker; what a speaker says
   someone *must* do is a REQUEST to them; an act someone is only "ready to" do is an
   AGREE/THREATEN; an event inside the complement of another event ("threatened to shell",
   "agreed to provide aid") is part of that event, not a second one;
3. keep one event per (type, source, target) and record the sentence's actors so that later
   pronouns, surnames and "the two sides" resolve.

Every event carries its sentence, character span, the rule that fired in words, and a
confidence; negated/hypothetical/future events are kept with their flags.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import cache
from typing import Any

from ..model import Actor, Article, Event, stable_id
from ..nlp import ParsedText, Sentence
from .arguments import ArgContext, Resolved, find_source, find_targets, location_country, resolve_head
from .candidates import (
    ATTRIBUTION_VERBS,
    CROWD_NOUNS,
    IMPLICIT_AGENT_CODES,
    MAX_TARGETS,
    MUTUAL_ROOTS,
    WEAPON_NOUNS,
    YEAR,
    Candidate,
    as_agent,
    quad,
)
from .conventions import Conventions
from .discourse import PAIR_WORDS, Discourse, quote_mask
from .lexicon import Lexicon, load_lexicon
from .modality import modality_of
from .ontology import cameo_info
from .syntax import Tree
from .triggers import Trigger, find_triggers

__all__ = ["CODER_NAME", "code_article", "code_parsed", "text_for_parsing"]

CODER_NAME = "detente.rules.v1"
# Coercion a state turns on its own people when no one else is named: restrictions, arrests,
# curfews, states of emergency, bans, violent repression (CAMEO 172, 173, 175; not 174, deportation).
REPRESSION_CODES = ("172", "173", "175")
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "SPY"})


@cache
def _resolver() -> Any:
    from ..actors import get_resolver

    return get_resolver()


@cache
def _lexicon() -> Lexicon:
    return load_lexicon()


class _ArticleResolver:
    """The shared actor resolver with answers remembered for one article: the coder asks about the
    same phrases several times (to record them, to find sources and targets, to place speakers)."""

    __slots__ = ("_hits", "_mentions", "_resolve", "_resolver")

    def __init__(self, resolver: Any, parsed: ParsedText) -> None:
        self._resolver = resolver
        self._resolve: dict[tuple[int, int, date | None, int | None], list[Actor]] = {}
        self._mentions: dict[tuple[int, int], list[Any]] = {}
        # tokens inside any gazetteer hit: a phrase without one names no actor, no need to ask
        self._hits = [False] * len(parsed.tokens)
        for sent in parsed.sentences:
            for m in resolver.mentions(parsed.tokens, sent.start, sent.end):
                for k in range(m.start, m.end):
                    self._hits[k] = True

    def resolve(self, tokens: Any, start: int, end: int, *, on: date | None = None,
                head: int | None = None) -> list[Actor]:
        if not any(self._hits[start:end]):
            return []
        key = (start, end, on, head)
        found = self._resolve.get(key)
        if found is None:
            found = self._resolve[key] = list(self._resolver.resolve(tokens, start, end, on=on, head=head))
        return found

    def mentions(self, tokens: Any, start: int, end: int) -> list[Any]:
        key = (start, end)
        found = self._mentions.get(key)
        if found is None:
            found = self._mentions[key] = list(self._resolver.mentions(tokens, start, end))
        return found


def text_for_parsing(article: Article) -> str:
    """The text the coder parses: the headline (if any) on its own line, then the body."""
    title = (article.title or "").strip()
    if title and "\n" not in title:
        return title + "\n" + article.text
    return article.text


class _ArticleCoder(Conventions):
    def __init__(self, article: Article, parsed: ParsedText) -> None:
        self.article = article
        self.parsed = parsed
        self.tree = Tree(parsed)
        self.resolver = _ArticleResolver(_resolver(), parsed)
        self.lex = _lexicon()
        self.on: date | None = article.published
        text = parsed.text
        self.offset = len(text) - len(article.text) if text.endswith(article.text) else 0
        mask = quote_mask(text)
        self.in_quote = [mask[t.idx] if t.idx < len(mask) else False for t in parsed.tokens]
        self.discourse = Discourse()
        self.paragraph_of = self._paragraphs()
        self.speakers: dict[int, Actor | None] = {}
        self.datelines = self._datelines()
        # year tokens ("2020", "1990s") by sentence: what dates an event to the past
        self.years_by_sentence: dict[int, list[int]] = {}
        for tok in parsed.tokens:
            if tok.pos == "NUM" and YEAR.fullmatch(tok.text):
                self.years_by_sentence.setdefault(tok.sent, []).append(tok.i)

    # --- article-level context ---------------------------------------------------------------
    def _paragraphs(self) -> list[int]:
        text = self.parsed.text
        out = []
        for s in self.parsed.sentences:
            out.append(text.count("\n", 0, s.char_start))
        return out

    def _home_country(self) -> str:
        """The dateline's country ("ISLAMABAD: ...", "ATHENS - ...") of the first body sentence."""
        for s in self.parsed.sentences:
            if s.char_start < self.offset:
                continue
            toks = self.parsed.tokens[s.start:s.end]
            for j, t in enumerate(toks[:6]):
                if t.text in (":", "-", "–", "—") and j > 0:
                    found = self.resolver.resolve(self.parsed.tokens, s.start, s.start + j, on=self.on)
                    for a in found:
                        if a.country and a.country not in ("IGO", "NGO"):
                            return str(a.country)
                    break
            return ""
        return ""

    def _speaker(self, si: int, sent: Sentence) -> Actor | None:
        """Who is speaking in sentence ``si``: the subject of an attribution verb outside the
        quotes, else (for a quote-only sentence) the next attributed sentence of the paragraph,
        else the previous sentence's speaker."""
        tree = self.tree
        found = self._attributed(si, sent)
        if found is not None:
            return found
        quoted = any(self.in_quote[i] for i in range(sent.start, sent.end))
        if not quoted:
            return None
        para = self.paragraph_of[si]
        for sj in range(si + 1, min(si + 3, len(self.parsed.sentences))):
            if self.paragraph_of[sj] != para:
                break
            found = self._attributed(sj, self.parsed.sentences[sj])
            if found is not None:
                return found
        prev = self.speakers.get(si - 1)
        if prev is not None and si > 0 and self.paragraph_of[si - 1] >= para - 1:
            return prev
        _ = tree
        return None

    def _attributed(self, si: int, sent: Sentence) -> Actor | None:
        tree = self.tree
        for i in range(sent.end - 1, sent.start - 1, -1):
            t = tree.tokens[i]
            if t.pos == "VERB" and t.lemma.lower() in ATTRIBUTION_VERBS and not self.in_quote[i]:
                subj = tree.child(i, "nsubj")
                if subj is None:
                    continue
                ctx = self._ctx(si, None)
                r = resolve_head(ctx, subj)
                if r is not None and r.actors:
                    return r.actors[0]
        return None

    def _ctx(self, si: int, speaker: Actor | None) -> ArgContext:
        return ArgContext(self.tree, self.resolver, self.discourse, self.on, si, speaker, self.in_quote,
                          self.datelines)

    def _datelines(self) -> dict[int, int]:
        """Sentence -> first token after a leading dateline ("MANILA, March 14 –", "ISLAMABAD:"), whose
        place names the dateline, not an actor."""
        out: dict[int, int] = {}
        tokens = self.parsed.tokens
        for si, s in enumerate(self.parsed.sentences):
            first = tokens[s.start]
            if not (first.text.isupper() and len(first.text) > 2):
                continue
            for j in range(s.start + 1, min(s.start + 8, s.end)):
                if tokens[j].text in (":", "–", "—", "-") or (tokens[j].text == ")" and j < s.start + 6):
                    out[si] = j + 1
                    break
        return out

    # --- per sentence ------------------------------------------------------------------------
    def code(self) -> list[Event]:
        self.discourse.home_country = self._home_country()
        events: list[Event] = []
        for si, sent in enumerate(self.parsed.sentences):
            speaker = self._speaker(si, sent)
            self.speakers[si] = speaker
            ctx = self._ctx(si, speaker)
            self._remember(ctx, sent)
            cands = self._candidates(ctx, sent)
            cands = self._conventions(ctx, sent, cands)
            events.extend(self._events(si, sent, cands))
            for c in cands:
                if c.source and c.target and c.source.actors and c.target.actors:
                    self.discourse.note_pair(c.source.actors[0], c.target.actors[0])
        return events

    def _in_background_clause(self, i: int) -> bool:
        """True when token i sits in a relative or participial clause describing a noun ("the helicopter
        that was captured by ...", "property seized in the 1970s", "hostages whom they had taken"):
        background to an argument, not the news."""
        tree = self.tree
        cur = i
        for _ in range(12):
            t = tree.tokens[cur]
            h = tree.head(cur)
            if h is None:
                return False
            if t.dep == "relcl" or (t.dep == "acl" and t.tag == "VBN"):
                return tree.tokens[h].pos in ("NOUN", "PROPN", "PRON")
            cur = h
        return False

    def _candidates(self, ctx: ArgContext, sent: Sentence) -> list[Candidate]:
        out: list[Candidate] = []
        for trig in find_triggers(self.tree, sent.start, sent.end, self.lex):
            if quad(trig.cameo) in (2, 4) and self._in_background_clause(
                    trig.verb if trig.kind != "noun" else trig.token):
                continue  # a material act describing an argument is background; statements there are news
            src = find_source(ctx, trig)
            mod = modality_of(self.tree, trig.token)
            tgt = find_targets(ctx, trig, src)
            if src is None:
                src = (self._implicit_agent(ctx, trig, tgt) or self._unattributed_attack(ctx, trig, tgt)
                       or self._crowd(ctx, trig))
            if tgt is None and src is not None:
                tgt = self._domestic_target(trig, src) or self._dyad_partner(src)
            out.append(Candidate(trig, trig.cameo, src, tgt, mod))
        return out

    def _implicit_agent(self, ctx: ArgContext, trig: Trigger, tgt: Resolved | None) -> Resolved | None:
        """The authorities behind a passive act of state with no 'by' phrase ("was detained in Serbia",
        "was summoned", "tariffs already imposed"): the government of the place where it happened,
        else of the country the article is mostly about (other than the target's)."""
        tree = self.tree
        if trig.kind != "verb" or not trig.cameo.startswith(IMPLICIT_AGENT_CODES):
            return None
        if not tree.children(trig.verb, "nsubjpass", "auxpass"):
            return None  # only a passive clause; a participle ("weapons seized last year") is background
        if any(p == "by" for p, _ in tree.prep_objects(trig.verb)):
            return None
        avoid = {a.country for a in tgt.actors} if tgt else set()
        country = location_country(ctx)
        if trig.cameo.startswith(("11", "09")) and not (country or self.discourse.home_country):
            return None  # "was accused of": with no place named, the accuser could be anyone
        if not country or (country in avoid and len(avoid) == 1 and tgt is not None and not tgt.inferred):
            ranked = sorted(self.discourse.country_counts.items(), key=lambda kv: (-kv[1], kv[0]))
            country = next((c for c, _ in ranked if c not in avoid), "") or self.discourse.home_country
        if not country:
            return None
        actor = Actor(code=country + "GOV", country=country, sector="GOV", text="(authorities)")
        return Resolved((actor,), trig.verb, "implicit agent of a passive act", inferred=True)

    def _unattributed_attack(self, ctx: ArgContext, trig: Trigger, tgt: Resolved | None) -> Resolved | None:
        """Violence done by a thing ("a roadside bombing killed", "were killed by an explosive device",
        "killed in a car bomb explosion"): CAMEO's unidentified armed forces (UAF) of the place."""
        if not trig.cameo.startswith(("18", "19", "20")) or trig.kind != "verb":
            return None
        tree = self.tree
        tokens = tree.tokens
        doers = list(tree.children(trig.verb, "nsubj"))
        doers += [o for p, o in tree.prep_objects(trig.verb) if p in ("by", "in")]
        if not any(tokens[d].lemma.lower() in WEAPON_NOUNS or any(
                tokens[k].lemma.lower() in WEAPON_NOUNS for k in tree.children(d, "compound")) for d in doers):
            return None
        country = location_country(ctx)
        if not country and tgt is not None and tgt.actors[0].country not in ("IGO", "NGO"):
            country = tgt.actors[0].country
        if not country:
            return None
        actor = Actor(code=country + "UAF", country=country, sector="UAF", text="(unidentified attackers)")
        return Resolved((actor,), trig.verb, "unattributed attack: armed forces of the place", inferred=True)

    def _crowd(self, ctx: ArgContext, trig: Trigger) -> Resolved | None:
        """A protest by a crowd of no stated nationality ("thousands took to the streets in Hong Kong",
        "hundreds of people blocked roads"): the civilians of the place, else of the article's country."""
        if not trig.cameo.startswith("14") or trig.kind != "verb":
            return None
        tree = self.tree
        tokens = tree.tokens
        subj = tree.child(trig.verb, "nsubj")
        if subj is None:
            return None
        words = [subj] + [o for p, o in tree.prep_objects(subj) if p == "of"]
        words += [o for w in list(words) for p, o in tree.prep_objects(w) if p == "of"]
        if not any(tokens[w].lemma.lower() in CROWD_NOUNS for w in words):
            return None
        country = location_country(ctx) or self.discourse.home_country
        if not country or country in ("IGO", "NGO"):
            return None
        actor = Actor(code=country + "CVL", country=country, sector="CVL", text=self.parsed.text[
            tokens[tree.span(subj)[0]].idx:tokens[tree.span(subj)[1] - 1].end_idx])
        return Resolved((actor,), subj, "a crowd: civilians of the place", inferred=True)

    def _domestic_target(self, trig: Trigger, src: Resolved) -> Resolved | None:
        """Repression aimed at no one named ("police arrested 12", "declared a curfew", "arresting
        political opponents"): a state's own people, the civilians of its country."""
        if not trig.cameo.startswith(REPRESSION_CODES) or len(src.actors) != 1:
            return None
        actor = src.actors[0]
        if actor.sector not in STATE_SECTORS or actor.country in ("", "IGO", "NGO"):
            return None
        people = Actor(code=actor.country + "CVL", country=actor.country, sector="CVL", text="(its own people)")
        return Resolved((people,), -1, "repression with no one named: the state's own people", inferred=True)

    def _dyad_partner(self, src: Resolved) -> Resolved | None:
        """No target in the sentence: the other member of the pair of states the article is about."""
        pair = self.discourse.last_pair
        if pair is None:
            return None
        countries = {a.country for a in src.actors}
        a, b = pair
        if a.country in countries and b.country not in countries:
            other = b
        elif b.country in countries and a.country not in countries:
            other = a
        else:
            return None
        return Resolved((other,), -1, "the article's dyad", inferred=True)

    def _events(self, si: int, sent: Sentence, cands: list[Candidate]) -> list[Event]:
        out: dict[tuple[str, str, str], Event] = {}
        in_title = sent.char_end <= self.offset
        for c in cands:
            if c.source is None:
                continue
            if c.source.inferred and c.source.how.endswith(("phrase", "implicit agent of a passive act")) \
                    and c.target is not None and c.target.how == "the article's dyad":
                continue  # both ends guessed from context: too weak to report
            info = cameo_info(c.cameo)
            sources = list(c.source.actors)
            targets: list[Actor | None] = list(c.target.actors[:MAX_TARGETS]) if c.target else [None]
            if (c.target is None or c.target.inferred) and len(sources) >= 2 and c.cameo[:2] in MUTUAL_ROOTS \
                    and sources[0].country != sources[1].country:
                # "Pakistan and India agreed": one event, first to second
                sources, targets = [sources[0]], [sources[1]]
            elif self._listed_before_subject(c) and c.target is not None:
                # a headline's "Pakistan, India agree on ceasefire": the names are listed, first to second
                sources, targets = list(c.target.actors[:1]), list(c.source.actors[:1])
                c = replace(c, notes=[*c.notes, "names listed before the verb: first to second"])
            for src in sources:
                # an actor is not its own target; with no other target left the event has none
                own = [t for t in targets if t is None or t.code != src.code] or [None]
                for tgt in own:
                    ev = self._event(si, sent, c, info, as_agent(src), as_agent(tgt) if tgt else None, in_title)
                    key = (ev.type, ev.source.code, ev.target.code if ev.target else "")
                    if key not in out or out[key].confidence < ev.confidence:
                        out[key] = ev
        kept = list(out.values())
        with_target = {(e.type, e.source.code) for e in kept if e.target is not None}
        return [e for e in kept if e.target is not None or (e.type, e.source.code) not in with_target]

    def _listed_before_subject(self, c: Candidate) -> bool:
        """A mutual act whose target is a name set before the subject with a comma ("Pakistan, India
        agree"): spaCy attaches the first name to the verb, not as a conjunct of the subject."""
        if c.cameo[:2] not in MUTUAL_ROOTS or c.source is None or c.target is None or not c.target.inferred:
            return False
        tokens = self.tree.tokens
        t, s = c.target.head, c.source.head
        return (0 <= t < s and tokens[t].dep in ("npadvmod", "dep", "nmod", "appos")
                and self.tree.head(t) == self.tree.head(s) and tokens[t + 1].text == ","
                and t + 2 == s)

    def _event(self, si: int, sent: Sentence, c: Candidate, info: Any, src: Actor, tgt: Actor | None,
               in_title: bool) -> Event:
        trig = c.trigger
        tokens = self.parsed.tokens
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
        past = self._past_reference(c.trigger)
        if past:
            parts.append(f"historical: '{past}'")
        if in_title:
            start, end, index = sent.char_start, sent.char_end, -1
        else:
            start, end, index = sent.char_start - self.offset, sent.char_end - self.offset, self._body_index(si)
        eid = stable_id(self.article.id, index, trig.token - sent.start, info.plover_type, c.cameo, src.code,
                        tgt.code if tgt else "")
        return Event(
            id=eid, article_id=self.article.id, doc_id=self.article.doc_id, sentence_index=index,
            span=(start, end), sentence=sent.text, source=src, target=tgt, type=info.plover_type,
            mode=info.mode, cameo=c.cameo, goldstein=info.goldstein, quad_class=info.quad_class,
            date=None if past else self.on, historical=bool(past),
            negated=c.modality.negated, hypothetical=c.modality.hypothetical,
            future=c.modality.future, confidence=conf, coder=CODER_NAME,
            rule="; ".join(parts) + f" [trigger '{tokens[trig.token].text}']", url=self.article.url,
        )

    def _past_reference(self, trig: Trigger) -> str:
        """A date naming an earlier year that modifies the trigger itself ("seized power in August 2020",
        "fought wars in the 1990s"): the event is background, not news of the article's day. A date
        inside an argument ("meddling in the 2020 elections") does not date the event."""
        if self.on is None:
            return ""
        tree = self.tree
        tokens = tree.tokens
        anchors = {trig.verb, trig.token}
        for y in self.years_by_sentence.get(tokens[trig.verb].sent, ()):
            if int(tokens[y].text[:4]) >= self.on.year:
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
                    return self.parsed.text[tokens[a].idx:tokens[b].end_idx]
        return ""

    def _body_index(self, si: int) -> int:
        first_body = next((j for j, s in enumerate(self.parsed.sentences) if s.char_start >= self.offset), 0)
        return si - first_body

    def _remember(self, ctx: ArgContext, sent: Sentence) -> None:
        """Record the sentence's actor phrases for later pronouns, names and pairs."""
        tree = self.tree
        tokens = tree.tokens
        for i in range(sent.start, sent.end):
            t = tokens[i]
            if t.pos not in ("PROPN", "NOUN") or t.dep in ("compound", "amod", "poss", "nmod"):
                continue
            if t.dep == "pobj":
                p = tree.head(i)
                if p is not None and tokens[p].lower in ("in", "at", "near", "across", "throughout"):
                    continue
            s, e = tree.span(i)
            actors = self.resolver.resolve(tokens, s, e, on=self.on, head=i)
            if not actors:
                continue
            words = [tokens[j].text for j in range(s, e)]
            lowered = {w.lower() for w in words}
            definite = t.lemma.lower() if "the" in lowered and not lowered & PAIR_WORDS else ""
            actors = [a if a.country else self.discourse.fill_country(a, sentence=ctx.sentence, definite_head=definite)
                      for a in actors]
            persons = self._person_name(s, e)
            kind = "person" if persons or any(w.lower() in _TITLE_WORDS for w in words) else (
                "org" if actors[0].country in ("IGO", "NGO") else (
                    "group" if t.tag in ("NNS", "NNPS") else "country"))
            subject = t.dep in ("nsubj", "nsubjpass")
            for a in actors:
                self.discourse.note(a, sentence=ctx.sentence, token=i, kind=kind,
                                    plural=t.tag in ("NNS", "NNPS") or len(actors) > 1, as_subject=subject,
                                    head=t.lemma.lower())
            if persons and len(actors) == 1 and actors[0].country:
                self.discourse.note_name(persons, actors[0])
            if len(actors) == 2 and actors[0].country != actors[1].country:
                self.discourse.note_pair(actors[0], actors[1])

    def _person_name(self, start: int, end: int) -> list[str]:
        """The person's name in a phrase: a known person's words, else the capitalised words right
        after a title ("Deputy Foreign Minister Sergei Ryabkov" -> Sergei Ryabkov)."""
        tokens = self.parsed.tokens
        mentions = self.resolver.mentions(tokens, start, end)
        for m in mentions:
            if m.kind == "person":
                return [tokens[k].text for k in range(m.start, m.end)]
        titles = [m for m in mentions if m.kind == "title"]
        if not titles:
            return []
        covered = {k for m in mentions for k in range(m.start, m.end)}
        k = max(m.end for m in titles)
        name: list[str] = []
        while k < end and tokens[k].pos == "PROPN" and k not in covered and tokens[k].text[:1].isupper():
            name.append(tokens[k].text)
            k += 1
        return name


_TITLE_WORDS = frozenset({"president", "minister", "premier", "chancellor", "king", "queen", "emir", "sheikh",
                          "ambassador", "envoy", "spokesman", "spokeswoman", "spokesperson", "secretary",
                          "general", "commander", "leader", "chief", "governor", "mr", "mrs", "ms", "dr"})


def code_parsed(article: Article, parsed: ParsedText) -> list[Event]:
    """Code the events of ``article`` from its parse (``nlp.parse(text_for_parsing(article))``)."""
    return _ArticleCoder(article, parsed).code()


def code_article(article: Article, parsed: ParsedText) -> list[Event]:
    """Alias of ``code_parsed`` (the name the pipeline uses)."""
    return code_parsed(article, parsed)
