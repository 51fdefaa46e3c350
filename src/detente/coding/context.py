"""What the coder's rules read: the article's state (parse, actors met so far, speakers,
datelines, quotes) and the sentence being coded.

``ArticleState`` is built once per article and walks its sentences in order, remembering the
actors each one names (for later pronouns, surnames, "the two sides") and who is speaking.
``SentenceContext`` is what one rule sees: the article state, the sentence, its speaker and
the argument context the actor finders take.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from typing import Any

from ..model import Actor, Article
from ..nlp import ParsedText, Sentence, Token
from .arguments import ArgContext, Resolved, resolve_head, subject_head
from .candidates import ATTRIBUTION_VERBS, YEAR
from .cues import cue
from .discourse import PAIR_WORDS, Discourse, quote_mask
from .headline import sentence_case
from .lexicon import Lexicon, load_lexicon
from .rules import RuleSet
from .syntax import Tree

__all__ = ["ArticleState", "SentenceContext", "article_text", "text_for_parsing"]

_TITLE_WORDS = cue("context.title_words")


@cache
def _resolver() -> Any:
    from ..actors import get_resolver  # late: the actor tables take ~0.5 s to load, only when a text is coded

    return get_resolver()


DATELINE_SENTENCES = 3  # how many of the body's first sentences may hold the dateline
DATELINE_TOKENS = 8  # how far into the sentence its closing dash or colon may stand ("MINSK, Belarus (AP) -")


@cache
def _lexicon() -> Lexicon:
    return load_lexicon()


def article_text(article: Article) -> str:
    """The text the coder reads: the headline (if any) on its own line, then the body."""
    title = (article.title or "").strip()
    if title and "\n" not in title:
        return title + "\n" + article.text
    return article.text


def text_for_parsing(article: Article) -> str:
    """What the parser is given: ``article_text`` with a Title Case headline in sentence case
    (same length; the coder puts the original characters back into the parse)."""
    lexicon = _lexicon()
    return sentence_case(article_text(article),
                         lambda word: bool(word in ATTRIBUTION_VERBS or lexicon.verb_entries(word)
                                           or lexicon.noun_entries(word)))


class ArticleResolver:
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


def _capital_place(tokens: tuple[Token, ...], start: int, end: int) -> bool:
    """Whether a sentence opens with a place in capitals, as a dateline does ("ISLAMABAD:", "LA PAZ,
    Bolivia -"): a word of three capitals or more, or two words in capitals."""
    first = tokens[start]
    if not (first.text.isupper() and first.text.isalpha()):
        return False
    return len(first.text) > 2 or (start + 1 < end and tokens[start + 1].text.isupper()
                                   and tokens[start + 1].text.isalpha() and len(tokens[start + 1].text) > 1)


def dateline_ends(parsed: ParsedText) -> dict[int, int]:
    """Sentence -> first token after a leading dateline ("MANILA, March 14 –", "ISLAMABAD:")."""
    out: dict[int, int] = {}
    tokens = parsed.tokens
    for si, s in enumerate(parsed.sentences):
        if not _capital_place(tokens, s.start, s.end):
            continue
        for j in range(s.start + 1, min(s.start + 8, s.end)):
            if tokens[j].text in (":", "–", "—", "-") or (tokens[j].text == ")" and j < s.start + 6):
                out[si] = j + 1
                break
    return out


def detach_datelines(parsed: ParsedText) -> ParsedText:
    """The parse with no dateline word as the subject of its sentence's verb ("NAIROBI, Kenya (AP) -
    Thousands took to the streets" is parsed with NAIROBI as a second subject of "took"): such a word
    is made an adverbial modifier, as the parser reads most datelines."""
    changed: dict[int, Token] = {}
    for si, end in dateline_ends(parsed).items():
        s = parsed.sentences[si]
        for i in range(s.start, end):
            t = parsed.tokens[i]
            if t.dep == "nsubj" and t.head >= end:
                changed[i] = replace(t, dep="npadvmod")
    if not changed:
        return parsed
    return ParsedText(text=parsed.text, tokens=tuple(changed.get(t.i, t) for t in parsed.tokens),
                      sentences=parsed.sentences, entities=parsed.entities)


class ArticleState:
    """One article's parse and everything the coder has learnt about it so far."""

    def __init__(self, article: Article, parsed: ParsedText) -> None:
        self.article = article
        self.parsed = parsed
        self.tree = Tree(parsed)
        self.tokens: tuple[Token, ...] = parsed.tokens
        self.resolver = ArticleResolver(_resolver(), parsed)
        self.lex = _lexicon()
        self.rules = RuleSet()  # the coder sets the rules it runs
        # the learned proposer's type probabilities of a sentence (the coder sets the packaged
        # proposer's; training gives cross-validated ones, so that the scorer learns from
        # probabilities like those of news the proposer has not seen)
        self.type_probabilities: Callable[[SentenceContext], dict[str, float]] | None = None
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
        self.first_body = next((j for j, s in enumerate(parsed.sentences) if s.char_start >= self.offset), 0)
        self.discourse.home_country = self._home_country()

    # --- article-level context ---------------------------------------------------------------
    def _paragraphs(self) -> list[int]:
        text = self.parsed.text
        return [text.count("\n", 0, s.char_start) for s in self.parsed.sentences]

    def _home_country(self) -> str:
        """The dateline's country ("ISLAMABAD: ...", "ATHENS - ...") of the first body sentence that
        has one, among the first few (a page may repeat its headline or a "You're reading" line
        above the dateline)."""
        body = [s for s in self.parsed.sentences if s.char_start >= self.offset][:DATELINE_SENTENCES]
        for k, s in enumerate(body):
            toks = self.tokens[s.start:s.end]
            if k and not _capital_place(self.tokens, s.start, s.end):
                continue  # past the first sentence, a dateline is in capitals ("MINSK, Belarus (AP) -")
            for j, t in enumerate(toks[:DATELINE_TOKENS]):
                if t.text in (":", "-", "–", "—") and j > 0:
                    # "MINSK, Belarus (AP) -": the place, not the agency in brackets; and the country
                    # after the city's comma first ("LA PAZ, Bolivia": not the LA of Los Angeles)
                    place = next((k for k in range(j) if toks[k].text == "("), j)
                    comma = next((k for k in range(place - 1, 0, -1) if toks[k].text == ","), 0)
                    for lo in ((comma + 1, 0) if comma else (0,)):
                        found = self.resolver.resolve(self.tokens, s.start + lo, s.start + place, on=self.on)
                        for a in found:
                            if a.country and a.country not in ("IGO", "NGO"):
                                return str(a.country)
                    break
        return ""

    def _datelines(self) -> dict[int, int]:
        """Sentence -> first token after a leading dateline ("MANILA, March 14 –", "ISLAMABAD:"), whose
        place names the dateline, not an actor."""
        return dateline_ends(self.parsed)

    def arg_context(self, si: int, speaker: Actor | None) -> ArgContext:
        return ArgContext(self.tree, self.resolver, self.discourse, self.on, si, speaker, self.in_quote,
                          self.datelines)

    def speaker_of(self, si: int, sent: Sentence) -> Actor | None:
        """Who is speaking in sentence ``si``: the subject of an attribution verb outside the
        quotes, else (for a quote-only sentence) the next attributed sentence of the paragraph,
        else the previous sentence's speaker."""
        found = self._attributed(si, sent)
        if found is not None:
            return found
        if not any(self.in_quote[i] for i in range(sent.start, sent.end)):
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
        return None

    def _attributed(self, si: int, sent: Sentence) -> Actor | None:
        tree = self.tree
        for i in range(sent.end - 1, sent.start - 1, -1):
            t = tree.tokens[i]
            if t.pos == "VERB" and t.lemma.lower() in ATTRIBUTION_VERBS and not self.in_quote[i]:
                subj = tree.child(i, "nsubj")
                if subj is None:
                    continue
                r = resolve_head(self.arg_context(si, None), subj)
                if r is not None and r.actors:
                    return r.actors[0]
        return None

    def body_index(self, si: int) -> int:
        return si - self.first_body

    def sentence(self, si: int) -> SentenceContext:
        """Enter sentence ``si``: find its speaker and record the actors it names."""
        sent = self.parsed.sentences[si]
        speaker = self.speaker_of(si, sent)
        self.speakers[si] = speaker
        sc = SentenceContext(self, si, sent, speaker, self.arg_context(si, speaker))
        self._remember(sc)
        return sc

    def _remember(self, sc: SentenceContext) -> None:
        """Record the sentence's actor phrases for later pronouns, names and pairs."""
        tree = self.tree
        tokens = self.tokens
        sent = sc.sent
        dateline = self.datelines.get(sc.si, sent.start)
        for i in range(sent.start, sent.end):
            t = tokens[i]
            if t.pos not in ("PROPN", "NOUN") or t.dep in ("compound", "amod", "poss", "nmod"):
                continue
            if t.dep == "pobj":
                p = tree.head(i)
                if p is not None and tokens[p].lower in ("in", "at", "near", "across", "throughout"):
                    continue
            s, e = tree.span(i)
            if s < dateline <= i:
                s = dateline  # "LONDON (Reuters) - Estonia said": the parser hangs the dateline on the subject
            actors = self.resolver.resolve(tokens, s, e, on=self.on, head=i)
            if not actors:
                continue
            words = [tokens[j].text for j in range(s, e)]
            lowered = {w.lower() for w in words}
            definite = t.lemma.lower() if "the" in lowered and not lowered & PAIR_WORDS else ""
            named = t.pos == "PROPN" and not definite
            actors = [a if a.country else self.discourse.fill_country(a, sentence=sc.si, definite_head=definite,
                                                                      named=named)
                      for a in actors]
            persons = self._person_name(s, e)
            kind = "person" if persons or any(w.lower() in _TITLE_WORDS for w in words) else (
                "org" if actors[0].country in ("IGO", "NGO") else (
                    "group" if t.tag in ("NNS", "NNPS") else "country"))
            subject = t.dep in ("nsubj", "nsubjpass")
            for a in actors:
                self.discourse.note(a, sentence=sc.si, token=i, kind=kind,
                                    plural=t.tag in ("NNS", "NNPS") or len(actors) > 1, as_subject=subject,
                                    head=t.lemma.lower())
            if persons and len(actors) == 1 and actors[0].country:
                self.discourse.note_name(persons, actors[0])
            if len(actors) == 2 and actors[0].country != actors[1].country:
                self.discourse.note_pair(actors[0], actors[1])

    def _person_name(self, start: int, end: int) -> list[str]:
        """The person's name in a phrase: a known person's words, else the capitalised words right
        after a title ("Deputy Foreign Minister Sergei Ryabkov" -> Sergei Ryabkov)."""
        tokens = self.tokens
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
            if k + 1 < end and tokens[k].text == "-" and not tokens[k - 1].ws and not tokens[k].ws and \
                    tokens[k + 1].pos == "PROPN" and tokens[k + 1].text[:1].isupper():
                name[-1] += "-" + tokens[k + 1].text  # a hyphenated surname ("Akufo-Addo") is one word
                k += 2
        return name


@dataclass
class SentenceContext:
    """One sentence of an article, as the rules see it."""

    art: ArticleState
    si: int
    sent: Sentence
    speaker: Actor | None
    arg: ArgContext
    cache: dict[str, Any] = field(default_factory=dict)  # what rules compute once per sentence

    @property
    def tree(self) -> Tree:
        return self.art.tree

    @property
    def tokens(self) -> tuple[Token, ...]:
        return self.art.tokens

    @property
    def discourse(self) -> Discourse:
        return self.art.discourse

    @property
    def in_quote(self) -> list[bool]:
        return self.art.in_quote

    @property
    def in_title(self) -> bool:
        return self.sent.char_end <= self.art.offset

    def type_probabilities(self) -> dict[str, float]:
        """The learned proposer's probability of each PLOVER type for this sentence."""
        found = self.cache.get("type_probabilities")
        if found is None:
            provider = self.art.type_probabilities
            found = provider(self) if provider is not None else {}
            self.cache["type_probabilities"] = found
        return dict(found)

    def speaker_source(self, gov: int) -> Resolved | None:
        """The actor speaking through the attribution verb ``gov`` (its subject)."""
        subj, _ = subject_head(self.tree, gov)
        if subj is None:
            return None
        return resolve_head(self.arg, subj)
