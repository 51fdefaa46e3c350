"""Statement rules: PLOVER's conventions for what is said rather than done, and the events a
sentence carries without an event word of its own.

What an actor says it will do is the statement, not the act: an announced cooperative act is
AGREE, an announced or conditional hostile act THREATEN, a refused one REJECT; a speaker who
says another actor must do something makes a REQUEST; a speaker who calls another's conduct
illegal or hostile ACCUSEs it; an event inside another event's content ("threatened to
shell", "demanded the release of") is part of that event.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ...actors.phrase import STATE_SECTORS
from ...model import Actor
from ...nlp import Sentence
from ..arguments import Found, Resolved, find_source, find_targets, resolve_head, subject_head
from ..candidates import (
    ATTRIBUTION_VERBS,
    CONDEMNING_WORDS,
    CONTENT_DEPS,
    EMBEDDING_DEPS,
    FUTURE_OR_MODAL,
    INTENT_ADJ,
    REQUEST_MODALS,
    RETALIATION_WORDS,
    Candidate,
    as_agent,
    embedding_link,
    intent_code,
    quad,
    speech_governor,
    threat_code,
)
from ..context import SentenceContext
from ..cues import cue
from ..modality import Cue, CueKind, Modality, modality_of
from ..ontology import cameo_info
from ..syntax import Tree
from ..triggers import CLAIM_NOUNS, CLAIM_POINTERS, Trigger, base_forms, reacted_to, told_as_done
from . import Stage, register
from .actors import BACK_DETERMINERS, act_referred

NEED_VERBS = cue("statements.need_verbs")  # "Ghana needs to release"
COMMITMENT_VERBS = cue("statements.commitment_verbs")
# Targets found by fallback only: an embedded act's own target says better whom a statement concerns.
WEAK_TARGETS = (Found.IN_CLAUSE, Found.LOCATION, Found.DYAD)
# "tried to hack", "attempted to assassinate": an attempted hostile act was carried out as far as
# it went, and event data codes it as the act (CAMEO even has 185, attempt to assassinate).
_ATTEMPT = re.compile(r"(?:try|tries|tried|trying|attempt|attempts|attempted|attempting) to")
WOULD = ("would", "d", "’d")  # the conditional modal (a stated intent when reported)
NOBODY = cue("statements.nobody")  # "no one can say ...": a denied statement
PROTESTER_WORDS = cue("statements.protester_words")
CHARACTERISING_VERBS = cue("statements.characterising_verbs")
PRAISING_WORDS = cue("statements.praising_words")
HELP_VERBS = cue("statements.help_verbs")


@register("detente.statement.fold_embedded.v1", Stage.STATEMENTS)
def fold_embedded(sc: SentenceContext, cands: list[Candidate]) -> list[Candidate]:
    """An event inside another event's content is part of it ("threatened to shell", "demanded the
    release of", "talks on a troop pullback"); a body agreeing to a hostile act has decided it; a vow
    of a hostile act is a threat."""
    return _fold(sc, cands)


@register("detente.statement.stated_intent.v1", Stage.STATEMENTS)
def stated_intent(sc: SentenceContext, cands: list[Candidate]) -> list[Candidate]:
    """What an actor says it will, would or is ready to do is the statement: a cooperative act becomes
    AGREE, a hostile one THREATEN, a refused cooperative one REJECT; an attempted hostile act is the act."""
    return [_as_statement(sc, c) for c in cands]


@register("detente.statement.intent_predicates.v1", Stage.STATEMENTS)
def intent_predicates(sc: SentenceContext, cands: list[Candidate]) -> list[Candidate]:
    """ "X is ready/willing/prepared to <act>" with no trigger for the act: an AGREE by X."""
    more = cands + _intent_predicates(sc, sc.sent, cands)
    return _fold(sc, more) if sc.art.rules.on("detente.statement.fold_embedded.v1") else more


@register("detente.statement.dismissal.v1", Stage.STATEMENTS)
def dismissal(sc: SentenceContext, cands: list[Candidate]) -> list[Candidate]:
    """A dismissal predicate reported as speech ("claims ... were baseless", the ministry said) is the
    speaker's REJECT."""
    tree = sc.tree
    result = list(cands)
    for n, c in enumerate(result):
        if c.trigger.kind == "predicate":
            gov = speech_governor(tree, c.trigger.verb)
            src = sc.speaker_source(gov) if gov is not None else None
            if src is not None:
                tgt = c.target
                if tgt is not None and set(tgt.actors) & set(src.actors):
                    tgt = None
                result[n] = replace(c, source=src, target=tgt or _content_target(sc, c, src))
    return result


@register("detente.statement.threat_in_speech.v1", Stage.STATEMENTS)
def threat_in_speech(sc: SentenceContext, cands: list[Candidate]) -> list[Candidate]:
    """Speech whose content is future retaliation is a THREATEN ("telling him that the sanctions will
    be followed by retaliatory measures"); a summons that carries one is not a mere complaint."""
    threat = _threat_in_speech(sc, sc.sent, cands)
    if threat is None:
        return cands
    result = [c for c in cands if not (c.cameo.startswith("114") and c.source is not None
                                       and threat.source is not None
                                       and set(c.source.actors) & set(threat.source.actors))]
    result.append(threat)
    return result


MEASURE_VERBS = cue("statements.measure_verbs")
MEASURE_NOUNS = cue("statements.measure_nouns")
FIRM_WORDS = cue("statements.firm_words")
CALMING_VERBS = cue("statements.calming_verbs")
COMING_GOVERNORS = cue("statements.coming_governors")


@register("detente.statement.firm_measures.v1", Stage.STATEMENTS)
def firm_measures(sc: SentenceContext, cands: list[Candidate]) -> list[Candidate]:
    """A state that will take "all necessary measures", "resolute countermeasures" or "further steps
    against" another, or measures "in response to" its act, warns it (THREATEN, CAMEO 130), the
    formula of many a government's answer ("Beijing will take all necessary measures to safeguard
    the rights of Chinese firms"). Its target: whom the measures are against, else the doer of the
    act they answer, else another actor named in their purpose ("to prevent
    Iran from ..."), else the other side of the article's pair or the doer of the act just told;
    measures taken for calm ("steps to ease tensions") or at home, against no one, are no threat."""
    tree, tokens = sc.tree, sc.tokens
    out = list(cands)
    for i in range(sc.sent.start, sc.sent.end):
        if tokens[i].pos != "VERB" or tokens[i].lemma.lower() not in MEASURE_VERBS:
            continue
        measure = next((o for o in tree.children(i, "dobj") if tokens[o].lemma.lower() in MEASURE_NOUNS
                        or tokens[o].lower in MEASURE_NOUNS), None)
        if measure is None or not _stated_to_come(tree, i):
            continue
        against = [o for h in (i, measure) for p, o in tree.prep_objects(h) if p == "against"]
        # "in response to Chile's decision", "in retaliation for the raid": measures that answer an act
        answers = [o for h in (i, measure) for p, o in tree.prep_objects(h)
                   if p == "in" and tokens[o].lemma.lower() in RETALIATION_WORDS]
        answered = [o for a in answers for p, o in tree.prep_objects(a) if p in ("to", "for")]
        firm = {tokens[k].lower for k in tree.children(measure, "amod", "det", "predet", "compound")} & FIRM_WORDS
        if not (firm or against or answers or tokens[measure].lemma.lower() == "countermeasure"):
            continue
        # what they are for: a clause after them ("to safeguard ...", "measures necessary to prevent ...")
        purposes = [k for k in tree.children(i, "advcl", "xcomp") if k > measure] + \
            [k for k in tree.subtree(measure) if tokens[k].pos == "VERB"]
        if any(tokens[k].lemma.lower() in CALMING_VERBS for k in purposes):
            continue
        trig = Trigger(i, "verb", "130", i, ("prep:against",), f"'{tokens[i].lemma} {tokens[measure].text}' "
                       "stated to come (a warning)", 2, obj=measure)
        src = find_source(sc.arg, trig)
        if src is None:
            continue
        codes = {a.code for a in src.actors}  # "the Russian ministry warned that Moscow will ...": one actor
        told = [n for n, c in enumerate(out) if c.source is not None and codes & {a.code for a in c.source.actors}
                and cameo_info(c.cameo).plover_type == "THREATEN" and not c.tentative]
        mine = {a.country for a in src.actors}
        tgt = next((r for o in against for r in [resolve_head(sc.arg, o)] if r is not None), None)
        if tgt is None:
            tgt = next((r for o in answered for k in tree.subtree(o) if tokens[k].pos in ("PROPN", "NOUN", "ADJ")
                        for r in [_another(sc, k, mine)] if r is not None), None)
        if tgt is None:
            tgt = next((r for h in purposes for k in tree.subtree(h) if tokens[k].pos in ("PROPN", "NOUN")
                        for r in [_another(sc, k, mine)] if r is not None), None)
        if tgt is None and not told:
            tgt = _answered(sc, mine)
        if tgt is None or not {a.country for a in tgt.actors} - mine:
            continue
        if told:
            # the warning is told already ("warned that Moscow will take retaliatory action in response to
            # ... by the Estonian authorities"): it is aimed at whom the measures answer, where its own
            # target is only guessed or the speaker's own country
            for n in told:
                c = out[n]
                if c.target is None or c.target.found(*WEAK_TARGETS) or {a.country for a in c.target.actors} <= mine:
                    out[n] = replace(c, target=tgt)
            continue
        # what was vowed or stood ready for is the warning, not a promise besides it ("vowed to take ...")
        vowed = {i, tree.head(i) if tokens[i].dep == "xcomp" else i}
        out = [c for c in out if not ((c.trigger.token == i and c.tentative) or (
            c.trigger.token in vowed and cameo_info(c.cameo).plover_type == "AGREE" and c.source is not None
            and set(c.source.actors) & set(src.actors)))]
        out.append(Candidate(trig, "130", src, tgt, Modality(), ["measures stated to come: a warning"]))
    return out


def _stated_to_come(tree: Tree, verb: int) -> bool:
    """A verb of something to come: with "will", "would", "shall" ..., or what a state vows, is ready
    to, or reserves the right to do ("vowed to take", "stands ready to take")."""
    tokens = tree.tokens
    if any(tokens[k].lower in FUTURE_OR_MODAL for k in tree.children(verb, "aux")):
        return not any(tokens[k].dep == "neg" for k in tree.children(verb))
    if tokens[verb].dep != "xcomp" or tree.head(verb) is None:
        return False
    gov = tree.head(verb)
    assert gov is not None
    word = tokens[gov].lemma.lower()
    return word in COMMITMENT_VERBS or word in INTENT_ADJ or word in COMING_GOVERNORS


def _answered(sc: SentenceContext, mine: set[str]) -> Resolved | None:
    """Whom an answer with no one named is for: the other side of the article's pair, else the doer of
    the act just told."""
    pair = sc.discourse.last_pair
    if pair is not None:
        a, b = pair
        if a.country in mine and b.country not in mine:
            return Resolved((b,), -1, Found.DYAD, inferred=True)
        if b.country in mine and a.country not in mine:
            return Resolved((a,), -1, Found.DYAD, inferred=True)
    doer = sc.discourse.latest_act(sc.si)
    if doer is not None and doer.country not in mine:
        return Resolved((doer,), -1, Found.EARLIER_ACT, inferred=True, detail="the act just told")
    return None


@register("detente.statement.accusation_in_speech.v1", Stage.STATEMENTS)
def accusation_in_speech(sc: SentenceContext, cands: list[Candidate]) -> list[Candidate]:
    """A speaker who calls another actor's conduct illegal, hostile, a violation ... accuses it, even
    with no accusation verb."""
    accusation = _accusation_in_speech(sc, sc.sent, cands)
    if accusation is None:
        return cands
    claimed = accusation.claim
    if claimed is None:
        return [*cands, accusation]
    # the act the speaker tells of is its claim: kept, flagged, never counted as a real event
    cue = Cue(CueKind.REPORTED, sc.tokens[accusation.trigger.token].text)
    flagged = [replace(c, modality=replace(c.modality, reported=True, reasons=(*c.modality.reasons, cue)))
               if c.trigger.token == claimed else c for c in cands]
    return [*flagged, accusation]


@register("detente.statement.characterisation.v1", Stage.STATEMENTS)
def characterisation(sc: SentenceContext, cands: list[Candidate]) -> list[Candidate]:
    """Naming another actor's conduct with a word of condemnation is criticising it: "described
    Ruritania's decision as deplorable", "called the verdict against him arbitrary", "branded the
    Osterlich raid an act of aggression" (ACCUSE, CAMEO 111, against the actor whose conduct is named);
    naming it with a word of praise is praising it: "called Ruritania's offer a good step", "described
    the Osterlich aid as a great help" (SUPPORT, CAMEO 051)."""
    out = list(cands)
    for verb in range(sc.sent.start, sc.sent.end):
        found = _characterised(sc, verb, cands)
        if found is not None:
            event, named = found
            # a verb that names ("called the raid a violation") asks nothing: its other senses go;
            # nor does it carry the act it names ("described the attack on the embassy as
            # deplorable" is no attack by the speaker)
            out = [c for c in out if not (c.trigger.tentative and c.trigger.token == verb)
                   and not (c.trigger.kind == "noun" and c.trigger.verb == verb and c.trigger.token in named)]
            out.append(event)
    return out


def _characterised(sc: SentenceContext, verb: int,
                   cands: list[Candidate]) -> tuple[Candidate, set[int]] | None:
    """The event of naming another's conduct at ``verb``, and the tokens of what it names."""
    tree = sc.tree
    tokens = tree.tokens
    t = tokens[verb]
    if t.pos != "VERB" or t.lemma.lower() not in CHARACTERISING_VERBS or sc.in_quote[verb]:
        return None
    if tree.children(verb, "prt") or any(p in ("for", "on", "off", "upon") for p, _ in tree.prep_objects(verb)):
        return None  # "called for", "called on", "called off": no naming
    objects = tree.children(verb, "dobj") or [
        # "called Peru's decision regrettable": the parser may fold the object into the predicate
        k for k in tree.children(verb, "oprd") if any(
            (tokens[j].dep in ("compound", "poss") and tokens[j].pos in ("NOUN", "PROPN"))
            or (tokens[j].dep == "amod" and tokens[j].ent_type == "NORP") for j in tree.subtree(k))]
    if not objects or any(c.cameo[:2] in ("11", "12") and verb in (c.trigger.verb, c.trigger.token) for c in cands):
        return None
    # "described X as unjust and said ...": the parser may make "as unjust" an adverbial clause
    as_clauses = [k for k in tree.children(verb, "advcl") if tokens[k].pos in ("ADJ", "NOUN") and any(
        tokens[j].lower == "as" for j in tree.children(k, "advmod", "prep", "mark"))]
    heads = objects + tree.children(verb, "oprd", "xcomp", "ccomp") + \
        [k for k in tree.children(verb, "prep") if tokens[k].lower == "as"] + as_clauses
    content = {k for h in heads for k in tree.subtree(h)}
    cameo, note, kind = "111", "condemning characterisation -> ACCUSE", "condemnation"
    cue_at = next((k for k in sorted(content) if tokens[k].lemma.lower() in CONDEMNING_WORDS
                   or tokens[k].lower in CONDEMNING_WORDS), None)
    if cue_at is None:
        # praise is read in what the thing is called ("called the withdrawal a good step"), not in the
        # words of the thing itself ("called the good offices of Egypt ...")
        own_words = {k for h in objects for k in tree.children(h, "amod", "compound")}
        cue_at = next((k for k in sorted(content - own_words) if tokens[k].lower in PRAISING_WORDS), None)
        cameo, note, kind = "051", "praising characterisation -> SUPPORT", "praise"
    if cue_at is None or _denied(tree, cue_at, content | {verb}):
        return None
    src = sc.speaker_source(verb)
    if src is None:
        return None
    speakers = set(src.actors)
    # whose conduct: the doer of an act named in the object ("the raid" Osterlich carried out), else
    # the actor the object names ("Ruritania's decision", "the Osterlich raid"); criticism at home
    # counts ("the opposition called the government's decree unconstitutional")
    named = {k for h in objects for k in tree.subtree(h)}
    target: Resolved | None = None
    for c in cands:
        if c.trigger.token in named and c.source is not None and quad(c.cameo) >= 3:
            keep = tuple(a for a in c.source.actors if a not in speakers)
            if keep:
                target = replace(c.source, actors=keep)
                break
    for k in sorted(named):
        if target is not None:
            break
        if tokens[k].pos in ("PROPN", "NOUN", "ADJ"):
            r = resolve_head(sc.arg, k)
            keep = tuple(a for a in r.actors if a.country and a not in speakers) if r is not None else ()
            if r is not None and keep:
                target = replace(r.by(Found.NAMED_IN_STATEMENT), actors=keep)
    if target is None:
        # "called the decision regrettable": the act the story has just told
        target = next((r for k in sorted(named) if (r := act_referred(sc, k, {a.country for a in speakers}))
                       is not None), None)
    if target is None:
        return None
    why = f"'{t.lemma}' ... '{tokens[cue_at].text}' (named with {kind})"
    trig = Trigger(verb, "verb", cameo, verb, (), why, 1)
    return Candidate(trig, cameo, src, target, modality_of(tree, verb), [note]), named


@register("detente.statement.reported_demand.v1", Stage.STATEMENTS)
def reported_demand(sc: SentenceContext, cands: list[Candidate]) -> list[Candidate]:
    """ "X said Y must ...": a REQUEST from the speaker to Y; the act demanded, when it is a trigger
    itself, stays beside it, flagged as not done."""
    tree = sc.tree
    tokens = tree.tokens
    sent = sc.sent
    result = list(cands)
    requesters = {a for c in result if c.cameo.startswith("10") and c.source is not None for a in c.source.actors}
    for i in range(sent.start, sent.end):
        t = tokens[i]
        if t.pos not in ("VERB", "AUX"):
            continue
        demanded = [c for c in result if c.trigger.verb == i]
        if demanded and any(c.modality.is_real for c in demanded):
            continue
        modals = [tokens[k].lower for k in tree.children(i, "aux") if tokens[k].lower in REQUEST_MODALS]
        carrier = i
        head = tree.head(i)
        if not modals and t.dep == "xcomp" and head is not None and tokens[head].lemma.lower() in NEED_VERBS \
                and any(tokens[k].lower == "to" for k in tree.children(i, "aux")):
            # "said Ghana needs to release": the semi-modal carries the demand
            modals, carrier = [tokens[head].lower], head
        if not modals:
            continue
        gov = speech_governor(tree, carrier)
        if gov is None:
            continue
        src = sc.speaker_source(gov)
        subj = tree.child(carrier, "nsubj", "nsubjpass")
        if src is None or subj is None:
            continue
        tgt = resolve_head(sc.arg, subj)
        if tgt is None or {as_agent(a).code for a in tgt.actors} & {as_agent(a).code for a in src.actors}:
            continue  # "Britain must prepare", said a British minister: not a demand on anyone else
        if demanded and set(src.actors) & requesters:
            continue  # the speaker's request is coded already ("urged ... that Y must ...")
        trig = Trigger(i, "verb", "100", gov, (), f"'{tokens[gov].lemma}' that ... '{modals[0]}' "
                       f"'{t.lemma}'", 2)
        if not demanded:
            result = [c for c in result if c.trigger.verb != i]
        result.append(Candidate(trig, "100", src, tgt, Modality(), ["demand reported as 'must'"]))
    return result


@register("detente.statement.official_protest.v1", Stage.STATEMENTS)
def official_protest(sc: SentenceContext, cands: list[Candidate]) -> list[Candidate]:
    """A state that protests a thing ("Taiwan protested Beijing's decision", "the ministry protested
    the visit") complains officially (ACCUSE, CAMEO 114); a crowd protesting it demonstrates. A
    country named with no sector is its government."""
    tokens = sc.tokens
    out = []
    for c in cands:
        t = tokens[c.trigger.token]
        if (c.cameo.startswith("141") and c.trigger.kind == "verb" and t.lemma.lower() == "protest"
                and c.source is not None and c.source.actors
                and all(a.country not in NOT_STATES and (not a.sector or a.sector in STATE_SECTORS)
                        for a in c.source.actors)
                and not c.source.inferred and sc.tree.children(c.trigger.verb, "dobj")):
            c = replace(c, cameo="114", notes=[*c.notes, "a state protesting a thing complains officially"])
        out.append(c)
    return out


@register("detente.statement.protest_demand.v1", Stage.STATEMENTS)
def protest_demand(sc: SentenceContext, cands: list[Candidate]) -> list[Candidate]:
    """What protesters demand while protesting ("demonstrated calling for independence", "staged
    rallies, saying he must resign") is the protest's cause, not a REQUEST of its own."""
    return [c for c in cands if not _protest_demand(sc, c, cands)]


def _protest_demand(sc: SentenceContext, c: Candidate, cands: list[Candidate]) -> bool:
    if not c.cameo.startswith(("10", "02")) or c.source is None:
        return False
    countries = {a.country for a in c.source.actors}
    for o in cands:
        if o is c or not o.cameo.startswith("14") or o.source is None or o.trigger.kind == "noun":
            continue
        if not countries & {a.country for a in o.source.actors}:
            continue
        link = embedding_link(sc.tree, c.trigger.token, o.trigger.verb)
        if link in ("advcl", "xcomp", "prep", "conj") and c.trigger.token > o.trigger.verb:
            return True
    return False

def _fold(sc: SentenceContext, cands: list[Candidate]) -> list[Candidate]:
    """Drop events that sit inside another event's content: "threatened to shell", "demanded the
    release of", "talks on a troop pullback"; participial adjuncts ("..., accusing X of") stay."""
    tree = sc.tree
    kept: list[Candidate] = []
    # the act a statement is about names whom the statement concerns: "threatened to break off
    # relations with Congo and Costa Rica", "threatened to impose a curfew" (on its own people)
    content_target: dict[int, Resolved] = {}
    # "ECOWAS leaders agreed to impose sanctions on Niger": a body's agreement to a hostile act
    # is its decision, and a decision to act is the act (as "decided to freeze assets" is)
    decided: dict[int, Candidate] = {}
    for o in cands:
        if o.trigger.kind == "verb" and tree.tokens[o.trigger.verb].lemma.lower() == "agree" \
                and o.cameo.startswith("03"):
            for c in cands:
                if c is not o and quad(c.cameo) == 4 and not c.modality.negated and c.trigger.kind == "verb" \
                        and embedding_link(tree, c.trigger.token, o.trigger.verb) == "xcomp":
                    decided[id(o)] = c
                    break
    helped: dict[int, Candidate] = {}
    # "Qatar helped (to) broker the truce": a helper with no one helped does the act itself, and
    # the act is the event ("helped Sweden rebuild its army" stays aid to Sweden)
    for o in cands:
        if o.trigger.kind == "verb" and tree.tokens[o.trigger.verb].lemma.lower() in HELP_VERBS \
                and o.cameo.startswith("07") and not tree.children(o.trigger.verb, "dobj", "dative"):
            for c in cands:
                if c is not o and c.trigger.kind == "verb" and not c.cameo.startswith("07") \
                        and embedding_link(tree, c.trigger.token, o.trigger.verb) in ("xcomp", "ccomp"):
                    helped[id(o)] = c
                    break
    acts = {id(c) for c in decided.values()}
    helped_acts = {id(c) for c in helped.values()}
    # "vowed to fight until ...", "swore to crush the rebels": a commitment to a hostile act is
    # a threat, not an intent to cooperate
    vowed: dict[int, Candidate] = {}
    for o in cands:
        if o.trigger.kind == "verb" and tree.tokens[o.trigger.verb].lemma.lower() in COMMITMENT_VERBS \
                and o.cameo.startswith("03") and id(o) not in decided:
            for c in cands:
                link = embedding_link(tree, c.trigger.token, o.trigger.verb)
                to_clause = link == "advcl" and any(  # "sworn to fight", parsed as an adverbial clause
                    tree.tokens[k].lower == "to" for k in tree.children(c.trigger.verb, "aux"))
                if c is not o and quad(c.cameo) == 4 and not c.modality.negated and (
                        link in ("xcomp", "ccomp") or to_clause):
                    vowed[id(o)] = c
                    break
    for c in cands:
        if id(c) in decided or id(c) in helped:
            continue  # the agreement (or the help) gives way to the act agreed (or helped with)
        if id(c) in helped_acts:
            kept.append(replace(c, notes=[*c.notes, "helped to act: the helper's own act"]))
            continue
        if id(c) in vowed:
            act = vowed[id(c)]
            kept.append(replace(c, cameo=threat_code(act.cameo), target=act.target or c.target, notes=[
                *c.notes, f"vowed {cameo_info(act.cameo).plover_type} -> THREATEN"]))
            continue
        if id(c) in acts:
            kept.append(replace(c, modality=Modality(), notes=[
                *c.notes, f"agreed to {cameo_info(c.cameo).plover_type}: the decision is the act"]))
            continue
        trig_tok = tree.tokens[c.trigger.token]
        if reacted_to(tree, c.trigger) or (c.trigger.kind == "noun" and told_as_done(tree, c.trigger.token)) or (
                c.trigger.kind == "verb" and _told_clause(tree, c.trigger.verb)):
            # "condemned the US sanctions", "recalled its envoy after Peru's expulsion of ...": the
            # sanctions and the expulsion happened, beside the condemnation and the recall
            kept.append(c)
            continue
        if c.trigger.kind == "verb" and trig_tok.dep == "advcl" and trig_tok.tag == "VBG" and quad(c.cameo) in (1, 3):
            kept.append(c)  # a participial adjunct ("vowed to resume attacks, blaming X for ...") is an act
            continue        # of its own, said beside the statement, not inside what is vowed
        outer = None
        for o in cands:
            if o is c or o.trigger.token == c.trigger.token:
                continue
            if o.trigger.verb != c.trigger.verb:
                link = embedding_link(tree, c.trigger.token, o.trigger.verb)
                if link in EMBEDDING_DEPS or (link in CONTENT_DEPS and o.trigger.kind != "noun"
                                              and c.trigger.kind == "noun"):
                    outer = o
                    if link == "xcomp" and c.target is not None and c.source is not None and (
                            o.source is None or set(c.source.actors) <= set(o.source.actors)):
                        content_target.setdefault(id(o), c.target)
                    break
                if link == "prep" and quad(o.cameo) in (1, 3) \
                        and tree.tokens[_gerund(tree, c.trigger.token)].dep == "pcomp":
                    # "accused the rebels of violating the ceasefire", "praised X for releasing",
                    # "accused Chad of shelling villages, killing two": what a statement is about is
                    # its content, not an act of its own
                    outer = o
                    break
            if o.trigger.kind == "noun" and o.trigger.token != c.trigger.verb:
                link = embedding_link(tree, c.trigger.token, o.trigger.token)
                if link is not None and link not in ("conj", "cc", "appos"):
                    outer = o
                    break
        if outer is None:
            kept.append(c)
    for n, o in enumerate(kept):
        inner = content_target.get(id(o))
        if inner is not None and (o.target is None or (
                o.target.found(*WEAK_TARGETS) and not inner.inferred)):
            kept[n] = replace(o, target=inner)
    return kept

TOLD_MARKS = cue("statements.told_marks")


def _told_clause(tree: Tree, verb: int) -> bool:
    """Whether ``verb`` heads a clause that tells its act as having happened, beside the main one
    ("agreed to accept the flights after Trump threatened tariffs", "because Chad had shelled ...")."""
    verb = tree.conj_root(verb)
    return tree.tokens[verb].dep == "advcl" and any(
        tree.tokens[k].lower in TOLD_MARKS for k in tree.children(verb, "mark"))


def _gerund(tree: Tree, verb: int) -> int:
    """The gerund a participial adjunct hangs on ("of shelling villages, killing two"), else the verb."""
    cur = verb
    while tree.tokens[cur].tag == "VBG" and tree.tokens[cur].dep == "advcl":
        head = tree.head(cur)
        if head is None or tree.tokens[head].tag != "VBG":
            break
        cur = head
    return cur


COMMENTATOR_NOUNS = cue("statements.commentator_nouns")


def _commentators(tree: Tree, speech: int) -> bool:
    """Whether the speaker of ``speech`` comments on others' acts ("analysts say", "experts
    believe"): what they say an actor will or would do is their forecast, no statement of it."""
    subj = tree.child(speech, "nsubj")
    return subj is not None and tree.tokens[subj].lemma.lower() in COMMENTATOR_NOUNS


WISH_VERBS = cue("statements.wish_verbs")


def _wished_of_another(tree: Tree, verb: int) -> bool:
    """Whether ``verb`` is a clause of its own, with its own subject, under a verb of wishing ("we
    hope the parliament will meet us", "they want Kenya to ..."): another's wish for the act."""
    verb = tree.conj_root(verb)  # "hope the parliament will come out and meet us"
    tok = tree.tokens[verb]
    gov = tree.head(verb)
    if tok.dep != "ccomp" or gov is None or tree.child(verb, "nsubj") is None:
        return False
    # the tagger's lemma of "hopes" may be "hop": the word's regular base forms are tried too
    forms = {tree.tokens[gov].lemma.lower(), *base_forms(tree.tokens[gov].lower)}
    return not forms.isdisjoint(WISH_VERBS)


def _as_statement(sc: SentenceContext, c: Candidate) -> Candidate:
    """PLOVER codes what an actor says it will, would or is ready to do as the statement:
    a cooperative act becomes AGREE (intent), a conflictual one THREATEN, a refused
    cooperative one ("will not accept") REJECT. The act itself did not happen."""
    tree = sc.tree
    mod = c.modality
    if mod.hypothetical and not (mod.negated or mod.future) and mod.reasons and quad(c.cameo) == 4 and all(
            r.kind is CueKind.UNREALISED and _ATTEMPT.fullmatch(r.text) for r in mod.reasons):
        cameo = "185" if c.cameo == "186" else c.cameo  # attempt to assassinate
        return replace(c, cameo=cameo, modality=Modality(),
                       notes=[*c.notes, f"attempted {cameo_info(cameo).plover_type}: the attempt is the act"])
    if mod.has(CueKind.UNASSERTED):
        return c  # "experts doubt that Kenya will send troops": a judgement on the act, no statement of it
    gov = speech_governor(tree, c.trigger.verb)
    reported = gov is not None
    speaker_src = sc.speaker_source(gov) if gov is not None else None
    reasons = mod.reasons
    would = any(r.kind is CueKind.MODAL and r.text in WOULD for r in reasons)
    intent = any(r.kind in (CueKind.INTENT, CueKind.FUTURE) or (
        r.kind is CueKind.UNREALISED and r.text.startswith(("offer", "volunteer"))) for r in reasons)
    # inside an if-clause the act is only the condition; a main clause *with* an if-clause is conditional
    in_condition = mod.has(CueKind.CONDITION)
    if in_condition:
        return c
    conditional = _has_condition(sc, c.trigger.verb)
    modal = mod.has(CueKind.MODAL)
    other_modal = any(r.kind is CueKind.MODAL and r.text not in WOULD for r in reasons)
    future = mod.future or (reported and would)
    src = c.source or (speaker_src if reported else None)
    if src is None or src.found(Found.IMPLICIT_AGENT):
        return c  # only an actor speaking of its own acts states an intent
    if gov is not None and _commentators(tree, gov):
        return c  # "analysts say Tehran would welcome the closure": speculation on another's act
    if _wished_of_another(tree, c.trigger.verb):
        return c  # "we hope the parliament will meet us": the hope of the speaker, no word of the parliament's
    kind = quad(c.cameo)
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
        new = threat_code(c.cameo) if kind >= 3 else intent_code(c.cameo)
        why = f"stated {'future' if future else 'intent to'} {old_type}"
    elif mod.hypothetical and kind == 4 and (conditional or (modal and self_reported)):
        # "X would impose sanctions if Y invades", "we may halt aid, the minister said": a threat;
        # speculation by others ("analysts say X could invade") stays hypothetical
        new, why = threat_code(c.cameo), f"conditional {old_type}"
    if not new or cameo_info(new).plover_type == old_type:
        return c
    return replace(c, cameo=new, source=src, modality=Modality(reasons=reasons),
                   notes=[*c.notes, f"{why} -> {cameo_info(new).plover_type}"])

def _has_condition(sc: SentenceContext, verb: int) -> bool:
    """True when the clause of ``verb`` carries an if/unless clause ("would impose sanctions if ...")."""
    tree = sc.tree
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

def _intent_predicates(sc: SentenceContext, sent: Sentence, cands: list[Candidate]) -> list[Candidate]:
    """ "X is ready/willing/prepared to <act>" with no trigger for the act: an AGREE by X."""
    tree = sc.tree
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
        subj, path = subject_head(tree, i)
        src = resolve_head(sc.arg, subj) if subj is not None else None
        if src is None or path is None:
            continue
        mod = modality_of(tree, i)
        if mod.negated or mod.hypothetical:
            continue
        trig = Trigger(act, "verb", "030", act, (), f"'{t.text} to {tokens[act].lemma}' (stated intent)", 1)
        tgt = find_targets(sc.arg, trig, src)
        out.append(Candidate(trig, "030", src.by(path), tgt, mod, ["stated intent -> AGREE"]))
    return out

def _accusation_in_speech(sc: SentenceContext, sent: Sentence, cands: list[Candidate]) -> Candidate | None:
    """Reported speech that condemns a named actor's conduct ("Athens maintains that Turkey has
    stepped up hostile patrols", "'The US move was unjustified,' Baqaei added") is an ACCUSE by
    the speaker, even with no accusation verb."""
    tree = sc.tree
    tokens = tree.tokens
    content: list[int] = []
    speaker: Resolved | None = None
    verb = -1
    for i in range(sent.start, sent.end):
        t = tokens[i]
        if t.pos == "VERB" and t.lemma.lower() in ATTRIBUTION_VERBS and not sc.in_quote[i]:
            if tree.has_neg(i):
                continue  # "has not disclosed" reports nothing
            comps = tree.children(i, "ccomp", "parataxis")
            quoted = [k for k in range(sent.start, sent.end) if sc.in_quote[k]]
            if comps:
                content = [k for c in comps for k in tree.subtree(c)]
            elif quoted:
                content = quoted
            else:
                continue
            speaker = sc.speaker_source(i)
            verb = i
            break
    if speaker is None and sc.speaker is not None and all(sc.in_quote[k] or tokens[k].pos == "PUNCT"
                                                            for k in range(sent.start, sent.end)):
        content = list(range(sent.start, sent.end))
        speaker = Resolved((sc.speaker,), sent.start, Found.QUOTED_SPEAKER, inferred=True)
        verb = sent.start
    if speaker is None or not content:
        return None
    inside = set(content)
    speakers = {a.country for a in speaker.actors}
    if speaker.inferred and speaker.path is Found.PHRASE and all(a.sector in STATE_SECTORS for a in speaker.actors):
        # "diplomats said" with no country of their own: the one guessed for them may be the report's
        named = {a.country for k in content if tokens[k].pos == "PROPN"
                 for r in [resolve_head(sc.arg, k)] if r is not None for a in r.actors}
        if speakers & named:
            return None
    if any(c.cameo[:2] in ("11", "12") and c.source is not None and (
            c.trigger.token not in inside or {a.country for a in c.source.actors} & speakers)
            and not (c.cameo[:2] == "12" and c.trigger.verb != verb and c.trigger.token not in inside)
            for c in cands):
        # the sentence already has its accusation or dismissal (not another's act it reports); a
        # denial by another verb ("denied the claim and said their troops had fired first") is
        # one act, the counter-accusation another
        return None
    cue = next((k for k in content if tokens[k].lemma.lower() in CONDEMNING_WORDS
                or tokens[k].lower in CONDEMNING_WORDS), None)
    if cue is None:
        return _wrongdoing_reported(sc, speaker, verb, content, cands)
    if _denied(tree, cue, inside):
        return None  # "no one can say I am implicated in any corrupt affair", "it was not illegal"
    alleged = [c for c in cands if c.trigger.token in content and quad(c.cameo) >= 3 and c.source is not None]
    mine = {a.country for a in speaker.actors}
    # a state's voice does not accuse its own state; rebels, the opposition or a campaign group may
    # ("the Kabul administration tried to sabotage the talks", said the Taliban leader)
    within = not any(a.sector in STATE_SECTORS or not a.sector for a in speaker.actors)

    def other(a: Actor) -> bool:
        return a.country not in mine or (within and a.sector in STATE_SECTORS)

    target: Resolved | None = None
    for c in alleged:
        assert c.source is not None
        keep = tuple(a for a in c.source.actors if other(a))
        if keep:
            target = replace(c.source, actors=keep)
            break
    if target is None:
        for k in content:
            if tokens[k].pos not in ("PROPN", "NOUN", "ADJ") or tokens[k].dep == "compound":
                continue
            r = resolve_head(sc.arg, k)
            if r is not None:
                keep = tuple(a for a in r.actors if other(a))
                if keep:
                    target = replace(r.by(Found.NAMED_IN_STATEMENT), actors=keep)
                    break
    if target is None:
        # "'These aggressive actions put our crews at risk,' the minister said": the act the story
        # has just told, whose doer the quote leaves unnamed
        target = next((r for k in content if (r := act_referred(sc, k, mine)) is not None), None)
    if target is None:
        return None
    word = tokens[cue].text
    trig = Trigger(verb, "verb", "112", verb, (), f"statement condemning '{word}'", 1)
    return Candidate(trig, "112", speaker, target, Modality(), ["condemnation reported as speech"])

WRONGDOING_ROOTS = ("13", "145", "17", "18", "19", "20")
# no state's organ: an international body, an NGO, a transnational group, an unknown or no country
NOT_STATES = frozenset({"IGO", "NGO", "IMG", "---", ""})


def _in_background_clause(tree: Tree, token: int, top: int) -> bool:
    """True when ``token`` hangs from ``top`` through an adverbial clause or a time phrase ("after",
    "before", "since", "when"): the article's narration, not what the speaker says."""
    cur: int | None = token
    for _ in range(12):
        if cur is None or cur == top:
            return False
        if tree.tokens[cur].dep in ("advcl", "pcomp") or any(
                tree.tokens[k].lower in ("after", "before", "since", "when", "while", "as")
                for k in tree.children(cur, "mark", "prep")):
            return True
        cur = tree.head(cur)
    return False


def _wrongdoing_reported(sc: SentenceContext, speaker: Resolved, verb: int, content: list[int],
                         cands: list[Candidate]) -> Candidate | None:
    """"X said Y attacked Z", "the police said protesters had thrown stones at them": a speaker who
    tells of another actor's violence or repression accuses it (PLOVER codes the telling as ACCUSE;
    the act is the speaker's claim)."""
    tokens = sc.tree.tokens
    mine = {a.code for a in speaker.actors}
    inside = set(content)
    for c in cands:
        if c.trigger.token not in inside or c.source is None or not c.cameo.startswith(WRONGDOING_ROOTS):
            continue
        if c.modality.negated or c.modality.hypothetical:
            continue
        victims = {a.country for a in c.target.actors} if c.target is not None else set()
        speakers = {a.country for a in speaker.actors}
        doers = {a.country for a in c.source.actors}
        foreign = bool(speakers) and not doers & speakers and not doers & NOT_STATES
        if c.trigger.token < verb and not (sc.in_quote[c.trigger.token] and foreign and victims & speakers):
            # "..., police said": a wire's attribution of what it reports, not a complaint; but a
            # side's own quote of what another state did to it is its complaint ("'Ruritania
            # shelled our villages,' the Osterlich president said")
            continue
        if _in_background_clause(sc.tree, c.trigger.verb, verb):
            continue  # "said he would veto the bill, a day after protesters stormed parliament"
        if c.cameo.startswith("13") and not foreign:
            continue  # "he said the rebels 'will be crushed' by our forces": his own side's threat
        if not victims & speakers and not (foreign and verb < c.trigger.token and _main_clause(sc.tree, verb)):
            # a side tells of what was done to it, or one state claims another's wrongdoing
            # ("Serbia says Kosovo police beat protesters"); a third party's account is a report
            continue
        keep = tuple(a for a in c.source.actors if a.code not in mine and a.country)
        if not keep:
            continue
        why = f"'{tokens[verb].lemma}' that '{tokens[c.trigger.token].text}' (a wrongdoing told by another)"
        trig = Trigger(verb, "verb", "112", verb, (), why, 1)
        out = Candidate(trig, "112", speaker, replace(c.source, actors=keep), Modality(),
                        ["wrongdoing reported as speech"])
        if tokens[verb].lemma.lower() in ATTRIBUTION_VERBS and not sc.in_quote[c.trigger.token]:
            # "X says Y did Z": Z is X's claim; a quote an official gives of what happened is the
            # article's report through its source
            return replace(out, claim=c.trigger.token)
        return out
    return None


def _main_clause(tree: Tree, verb: int) -> bool:
    """Whether ``verb`` is the sentence's main verb, or one coordinated with it ("denied the claim
    and said ...")."""
    dep = tree.tokens[verb].dep
    head = tree.head(verb)
    return dep == "ROOT" or (dep == "conj" and head is not None and tree.tokens[head].dep == "ROOT")


def _content_target(sc: SentenceContext, c: Candidate, src: Resolved) -> Resolved | None:
    """An actor named inside the trigger's own phrase other than the source ("claims of
    Russia's meddling in the US elections" said by the Kremlin -> the US)."""
    tree = sc.tree
    head = c.trigger.obj if c.trigger.obj is not None else c.trigger.token
    mine = {x.country for x in src.actors}
    for j in tree.subtree(head):
        if tree.tokens[j].pos not in ("PROPN", "NOUN", "ADJ") or j == head:
            continue
        r = resolve_head(sc.arg, j)
        if r is not None:
            keep = tuple(a for a in r.actors if a.country not in mine)
            if keep:
                return replace(r.by(Found.NAMED_IN_CLAIM), actors=keep, inferred=True)
    # "said the claims were baseless": the claims told just before, whoever made them
    claim = tree.tokens[head]
    pointed = claim.lemma.lower() in CLAIM_NOUNS and any(tree.tokens[k].lower in BACK_DETERMINERS
                                                          for k in tree.children(head, "det"))
    if pointed or claim.lower in CLAIM_POINTERS:
        maker = sc.discourse.latest_act(sc.si, within=3, besides=frozenset(mine), roots=frozenset({"11"}))
        if maker is not None:
            return Resolved((maker,), head, Found.EARLIER_ACT, inferred=True, detail=claim.text)
    return None

def _threat_in_speech(sc: SentenceContext, sent: Sentence, cands: list[Candidate]) -> Candidate | None:
    tree = sc.tree
    tokens = tree.tokens
    for i in range(sent.start, sent.end):
        t = tokens[i]
        if t.pos != "VERB" or t.lemma.lower() not in ATTRIBUTION_VERBS or sc.in_quote[i]:
            continue
        for comp in tree.children(i, "ccomp"):
            words = tree.subtree(comp)
            future = any(tokens[k].lower in FUTURE_OR_MODAL and tokens[k].dep == "aux" for k in words)
            retaliation = next((k for k in words if tokens[k].lemma.lower() in RETALIATION_WORDS
                                or tokens[k].lower in RETALIATION_WORDS), None)
            if not (future and retaliation is not None):
                continue
            src = sc.speaker_source(i)
            if src is None:
                continue
            doers = [o for p, o in tree.prep_objects(retaliation) if p in ("from", "by")] + \
                tree.children(retaliation, "poss")
            if any((r := resolve_head(sc.arg, o)) is not None and not set(r.actors) & set(src.actors)
                   for o in doers):
                continue  # "fearing that retaliation from Beijing could ...": another's retaliation
            tgt = None
            for o in tree.children(i, "dobj", "dative"):
                tgt = resolve_head(sc.arg, o)
                if tgt:
                    break
            if tgt is None:
                for k in words:
                    if tokens[k].pos in ("PROPN", "NOUN") and k != retaliation:
                        r = resolve_head(sc.arg, k)
                        if r and not set(r.actors) & set(src.actors):
                            tgt = r
                            break
            trig = Trigger(i, "verb", "130", i, (), f"'{t.lemma}' that ... '{tokens[retaliation].text}' "
                           "(future retaliation)", 2)
            if tgt is None:
                # "Belarus said it would respond in kind": retaliation answers the other side of the
                # article's pair, else the doer of the act just told
                tgt = _answered(sc, {a.country for a in src.actors})
            return Candidate(trig, "130", src, tgt, Modality(), ["speech announcing retaliation"])
    return None


@register("detente.statement.warning_about_others.v1", Stage.STATEMENTS)
def warning_about_others(sc: SentenceContext, cands: list[Candidate]) -> list[Candidate]:
    """A warning is a threat when it announces what the speaker's side will or could do. A warning
    about another actor's conduct ("warned that Ruritanian troops were pouring over the border",
    "warn of Ruritania's military build-up") accuses that actor; a warning of a danger no actor
    brings ("officials warn the fire is too big to put out", "warned of a famine") is no event."""
    tree = sc.tree
    tokens = tree.tokens
    out: list[Candidate] = []
    for c in cands:
        if c.cameo != "130" or c.source is None or tokens[c.trigger.token].lemma.lower() != "warn" \
                or c.trigger.kind != "verb":
            out.append(c)
            continue
        verb = c.trigger.token
        mine = {a.country for a in c.source.actors}
        comps = tree.children(verb, "ccomp")
        about = [o for p, o in tree.prep_objects(verb) if p == "of"]
        if not comps and not about:
            out.append(c)  # "warned Ruritania": a warning to someone
            continue
        content = [k for h in comps + about for k in tree.subtree(h)]
        if any(tokens[k].lower in FUTURE_OR_MODAL and tokens[k].dep == "aux" for k in content) or any(
                tokens[k].lower in ("if", "unless") for k in content):
            out.append(c)  # what will or could happen: a threat
            continue
        # whose conduct the warning is about: the subject of what was said, or the actor named in
        # the danger warned of ("of Ruritania's build-up")
        phrases = [subj for h in comps for subj in [subject_head(tree, h)[0]] if subj is not None] + about
        other = next((r for h in phrases for k in tree.subtree(h) for r in [_another(sc, k, mine)] if r is not None),
                     None)
        if other is None:
            continue  # a danger no actor brings: no event
        if any(x.cameo[:2] == "11" and x.source is not None and x.target is not None
               and set(x.source.actors) == set(c.source.actors)
               and {a.country for a in x.target.actors} & {a.country for a in other.actors} for x in cands):
            continue  # the accusation is already there
        trig = replace(c.trigger, cameo="112")
        out.append(replace(c, trigger=trig, cameo="112", target=other,
                           notes=[*c.notes, "warning about another actor's conduct -> ACCUSE"]))
    return out


def _another(sc: SentenceContext, k: int, mine: set[str]) -> Resolved | None:
    """The actor token ``k`` names, if it is not of the countries ``mine``."""
    if sc.tokens[k].pos not in ("PROPN", "NOUN", "ADJ"):
        return None
    r = resolve_head(sc.arg, k)
    if r is None:
        return None
    keep = tuple(a for a in r.actors if a.country and a.country not in mine)
    return replace(r.by(Found.NAMED_IN_STATEMENT), actors=keep) if keep else None


@register("detente.statement.envoy_host.v1", Stage.STATEMENTS)
def envoy_host(sc: SentenceContext, cands: list[Candidate]) -> list[Candidate]:
    """Recalling or withdrawing one's own envoy is aimed at the state where the envoy serves: "recalled
    the Peruvian ambassador in Santiago" is Peru against Chile, not Peru against its own ambassador."""
    tree = sc.tree
    out: list[Candidate] = []
    for c in cands:
        if c.cameo != "161" or c.source is None or c.trigger.obj is None or c.target is None or \
                not {a.country for a in c.target.actors} <= {a.country for a in c.source.actors}:
            out.append(c)
            continue
        envoy = c.trigger.obj
        places = [o for p, o in tree.prep_objects(envoy) if p in ("in", "to", "at")]
        places += [o for p, o in tree.prep_objects(c.trigger.verb) if p == "from"]
        mine = {a.country for a in c.source.actors}
        host = next((r for o in places for r in [_another(sc, o, mine)] if r is not None), None)
        if host is not None:
            out.append(replace(c, target=host, notes=[*c.notes, "the state the envoy serves in"]))
            continue
        # "recalled its ambassador after Peru's expulsion of two diplomats": the doer of the act the
        # sentence tells the recall follows, else whom the article's pair or its last act names
        told = next((o.source for o in cands if o.trigger.told and o.source is not None
                     and not {a.country for a in o.source.actors} & mine), None)
        answered = told or _answered(sc, mine)
        out.append(replace(c, target=answered, notes=[*c.notes, "the state the recall answers"]) if answered else c)
    return out


def _denied(tree: Tree, k: int, inside: set[int]) -> bool:
    """Whether a clause between token ``k`` and the top of what was said is negated ("was not
    illegal") or has no one as its subject ("no one can say ...")."""
    cur: int | None = k
    for _ in range(12):
        if cur is None or cur not in inside:
            return False
        if tree.has_neg(cur):
            return True
        for subj in (cur, *tree.children(cur, "nsubj", "nsubjpass")):  # "there is no one that can say"
            words = {tree.tokens[subj].lower} | {tree.tokens[d].lower for d in tree.children(subj, "det")}
            if words & NOBODY:
                return True
        cur = tree.head(cur)
    return False


@register("detente.statement.protesters_demand.v1", Stage.STATEMENTS)
def protesters_demand(sc: SentenceContext, cands: list[Candidate]) -> list[Candidate]:
    """What protesters demand is their protest, not a request of its own ("protesters called for an
    end to the quota system", "demonstrators demanded the minister's resignation"): PROTEST by them,
    against their own state unless the demand names another."""
    out: list[Candidate] = []
    for c in cands:
        src = c.source
        if c.cameo[:2] not in ("02", "10") or src is None or not src.actors or not all(
                a.sector == "CVL" and a.country not in ("", "IGO", "NGO")
                and set(re.findall(r"[a-z]+", a.text.lower())) & PROTESTER_WORDS for a in src.actors):
            out.append(c)
            continue
        mine = {a.country for a in src.actors}
        target = c.target
        if target is None or target.found(*WEAK_TARGETS) or target.inferred or \
                {a.country for a in target.actors} <= mine:
            state = tuple(Actor(code=a.country + "GOV", country=a.country, sector="GOV", text="(their government)")
                          for a in src.actors[:1])
            target = Resolved(state, -1, Found.IMPLICIT_AGENT, inferred=True)
        out.append(replace(c, cameo="141", target=target,
                           notes=[*c.notes, "what protesters demand is their protest -> PROTEST"]))
    return out
