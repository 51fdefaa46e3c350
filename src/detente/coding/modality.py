"""PLOVER's auxiliary modes for one trigger: negated, hypothetical, future.

The walk starts at the trigger and climbs the chain of verbs that govern it within its own
clause (``xcomp`` links, a noun's support verb, coordinated verbs that share an auxiliary),
stopping at a clause boundary (reported speech ``ccomp``, relative clauses). On the way it
reads negation ("not", "never", "no"), modal auxiliaries ("could", "would", "might"),
future markers ("will", "plans to"), conditional clauses ("if", "unless", "were it to")
and governors that make their complement unreal ("chose not to", "failed to", "is
considering", "is ready to").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from .cues import cue
from .syntax import Tree

__all__ = ["Cue", "CueKind", "Modality", "modality_of"]

HYPOTHETICAL_MODALS = cue("modality.hypothetical_modals")
FUTURE_AUX = cue("modality.future_aux")
CONDITIONAL_MARKS = cue("modality.conditional_marks")

NEGATING_GOVERNORS = cue("modality.negating_governors")
HYPOTHETICAL_GOVERNORS = cue("modality.hypothetical_governors")
FUTURE_GOVERNORS = cue("modality.future_governors")
DECISION_NOUNS = cue("modality.decision_nouns")
PLAN_NOUNS = cue("modality.plan_nouns")
OFFER_NOUNS = cue("modality.offer_nouns")
# nouns whose "to" infinitive is their owner's act, decided, planned or offered ("decision to expel",
# "plans to close", "offer to mediate")
PURPOSE_NOUNS = DECISION_NOUNS | PLAN_NOUNS | OFFER_NOUNS
HYPOTHETICAL_ADJ = cue("modality.hypothetical_adj")
FUTURE_ADJ = cue("modality.future_adj")
NEGATIVE_ADJ = cue("modality.negative_adj")
NEGATIVE_DETS = cue("modality.negative_dets")
INTEREST_ADJ = cue("modality.interest_adj")
DOUBT_VERBS = cue("modality.doubt_verbs")
UNCERTAIN_ADJ = cue("modality.uncertain_adj")
EVIDENCE_NOUNS = cue("modality.evidence_nouns")
# verbs whose subject noun is the event itself ("the talks did not take place"); the negation of
# any other predicate is about the predicate ("the strikes did not deter them": the strikes happened)
OCCURRENCE_VERBS = cue("triggers.occurrence_verbs")


class CueKind(Enum):
    """What a modality cue does to the act it governs; the value is how the event's ``rule`` says it."""

    NEGATION = "negated by"  # "not", "no", "without", "failed to"
    FUTURE = "future"  # "will", "plans to", "is due to"
    MODAL = "modal"  # "could", "should", "would"
    CONDITION = "condition"  # "if", "unless", "were ... to"
    INTENT = "intent"  # "ready to", "willing to"
    UNREALISED = "unrealised"  # "threatened to", "urged to", "tried to"
    UNASSERTED = "not asserted by"  # "doubt that", "unlikely that", "no sign that": someone else's judgement
    REPORTED = "claimed by"  # "Serbia says Kosovo police beat protesters": the speaker's claim, not the article's


@dataclass(frozen=True)
class Cue:
    """One word that sets a modality flag: its kind and its text as the sentence has it."""

    kind: CueKind
    text: str  # "would", "failed to", "were ... to"

    def __str__(self) -> str:
        return f"{self.kind.value} '{self.text}'"


@dataclass(frozen=True)
class Modality:
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    reasons: tuple[Cue, ...] = field(default=())
    reported: bool = False  # a claim inside another's speech, not asserted in the article's own voice

    def has(self, kind: CueKind) -> bool:
        return any(r.kind is kind for r in self.reasons)

    @property
    def is_real(self) -> bool:
        return not (self.negated or self.hypothetical or self.future or self.reported)


NOBODY = cue("statements.nobody")


def _clause_flags(tree: Tree, v: int, flags: dict[str, bool], reasons: list[Cue]) -> None:
    """Read negation, modal and future auxiliaries and conditional marks on verb v."""
    for k in tree.doc.children[v]:
        t = tree.tokens[k]
        low = t.lower
        if t.dep == "neg":
            flags["negated"] = True
            reasons.append(Cue(CueKind.NEGATION, t.text))
        elif t.dep in ("aux", "auxpass") and (t.tag == "MD" or low in HYPOTHETICAL_MODALS | FUTURE_AUX):
            if low in FUTURE_AUX:
                flags["future"] = True
                reasons.append(Cue(CueKind.FUTURE, t.text))
            elif low in HYPOTHETICAL_MODALS and (low != "can" or not tree.children(v, "neg")):
                flags["hypothetical"] = True
                reasons.append(Cue(CueKind.MODAL, t.text))
        elif t.dep == "mark" and low in CONDITIONAL_MARKS:
            flags["hypothetical"] = True
            reasons.append(Cue(CueKind.CONDITION, t.text))
        elif t.dep in ("nsubj", "nsubjpass") and (low in NOBODY or any(
                tree.tokens[d].lower in NEGATIVE_DETS and tree.tokens[d].dep in ("det", "preconj")
                for d in tree.doc.children[k])):
            # "neither Chad nor Niger has attacked", "no soldier was hurt", "nobody was arrested"
            flags["negated"] = True
            reasons.append(Cue(CueKind.NEGATION, t.text if low in NOBODY else "no one of the subject"))
    # "were it to occur": inverted conditional (aux 'were' + expl/nsubj after it, with 'to')
    tok = tree.tokens[v]
    if tok.dep == "advcl":
        kids = tree.doc.children[v]
        if any(tree.tokens[k].lower == "were" for k in kids) and any(
                tree.tokens[k].lower == "to" for k in kids):
            flags["hypothetical"] = True
            reasons.append(Cue(CueKind.CONDITION, "were ... to"))


def _unasserted_clause(tree: Tree, clause: int, gov: int, flags: dict[str, bool], reasons: list[Cue]) -> bool:
    """Flag a 'that' clause its governor does not assert: doubted ("experts doubt that Kenya will
    send troops"), judged unlikely or unclear ("it is unlikely that Russia will lift"), or denied
    any sign ("there is no sign that Iran is preparing"). True when it flagged one."""
    tokens = tree.tokens
    g = tokens[gov]
    lemma = (g.lemma or g.lower).lower()
    if g.pos in ("NOUN", "PROPN") and lemma in EVIDENCE_NOUNS and any(
            tokens[k].lower in NEGATIVE_DETS for k in tree.children(gov, "det")):
        flags["negated"] = True
        reasons.append(Cue(CueKind.UNASSERTED, f"no {g.text}"))
        return True
    if tokens[clause].dep != "ccomp":
        return False
    noun = tree.head(gov) if g.pos == "VERB" and g.dep in ("relcl", "acl") else None
    if noun is not None and (tokens[noun].lemma or "").lower() in EVIDENCE_NOUNS:
        # "there is no reason to think that ...", "little evidence to suggest that ...": not asserted
        if any(tokens[k].lower in NEGATIVE_DETS for k in tree.children(noun, "det")):
            flags["negated"] = True
            reasons.append(Cue(CueKind.UNASSERTED, f"no {tokens[noun].text}"))
            return True
        if any(tokens[k].lower == "little" for k in tree.children(noun, "amod")):
            flags["hypothetical"] = True
            reasons.append(Cue(CueKind.UNASSERTED, f"little {tokens[noun].text}"))
            return True
    if g.pos == "VERB" and lemma in DOUBT_VERBS:
        flags["hypothetical"] = True
        reasons.append(Cue(CueKind.UNASSERTED, g.text))
        return True
    if g.pos in ("AUX", "VERB") and lemma == "be":
        adj = [k for k in tree.children(gov, "acomp") if tokens[k].lower in UNCERTAIN_ADJ and k < clause]
        if adj and not tree.children(adj[0], "neg") and not tree.children(gov, "neg"):
            flags["hypothetical"] = True
            reasons.append(Cue(CueKind.UNASSERTED, tokens[adj[0]].text))
            return True
    return False


def _mark(flags: dict[str, bool], reasons: list[Cue], flag: str, kind: CueKind, text: str) -> None:
    """Set ``flag`` and record the cue that set it."""
    flags[flag] = True
    reasons.append(Cue(kind, text))


def modality_of(tree: Tree, trigger: int) -> Modality:
    """The auxiliary modes of the event whose trigger is token ``trigger``."""
    flags = {"negated": False, "hypothetical": False, "future": False}
    reasons: list[Cue] = []
    tokens = tree.tokens
    cur = trigger

    # An event noun: "no deal", "without agreement"; then climb to the verb that carries it.
    if tokens[cur].pos in ("NOUN", "PROPN"):
        for k in tree.children(cur, "det", "neg"):
            if tokens[k].lower in NEGATIVE_DETS or tokens[k].dep == "neg":
                flags["negated"] = True
                reasons.append(Cue(CueKind.NEGATION, tokens[k].text))
        steps = 0
        presupposed = False
        while tokens[cur].dep in ("dobj", "nsubjpass", "pobj", "attr", "oprd", "conj", "compound", "nsubj") \
                and steps < 4:
            h = tree.head(cur)
            if h is None:
                break
            if tokens[cur].dep == "nsubj" and tokens[h].pos == "VERB" and \
                    (tokens[h].lemma or tokens[h].lower).lower() not in OCCURRENCE_VERBS:
                presupposed = True
            if tokens[h].pos == "ADP":
                if tokens[h].lower == "without":
                    flags["negated"] = True
                    reasons.append(Cue(CueKind.NEGATION, "without"))
                h2 = tree.head(h)
                if h2 is None:
                    break
                h = h2
            cur = h
            steps += 1
            if tokens[cur].pos in ("VERB", "AUX"):
                break
        if tokens[cur].pos not in ("VERB", "AUX", "ADJ"):
            return Modality(flags["negated"], flags["hypothetical"], flags["future"], tuple(reasons))
        if presupposed:
            clause = modality_of(tree, cur)
            return Modality(flags["negated"], clause.hypothetical, clause.future,
                            tuple(reasons) + tuple(r for r in clause.reasons if r.kind is not CueKind.NEGATION))

    hops = 0
    while hops < 8:
        hops += 1
        _clause_flags(tree, cur, flags, reasons)
        t = tokens[cur]
        gov = tree.head(cur)
        if gov is None:
            break
        g = tokens[gov]
        if t.dep == "xcomp" or (t.dep in ("ccomp", "advcl") and any(
                tokens[k].lower == "to" and tokens[k].dep == "aux" for k in tree.doc.children[cur])
                and g.pos in ("VERB", "ADJ", "AUX")):
            lemma = g.lemma.lower()
            if g.pos == "ADJ" or (g.dep == "acomp"):
                if lemma in NEGATIVE_ADJ:
                    _mark(flags, reasons, "negated", CueKind.NEGATION, f"{g.text} to")
                elif lemma in FUTURE_ADJ:
                    _mark(flags, reasons, "future", CueKind.FUTURE, f"{g.text} to")
                elif lemma in HYPOTHETICAL_ADJ:
                    _mark(flags, reasons, "hypothetical", CueKind.INTENT, f"{g.text} to")
            elif lemma in NEGATING_GOVERNORS:
                _mark(flags, reasons, "negated", CueKind.NEGATION, f"{g.text} to")
            elif lemma in FUTURE_GOVERNORS:
                _mark(flags, reasons, "future", CueKind.FUTURE, f"{g.text} to")
            elif lemma in HYPOTHETICAL_GOVERNORS:
                _mark(flags, reasons, "hypothetical", CueKind.UNREALISED, f"{g.text} to")
            cur = gov
            continue
        infinitive = any(tokens[k].lower == "to" and tokens[k].dep == "aux" for k in tree.doc.children[cur])
        if t.dep == "acl" and infinitive and g.pos == "NOUN" and g.lemma.lower() in PURPOSE_NOUNS:
            # "decision to expel" (the act decided), "plans to close" (still to come), "an offer to
            # mediate" (offered, not done); then the clause that has the noun ("did not announce plans")
            lemma = g.lemma.lower()
            if lemma in PLAN_NOUNS:
                _mark(flags, reasons, "future", CueKind.FUTURE, f"{g.text} to")
            elif lemma in OFFER_NOUNS:
                _mark(flags, reasons, "hypothetical", CueKind.INTENT, f"{g.text} to")
            nxt = tree.head(gov)
            if g.dep != "dobj" or nxt is None:
                break
            cur = nxt
            continue
        if t.dep == "pcomp" and g.pos == "ADP" and g.lower in ("in", "on"):
            adj = tree.head(gov)
            if adj is not None and tokens[adj].pos == "ADJ" and tokens[adj].lower in INTEREST_ADJ:
                flags["hypothetical"] = True  # "interested in talking": wanted, not done
                reasons.append(Cue(CueKind.INTENT, f"{tokens[adj].text} {g.text}"))
                cur = adj
                continue
        if (t.dep in ("ccomp", "acl") or (t.dep == "relcl" and infinitive)) and \
                _unasserted_clause(tree, cur, gov, flags, reasons):
            break  # "no reason to be concerned", "no sign that ...", "doubt that ..."
        if t.dep == "acomp" or (t.pos == "ADJ" and g.pos in ("AUX", "VERB")):
            cur = gov
            continue
        if t.dep == "conj" and g.pos in ("VERB", "AUX"):
            if tree.reported_conjunct(cur, gov):
                # "said its forces had not crossed the border and called for an inquiry": the call is
                # the speaker's, and shares nothing of what the speaker reports
                cur = tree.head(gov)  # type: ignore[assignment]
                continue
            # coordinated verbs share the first verb's auxiliaries when they have no subject of their own
            if not tree.children(cur, "nsubj", "nsubjpass") and not tree.children(cur, "aux"):
                cur = gov
                continue
            break
        if t.dep == "pcomp" and g.lower == "without":
            flags["negated"] = True
            reasons.append(Cue(CueKind.NEGATION, "without"))
            break
        break
    return Modality(flags["negated"], flags["hypothetical"], flags["future"], tuple(reasons))
