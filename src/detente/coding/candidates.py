"""What the coder's stages pass between them: a candidate event, and the small shared rules
(PLOVER's intent and threat codes, embedding links, reported-speech governors) they use."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..model import Actor
from .arguments import Resolved
from .cues import cue
from .modality import Modality
from .ontology import cameo_info
from .syntax import Tree
from .triggers import SPEECH_VERBS, Trigger

EMBEDDING_DEPS = frozenset({"xcomp", "ccomp", "relcl", "acl", "pcomp", "csubj"})
# An event noun in the object or a prepositional phrase of an event verb is that event's content
# ("condemned the sanctions", "demanded the release of", "agreed on a ceasefire").
CONTENT_DEPS = frozenset({"dobj", "prep", "attr", "oprd", "dative"})
ATTRIBUTION_VERBS = SPEECH_VERBS | {"warn", "vow", "pledge", "promise", "threaten"}
REQUEST_MODALS = cue("candidates.request_modals")
MUTUAL_ROOTS = frozenset({"03", "04", "05", "06", "19"})  # "X and Y agreed/met/signed/clashed": X -> Y
MAX_TARGETS = 6
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)s?\b")
RETALIATION_WORDS = cue("candidates.retaliation_words")
# Acts of state whose passive form often leaves the authorities unnamed ("was detained", "was expelled").
IMPLICIT_AGENT_CODES = ("16", "17", "0841", "084", "11", "09", "0874")
CONDEMNING_WORDS = cue("candidates.condemning_words")
WEAPON_NOUNS = cue("candidates.weapon_nouns")
CROWD_NOUNS = cue("candidates.crowd_nouns")
INTENT_ADJ = cue("candidates.intent_adj")
FUTURE_OR_MODAL = cue("candidates.future_or_modal")



@dataclass
class Candidate:
    trigger: Trigger
    cameo: str
    source: Resolved | None
    target: Resolved | None
    modality: Modality
    notes: list[str] = field(default_factory=list)
    confidence: float = 0.6
    # how the actors were chosen when not by the rules alone ("context source: the speaker" ...): an
    # alternative reading for the learned scorer to weigh against the rules' own
    alternative: str = ""
    # for a speaker's accusation read from an act it tells of: that act's trigger token, which is
    # then the speaker's claim, not the article's
    claim: int | None = None

    @property
    def tentative(self) -> bool:
        return self.trigger.tentative or bool(self.alternative)


def threat_code(cameo: str) -> str:
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


def intent_code(cameo: str) -> str:
    return {"04": "036", "05": "032", "06": "031", "07": "033", "08": "035"}.get(cameo[:2], "030")


def quad(cameo: str) -> int:
    return cameo_info(cameo).quad_class


def embedding_link(tree: Tree, inner: int, outer: int) -> str | None:
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


def speech_governor(tree: Tree, verb: int) -> int | None:
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


def as_agent(actor: Actor) -> Actor:
    """A state named as a doer or target acts through its government: 'Russia' -> RUSGOV."""
    if actor.sector or actor.country in ("IGO", "NGO", ""):
        return actor
    return replace(actor, sector="GOV", code=actor.country + "GOV")
