"""Small, model-free helpers over a dependency parse (``nlp.ParsedText``).

They read only ``Token`` fields (text, lemma, pos, dep, head), so the coder can be tested on
hand-built sentences. Dependency labels are spaCy's English (ClearNLP) set.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..nlp import ParsedText, Token
from .cues import cue

SUBJ_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJ_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJ_DEPS = frozenset({"dobj", "obj"})
CLAUSE_CUT_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis"})
NOMINAL_POS = frozenset({"NOUN", "PROPN", "PRON", "NUM"})


# auxiliaries that give reported speech a tense a simple past coordinated after it cannot share
_TENSE_AUXILIARIES = frozenset({"had", "has", "have", "would", "could", "will", "might", "may"})
_SPEECH_VERBS = cue("triggers.speech_verbs")  # the verb of saying such reported speech hangs from
_SPEAKER_ACTS = cue("syntax.speaker_acts")  # what a speaker goes on to do after reporting


class Tree:
    """Navigation over one ParsedText: children, subtrees, governors, clause structure."""

    __slots__ = ("doc", "tokens")

    def __init__(self, doc: ParsedText) -> None:
        self.doc = doc
        self.tokens = doc.tokens

    def tok(self, i: int) -> Token:
        return self.tokens[i]

    def children(self, i: int, *deps: str) -> list[int]:
        kids = self.doc.children[i]
        if not deps:
            return list(kids)
        return [k for k in kids if self.tokens[k].dep in deps]

    def child(self, i: int, *deps: str) -> int | None:
        for k in self.doc.children[i]:
            if self.tokens[k].dep in deps:
                return k
        return None

    def head(self, i: int) -> int | None:
        """The governor of token i, or None for a sentence root."""
        h = self.tokens[i].head
        return None if h == i else h

    def ancestors(self, i: int) -> Iterator[int]:
        seen = 0
        h = self.head(i)
        while h is not None and seen < 64:
            yield h
            h = self.head(h)
            seen += 1

    def is_ancestor(self, anc: int, i: int) -> bool:
        return any(a == anc for a in self.ancestors(i))

    def subtree(self, i: int, *, cut: frozenset[str] = frozenset(), deep: bool = False) -> list[int]:
        """Indexes of the subtree of i in text order, leaving out children of i whose dep is in
        ``cut`` (with ``deep``, such children of any token of the subtree: i's own clause only)."""
        out: list[int] = []
        stack = [i]
        while stack:
            j = stack.pop()
            out.append(j)
            for k in self.doc.children[j]:
                if (j == i or deep) and self.tokens[k].dep in cut:
                    continue
                stack.append(k)
        out.sort()
        return out

    def span(self, i: int, *, cut: frozenset[str] = CLAUSE_CUT_DEPS) -> tuple[int, int]:
        """The contiguous [start, end) span of i's phrase, without clausal modifiers of i.

        Children of i whose dep is in ``cut`` (and their subtrees) are left out; when one of them
        sits between i and the rest of the phrase, the span stops there.
        """
        keep = {i}
        stack = [i]
        while stack:
            j = stack.pop()
            for k in self.doc.children[j]:
                if self.tokens[k].dep in cut and j == i:
                    continue
                if self.tokens[k].dep in ("relcl", "acl") and j != i:
                    continue
                keep.add(k)
                stack.append(k)
        start = end = i
        while start - 1 in keep:
            start -= 1
        while end + 1 in keep:
            end += 1
        # trim punctuation at the edges
        while start < end and self.tokens[start].pos == "PUNCT":
            start += 1
        while end > start and self.tokens[end].pos == "PUNCT":
            end -= 1
        return start, end + 1

    def conjuncts(self, i: int) -> list[int]:
        """i and every token coordinated with it (``conj`` chains down from i)."""
        out = [i]
        stack = [i]
        while stack:
            j = stack.pop()
            for k in self.children(j, "conj"):
                out.append(k)
                stack.append(k)
        return out

    def conj_root(self, i: int) -> int:
        """The first conjunct of the coordination holding i."""
        while self.tokens[i].dep == "conj":
            h = self.head(i)
            if h is None:
                break
            i = h
        return i

    def reported_conjunct(self, verb: int, gov: int) -> bool:
        """Whether ``verb``, a simple past with no auxiliary that the parser coordinated with ``gov``,
        goes with the verb of saying ``gov`` reports under, not with ``gov``: ``gov`` carries a tense
        it does not share, and ``verb`` is one of the acts a speaker goes on to do (``_SPEAKER_ACTS``: "said
        its forces had not crossed the border and called for an inquiry", "said the envoy had broken
        the law, and gave him five days to leave"); a material act stays with what is reported ("said
        the car had exploded and killed three people")."""
        tokens = self.tokens
        t, g = tokens[verb], tokens[gov]
        speech = self.head(gov)
        if t.tag != "VBD" or self.children(verb, "aux", "auxpass") or g.dep != "ccomp" or speech is None \
                or t.lemma.lower() not in _SPEAKER_ACTS:
            return False
        s = tokens[speech]
        return s.tag == "VBD" and s.lemma.lower() in _SPEECH_VERBS and speech < gov < verb and any(
            tokens[a].lower in _TENSE_AUXILIARIES for a in self.children(gov, "aux", "auxpass"))

    def is_passive(self, verb: int) -> bool:
        return bool(self.children(verb, "auxpass", "nsubjpass", "csubjpass")) or (
            self.tokens[verb].tag == "VBN" and self.tokens[verb].dep in ("acl",) and not self.children(verb, "nsubj")
        ) or self._passive_conjunct(verb)

    def _passive_conjunct(self, verb: int) -> bool:
        """A participle coordinated with a passive, sharing its subject and auxiliary ("was arrested
        and charged with fraud": charged)."""
        t = self.tokens[verb]
        head = self.head(verb)
        return t.tag == "VBN" and t.dep == "conj" and head is not None and self.tokens[head].pos == "VERB" \
            and not self.children(verb, "nsubj", "nsubjpass", "aux", "auxpass") \
            and bool(self.children(head, "nsubjpass"))

    def passive_subjects(self, verb: int) -> list[int]:
        """The passive subjects of ``verb``: its own, else those of the passive it is coordinated with."""
        own = self.children(verb, "nsubjpass")
        if own or not self._passive_conjunct(verb):
            return own
        head = self.head(verb)
        return self.children(head, "nsubjpass") if head is not None else []

    def aux_words(self, verb: int) -> list[str]:
        return [self.tokens[k].lower for k in self.children(verb, "aux", "auxpass")]

    def is_name(self, i: int) -> bool:
        """Whether token ``i`` is a name or a nationality: a proper noun, or a capitalised adjective
        ("Peru", "Chilean")."""
        t = self.tokens[i]
        return t.pos == "PROPN" or (t.pos == "ADJ" and t.text[:1].isupper())

    def has_neg(self, i: int) -> bool:
        return any(self.tokens[k].dep == "neg" for k in self.doc.children[i])

    def prep_objects(self, i: int) -> Iterator[tuple[str, int]]:
        """(preposition, object) pairs hanging off i, incl. agent 'by' and dative 'to'."""
        for k in self.doc.children[i]:
            t = self.tokens[k]
            if t.dep in ("prep", "agent", "dative") and t.pos == "ADP":
                for o in self.children(k, "pobj", "pcomp"):
                    yield t.lower, o
                    # "out of", "away from": a preposition governing a preposition
                for k2 in self.children(k, "prep"):
                    for o in self.children(k2, "pobj"):
                        yield self.tokens[k2].lower, o

    def sentence_of(self, i: int) -> int:
        return self.tokens[i].sent
