"""Find event triggers in a parsed sentence: verbs, event nouns and dismissal predicates.

A trigger is a token whose lemma the lexicon knows, matched with the parts the lexicon entry
asks for (a particle, a preposition, an object lemma). The most specific entry wins. Event
nouns count when a support verb carries them ("announced the expulsion of", "imposed
sanctions on", "held talks with"), when they are the subject of a verb of occurrence ("the
talks took place"), or when a sentence has no verb at all (headlines); a reversal verb
("lifted sanctions") cancels the noun unless the lexicon has a code for the reversal itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..nlp import Token
from .cues import cue
from .lexicon import Lexicon, NounEntry, VerbEntry
from .syntax import Tree

__all__ = [
    "CLAIM_NOUNS",
    "DISMISSIVE",
    "SPEECH_VERBS",
    "Trigger",
    "find_triggers",
    "open_noun_triggers",
    "open_verb_triggers",
    "told_as_done",
]

SPEECH_VERBS = cue("triggers.speech_verbs")
OCCURRENCE_VERBS = cue("triggers.occurrence_verbs")
LEAVE_ORDER_VERBS = cue("triggers.leave_order_verbs")
ORDER_MODALS = cue("triggers.order_modals")
LEAVE_VERBS = cue("triggers.leave_verbs")
ULTIMATUM_VERBS = cue("triggers.ultimatum_verbs")  # "gave Benin until Friday to withdraw"
TIME_LIMIT_NOUNS = cue("triggers.time_limit_nouns")  # "gave the envoy 72 hours to leave"
DIPLOMAT_WORDS = cue("triggers.diplomat_words")
PARTICLE_LIKE = cue("triggers.particle_like")
CLAIM_NOUNS = cue("triggers.claim_nouns")
CLAIM_POINTERS = cue("triggers.claim_pointers")
CALENDAR_WORDS = cue("where.calendar_words")  # weekdays, months, today, yesterday
TIME_OF_DAY = cue("triggers.time_of_day")
PERCEPTION_VERBS = cue("triggers.perception_verbs")
REACTION_VERBS = cue("triggers.reaction_verbs")
CONCERN_ADJECTIVES = cue("triggers.concern_adjectives")
SUPPORT_NOUNS = cue("triggers.support_nouns")
FORCE_MOVE_VERBS = cue("triggers.force_move_verbs")
VISIT_VERBS = cue("triggers.visit_verbs")
MEASURE_SUBJECTS = cue("triggers.measure_subjects")
AIMING_VERBS = cue("triggers.aiming_verbs")
VISITOR_NOUNS = cue("triggers.visitor_nouns")
CONCERN_PREPS = ("about", "over", "by", "at", "with")
AUDIENCE_VERBS = cue("triggers.audience_verbs")
DISMISSIVE = cue("triggers.dismissive")
DISMISS_VERBS = cue("triggers.dismiss_verbs")


@dataclass(frozen=True)
class Trigger:
    token: int  # the trigger word (verb, event noun, or predicate)
    kind: str  # verb | noun | predicate
    cameo: str
    verb: int  # the verb whose subject is the event's source
    target_prefs: tuple[str, ...]
    matched: str  # how it matched, in words (goes into the event's rule)
    specificity: int
    obj: int | None = None  # the object token a specific entry matched
    tentative: bool = False  # proposed for the learned scorer to judge; never an event on the rules alone
    # the verb's subject is the noun's target, the doer in the noun's phrase ("received support from")
    received: bool = False
    # an event noun the sentence tells as having happened ("after Peru's expulsion of ..."): its doer
    # is the one its own phrase names, never one taken from the context
    told: bool = False


def _modifiers(tree: Tree, i: int) -> list[str]:
    """Lemmas of the compound and adjective modifiers of token i ("air" in "air strike")."""
    return [tree.tokens[k].lemma.lower() for k in tree.children(i, "compound", "amod", "nmod")]


def _measure_aims(tree: Tree, verb: int) -> bool:
    """Whether what aims the verb is a law or a measure: its subject ("new sanctions target
    Lithuanian firms") or, for a participle, the noun it describes ("legislation targeting Turkey")."""
    tokens = tree.tokens
    doer = tree.child(verb, "nsubj")
    if doer is None and tokens[verb].dep == "acl":
        doer = tree.head(verb)
    return doer is not None and _lemma(tokens[doer]) in MEASURE_SUBJECTS


def _counted(tree: Tree, n: int) -> int:
    """What a number or a measure counts ("hundreds of troops", "a wave of refugees"): its "of"
    object; any other noun is itself."""
    if tree.tokens[n].pos == "NUM" or _lemma(tree.tokens[n]) in MEASURE_HEADS:
        return next((o for p, o in tree.prep_objects(n) if p == "of"), n)
    return n


def _a_visitor(tree: Tree, verb: int) -> bool:
    """Whether who arrives (the verb's subject) pays a visit: a person or a country by name, an
    official or a delegation; not troops, refugees, aid or "another wave of" anyone. With no
    subject to read, it may be."""
    tokens = tree.tokens
    subj = tree.child(verb, "nsubj")
    if subj is None:
        return True
    tok = tokens[_counted(tree, subj)]
    if tok.pos == "PROPN":
        return tok.tag == "NNP"  # "Yoon", "Jordan"; not "Somalis"
    return _lemma(tok) in VISITOR_NOUNS


def _ordered_clause(tree: Tree, k: int) -> bool:
    """A "that" clause that orders ("told the envoy that he must leave"), not one that reports
    ("told reporters that the troops had been leaving", "told AFP the envoy left")."""
    tok = tree.tokens[k]
    aux = tree.aux_words(k)
    return any(a in ORDER_MODALS for a in aux) or (tok.tag == "VB" and not aux)


def _lemma(tok: Token) -> str:
    return tok.lemma.lower() if tok.lemma else tok.lower


MEASURE_HEADS = cue("triggers.measure_heads")
REDO_BASES = cue("triggers.redo_bases")
STATE_VERBS = cue("triggers.state_verbs")
SERIES_HEADS = cue("triggers.series_heads")
STATIVE_PASSIVES = cue("arguments.stative_passives")


def base_forms(word: str) -> list[str]:
    """The forms a regular English verb form may come from ("shelled" -> shell, "seized" -> seize,
    "stopping" -> stop, "carried" -> carry), the word itself first."""
    forms = [word]
    if word.endswith("ied") or word.endswith("ies"):
        forms.append(word[:-3] + "y")
    for ending in ("ed", "ing", "es", "s"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[:-len(ending)]
            forms += [stem, stem + "e"]
            if len(stem) > 3 and stem[-1] == stem[-2]:
                forms.append(stem[:-1])  # "stopped" -> stop
    return forms


def _verb_lemma(tok: Token, lex: Lexicon) -> tuple[str, str]:
    """The lemma a verb is looked up by, and a note when it is not the tagger's: the tagger's lemma
    of a form its tables lack can be no word ("rearrested" -> "rearreste"), so the regular forms of
    the word are tried, and a re- verb of the same act done again ("reimprisoned") is its base."""
    lem = _lemma(tok)
    if tok.pos != "VERB" or lex.verb_entries(lem):
        return lem, ""
    word = tok.lower
    found = next((f for f in base_forms(word)[1:] if lex.verb_entries(f)), None)
    if found is not None:
        return found, ""
    if word.startswith("re"):
        rest = word[3:] if word.startswith("re-") else word[2:]
        found = next((f for f in base_forms(rest) if f in REDO_BASES and lex.verb_entries(f)), None)
        if found is not None:
            return found, f" (again: '{tok.text}')"
    return lem, ""


def _hyphenated(tree: Tree, i: int) -> str:
    """The hyphenated compound a verb token ends ("test-fired" -> "test-fire"), which the tokenizer
    splits into the first word, a hyphen and the verb; empty when there is none."""
    tokens = tree.tokens
    if i < 2 or tokens[i - 1].text != "-" or tokens[i - 1].ws or tokens[i - 2].ws:
        return ""
    return f"{tokens[i - 2].lower}-{_lemma(tokens[i])}"


def _objects(tree: Tree, verb: int) -> list[int]:
    """Direct objects of a verb (and of its passive: the passive subject), with their conjuncts, and
    what a measure word among them measures."""
    objs: list[int] = []
    # "troops were engaged in clashes": a stative participle's subject holds the state, it is no object
    stative = _lemma(tree.tokens[verb]) in STATIVE_PASSIVES and not any(p == "by" for p, _ in tree.prep_objects(verb))
    for k in tree.children(verb, "dobj", "obj", "attr", "oprd") + ([] if stative else tree.children(verb, "nsubjpass")):
        objs.extend(tree.conjuncts(k))
    head = tree.head(verb)
    if not objs and head is not None and is_passive_participle(tree, verb):
        objs.append(head)  # "a meeting requested by Kenya": the noun the participle describes
    for k in list(objs):
        if _lemma(tree.tokens[k]) in MEASURE_HEADS:
            objs.extend(o for p, o in tree.prep_objects(k) if p == "of")
    return objs


def is_passive_participle(tree: Tree, verb: int) -> bool:
    """A past participle with its doer, describing a noun ("a meeting requested by Kenya", "sanctions
    imposed by the EU"): the noun is what was done; with no doer named ("a ship suspected of") it is
    background, not an act."""
    t = tree.tokens[verb]
    head = tree.head(verb)
    return t.dep == "acl" and t.tag == "VBN" and head is not None and tree.tokens[head].pos in ("NOUN", "PROPN") \
        and not tree.children(verb, "nsubj", "nsubjpass") and any(p == "by" for p, _ in tree.prep_objects(verb))


def _is_time(tree: Tree, o: int) -> bool:
    """A preposition's object that names a time ("on Friday", "on Friday afternoon", "on 12 May")."""
    tokens = tree.tokens
    words = {tokens[o].lower} | {tokens[k].lower for k in tree.children(o, "compound", "nummod", "amod")}
    return tokens[o].ent_type in ("DATE", "TIME") or bool(words & CALENDAR_WORDS) or \
        tokens[o].lower in TIME_OF_DAY
def _match_verb(tree: Tree, v: int, entries: tuple[VerbEntry, ...]) -> tuple[VerbEntry, int, int | None] | None:
    """The best entry for verb token v: (entry, specificity, matched object) or None."""
    tokens = tree.tokens
    # spaCy often tags a particle as an adverb or a bare preposition ("work together", "stepped down")
    particles = {tokens[k].lower for k in tree.children(v, "prt")} | {
        tokens[k].lower for k in tree.children(v, "advmod", "prep")
        if tokens[k].lower in PARTICLE_LIKE and not tree.children(k, "pobj")}
    preps: dict[str, list[int]] = {}
    # "pulled its troops back from the village": the parser may hang the verb's preposition on
    # its particle
    carriers = [k for k in tree.children(v, "prt", "advmod") if tokens[k].lower in particles]
    for p, o in [*tree.prep_objects(v), *(po for k in carriers for po in tree.prep_objects(k))]:
        if _is_time(tree, o):
            continue  # "called him on Friday": a time adjunct, not the verb's "call on"
        preps.setdefault(p, []).append(o)
    for k in tree.children(v, "advcl"):
        # "called for French troops to leave": a "for ... to" clause is the verb's "for" argument,
        # its subject the object asked for
        if any(tokens[m].lower == "for" for m in tree.children(k, "mark")):
            subjects = tree.children(k, "nsubj", "nsubjpass")
            preps.setdefault("for", []).append(subjects[0] if subjects else k)
    objs = _objects(tree, v)
    # "dispersed the crowd with tear gas": the parser may hang the instrument on the object
    instruments = [k for o in objs for p, k in tree.prep_objects(o) if p == "with"]
    if instruments:
        preps.setdefault("with", []).extend(instruments)
    # "what he called Moroccan support for the groups": naming (a predicate after the object), so
    # a "for" or "on" in the phrase is not "call for" / "call on"
    naming = _lemma(tokens[v]) == "call" and bool(tree.children(v, "oprd"))
    best: tuple[VerbEntry, int, int | None] | None = None
    for e in entries:
        score = 0
        obj_hit: int | None = None
        if naming and (e.prep in ("for", "on") or e.objects):
            continue  # nor is "called the meeting a failure" calling a meeting
        if e.particle:
            if e.particle not in particles:
                continue
            score += 2
        elif particles - {"up", "back"} and any(x.particle for x in entries):
            # a phrasal use the lexicon lists separately ("pull out") is not the plain verb
            continue
        candidates = objs or tree.children(v, "xcomp")  # "declined to comment": the complement
        if e.prep:
            if e.prep not in preps:
                continue
            score += 2
            candidates = preps[e.prep] + objs
        if e.objects or e.excluded:
            if not candidates and e.objects:
                continue
            for o in candidates:
                of_object = next((_lemma(tokens[k]) for p, k in tree.prep_objects(o) if p == "of"), "")
                if e.accepts_object(_lemma(tokens[o]), _modifiers(tree, o), of_object) and not (
                        e.cameo.startswith(FORCE_ROOTS) and _figurative(tree, o)):
                    obj_hit = o
                    break
            if obj_hit is None and (e.objects or candidates):
                continue
            score += 3 if e.objects else 0
        if best is None or score > best[1]:
            best = (e, score, obj_hit)
    return best


FORCE_ROOTS = ("18", "19", "20")
FIGURATIVE_FORCE = cue("triggers.figurative_force")


def _figurative(tree: Tree, n: int) -> bool:
    """Whether a word of force is said of something else ("a diplomatic offensive", "a trade war",
    "a charm offensive", "a legal battle"): no violence."""
    return not FIGURATIVE_FORCE.isdisjoint(_modifiers(tree, n))


def _noun_entry(tree: Tree, n: int, entries: tuple[NounEntry, ...]) -> NounEntry | None:
    """The most specific entry for noun n: a multiword entry whose modifiers are present wins; a
    word of force said of something else ("a trade war") has none of its violent senses."""
    mods = set(_modifiers(tree, n))
    if not FIGURATIVE_FORCE.isdisjoint(mods):
        entries = tuple(e for e in entries if not e.cameo.startswith(FORCE_ROOTS))
    best: NounEntry | None = None
    for e in entries:
        words = e.lemma.split(" ")
        if len(words) > 1:
            if all(w in mods for w in words[:-1]):
                return e
            continue
        if best is None:
            best = e
    return best


def _verb_role(lex: Lexicon, tree: Tree, v: int) -> str:
    lem = _lemma(tree.tokens[v])
    for p in tree.children(v, "prt"):
        role = lex.support_verbs.get(f"{lem} {tree.tokens[p].lower}")
        if role:
            return role
    return lex.support_verbs.get(lem, "")


def participle_doer(tree: Tree, n: int) -> int | None:
    """The doer of event noun n named by a past participle on it ("the airstrikes carried out by
    Israel", "the sentences handed down by a Minsk court"): the participle's "by" object."""
    tokens = tree.tokens
    for k in tree.children(n, "acl"):
        if tokens[k].tag != "VBN":
            continue
        for p, o in tree.prep_objects(k):
            if p == "by" and tokens[o].pos in ("PROPN", "NOUN"):
                return o
        for a in tree.children(k, "agent"):
            for o in tree.children(a, "pobj"):
                if tokens[o].pos in ("PROPN", "NOUN"):
                    return o
    return None


def _own_doer(tree: Tree, n: int) -> bool:
    """Whether event noun n names its own doer: a possessive other than a pronoun ("Russia's
    strikes") or a capitalised modifier ("U.S. strikes", "Israeli shelling")."""
    tokens = tree.tokens
    if any(tokens[k].pos != "PRON" for k in tree.children(n, "poss")):
        return True
    if any(p == "by" and tokens[o].pos in ("PROPN", "NOUN") for p, o in tree.prep_objects(n)):
        return True  # "the raid by Ugandan troops"
    if participle_doer(tree, n) is not None:
        return True  # "the airstrikes carried out by Israel"
    return any(tokens[k].pos in ("PROPN", "ADJ") and tokens[k].text[:1].isupper() and k != n
               for k in tree.children(n, "compound", "amod", "nmod"))


def _reacted_to(tree: Tree, n: int) -> bool:
    """Whether event noun n is what a reaction names with its doer ("condemned the US sanctions",
    "welcomed Uganda's withdrawal"): an act the article presupposes, not the reaction's content."""
    head = tree.head(n)
    return head is not None and tree.tokens[n].dep == "dobj" and _lemma(tree.tokens[head]) in REACTION_VERBS \
        and _own_doer(tree, n)


def reacted_to(tree: Tree, trig: Trigger) -> bool:
    """Whether ``trig`` is an event noun a reaction names with its doer (see ``_reacted_to``)."""
    return trig.kind == "noun" and _reacted_to(tree, trig.token)


def _support_noun(tree: Tree, n: int) -> int | None:
    """The nominalised support verb whose "of" phrase holds event noun n ("imposition of sanctions")."""
    tokens = tree.tokens
    of = tree.head(n)
    if tokens[n].dep != "pobj" or of is None or tokens[of].lower != "of":
        return None
    gov = tree.head(of)
    if gov is not None and tokens[gov].pos == "NOUN" and _lemma(tokens[gov]) in SUPPORT_NOUNS:
        return gov
    return None


RESPONSIBILITY_VERBS = cue("triggers.responsibility_verbs")


def _names_a_party(tree: Tree, k: int) -> bool:
    """Whether the phrase headed by ``k`` names its party: a name, a nationality, a country."""
    return any(tree.is_name(j) for j in tree.subtree(k))


def _time_limit(tree: Tree, verb: int) -> list[int]:
    """The infinitives a time limit given at ``verb`` asks for: "gave Benin until Friday to
    withdraw" (a limit by "until"), "gave the envoy 72 hours to leave" (a span of time as object);
    none without a limit or without a "to" infinitive."""
    tokens = tree.tokens
    limits = [o for p, o in tree.prep_objects(verb) if p == "until"] + [
        k for k in tree.children(verb, "dobj", "npadvmod", "dative") if _lemma(tokens[k]) in TIME_LIMIT_NOUNS]
    if not limits:
        return []
    heads = [verb, *limits]
    return [k for h in heads for k in tree.children(h, "advcl", "xcomp", "acl", "relcl")
            if tokens[k].pos == "VERB" and any(tokens[a].lower == "to" for a in tree.children(k, "aux"))]


def _support_verb(tree: Tree, n: int, lex: Lexicon) -> tuple[int | None, str]:
    """The verb carrying event noun n, and its role: support, reversal, occurrence, or ''."""
    tokens = tree.tokens
    cur = n
    # "announced the expulsion of X and sweeping sanctions against Y": climb the coordination.
    cur = tree.conj_root(cur)
    # "launched a wave of attacks", "four days of strikes": the series stands where the events would
    if tokens[cur].dep == "pobj":
        of = tree.head(cur)
        series = tree.head(of) if of is not None and tokens[of].lower == "of" else None
        if series is not None and tokens[series].pos == "NOUN" and _lemma(tokens[series]) in SERIES_HEADS:
            cur = tree.conj_root(series)
    # "announced $40 million in humanitarian aid", "a package of sanctions": the amount stands for it
    if tokens[cur].dep == "pobj":
        p = tree.head(cur)
        q = tree.head(p) if p is not None and tokens[p].lower in ("in", "of") else None
        if q is not None and (_lemma(tokens[q]) in MEASURE_HEADS or tokens[q].pos == "NUM" or tokens[q].tag == "$"):
            cur = tree.conj_root(q)
    # "claimed responsibility for the attack", "took responsibility for the bombing": the claimant did it
    if tokens[cur].dep == "pobj":
        p = tree.head(cur)
        noun = tree.head(p) if p is not None and tokens[p].lower == "for" else None
        verb = tree.head(noun) if noun is not None and _lemma(tokens[noun]) == "responsibility" \
            and tokens[noun].dep == "dobj" else None
        if verb is not None and tokens[verb].pos == "VERB" and _lemma(tokens[verb]) in RESPONSIBILITY_VERBS:
            return verb, "support"
    dep = tokens[cur].dep
    head = tree.head(cur)
    if head is None:
        return None, ""
    h = tokens[head]
    if dep in ("dobj", "obj", "nsubjpass", "attr", "oprd") and h.pos in ("VERB", "AUX"):
        role = _verb_role(lex, tree, head)
        if role:
            return head, role
        if _lemma(h) in REACTION_VERBS and dep == "dobj" and _own_doer(tree, n):
            return head, "reported"  # "condemned the US sanctions": the sanctions are the article's fact
        if _lemma(h) in PERCEPTION_VERBS:
            # "villagers heard explosions", "residents saw Russian shelling": the perceiver did nothing;
            # an event noun that names its own doer is reported through them
            return head, "reported" if _own_doer(tree, n) else "verb"
        if _lemma(h) in SPEECH_VERBS and _lemma(tree.tokens[n]) not in CLAIM_NOUNS:
            if _lemma(h) in AUDIENCE_VERBS:
                return head, "verb"  # "told a news conference", "briefed the summit": the audience
            if _own_doer(tree, n):
                return head, "reported"  # "local media reported U.S. strikes": the strikes are the US's
            # "detailed his phone call with", "confirmed the withdrawal of"; but "described the
            # accusations" reports a claim, it does not make one
            return head, "support"
        return head, "verb"
    if dep in ("nsubj",) and h.pos in ("VERB", "AUX") and _lemma(h) in OCCURRENCE_VERBS:
        return head, "occurrence"
    for k in tree.children(n, "relcl"):
        # "the punitive actions against Russia that he authorised": the relative clause's verb carries it
        if _verb_role(lex, tree, k) == "support" and not any(
                tokens[o].pos in ("NOUN", "PROPN") for o in tree.children(k, "dobj")):
            return k, "support"
    if dep == "pobj" and h.pos == "ADP":
        gov = tree.head(head)
        if gov is not None and tokens[gov].pos in ("VERB",):
            role = _verb_role(lex, tree, gov)
            # "hit with sanctions", "went ahead with talks", "engaged in talks"
            if role:
                return gov, role
            if h.lower == "under" and _lemma(tokens[gov]) == "come":
                return gov, "received"  # "came under attack from rebels"
            if h.lower in ("in", "into", "with") and _lemma(tokens[gov]) in ("engage", "participate", "take",
                                                                              "join", "enter", "hit", "slap",
                                                                              "lock", "embroil"):
                return gov, "support"
        if h.lower == "in" and gov is not None and tokens[gov].pos in ("VERB", "AUX") and \
                _lemma(tokens[gov]) in STATE_VERBS and tokens[head].dep == "prep" and \
                any(e.cameo.startswith("04") for e in lex.noun_entries(_lemma(tokens[n]))):
            # "is in talks with", "remained in contact with": the subject takes part; but one "in
            # detention" or "in custody" is held, not holding
            return gov, "support"
        meeting = any(e.cameo.startswith("04") for e in lex.noun_entries(_lemma(tokens[n])))
        if h.lower == "in" and gov is not None and tokens[gov].pos in ("VERB", "AUX") and meeting and \
                tokens[head].dep == "prep" and any(p == "with" for p, _ in tree.prep_objects(n)):
            # "spoke in a telephone call with Abiy", "said in a meeting with his counterpart": the
            # subject takes part in the meeting with the one named
            return gov, "support"
        if h.lower == "in" and gov is not None:
            return gov, "purpose"  # "in protest", "in retaliation": a reason, not an event of its own
    return head, ""


MISSILE_NOUNS = cue("triggers.missile_nouns")
AIMED_PREPS = cue("triggers.aimed_preps")
SEA_NOUNS = cue("triggers.sea_nouns")
CALENDAR_WORDS = cue("where.calendar_words")


def _aimed(tree: Tree, verb: int, obj: int) -> bool:
    """True when a weapon fired has a mark: "at", "on", "against" a place or actor, or "into" anything
    but the sea ("fired missiles at Kyiv", "into Israeli territory"); not "into the sea", "off the
    coast", "over Japan" (a show of force over another's land, which the VOA conventions code so)."""
    tokens = tree.tokens
    for p, o in [*tree.prep_objects(verb), *tree.prep_objects(obj)]:
        if tokens[o].lower in CALENDAR_WORDS or _lemma(tokens[o]) in TIME_OF_DAY:
            continue  # "on Wednesday", "on Sunday morning"
        if p in AIMED_PREPS:
            return True
        if p == "into" and _lemma(tokens[o]) not in SEA_NOUNS:
            return True
    return False


def find_triggers(tree: Tree, start: int, end: int, lex: Lexicon) -> list[Trigger]:
    """Every trigger in tokens[start:end] (one sentence), in text order."""
    tokens = tree.tokens
    out: list[Trigger] = []
    has_verb = any(tokens[i].pos in ("VERB", "AUX") for i in range(start, end))
    for i in range(start, end):
        t = tokens[i]
        lem, again = _verb_lemma(t, lex)
        joined = _hyphenated(tree, i)
        if joined and lex.verb_entries(joined):
            lem, again = joined, ""  # "test-fired": the compound verb the lexicon lists, not "fire"
        if t.pos == "VERB" or (t.pos in ("NOUN", "PROPN", "ADJ") and t.dep == "ROOT"
                                and not has_verb and lex.verb_entries(lem)):
            entries = lex.verb_entries(lem)
            if entries:
                hit = _match_verb(tree, i, entries)
                if hit is not None:
                    e, score, obj = hit
                    how = f"verb '{lem}'{again}"
                    if e.particle:
                        how += f" {e.particle}"
                    if e.prep:
                        how += f" + '{e.prep}'"
                    if obj is not None:
                        how += f" + object '{_lemma(tokens[obj])}'"
                    cameo = e.cameo
                    if cameo.startswith("19") and lem in AIMING_VERBS and _measure_aims(tree, i):
                        # "sanctions targeting Russian banks", "legislation targeting Turkey": a restriction
                        cameo, how = "163", how + " by a law or measure (a restriction)"
                    if cameo.startswith("19") and obj is not None and _lemma(tokens[obj]) in MISSILE_NOUNS \
                            and not _aimed(tree, i, obj):
                        # "fired two missiles into the sea", "launched an ICBM": aimed at no one, a
                        # weapon fired shows force (a test), it attacks no one
                        cameo, how = "150", how + " aimed at no one (a show of force)"
                    if not (cameo.startswith("04") and lem in VISIT_VERBS and not _a_visitor(tree, i)):
                        out.append(Trigger(i, "verb", cameo, i, e.target, how, score, obj))
            # "army units began deploying in southern towns": the force deployed is the subject
            # (and "warships arrived in the Gulf": a force that arrives is deployed, it pays no visit)
            if lem in FORCE_MOVE_VERBS and not _objects(tree, i):
                subj = tree.child(i, "nsubj")
                gov = tree.head(i)
                if subj is None and t.dep in ("xcomp", "conj") and gov is not None:
                    subj = tree.child(gov, "nsubj")
                if subj is not None:
                    subj = _counted(tree, subj)
                force = next((e for e in lex.verb_entries("deploy") if subj is not None and e.cameo.startswith("15")
                              and e.accepts_object(_lemma(tokens[subj]), _modifiers(tree, subj), "")), None)
                if force is not None:
                    out = [tr for tr in out if tr.token != i]
                    out.append(Trigger(i, "verb", force.cameo, i, ("prep:to", "prep:in", "prep:near", "prep:at"),
                                       f"'{lem}' with the force deployed as its subject", 2, None))
            # "gave Benin until Friday to withdraw", "gave the envoy 72 hours to leave": a time limit
            # and what must be done by then (an ultimatum; an expulsion when it is to leave)
            deadline = _time_limit(tree, i) if lem in ULTIMATUM_VERBS else []
            if not any(_names_a_party(tree, k) for k in tree.children(i, "dative", "dobj")):
                deadline = []  # "gave the person five days to leave": whom, the sentence does not say
            # "ordered two diplomats to leave the country": an expulsion
            if lem in LEAVE_ORDER_VERBS and not any(tr.token == i for tr in out):
                leave = [k for k in tree.children(i, "xcomp", "ccomp") if _lemma(tokens[k]) in LEAVE_VERBS
                         and (tokens[k].dep == "xcomp" or _ordered_clause(tree, k))] + \
                    [k for k in deadline if _lemma(tokens[k]) in LEAVE_VERBS]
                objs = [o for o in tree.children(i, "dobj", "dative") if tokens[o].pos in ("NOUN", "PROPN")]
                if leave and objs:
                    diplomatic = _lemma(tokens[objs[0]]) in DIPLOMAT_WORDS
                    out.append(Trigger(i, "verb", "166" if diplomatic else "174", i, ("dobj",),
                                       f"'{lem}' ... to '{_lemma(tokens[leave[0]])}' (expulsion)", 3, objs[0]))
            if deadline and not any(tr.token == i for tr in out):
                out.append(Trigger(i, "verb", "139", i, ("dative", "dobj"),
                                   f"'{lem}' ... to '{_lemma(tokens[deadline[0]])}' by a time limit (ultimatum)", 3))
            # dismissal of claims: "called the claims baseless", "dismissed the reports as fake"
            if lem in DISMISS_VERBS:
                objs = [o for o in tree.children(i, "dobj") if _lemma(tokens[o]) in CLAIM_NOUNS]
                preds = [k for k in tree.children(i, "oprd", "ccomp", "xcomp", "prep", "advcl")
                         if any(_lemma(tokens[j]) in DISMISSIVE or tokens[j].lower in DISMISSIVE
                                for j in tree.subtree(k))]
                if objs and preds and not any(tr.token == i for tr in out):
                    out.append(Trigger(i, "predicate", "120", i, ("prep:of",),
                                       f"'{lem}' claims '{tokens[preds[0]].text}'", 2, objs[0]))
        passive_concern = t.pos == "VERB" and bool(tree.children(i, "auxpass")) and t.lower in CONCERN_ADJECTIVES
        if t.pos in ("ADJ", "VERB") and (t.dep == "acomp" or passive_concern) and t.lower in CONCERN_ADJECTIVES:
            # "Britain is seriously concerned about Iran's enrichment": a stated disapproval ("was
            # concerned by" may be parsed as a passive, the verb its own copula)
            cop = i if passive_concern else tree.head(i)
            # about someone's conduct: the phrase names a party ("Uganda's purchases", "Iranian
            # enrichment"), not only a state of things ("worried about the drought")
            about = [(p, o) for p, o in tree.prep_objects(i) if p in CONCERN_PREPS and any(
                tree.is_name(j) or tokens[j].dep == "poss" for j in tree.subtree(o))]
            if cop is not None and tokens[cop].pos in ("AUX", "VERB") and about:
                out.append(Trigger(i, "predicate", "110", cop, tuple(f"prep:{p}" for p in CONCERN_PREPS),
                                   f"'{t.text} {about[0][0]}' (a stated concern)", 2, about[0][1]))
        if t.pos in ("AUX", "VERB") and lem == "be":
            subj = tree.child(i, "nsubj")
            pred = [k for k in tree.children(i, "acomp", "attr") if _lemma(tokens[k]) in DISMISSIVE
                    or tokens[k].lower in DISMISSIVE]
            if subj is not None and pred and _lemma(tokens[subj]) in CLAIM_NOUNS:
                out.append(Trigger(i, "predicate", "120", i, ("prep:of",),
                                   f"claims called '{tokens[pred[0]].text}'", 2, subj))
            elif subj is not None and pred and tokens[subj].lower in CLAIM_POINTERS and not tree.children(i, "neg"):
                # "'This is completely false,' the envoy said": what was just claimed, called false
                out.append(Trigger(i, "predicate", "120", i, ("prep:of",),
                                   f"'{tokens[subj].text} is {tokens[pred[0]].text}' (a claim dismissed)", 2, subj))
        if t.pos in ("NOUN", "PROPN"):
            nentries = lex.noun_entries(lem)
            if not nentries:
                continue
            entry = _noun_entry(tree, i, nentries)
            if entry is None:
                continue
            verb, role = _support_verb(tree, i, lex)
            if role in ("reversal", "purpose", "verb"):
                continue
            if role in ("support", "occurrence"):
                assert verb is not None
                how = f"noun '{entry.lemma}' carried by '{_lemma(tokens[verb])}'"
                out.append(Trigger(i, "noun", entry.cameo, verb, entry.target, how, 1))
            elif role == "received":
                assert verb is not None
                how = f"noun '{entry.lemma}' received by the subject of '{_lemma(tokens[verb])}'"
                out.append(Trigger(i, "noun", entry.cameo, verb, entry.target, how, 1, received=True))
            elif role == "reported":
                assert verb is not None
                how = f"noun '{entry.lemma}' reported by '{_lemma(tokens[verb])}'"
                out.append(Trigger(i, "noun", entry.cameo, i, entry.target, how, 1))
            elif (carrier := _support_noun(tree, i)) is not None:
                # "the president's imposition of sanctions on Ghana": the nominalised support verb
                # carries the event, and its possessive is the doer
                how = f"noun '{entry.lemma}' carried by '{_lemma(tokens[carrier])}'"
                out.append(Trigger(carrier, "noun", entry.cameo, carrier, entry.target, how, 1))
            elif not has_verb:
                how = f"noun '{entry.lemma}' (verbless headline)"
                out.append(Trigger(i, "noun", entry.cameo, i, entry.target, how, 0))
            elif t.dep in ("nsubj", "ROOT", "appos") or (t.dep == "conj" and role == ""):
                how = f"noun '{entry.lemma}'"
                out.append(Trigger(i, "noun", entry.cameo, i, entry.target, how, 0))
    # "signed a treaty": when the verb's own entry matched the noun as its object, the noun adds nothing
    by_verb_obj = {(tr.verb, tr.obj) for tr in out if tr.kind == "verb" and tr.obj is not None}
    specific_verbs = {tr.verb for tr in out if tr.kind == "verb" and tr.specificity >= 3}
    return [tr for tr in out if not (tr.kind == "noun" and tr.verb != tr.token and (
        (tr.verb, tr.token) in by_verb_obj or tr.verb in specific_verbs))]


def open_noun_triggers(tree: Tree, start: int, end: int, lex: Lexicon, taken: set[int]) -> list[Trigger]:
    """Event nouns that no support verb carries ("since the killing of a soldier", "after a
    shootout along the border", "talks between Serbia and Kosovo ended"): tentative triggers whose
    actors come from the noun's own phrase (possessive, 'by', 'between', nationality adjectives).
    A reversal ("lifted the sanctions") or a purpose ("in protest") is no event of the noun's kind."""
    tokens = tree.tokens
    out: list[Trigger] = []
    for i in range(start, end):
        t = tokens[i]
        if i in taken or t.pos not in ("NOUN", "PROPN"):
            continue
        nentries = lex.noun_entries(_lemma(t))
        if not nentries:
            continue
        entry = _noun_entry(tree, i, nentries)
        if entry is None:
            continue
        _, role = _support_verb(tree, i, lex)
        if role in ("reversal", "purpose"):
            continue
        if told_as_done(tree, i) and _names_its_doer(tree, i):
            # "recalled its ambassador after Peru's expulsion of two diplomats", "amid clashes
            # between the army and rebels": an act the sentence tells as having happened, its doer named
            how = f"noun '{entry.lemma}' after '{tokens[tree.head(i)].lower}' (told as done)"  # type: ignore[index]
            out.append(Trigger(i, "noun", entry.cameo, i, entry.target, how, 1, told=True))
            continue
        how = f"noun '{entry.lemma}' (no support verb)"
        out.append(Trigger(i, "noun", entry.cameo, i, entry.target, how, 0, tentative=True))
    return out


TOLD_PREPS = cue("triggers.told_preps")


def told_as_done(tree: Tree, n: int) -> bool:
    """Whether the noun ``n`` is the object of a preposition that tells its event as having happened
    ("after the expulsion", "amid clashes"): an adjunct of time or cause, not the content of a verb."""
    tokens = tree.tokens
    prep = tree.head(n) if tokens[n].dep in ("pobj", "dobj") else None
    # "following" may be parsed as a verb whose object the noun is, itself a preposition of its head
    return prep is not None and tokens[prep].lower in TOLD_PREPS and (
        tokens[n].dep == "pobj" or tokens[prep].dep == "prep")


def _names_its_doer(tree: Tree, n: int) -> bool:
    """Whether the event noun ``n`` names its doer in its own phrase: a possessive ("Peru's
    expulsion"), a name or nationality before it ("Ethiopian air strikes"), "by" or "between"."""
    if tree.children(n, "poss"):
        return True
    if any(tree.is_name(k) for k in tree.children(n, "compound", "amod", "nmod") if k < n):
        return True
    return any(p in ("by", "between") for p, _ in tree.prep_objects(n))


MAX_OPEN_SENSES = 3
CLOSED_VERBS = cue("triggers.closed_verbs")  # verbs whose rows name every event sense they have


def open_verb_triggers(tree: Tree, start: int, end: int, lex: Lexicon,
                       taken_roots: set[tuple[int, str]]) -> list[Trigger]:
    """Lexicon verbs whose rows' conditions are not met ("arrest" with no object, "call" with an
    object the rows do not list), and the other senses of a verb a row matched: a tentative trigger
    per kind of event (CAMEO root) the verb's rows name, for the learned scorer to judge.
    ``taken_roots`` holds the (verb, root) pairs already found; a row's excluded objects (the
    harmless senses) still exclude."""
    tokens = tree.tokens
    out: list[Trigger] = []
    for i in range(start, end):
        t = tokens[i]
        if t.pos != "VERB":
            continue
        entries = lex.verb_entries(_lemma(t))
        if not entries or _lemma(t) in CLOSED_VERBS:
            continue
        objs = _objects(tree, i)
        lemmas = [_lemma(tokens[o]) for o in objs]
        usable = [e for e in entries if not any(x in e.excluded for x in lemmas)]
        if not usable:
            continue
        # one tentative trigger per kind of event the verb's rows name, each with its least demanding row
        by_root: dict[str, VerbEntry] = {}
        for e in sorted(usable, key=lambda x: (x.specificity, x.cameo)):
            if (i, e.cameo[:2]) in taken_roots:
                continue
            by_root.setdefault(e.cameo[:2], e)
        how = f"verb '{_lemma(t)}' (its rows' conditions unmet)"
        for e in list(by_root.values())[:MAX_OPEN_SENSES]:
            if e.cameo.startswith("04") and _lemma(t) in VISIT_VERBS and not _a_visitor(tree, i):
                continue
            out.append(Trigger(i, "verb", e.cameo, i, e.target, how, 0, tentative=True))
    return out
