"""Who did it and to whom: the source and target phrases of a trigger, resolved to actors.

Sources come from the trigger verb's subject (through coordination, control verbs, relative
and participial clauses), the ``by`` phrase of a passive, or a noun trigger's possessive and
modifiers ("Russia's expulsion of", "US sanctions"). Targets come from the places the
lexicon entry names (``dobj``, ``prep:against`` ...), then the usual ones, then any actor in
the trigger's clause. Phrases become actors through the actor resolver; pronouns, surnames,
"the two sides" and country-less titles through the article's ``Discourse``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ..model import Actor
from .discourse import PAIR_HEADS, PAIR_WORDS, PERSONAL, Discourse
from .syntax import Tree
from .triggers import Trigger

__all__ = ["ArgContext", "Resolved", "find_source", "find_targets", "location_country", "resolve_head", "subject_head"]

# Verbs whose object is the doer of their complement ("urged Putin to refrain").
OBJECT_CONTROL = frozenset({"urge", "ask", "tell", "order", "invite", "persuade", "force", "allow", "call",
                            "press", "push", "encourage", "request", "instruct", "warn", "pressure",
                            "compel", "permit", "help", "enable", "appeal", "advise", "authorize",
                            "authorise", "direct", "convince", "lead", "get"})
# Verbs whose subject, not their object, is the doer of the ordered act.
COMMAND_VERBS = frozenset({"order", "force", "compel", "instruct", "direct", "oblige"})
DEFAULT_TARGET_PREPS = ("against", "on", "upon", "with", "to", "toward", "towards", "at", "into", "from", "over",
                        "for", "of", "between", "onto", "across")
LOCATION_PREPS = frozenset({"in", "at", "near", "inside", "outside", "across", "throughout", "around", "within"})
PLACE_NOUNS = frozenset({"city", "town", "village", "province", "region", "district", "capital", "port",
                         "area", "enclave", "suburb", "neighbourhood", "neighborhood", "outskirts", "state"})
# Definite descriptions of an international body ("the bloc", "the alliance").
BODY_HEADS = frozenset({"bloc", "alliance", "union", "organisation", "organization", "grouping", "body",
                        "community", "coalition", "council", "agency"})
# Heads that only count or group the actors in their "of" complement ("thousands of Iraqi Kurds").
QUANTITY_HEADS = frozenset({"thousand", "thousands", "hundred", "hundreds", "dozen", "dozens", "million",
                            "millions", "score", "scores", "group", "number", "members", "member", "crowd",
                            "some", "many", "most", "all", "several", "each", "both", "one", "two", "three",
                            "batch", "patch", "contingent", "delegation", "team", "unit", "wave", "band",
                            "majority", "handful", "tens", "couple", "body", "army", "column"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom", "whose"})


@dataclass(frozen=True)
class Resolved:
    actors: tuple[Actor, ...]
    head: int
    how: str  # subject | passive agent | possessive | pronoun 'he' | pair | ...
    inferred: bool = False
    people: bool = False  # a population named by a demonym ("ethnic Albanians"), placed where it acts


@dataclass
class ArgContext:
    tree: Tree
    resolver: Any  # detente.actors resolver (duck-typed: resolve(tokens, start, end, on=, head=))
    discourse: Discourse
    on: date | None
    sentence: int
    speaker: Actor | None
    in_quote: list[bool]  # per token of the whole text: inside quotation marks
    dateline_end: dict[int, int] = field(default_factory=dict)  # sentence -> first token after its dateline


def _fill(ctx: ArgContext, actors: list[Actor], definite_head: str = "") -> list[Actor]:
    out = []
    for a in actors:
        if not a.country:
            a = ctx.discourse.fill_country(a, sentence=ctx.sentence, prefer=location_country(ctx),
                                           definite_head=definite_head)
        if a.country:
            out.append(a)
    return out


def location_country(ctx: ArgContext) -> str:
    """The country of a location phrase ("in Tehran", "in Serbia") in the current sentence."""
    tree = ctx.tree
    sent = tree.doc.sentences[ctx.sentence] if ctx.sentence >= 0 else None
    if sent is None:
        return ""
    for i in range(sent.start, sent.end):
        t = tree.tokens[i]
        if t.dep != "pobj":
            continue
        h = tree.head(i)
        if h is not None and tree.tokens[h].lower == "of" and tree.tokens[h].dep == "prep":
            h = tree.head(h)  # "outside of", "north of"
        if h is None or tree.tokens[h].lower not in LOCATION_PREPS:
            continue
        if t.pos == "PROPN":
            names = [i]
        elif t.lemma.lower() in PLACE_NOUNS:
            # "near the town of Samarra", "outside the Iraqi city of Basra": the place is named inside
            names = [o for p, o in tree.prep_objects(i) if p == "of"] + list(tree.children(i, "amod", "compound"))
        else:
            continue
        for n in names:
            s, e = tree.span(n)
            found = ctx.resolver.resolve(tree.tokens, s, e, on=ctx.on, head=n)
            for a in found:
                if a.country and a.country not in ("IGO", "NGO"):
                    return str(a.country)
    return ""


def resolve_head(ctx: ArgContext, head: int) -> Resolved | None:
    """The actor(s) of the phrase headed by token ``head``, or None when it names no actor."""
    tree = ctx.tree
    tok = tree.tokens[head]
    low = tok.lower
    if tok.pos == "PRON" or (low in PERSONAL and not (tok.text.isupper() and len(tok.text) > 1)):
        if low in RELATIVE_PRONOUNS:
            return None
        speaker = ctx.speaker if ctx.in_quote[head] or low in ("i", "we", "my", "our", "me", "us") else None
        exclude: frozenset[Actor] = frozenset()
        if tok.dep in ("dobj", "dative", "pobj") and low not in ("i", "we", "me", "us", "my", "our"):
            verb = tree.head(head)
            subj = tree.child(verb, "nsubj") if verb is not None else None
            if verb is not None and subj is None:
                subj, _ = subject_head(tree, verb)
            if subj is not None and subj != head and tree.tokens[subj].pos != "PRON":
                s0, e0 = tree.span(subj)
                exclude = frozenset(ctx.resolver.resolve(tree.tokens, s0, e0, on=ctx.on, head=subj))
        a = ctx.discourse.pronoun(low, sentence=ctx.sentence, speaker=speaker, token=head, exclude=exclude)
        if a is None:
            return None
        return Resolved((a,), head, f"pronoun '{tok.text}'", inferred=True)
    dateline = ctx.dateline_end.get(ctx.sentence, -1)
    if head < dateline:
        # "ABUJA, Nigeria — The Economic Community ... agreed": the dateline swallowed the subject
        for k in tree.children(head, "appos"):
            if k >= dateline:
                return resolve_head(ctx, k)
        return None
    s, e = tree.span(head)
    s = max(s, dateline) if s < head else s
    owned = False
    actors = ctx.resolver.resolve(tree.tokens, s, e, on=ctx.on, head=head)
    if actors and e - s == 1 and all(a.sector == "ELI" for a in actors) and tok.pos == "PROPN":
        actors = []  # a bare surname matching a former leader ("Blair") is too often someone else
    if actors and all(not a.country for a in actors):
        # "its foreign ministry", "their ambassador": the possessor gives the country
        for k in tree.children(head, "poss"):
            if tree.tokens[k].pos == "PRON":
                owner = resolve_head(ctx, k)
                if owner is not None:
                    country = owner.actors[0].country
                    actors = [replace(a, country=country, code=country + a.sector) for a in actors]
                    owned = True
                    break
    if not actors and (tok.lemma.lower() in QUANTITY_HEADS or tok.pos == "NUM"):
        for p, o in tree.prep_objects(head):
            if p == "of":
                inner = resolve_head(ctx, o)
                if inner is not None:
                    return replace(inner, head=head)
    if actors:
        if tok.pos == "ADJ" and all(not a.country for a in actors):
            return None  # a bare sector adjective ("military aid") names no actor
        people = False
        if all(a.sector == "" and a.country not in ("IGO", "NGO") for a in actors):
            kinds = {m.kind for m in ctx.resolver.mentions(tree.tokens, s, e)}
            people = kinds <= {"demonym"} and tok.tag in ("NNPS", "NNS")
        if people:
            actors = [replace(a, sector="CVL", code=a.country + "CVL") for a in actors]
        phrase = {tree.tokens[j].lower for j in range(s, e)}
        definite = "the" in phrase and not phrase & PAIR_WORDS  # "the two sides" is a pair, not one actor
        filled = _fill(ctx, list(actors), tok.lemma.lower() if definite else "")
        if filled:
            inferred = any(not a.country for a in actors)
            return Resolved(tuple(filled), head, "possessive pronoun" if owned else "phrase", inferred=inferred,
                            people=people)
    words = {tree.tokens[j].lower for j in range(s, e)}
    if tok.lemma.lower() in BODY_HEADS and "the" in words:
        # "the regional bloc", "the alliance": the international body in focus
        body = ctx.discourse.recent_body(ctx.sentence)
        if body is not None:
            return Resolved((body,), head, f"definite '{tok.text}'", inferred=True)
    if words & PAIR_WORDS and (tok.lemma.lower() in PAIR_HEADS or low in PAIR_HEADS or low == "two"):
        pair = ctx.discourse.pair()
        if pair and ctx.speaker is not None and pair[1].country == ctx.speaker.country:
            pair = (pair[1], pair[0])  # "the two sides agreed", said a Chinese spokesman: China first
        if pair:
            return Resolved(pair, head, f"pair '{tree.doc.text[tree.tokens[s].idx:tree.tokens[e - 1].end_idx]}'",
                            inferred=True)
    names = [tree.tokens[j].text for j in range(s, e) if tree.tokens[j].pos == "PROPN"]
    if names:
        known = ctx.discourse.by_name(names)
        if known is not None:
            return Resolved((known,), head, f"name '{' '.join(names)}'", inferred=True)
    return None


# Participles that state a stance of their subject, not a passive act done to it.
STATIVE_PASSIVES = frozenset({"oppose"})


def subject_head(tree: Tree, verb: int) -> tuple[int | None, str]:
    """The token that is the doer of ``verb``, climbing through clause links when needed."""
    tokens = tree.tokens
    cur = verb
    for _ in range(6):
        subjects = tree.children(cur, "nsubj", "csubj")
        # two subjects happen when a dateline ("MANILA, March 14 -") is parsed as one: take the nearer
        subj = max((k for k in subjects if k < cur), default=subjects[0] if subjects else None)
        if subj is not None:
            if tokens[subj].lower in RELATIVE_PRONOUNS and tokens[cur].dep == "relcl":
                h = tree.head(cur)
                return h, "relative clause"
            return subj, "subject"
        if tree.is_passive(cur) and cur == verb:
            for p, o in tree.prep_objects(cur):
                if p == "by":
                    return o, "passive agent"
            if tokens[cur].lemma.lower() in STATIVE_PASSIVES:
                # "Israel is opposed to French mediation": a stance of the subject, who holds it
                subj = tree.child(cur, "nsubjpass")
                if subj is not None:
                    return subj, "subject"
            return None, "passive"
        dep = tokens[cur].dep
        gov = tree.head(cur)
        if gov is None:
            return None, ""
        if dep in ("conj", "acomp"):
            cur = gov
            continue
        if dep == "xcomp":
            obj = tree.child(gov, "dobj")
            if obj is not None and tokens[gov].lemma.lower() in OBJECT_CONTROL:
                if tokens[gov].lemma.lower() in COMMAND_VERBS and tokens[obj].pos != "PRON":
                    cur = gov  # "the government ordered the newspaper to suspend publication": the orderer acts
                    continue
                return obj, "object of control verb"
            cur = gov
            continue
        if dep == "relcl":
            return gov, "relative clause"
        if dep in ("advcl",) and tokens[cur].tag in ("VBG", "VBN"):
            cur = gov
            continue
        if dep == "acl" and tokens[cur].tag == "VBG":
            # "issued a statement urging ...": the statement's issuer
            if tokens[gov].dep in ("dobj", "pobj") and tree.head(gov) is not None:
                cur = tree.head(gov)  # type: ignore[assignment]
                if tokens[cur].pos == "ADP" and tree.head(cur) is not None:
                    cur = tree.head(cur)  # type: ignore[assignment]
                continue
            return gov, "participle"
        if dep == "pcomp":
            h = tree.head(gov) if tokens[gov].pos == "ADP" else gov
            if h is None:
                return None, ""
            cur = h
            continue
        return None, ""
    return None, ""


def find_source(ctx: ArgContext, trig: Trigger) -> Resolved | None:
    """The actor(s) doing the event of ``trig``."""
    tree = ctx.tree
    tokens = tree.tokens
    if trig.kind == "noun" and trig.verb == trig.token:
        # a free-standing event noun: its possessive, "by" phrase, or actor modifiers
        for k in tree.children(trig.token, "poss"):
            r = resolve_head(ctx, k)
            if r:
                return replace(r, how="possessive")
        for p, o in tree.prep_objects(trig.token):
            if p == "by":
                r = resolve_head(ctx, o)
                if r:
                    return replace(r, how="'by' phrase")
        for k in tree.children(trig.token, "compound", "amod", "nmod"):
            if k < trig.token:
                r = resolve_head(ctx, k)
                if r:
                    return replace(r, how="modifier")
        if tokens[trig.token].dep == "nsubj":
            return None
    head, how = subject_head(tree, trig.verb)
    if head is None:
        if trig.kind == "noun":
            for k in tree.children(trig.token, "poss"):
                r = resolve_head(ctx, k)
                if r:
                    return replace(r, how="possessive")
        return None
    r = resolve_head(ctx, head)
    if r is None:
        return None
    return replace(r, how=how if r.how == "phrase" else f"{how}, {r.how}")


def _pobj_candidates(tree: Tree, i: int, preps: tuple[str, ...]) -> list[tuple[str, int]]:
    found = [(p, o) for p, o in tree.prep_objects(i) if p in preps]
    found.sort(key=lambda po: preps.index(po[0]))
    return found


HELP_NOUNS = frozenset({"help", "support", "backing", "assistance", "aid", "cooperation", "participation",
                        "involvement", "blessing", "approval", "consent"})
REFLEXIVES = frozenset({"itself", "themselves", "himself", "herself", "ourselves", "yourselves", "myself",
                        "yourself", "oneself"})


def find_targets(ctx: ArgContext, trig: Trigger, source: Resolved | None) -> Resolved | None:
    """The actor(s) the event of ``trig`` is directed at."""
    tree = ctx.tree
    tokens = tree.tokens
    src_tokens: set[int] = set()
    if source is not None and source.how != "pair" and not source.how.startswith("pronoun"):
        src_tokens = set(tree.subtree(source.head))
    if trig.kind == "noun" and source is not None and source.how in ("possessive", "modifier", "'by' phrase"):
        src_tokens |= set(tree.subtree(source.head))
    # the source's helpers are on its side: "with the help of France", "alongside Russian forces"
    for prep, helper in tree.prep_objects(trig.verb):
        if prep == "alongside" or (prep == "with" and tokens[helper].lemma.lower() in HELP_NOUNS):
            src_tokens |= set(tree.subtree(helper))

    def ok(r: Resolved | None) -> Resolved | None:
        if r is None or r.head in src_tokens:
            return None
        if tokens[r.head].lower in REFLEXIVES:
            return None  # "blew themselves up", "barricaded themselves in": the subject, not a target
        if source is not None and r.inferred and r.how == "phrase" and all(
                a.sector in ("", "GOV", "MIL") for a in r.actors) and \
                {a.country for a in r.actors} <= {a.country for a in source.actors}:
            return None  # "expelled ten diplomats": a country guessed from context, equal to the source's
        if r.how == "possessive pronoun" and source is not None and \
                {a.country for a in r.actors} <= {a.country for a in source.actors}:
            return None  # "recalled its ambassador": the source's own people are not its target
        if source is not None:
            # the same actor again is no target; the same country's other sectors are (domestic events)
            same = {(a.country, a.sector) for a in source.actors}
            keep = tuple(a for a in r.actors if a not in source.actors and (a.country, a.sector) not in same)
            if not keep:
                return None
            r = replace(r, actors=keep)
        return r

    def deep(head: int, *, shallow: bool = False) -> Resolved | None:
        """The phrase itself, else (unless ``shallow``) the first actor-naming phrase inside it."""
        r = ok(resolve_head(ctx, head))
        if r or shallow:
            return r
        for j in tree.subtree(head, cut=frozenset({"relcl"})):
            if j == head or tokens[j].pos not in ("PROPN", "NOUN", "PRON", "ADJ"):
                continue
            if tokens[j].dep in ("compound", "amod", "poss", "pobj", "conj", "appos", "nsubj", "dobj", "nmod"):
                if tokens[j].dep == "pobj":
                    p = tree.head(j)
                    if p is not None and tokens[p].lower in LOCATION_PREPS:
                        continue
                r = ok(resolve_head(ctx, j))
                if r:
                    return replace(r, inferred=True)
        return None

    anchors = [trig.token] if trig.kind == "noun" else []
    anchors.append(trig.verb)
    prefs = trig.target_prefs or ()
    for anchor in anchors:
        for pref in prefs:
            if pref in ("dobj", "obj"):
                for o in tree.children(anchor, "dobj", "obj"):
                    r = deep(o)
                    if r:
                        return r
            elif pref == "dative":
                for o in tree.children(anchor, "dative"):
                    r = deep(o)
                    if r:
                        return r
            elif pref.startswith("prep:"):
                for _, o in _pobj_candidates(tree, anchor, (pref[5:],)):
                    r = deep(o)
                    if r:
                        return r
    for shallow in (True, False):
        for anchor in anchors:
            is_noun = tokens[anchor].pos in ("NOUN", "PROPN")
            if not is_noun:
                if tree.is_passive(anchor):
                    for o in tree.children(anchor, "nsubjpass"):
                        r = deep(o, shallow=shallow)
                        if r:
                            return r
                for o in tree.children(anchor, "dobj", "obj", "dative"):
                    r = deep(o, shallow=shallow)
                    if r:
                        return r
            for _, o in _pobj_candidates(tree, anchor, DEFAULT_TARGET_PREPS):
                r = deep(o, shallow=shallow)
                if r:
                    return r
    for anchor in anchors:
        # complements: "demanding that Mugabe abandon", "urged Putin to refrain"
        for c in tree.children(anchor, "ccomp", "xcomp"):
            subj = tree.child(c, "nsubj", "nsubjpass")
            if subj is not None:
                r = ok(resolve_head(ctx, subj))
                if r:
                    return r
    # the trigger's object phrase for nouns: "the expulsion of 10 Russian diplomats" handled by prep:of;
    # last resort: any actor phrase in the trigger's clause, nearest first, locations last
    clause = tree.subtree(trig.verb, cut=frozenset({"conj", "nsubj", "nsubjpass" if trig.kind != "verb" else "_"}))
    cands = [j for j in clause if j not in src_tokens and tokens[j].pos in ("PROPN", "NOUN", "ADJ")
             and j != trig.token]
    cands.sort(key=lambda j: abs(j - trig.token))
    located: list[Resolved] = []
    for j in cands:
        if tokens[j].dep == "compound" and tree.head(j) in cands:
            continue
        p = tree.head(j)
        r = ok(resolve_head(ctx, j))
        if r is None:
            continue
        if p is not None and tokens[j].dep == "pobj" and tokens[p].lower in LOCATION_PREPS:
            located.append(replace(r, how="location", inferred=True))
            continue
        return replace(r, how="in clause", inferred=True)
    if located:
        return located[0]
    return None
