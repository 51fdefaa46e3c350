"""Headlines in Title Case, parsed as the sentences they are.

"Austrian Chancellor Visits Kyiv, Pledges Continued Support": every word capitalised, the tagger
takes the verbs for proper nouns and the parse has no predicate, so a headline coded in sentence
case is missed in Title Case. Before parsing, ``sentence_case`` lowers the capital of each
headline word the article's own body writes in lower case (or that is a function word), and keeps
the rest: names, acronyms and words the body never uses stay as written. It changes case only,
never length, so every offset holds; ``restore_case`` puts the original text back into the parse
(tokens, sentences and entities read the article's own characters, and evidence quotes it).

A headline's present-tense verb with its subject and object in bare noun phrases ("Mali expels
French ambassador") is sometimes parsed with neither: the nouns hang from the verb as modifiers.
``headline_arguments`` reads the noun phrase before such a verb as its subject and the one after
as its object.

Headlines also drop the auxiliary of a passive ("Ghana opposition leaders arrested", "Kenyan
journalist jailed for five years"): the parser reads an active verb with the patients as its
subject. ``reduced_passives`` reads such a headline verb as the passive it is.

A headline's present-tense verb is sometimes read as a noun ("Venezuela releases detained
soldiers": "releases" a plural subject, "detained" the verb; "Police in Mozambique disperse vote
protest": no verb at all). ``headline_verb`` parses such a headline again with that word in the
past tense, the tense news headlines speak of ("Venezuela released detained soldiers"), and when
the word then is the headline's verb with a subject, takes that parse for the original words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace

from ..nlp import ParsedText, Sentence, Token
from .cues import cue

__all__ = ["headline_arguments", "headline_verb", "past_tense", "reduced_passives", "restore_case", "sentence_case"]

_WORD = re.compile(r"[A-Za-z]+")
_FUNCTION = cue("headline.function_words")  # lower case in a sentence whatever the body says
_OPENERS = frozenset(" \t\"'“‘(")  # what may stand between a sentence's end and its first word
_MIN_WORDS = 3
_TITLE_SHARE = 0.75  # share of the longer words (4+ letters) capitalised for a line to be Title Case


def _is_title_case(words: list[str]) -> bool:
    longer = [w for w in words if len(w) >= 4]
    if len(longer) < _MIN_WORDS:
        return False
    return sum(w[0].isupper() for w in longer) >= _TITLE_SHARE * len(longer)


def _mid_sentence_capitals(body: str) -> Counter[str]:
    """Capitalised words of the body that do not open a sentence, line or quote."""
    found: Counter[str] = Counter()
    for m in _WORD.finditer(body):
        word = m.group()
        if not word[0].isupper():
            continue
        # the character before the word, past spaces, quotes and brackets (a scan back, not a copy
        # of the body before every word)
        j = m.start() - 1
        while j >= 0 and body[j] in _OPENERS:
            j -= 1
        if j >= 0 and body[j] not in ".!?:\n":
            found[word] += 1
    return found


def _stems(word: str) -> tuple[str, ...]:
    """The word and its forms without a plural or tense ending ("visits", "visited" -> "visit")."""
    out = [word]
    for ending in ("ies", "es", "s", "ed", "d", "ing"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            out.append(word[:-len(ending)] + ("y" if ending == "ies" else ""))
    return tuple(out)


def sentence_case(text: str, event_words: Callable[[str], bool] = lambda _: False) -> str:
    """``text`` with its first line in sentence case when that line is in Title Case (same length).

    A capitalised headline word is lowered when it is a function word, when the body writes it (or
    another form of it) in lower case more often than capitalised mid-sentence, or when
    ``event_words`` says one of its forms is an event word of the coder's lexicon."""
    end = text.find("\n")
    if end <= 0:
        return text
    head, body = text[:end], text[end:]
    words = _WORD.findall(head)
    if not _is_title_case(words):
        return text
    lower: Counter[str] = Counter()
    for w in _WORD.findall(body):
        if w.islower():
            lower.update(set(_stems(w)))
    capitals = _mid_sentence_capitals(body)
    out = list(head)
    first = True
    for m in _WORD.finditer(head):
        word = m.group()
        if first:
            first = False
            continue
        if not word[0].isupper() or (word.isupper() and len(word) > 1):
            continue  # lower already, or an acronym (US, UN, EU)
        low = word.lower()
        forms = _stems(low)
        if low in _FUNCTION or max(lower[f] for f in forms) > capitals[word] or \
                (not capitals[word] and any(event_words(f) for f in forms)):
            out[m.start()] = low[0]
    return "".join(out) + body


def restore_case(parsed: ParsedText, original: str) -> ParsedText:
    """The parse of ``sentence_case(original)`` with the original characters put back."""
    if parsed.text == original or len(parsed.text) != len(original):
        return parsed
    tokens = tuple(replace(t, text=original[t.idx:t.idx + len(t.text)]) for t in parsed.tokens)
    sentences = tuple(replace(s, text=original[s.char_start:s.char_end]) for s in parsed.sentences)
    entities = tuple(replace(e, text=original[tokens[e.start].idx:tokens[e.end - 1].idx + len(tokens[e.end - 1].text)])
                     if e.end > e.start else e for e in parsed.entities)
    return ParsedText(text=original, tokens=tokens, sentences=sentences, entities=entities)


# what a transitive verb of a headline has when it is active: an object, an auxiliary, a clause
_ACTIVE_DEPS = frozenset({"dobj", "aux", "auxpass", "nsubjpass", "ccomp", "xcomp", "dative", "prt", "attr",
                          "oprd", "acomp"})


def reduced_passives(parsed: ParsedText, end: int, transitive_act: Callable[[str], bool]) -> ParsedText:
    """The parse with each headline verb (a sentence ending before ``end``) that is a passive with its
    auxiliary dropped read as one: an act that ``transitive_act`` says takes its target as direct
    object ("arrest", "kill", "expel"), the headline's predicate, in the past tense with a subject
    but no object, auxiliary or clause ("Three Malian soldiers killed in ambush"), or a participle
    on the headline's only noun phrase ("Kenyan journalist detained in Uganda"). The patients
    become the passive subject, the act's target; "Russia expels diplomats" and "Ghana warns of
    reprisals" are left alone."""
    retag: dict[int, Token] = {}
    for sent, i in _headline_tokens(parsed, end):
        t = parsed.tokens[i]
        if t.pos != "VERB" or t.tag not in ("VBD", "VBN") or not transitive_act(t.lemma.lower()):
            continue
        kids = [parsed.tokens[k] for k in parsed.children[i]]
        if any(k.dep in _ACTIVE_DEPS for k in kids):
            continue
        subjects = [k for k in kids if k.dep == "nsubj"]
        if t.dep == "ROOT" and len(subjects) == 1:
            retag[i] = replace(t, tag="VBN")
            retag[subjects[0].i] = replace(subjects[0], dep="nsubjpass")
        elif t.dep == "acl" and t.tag == "VBN" and not subjects:
            noun = parsed.tokens[t.head]
            if noun.dep == "ROOT" and noun.pos in ("NOUN", "PROPN") and not any(
                    parsed.tokens[j].pos in ("VERB", "AUX") for j in range(sent.start, sent.end) if j != i):
                retag[i] = replace(t, dep="ROOT", head=i)
                retag[noun.i] = replace(noun, dep="nsubjpass", head=i)
    return _retagged(parsed, retag)


# what the parser hangs a headline's bare noun phrases on its verb as, when it misses their roles
_STRAY_DEPS = frozenset({"amod", "compound", "npadvmod", "nmod", "dep", "advmod", "nummod"})
_NOUNS = frozenset({"NOUN", "PROPN"})


def headline_arguments(parsed: ParsedText, end: int, transitive_act: Callable[[str], bool]) -> ParsedText:
    """The parse with the subject and object of each headline verb (a sentence ending before
    ``end``) put back where the parser missed them: a present-tense act that ``transitive_act``
    says takes its target as direct object, the headline's predicate, missing its subject or its
    object (or both), the bare noun phrase on that side hung on it as a modifier ("Mali expels
    French ambassador": "Mali" an adjective of "expels", "ambassador" an adverbial noun; "Mali junta
    expels ...": "junta" a compound). The noun right before the verb becomes its subject (the
    words before it its modifiers), the first noun after it its object."""
    retag: dict[int, Token] = {}
    for _, i in _headline_tokens(parsed, end):
        t = parsed.tokens[i]
        if t.pos != "VERB" or t.tag != "VBZ" or t.dep != "ROOT" or not transitive_act(t.lemma.lower()):
            continue
        kids = [parsed.tokens[k] for k in parsed.children[i]]
        if any(k.dep in ("nsubjpass", "csubj", "attr", "dative", "ccomp", "xcomp") for k in kids):
            continue
        has_subject = any(k.dep == "nsubj" for k in kids)
        has_object = any(k.dep == "dobj" for k in kids)
        left = [k for k in kids if k.i < i and k.dep in _STRAY_DEPS]
        right = [k for k in kids if k.i > i and k.dep in _STRAY_DEPS and k.pos in _NOUNS]
        subject_ok = bool(left) and left[-1].pos in _NOUNS and left[-1].i == i - 1
        if (has_subject and has_object) or (not has_subject and not subject_ok) or (not has_object and not right):
            continue
        if not has_subject:
            subject = left[-1]
            retag[subject.i] = replace(subject, dep="nsubj", head=i)
            for k in left[:-1]:
                retag[k.i] = replace(k, dep="compound" if k.pos in _NOUNS else k.dep, head=subject.i)
        if not has_object:
            retag[right[0].i] = replace(right[0], dep="dobj", head=i)
    return _retagged(parsed, retag)


def _headline_tokens(parsed: ParsedText, end: int) -> Iterator[tuple[Sentence, int]]:
    """Each token of the sentences that end before ``end`` (the headline), with its sentence."""
    for sent in parsed.sentences:
        if sent.char_end > end:
            break
        for i in range(sent.start, sent.end):
            yield sent, i


def _retagged(parsed: ParsedText, retag: dict[int, Token]) -> ParsedText:
    """``parsed`` with the tokens ``retag`` gives in place of its own (itself when there are none)."""
    if not retag:
        return parsed
    tokens = tuple(retag.get(t.i, t) for t in parsed.tokens)
    return ParsedText(text=parsed.text, tokens=tokens, sentences=parsed.sentences, entities=parsed.entities)


_IRREGULAR_PASTS = dict(item.split() for item in cue("headline.irregular_pasts"))
_DOUBLED = frozenset("bdglmnprt")
_VOWELS = frozenset("aeiou")


def past_tense(verb: str) -> str:
    """The simple past of a base verb form ("release" -> "released", "ban" -> "banned", "hold" ->
    "held", "rally" -> "rallied"); the verbs irregular in it are listed in cues.tsv."""
    if verb in _IRREGULAR_PASTS:
        return _IRREGULAR_PASTS[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in _VOWELS:
        return verb[:-1] + "ied"
    if len(verb) <= 4 and verb[-1] in _DOUBLED and verb[-2] in _VOWELS and verb[-3:-2] and \
            verb[-3] not in _VOWELS and sum(ch in _VOWELS for ch in verb) == 1:
        return verb + verb[-1] + "ed"  # one syllable ending vowel-consonant: ban, stop, plan
    return verb + "ed"


def _base_forms(word: str) -> tuple[str, ...]:
    """The base verb forms a present-tense headline word may have ("releases" -> "release",
    "pleads" -> "plead", "rallies" -> "rally"; "disperse" itself after a plural subject)."""
    out = [word]
    if word.endswith("ies"):
        out.append(word[:-3] + "y")
    if word.endswith("es"):
        out.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        out.append(word[:-1])
    return tuple(dict.fromkeys(f for f in out if len(f) >= 3))


def _has_subject(parsed: ParsedText, verb: int) -> bool:
    return any(parsed.tokens[k].dep in ("nsubj", "nsubjpass") for k in parsed.children[verb])


def _misread_verb(parsed: ParsedText, sent: Sentence, is_verb: Callable[[str], bool]) -> tuple[int, str] | None:
    """The headline word read as a noun that is its verb, with its base form: the headline has no
    verb with a subject or no verb at its root, or the word is the subject of a past participle
    right after it ("releases detained soldiers"). The word follows a noun (its subject's last word)
    and comes before a word, not a colon or the end."""
    tokens = parsed.tokens
    verbless = not any(tokens[i].pos in ("VERB", "AUX") and _has_subject(parsed, i)
                       for i in range(sent.start, sent.end)) or not any(
        tokens[i].dep == "ROOT" and tokens[i].pos in ("VERB", "AUX") for i in range(sent.start, sent.end))
    for i in range(sent.start + 1, sent.end - 1):
        t = tokens[i]
        if t.pos not in ("NOUN", "PROPN") or tokens[i - 1].pos not in ("NOUN", "PROPN") or not t.text.isalpha():
            continue
        after = tokens[i + 1]
        if after.pos == "PUNCT":
            continue  # "Senegal sanctions: what we know": a noun before a colon, no verb
        participle = t.dep == "nsubj" and t.head == i + 1 and after.pos == "VERB" and after.text.lower().endswith("ed")
        if not (verbless or participle):
            continue
        base = next((f for f in _base_forms(t.text.lower()) if is_verb(f)), None)
        if base is not None:
            return i, base
    return None


def headline_verb(parsed: ParsedText, parse: Callable[[str], ParsedText], is_verb: Callable[[str], bool]
                  ) -> ParsedText:
    """The parse with its headline (the first line, when it is one sentence) parsed again where its
    verb was read as a noun (see ``_misread_verb``; ``is_verb`` says which base forms are verbs of
    events), the word in the past tense; the new parse is taken only when the word is then the
    headline's verb with a subject and every other word is tokenised as before."""
    end = parsed.text.find("\n")
    if end <= 0:
        return parsed
    heads = [s for s in parsed.sentences if s.char_start < end]
    if len(heads) != 1 or heads[0].char_end > end:
        return parsed
    sent = heads[0]
    found = _misread_verb(parsed, sent, is_verb)
    if found is None:
        return parsed
    i, base = found
    word = parsed.tokens[i]
    past = past_tense(base)
    past = past.capitalize() if word.text[0].isupper() else past
    line = parsed.text[sent.char_start:end]
    start = word.idx - sent.char_start
    again = parse(line[:start] + past + line[start + len(word.text):])
    n = sent.end - sent.start
    if len(again.tokens) != n or len(again.sentences) != 1 or any(
            a.text != parsed.tokens[sent.start + k].text for k, a in enumerate(again.tokens) if k != i - sent.start):
        return parsed
    verb = again.tokens[i - sent.start]
    if verb.pos != "VERB" or verb.dep != "ROOT" or not _has_subject(again, verb.i):
        return parsed
    retag: dict[int, Token] = {}
    for k, a in enumerate(again.tokens):
        t = parsed.tokens[sent.start + k]
        if k == i - sent.start:
            a = replace(a, lemma=base, tag="VBZ" if t.text.lower() != base else "VBP")
        retag[t.i] = replace(t, lemma=a.lemma, pos=a.pos, tag=a.tag, dep=a.dep, head=a.head + sent.start)
    return _retagged(parsed, retag)
