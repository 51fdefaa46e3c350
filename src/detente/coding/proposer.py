"""The learned event-type proposer: for each sentence, the probability that it reports an event of
each PLOVER type, read from the whole sentence (its words, verb-object pairs, speech and quote
cues, negation, the lexicon's cues) rather than from one event word.

It finds the events a sentence carries with no word the lexicon knows ("'Those who test our
patience will soon learn our answer,' the minister said" is a THREATEN), and tells the scorer how
plausible each type the rules proposed is in its sentence. One logistic model per type, fitted by
``scripts/train_coder.py`` on the training gold and shipped as ``coding/data/proposer.json``;
inference is a sum of weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..model import PLOVER_TYPES
from ..modelfile import ModelFile, damaged
from .context import SentenceContext
from .cues import cue
from .triggers import SPEECH_VERBS

__all__ = ["PROPOSER_FILE", "Proposer", "get_proposer", "load_proposer", "packaged_probabilities", "proposer_from_dict",
           "sentence_features"]

PROPOSER_FILE = "proposer.json"
FORMAT = "detente.proposer"
CONTENT_POS = frozenset({"VERB", "NOUN", "ADJ", "ADV"})
MODALS = cue("proposer.modals")


def sentence_features(sc: SentenceContext) -> list[str]:
    """The proposer's features of the sentence (cached on the sentence context)."""
    cached = sc.cache.get("sentence_features")
    if cached is not None:
        return list(cached)
    tree = sc.tree
    tokens = tree.tokens
    lex = sc.art.lex
    f: set[str] = {"bias"}
    quoted = 0
    for i in range(sc.sent.start, sc.sent.end):
        t = tokens[i]
        lem = t.lemma.lower()
        quoted += sc.in_quote[i]
        if t.pos in CONTENT_POS:
            f.add(f"w:{lem}")
        if t.pos == "VERB":
            for k in tree.children(i):
                kt = tokens[k]
                if kt.dep in ("dobj", "prt", "attr", "oprd", "xcomp"):
                    f.add(f"vo:{lem}_{kt.lemma.lower()}")
                elif kt.dep == "prep":
                    f.add(f"vp:{lem}_{kt.lower}")
                elif kt.dep == "neg":
                    f.add("neg")
                elif kt.dep == "aux" and kt.lower in MODALS:
                    f.add(f"modal:{kt.lower}")
            if t.dep == "ROOT":
                f.add(f"root:{lem}")
                if lem in SPEECH_VERBS:
                    f.add("root_speech")
            for e in lex.verb_entries(lem):
                f.add(f"lexv:{e.cameo[:2]}")
        elif t.pos == "NOUN":
            for k in tree.children(i, "prep"):
                f.add(f"np:{lem}_{tokens[k].lower}")
            for n in lex.noun_entries(lem):
                f.add(f"lexn:{n.cameo[:2]}")
    share = quoted / max(1, sc.sent.end - sc.sent.start)
    f.add("quote:most" if share > 0.5 else "quote:some" if share > 0 else "quote:none")
    if sc.in_title:
        f.add("title")
    if sc.speaker is not None:
        f.add("speaker")
    out = sorted(f)
    sc.cache["sentence_features"] = out
    return list(out)


@dataclass(frozen=True)
class Proposer:
    name: str
    weights: dict[str, dict[str, float]]  # type -> feature -> weight
    threshold: float  # a type this probable with no trigger of its own is proposed
    trained_on: tuple[str, ...] = ()

    def probabilities(self, features: list[str]) -> dict[str, float]:
        out = {}
        for t, w in self.weights.items():
            z = sum(w.get(f, 0.0) for f in features)
            out[t] = 0.0 if z < -30 else 1.0 / (1.0 + math.exp(-z))
        return out


def packaged_probabilities(sc: SentenceContext) -> dict[str, float]:
    """The packaged proposer's type probabilities for a sentence."""
    return get_proposer().probabilities(sentence_features(sc))


def _proposer(data: dict[str, Any], source: str) -> Proposer:
    """A Proposer from a proposer file's JSON (its format checked by ``ModelFile``)."""
    hint = _FILE.hint
    try:
        weights = {str(t): {str(k): float(v) for k, v in w.items()} for t, w in data["weights"].items()}
        threshold = float(data["threshold"])
        name = str(data["name"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise damaged(source, exc, hint) from exc
    if not weights or set(weights) - set(PLOVER_TYPES) or not (0.0 < threshold < 1.0) or not all(
            math.isfinite(v) for w in weights.values() for v in w.values()):
        raise damaged(source, "unknown types or out-of-range numbers", hint)
    return Proposer(name, weights, threshold, tuple(data.get("trained_on") or ()))


_FILE: ModelFile[Proposer] = ModelFile("detente.coding", PROPOSER_FILE, what="proposer model", fmt=FORMAT,
                                        parse=_proposer, script="scripts/train_coder.py")


# The model file's readers, as modelfile.ModelFile describes them.
proposer_from_dict = _FILE.from_data
load_proposer = _FILE.load
get_proposer = _FILE.get
set_proposer = _FILE.set
