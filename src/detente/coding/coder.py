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

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from typing import Any

from ..model import Actor, Article, Event, stable_id
from ..nlp import Entity, ParsedText, Sentence
from .arguments import (
    ArgContext,
    Resolved,
    find_source,
    find_targets,
    location_country,
    resolve_head,
    subject_head,
)
from .discourse import Discourse, quote_mask
from .lexicon import Lexicon, load_lexicon
from .modality import Modality, modality_of
from .ontology import cameo_info
from .syntax import Tree
from .triggers import SPEECH_VERBS, Trigger, find_triggers

__all__ = ["CODER_NAME", "code_article", "code_parsed", "text_for_parsing"]

CODER_NAME = "detente.rules.v1"

# Links that put a trigger inside another trigger's content ("threatened to shell").
EMBEDDING_DEPS = frozenset({"xcomp", "ccomp", "relcl", "acl", "pcomp", "csubj"})
# An event noun in the object or a prepositional phrase of an event verb is that event's content
# ("condemned the sanctions", "demanded the release of", "agreed on a ceasefire").
CONTENT_DEPS = frozenset({"dobj", "prep", "attr", "oprd", "dative"})
ATTRIBUTION_VERBS = SPEECH_VERBS | {"warn", "vow", "pledge", "promise", "threaten"}
REQUEST_MODALS = frozenset({"must", "should"})
MUTUAL_ROOTS = frozenset({"03", "04", "05", "06", "19"})  # "X and Y agreed/met/signed/clashed": X -> Y
MAX_TARGETS = 4
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)s?\b")
RETALIATION_WORDS = frozenset({"retaliate", "retaliation", "retaliatory", "countermeasure", "countermeasures",
                               "reprisal", "reprisals", "consequence", "consequences", "revenge", "avenge",
                               "punish", "punishment", "respond", "response", "counter", "hit back"})
# Acts of state whose passive form often leaves the authorities unnamed ("was detained", "was expelled").
IMPLICIT_AGENT_CODES = ("16", "17", "0841", "084", "11", "09", "0874")
CONDEMNING_WORDS = frozenset({
    "illegal", "illegitimate", "unjustified", "unacceptable", "condemnable", "provocative", "provocation",
    "provocations", "hostile", "aggression", "aggressive", "violation", "violate", "violative", "blatant",
    "pariah", "outrageous", "irresponsible", "reckless", "destabilising", "destabilizing", "criminal",
    "barbaric", "brutal", "atrocity", "atrocities", "genocide", "lawless", "unlawful", "interference",
    "delinquent", "inhumane", "bullying", "coercion", "hypocritical", "hypocrisy", "terrorism",
    "belligerent", "intimidation", "unprovoked", "heinous", "cowardly", "sabotage", "warmongering",
})
WEAPON_NOUNS = frozenset({"bomb", "bombing", "explosion", "blast", "device", "ied", "mine", "minefield",
                          "landmine", "rocket", "missile", "shell", "mortar", "grenade", "attack", "bomber",
                          "car bomb", "drone", "airstrike", "strike", "raid", "ambush", "gunfire", "shelling",
                          "explosive", "detonation", "booby", "sniper", "gunman", "gunmen", "assailant",
                          "attacker"})
INTENT_ADJ = frozenset({"ready", "willing", "prepared", "committed", "eager", "keen", "determined"})
_FUTURE_OR_MODAL = frozenset({"will", "would", "shall", "'ll", "’ll", "could", "might"})


@cache
def _resolver() -> Any:
    from ..actors import get_resolver

    return get_resolver()


@cache
def _lexicon() -> Lexicon:
    return load_lexicon()


def text_for_parsing(article: Article) -> str:
    """The text the coder parses: the headline (if any) on its own line, then the body."""
    title = (article.title or "").strip()
    if title and "\n" not in title:
        return title + "\n" + article.text
    return article.text


@dataclass
class Candidate:
    trigger: Trigger
    cameo: str
    source: Resolved | None
    target: Resolved | None
    modality: Modality
    notes: list[str] = field(default_factory=list)
    confidence: float = 0.6


def _threat_code(cameo: str) -> str:
    if cameo.startswith("163"):
        return "1312"
    root = cameo[:2]
    if root in ("18", "19", "20"):
        return "138"
    if root in ("16",):
        return "131"
    if root == "17":
        return "137" if cameo.startswith("175") else "132"
    return "130"


def _intent_code(cameo: str) -> str:
    return {"04": "036", "05": "032", "06": "031", "07": "033", "08": "035"}.get(cameo[:2], "030")


def _quad(cameo: str) -> int:
    return cameo_info(cameo).quad_class


def _in_subtree_of(tree: Tree, i: int, top: int, *, skip: frozenset[str]) -> bool:
    """True when token i sits below ``top`` through a child link of top not in ``skip``."""
    cur = i
    for _ in range(40):
        h = tree.head(cur)
        if h is None:
            return False
        if h == top:
            return tree.tokens[cur].dep not in skip
        cur = h
    return False


def _embedding_link(tree: Tree, inner: int, outer: int) -> str | None:
    """The dep of the first link under ``outer`` on the path down to ``inner`` (None if not below)."""
    cur = inner
    for _ in range(40):
        h = tree.head(cur)
        if h is None:
            return None
        if h == outer:
            return tree.tokens[cur].dep
        cur = h
    return None


def _speech_governor(tree: Tree, verb: int) -> int | None:
    """The speech/attribution verb whose reported content holds ``verb`` (ccomp chain), if any."""
    cur = verb
    for _ in range(6):
        dep = tree.tokens[cur].dep
        h = tree.head(cur)
        if h is None:
            return None
        if dep in ("ccomp", "parataxis") or (dep == "conj" and tree.tokens[h].dep == "ccomp"):
            target = h if dep != "conj" else tree.head(h)
            if target is not None and tree.tokens[target].lemma.lower() in ATTRIBUTION_VERBS:
                return target
            return None
        if dep in ("xcomp", "conj", "aux", "acomp"):
            cur = h
            continue
        return None
    return None


class _ArticleCoder:
    def __init__(self, article: Article, parsed: ParsedText) -> None:
        self.article = article
        self.parsed = parsed
        self.tree = Tree(parsed)
        self.resolver = _resolver()
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
        self.dates_by_sentence: dict[int, list[Entity]] = {}
        for ent in parsed.entities:
            if ent.label == "DATE":
                self.dates_by_sentence.setdefault(parsed.tokens[ent.start].sent, []).append(ent)

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
        return self._drop_headline_repeats(events)

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
            if _quad(trig.cameo) in (2, 4) and self._in_background_clause(
                    trig.verb if trig.kind != "noun" else trig.token):
                continue  # a material act describing an argument is background; statements there are news
            src = find_source(ctx, trig)
            mod = modality_of(self.tree, trig.token)
            tgt = find_targets(ctx, trig, src)
            if src is None:
                src = self._implicit_agent(ctx, trig, tgt) or self._unattributed_attack(ctx, trig, tgt)
            if tgt is None and src is not None:
                tgt = self._dyad_partner(src)
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

    def _conventions(self, ctx: ArgContext, sent: Sentence, cands: list[Candidate]) -> list[Candidate]:
        tree = self.tree
        tokens = tree.tokens
        # 1. an event inside another event's content is part of it
        kept = self._fold_embedded(cands)
        # 2. statements about one's own future acts: intent (AGREE), threat (THREATEN) or refusal (REJECT)
        result: list[Candidate] = [self._as_statement(ctx, c) for c in kept]
        result = self._fold_embedded(result + self._intent_predicates(ctx, sent, result))
        # 3. a dismissal predicate ("claims ... were baseless") is the speaker's REJECT
        for n, c in enumerate(result):
            if c.trigger.kind == "predicate":
                gov = _speech_governor(tree, c.trigger.verb)
                src = self._speaker_source(ctx, gov) if gov is not None else None
                if src is not None:
                    tgt = c.target
                    if tgt is not None and set(tgt.actors) & set(src.actors):
                        tgt = None
                    result[n] = replace(c, source=src, target=tgt or self._content_target(ctx, c, src))
        # 4. speech whose content is future retaliation is a THREATEN ("telling him that the sanctions
        #    will be followed by retaliatory measures"); a summons that carries one is not a mere complaint
        threat = self._threat_in_speech(ctx, sent, result)
        if threat is not None:
            result = [c for c in result if not (c.cameo.startswith("114") and c.source is not None
                                                 and threat.source is not None
                                                 and set(c.source.actors) & set(threat.source.actors))]
            result.append(threat)
        # 5. a speaker who calls another actor's conduct illegal, hostile, a violation ... accuses it
        accusation = self._accusation_in_speech(ctx, sent, result)
        if accusation is not None:
            result.append(accusation)
        # 6. "X said Y must ...": a REQUEST from the speaker to Y
        covered = {c.trigger.verb for c in result}
        for i in range(sent.start, sent.end):
            t = tokens[i]
            if t.pos not in ("VERB", "AUX") or i in covered:
                continue
            modals = [tokens[k].lower for k in tree.children(i, "aux") if tokens[k].lower in REQUEST_MODALS]
            if not modals:
                continue
            gov = _speech_governor(tree, i)
            if gov is None:
                continue
            src = self._speaker_source(ctx, gov)
            subj = tree.child(i, "nsubj", "nsubjpass")
            if src is None or subj is None:
                continue
            tgt = resolve_head(ctx, subj)
            if tgt is None or {_as_agent(a).code for a in tgt.actors} & {_as_agent(a).code for a in src.actors}:
                continue  # "Britain must prepare", said a British minister: not a demand on anyone else
            trig = Trigger(i, "verb", "100", gov, (), f"'{tokens[gov].lemma}' that ... '{modals[0]}' "
                           f"'{t.lemma}'", 2)
            result = [c for c in result if c.trigger.verb != i]
            result.append(Candidate(trig, "100", src, tgt, Modality(), ["demand reported as 'must'"]))
        return result

    def _fold_embedded(self, cands: list[Candidate]) -> list[Candidate]:
        """Drop events that sit inside another event's content: "threatened to shell", "demanded the
        release of", "talks on a troop pullback"; participial adjuncts ("..., accusing X of") stay."""
        tree = self.tree
        kept: list[Candidate] = []
        for c in cands:
            outer = None
            for o in cands:
                if o is c or o.trigger.token == c.trigger.token:
                    continue
                if o.trigger.verb != c.trigger.verb:
                    link = _embedding_link(tree, c.trigger.token, o.trigger.verb)
                    if link in EMBEDDING_DEPS or (link in CONTENT_DEPS and o.trigger.kind != "noun"
                                                  and c.trigger.kind == "noun"):
                        outer = o
                        break
                if o.trigger.kind == "noun" and o.trigger.token != c.trigger.verb:
                    link = _embedding_link(tree, c.trigger.token, o.trigger.token)
                    if link is not None and link not in ("conj", "cc", "appos"):
                        outer = o
                        break
            if outer is None:
                kept.append(c)
        return kept

    def _as_statement(self, ctx: ArgContext, c: Candidate) -> Candidate:
        """PLOVER codes what an actor says it will, would or is ready to do as the statement:
        a cooperative act becomes AGREE (intent), a conflictual one THREATEN, a refused
        cooperative one ("will not accept") REJECT. The act itself did not happen."""
        tree = self.tree
        mod = c.modality
        gov = _speech_governor(tree, c.trigger.verb)
        reported = gov is not None
        speaker_src = self._speaker_source(ctx, gov) if gov is not None else None
        reasons = mod.reasons
        would = any(r in ("modal 'would'", "modal 'd'", "modal '’d'") for r in reasons)
        intent = any(r.startswith(("intent ", "future '", "unrealised 'offer", "unrealised 'volunteer"))
                     for r in reasons)
        # inside an if-clause the act is only the condition; a main clause *with* an if-clause is conditional
        in_condition = any(r.startswith("condition ") for r in reasons)
        if in_condition:
            return c
        conditional = self._has_condition(c.trigger.verb)
        modal = any(r.startswith("modal ") for r in reasons)
        other_modal = any(r.startswith("modal ") and not r.startswith(("modal 'would'", "modal 'd'", "modal '’d'"))
                          for r in reasons)
        future = mod.future or (reported and would)
        src = c.source or (speaker_src if reported else None)
        if src is None or src.how.startswith("implicit"):
            return c  # only an actor speaking of its own acts states an intent
        kind = _quad(c.cameo)
        old_type = cameo_info(c.cameo).plover_type
        self_reported = speaker_src is not None and bool(
            {a.country for a in speaker_src.actors} & {a.country for a in src.actors})
        new = ""
        if mod.negated and (future or intent) and kind in (1, 2):
            new, why = "120", f"refuses to {old_type}"
        elif mod.negated:
            return c
        elif (future and not other_modal and (not mod.hypothetical or would or conditional)) or (
                intent and mod.hypothetical and not other_modal):
            new = _threat_code(c.cameo) if kind >= 3 else _intent_code(c.cameo)
            why = f"stated {'future' if future else 'intent to'} {old_type}"
        elif mod.hypothetical and kind == 4 and (conditional or (modal and self_reported)):
            # "X would impose sanctions if Y invades", "we may halt aid, the minister said": a threat;
            # speculation by others ("analysts say X could invade") stays hypothetical
            new, why = _threat_code(c.cameo), f"conditional {old_type}"
        if not new or cameo_info(new).plover_type == old_type:
            return c
        return replace(c, cameo=new, source=src, modality=Modality(reasons=reasons),
                       notes=[*c.notes, f"{why} -> {cameo_info(new).plover_type}"])

    def _has_condition(self, verb: int) -> bool:
        """True when the clause of ``verb`` carries an if/unless clause ("would impose sanctions if ...")."""
        tree = self.tree
        cur: int | None = verb
        for _ in range(4):
            if cur is None:
                return False
            for k in tree.children(cur, "advcl"):
                if any(tree.tokens[m].lower in ("if", "unless") for m in tree.children(k, "mark")):
                    return True
            if tree.tokens[cur].dep not in ("xcomp", "conj", "acomp"):
                return False
            cur = tree.head(cur)
        return False

    def _intent_predicates(self, ctx: ArgContext, sent: Sentence, cands: list[Candidate]) -> list[Candidate]:
        """ "X is ready/willing/prepared to <act>" with no trigger for the act: an AGREE by X."""
        tree = self.tree
        tokens = tree.tokens
        covered = {c.trigger.verb for c in cands} | {c.trigger.token for c in cands}
        out: list[Candidate] = []
        for i in range(sent.start, sent.end):
            t = tokens[i]
            if t.lemma.lower() not in INTENT_ADJ or t.pos not in ("ADJ", "VERB"):
                continue
            acts = [k for k in tree.children(i, "xcomp") if tokens[k].pos == "VERB" and k not in covered]
            if not acts:
                continue
            act = acts[0]
            subj, how = subject_head(tree, i)
            src = resolve_head(ctx, subj) if subj is not None else None
            if src is None:
                continue
            mod = modality_of(tree, i)
            if mod.negated or mod.hypothetical:
                continue
            trig = Trigger(act, "verb", "030", act, (), f"'{t.text} to {tokens[act].lemma}' (stated intent)", 1)
            tgt = find_targets(ctx, trig, src)
            out.append(Candidate(trig, "030", replace(src, how=how), tgt, mod, ["stated intent -> AGREE"]))
        return out

    def _accusation_in_speech(self, ctx: ArgContext, sent: Sentence, cands: list[Candidate]) -> Candidate | None:
        """Reported speech that condemns a named actor's conduct ("Athens maintains that Turkey has
        stepped up hostile patrols", "'The US move was unjustified,' Baqaei added") is an ACCUSE by
        the speaker, even with no accusation verb."""
        tree = self.tree
        tokens = tree.tokens
        if any(c.cameo[:2] in ("11", "12") and c.source is not None for c in cands):
            return None  # the sentence already has its accusation or dismissal
        content: list[int] = []
        speaker: Resolved | None = None
        verb = -1
        for i in range(sent.start, sent.end):
            t = tokens[i]
            if t.pos == "VERB" and t.lemma.lower() in ATTRIBUTION_VERBS and not self.in_quote[i]:
                if tree.has_neg(i):
                    continue  # "has not disclosed" reports nothing
                comps = tree.children(i, "ccomp", "parataxis")
                quoted = [k for k in range(sent.start, sent.end) if self.in_quote[k]]
                if comps:
                    content = [k for c in comps for k in tree.subtree(c)]
                elif quoted:
                    content = quoted
                else:
                    continue
                speaker = self._speaker_source(ctx, i)
                verb = i
                break
        if speaker is None and ctx.speaker is not None and all(self.in_quote[k] or tokens[k].pos == "PUNCT"
                                                                for k in range(sent.start, sent.end)):
            content = list(range(sent.start, sent.end))
            speaker = Resolved((ctx.speaker,), sent.start, "quoted speaker", inferred=True)
            verb = sent.start
        if speaker is None or not content:
            return None
        cue = next((k for k in content if tokens[k].lemma.lower() in CONDEMNING_WORDS
                    or tokens[k].lower in CONDEMNING_WORDS), None)
        if cue is None:
            return None  # "X said Y attacked Z" reports; only condemning words make it an accusation
        alleged = [c for c in cands if c.trigger.token in content and _quad(c.cameo) >= 3 and c.source is not None]
        mine = {a.country for a in speaker.actors}
        target: Resolved | None = None
        for c in alleged:
            assert c.source is not None
            keep = tuple(a for a in c.source.actors if a.country not in mine)
            if keep:
                target = replace(c.source, actors=keep)
                break
        if target is None:
            for k in content:
                if tokens[k].pos not in ("PROPN", "NOUN", "ADJ") or tokens[k].dep == "compound":
                    continue
                r = resolve_head(ctx, k)
                if r is not None:
                    keep = tuple(a for a in r.actors if a.country not in mine)
                    if keep:
                        target = replace(r, actors=keep, how="actor named in the statement")
                        break
        if target is None:
            return None
        word = tokens[cue].text
        trig = Trigger(verb, "verb", "112", verb, (), f"statement condemning '{word}'", 1)
        return Candidate(trig, "112", speaker, target, Modality(), ["condemnation reported as speech"])

    def _content_target(self, ctx: ArgContext, c: Candidate, src: Resolved) -> Resolved | None:
        """An actor named inside the trigger's own phrase other than the source ("claims of
        Russia's meddling in the US elections" said by the Kremlin -> the US)."""
        tree = self.tree
        head = c.trigger.obj if c.trigger.obj is not None else c.trigger.token
        for j in tree.subtree(head):
            if tree.tokens[j].pos not in ("PROPN", "NOUN", "ADJ") or j == head:
                continue
            r = resolve_head(ctx, j)
            if r is not None:
                keep = tuple(a for a in r.actors if a.country not in {x.country for x in src.actors})
                if keep:
                    return replace(r, actors=keep, how="actor named in the claim", inferred=True)
        return None

    def _threat_in_speech(self, ctx: ArgContext, sent: Sentence, cands: list[Candidate]) -> Candidate | None:
        tree = self.tree
        tokens = tree.tokens
        for i in range(sent.start, sent.end):
            t = tokens[i]
            if t.pos != "VERB" or t.lemma.lower() not in ATTRIBUTION_VERBS or self.in_quote[i]:
                continue
            for comp in tree.children(i, "ccomp"):
                words = tree.subtree(comp)
                future = any(tokens[k].lower in _FUTURE_OR_MODAL and tokens[k].dep == "aux" for k in words)
                retaliation = next((k for k in words if tokens[k].lemma.lower() in RETALIATION_WORDS
                                    or tokens[k].lower in RETALIATION_WORDS), None)
                if not (future and retaliation is not None):
                    continue
                src = self._speaker_source(ctx, i)
                if src is None:
                    continue
                tgt = None
                for o in tree.children(i, "dobj", "dative"):
                    tgt = resolve_head(ctx, o)
                    if tgt:
                        break
                if tgt is None:
                    for k in words:
                        if tokens[k].pos in ("PROPN", "NOUN") and k != retaliation:
                            r = resolve_head(ctx, k)
                            if r and not set(r.actors) & set(src.actors):
                                tgt = r
                                break
                trig = Trigger(i, "verb", "130", i, (), f"'{t.lemma}' that ... '{tokens[retaliation].text}' "
                               "(future retaliation)", 2)
                return Candidate(trig, "130", src, tgt, Modality(), ["speech announcing retaliation"])
        return None

    def _speaker_source(self, ctx: ArgContext, gov: int) -> Resolved | None:
        subj, _ = subject_head(self.tree, gov)
        if subj is None:
            return None
        return resolve_head(ctx, subj)

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
            for src in sources:
                for tgt in targets:
                    if tgt is not None and tgt == src:
                        continue
                    ev = self._event(si, sent, c, info, _as_agent(src), _as_agent(tgt) if tgt else None, in_title)
                    key = (ev.type, ev.source.code, ev.target.code if ev.target else "")
                    if key not in out or out[key].confidence < ev.confidence:
                        out[key] = ev
        kept = list(out.values())
        with_target = {(e.type, e.source.code) for e in kept if e.target is not None}
        return [e for e in kept if e.target is not None or (e.type, e.source.code) not in with_target]

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
        anchors = {trig.verb, trig.token}
        for ent in self.dates_by_sentence.get(self.tokens_sent(trig.verb), ()):
            years = [int(y) for y in _YEAR.findall(ent.text)]
            if not years or max(years) >= self.on.year:
                continue
            root = next((k for k in range(ent.start, ent.end)
                         if not ent.start <= tree.tokens[k].head < ent.end), ent.start)
            cur: int | None = root
            for _ in range(3):
                if cur is None or tree.tokens[cur].dep not in ("pobj", "prep", "npadvmod", "tmod", "advmod"):
                    break
                cur = tree.head(cur)
                if cur in anchors:
                    return ent.text
        return ""

    def tokens_sent(self, i: int) -> int:
        return self.parsed.tokens[i].sent

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
            actors = [a if a.country else self.discourse.fill_country(a, sentence=ctx.sentence) for a in actors]
            words = [tokens[j].text for j in range(s, e)]
            persons = [tokens[j].text for j in range(s, e) if tokens[j].ent_type == "PERSON"
                       or (tokens[j].pos == "PROPN" and tokens[j].ent_type in ("", "PERSON")
                           and j > s and tokens[j - 1].pos == "PROPN")]
            kind = "person" if persons or any(w.lower() in _TITLE_WORDS for w in words) else (
                "org" if actors[0].country in ("IGO", "NGO") else (
                    "group" if t.tag in ("NNS", "NNPS") else "country"))
            subject = t.dep in ("nsubj", "nsubjpass")
            for a in actors:
                self.discourse.note(a, sentence=ctx.sentence, token=i, kind=kind,
                                    plural=t.tag in ("NNS", "NNPS") or len(actors) > 1, as_subject=subject)
            if persons and len(actors) == 1 and actors[0].country:
                self.discourse.note_name(persons, actors[0])
            if len(actors) == 2 and actors[0].country != actors[1].country:
                self.discourse.note_pair(actors[0], actors[1])

    @staticmethod
    def _drop_headline_repeats(events: list[Event]) -> list[Event]:
        body = {(e.type, e.source.country, e.target.country if e.target else "") for e in events
                if e.sentence_index >= 0 and e.is_real}
        return [e for e in events if e.sentence_index >= 0
                or (e.type, e.source.country, e.target.country if e.target else "") not in body]


_TITLE_WORDS = frozenset({"president", "minister", "premier", "chancellor", "king", "queen", "emir", "sheikh",
                          "ambassador", "envoy", "spokesman", "spokeswoman", "spokesperson", "secretary",
                          "general", "commander", "leader", "chief", "governor", "mr", "mrs", "ms", "dr"})


def _as_agent(actor: Actor) -> Actor:
    """A state named as a doer or target acts through its government: 'Russia' -> RUSGOV."""
    if actor.sector or actor.country in ("IGO", "NGO", ""):
        return actor
    return replace(actor, sector="GOV", code=actor.country + "GOV")


def code_parsed(article: Article, parsed: ParsedText) -> list[Event]:
    """Code the events of ``article`` from its parse (``nlp.parse(text_for_parsing(article))``)."""
    return _ArticleCoder(article, parsed).code()


def code_article(article: Article, parsed: ParsedText) -> list[Event]:
    """Alias of ``code_parsed`` (the name the pipeline uses)."""
    return code_parsed(article, parsed)
