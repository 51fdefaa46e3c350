"""What an article has said so far: who was introduced, who is speaking, who "he" is.

The coder walks an article's sentences in order and records every resolved actor mention
here; later pronouns ("he", "it", "they"), definite descriptions ("the President", "the
ministry"), surnames ("Ryabkov" after "Deputy Foreign Minister Sergei Ryabkov") and pair
expressions ("the two sides", "both countries") resolve against that record. Quoted speech
is attributed to its speaker: first-person pronouns inside a quote are the speaker.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..model import Actor
from .cues import cue

__all__ = ["ActorRef", "Discourse", "EventRef", "quote_mask"]

QUOTE_OPEN = "“«"
QUOTE_CLOSE = "”»"

MALE = cue("discourse.male")
FEMALE = cue("discourse.female")
NEUTER = cue("discourse.neuter")
PLURAL = cue("discourse.plural")
FIRST_SING = cue("discourse.first_sing")
FIRST_PLUR = cue("discourse.first_plur")
PERSONAL = MALE | FEMALE | NEUTER | PLURAL | FIRST_SING | FIRST_PLUR

PAIR_HEADS = cue("discourse.pair_heads")
GROUP_COUNTRIES = frozenset({"IMG"})  # transnational militant groups
GROUP_SECTORS = frozenset({"REB", "OPP", "NGO"})  # rebels and militias, opposition parties, campaign groups
# the kinds of act (CAMEO roots) a noun of the kind names, whatever word told it: aid, yielding,
# shows of force ("the launches" after "fired missiles into the sea"), reducing relations,
# expelling, coercion, assault and force ("the attack" after "shelled")
MATERIAL_ROOTS = frozenset({"07", "08", "15", "16", "17", "18", "19", "20"})
# nouns of an agreement, and the kinds of act that make one: agreeing to it, signing it
AGREEMENT_NOUNS = cue("discourse.agreement_nouns")
AGREEING_ROOTS = frozenset({"03", "05"})
PAIR_WORDS = cue("discourse.pair_words")


def quote_mask(text: str) -> list[bool]:
    """For each character of ``text``, whether it lies inside quotation marks.

    Curly quotes open and close explicitly; straight double quotes toggle. A line break closes
    an open quote only when the next line does not start a new one (news paragraphs that
    continue a quote reopen it).
    """
    mask = [False] * len(text)
    inside = False
    for i, ch in enumerate(text):
        if ch in QUOTE_OPEN:
            inside = True
            mask[i] = True
            continue
        if ch in QUOTE_CLOSE:
            mask[i] = True
            inside = False
            continue
        if ch == '"':
            mask[i] = True
            inside = not inside
            continue
        if ch == "\n":
            inside = False
        mask[i] = inside
    return mask


@dataclass
class ActorRef:
    actor: Actor
    sentence: int
    token: int
    kind: str  # person | title | country | org | group | sector | pair
    plural: bool = False
    as_subject: bool = False
    head: str = ""  # the lemma of the phrase's head word ("delegation", "ministry")


@dataclass(frozen=True)
class EventRef:
    """An act an earlier sentence told, as a later "the raid" or "the sanctions" may name it."""

    sentence: int
    lemma: str  # the trigger word's lemma ("raid" of "raided", "sanction" of "sanctions")
    root: str  # its CAMEO root ("19")
    doer: Actor


def _one_doer(acts: list[EventRef]) -> Actor | None:
    """The doer of the acts of the latest sentence among ``acts`` (in text order), when one country
    did them all; None when several did (it is not clear which one a later mention means)."""
    last = [a for a in acts if a.sentence == acts[-1].sentence]
    return last[0].doer if len({a.doer.country for a in last}) == 1 else None


@dataclass
class Discourse:
    """Mutable per-article memory of actors, names and speakers (never shared between articles)."""

    home_country: str = ""
    refs: list[ActorRef] = field(default_factory=list)
    names: dict[str, Actor] = field(default_factory=dict)
    speakers: dict[int, Actor] = field(default_factory=dict)  # sentence index -> speaker
    last_pair: tuple[Actor, Actor] | None = None
    country_counts: dict[str, int] = field(default_factory=dict)
    acts: list[EventRef] = field(default_factory=list)  # the acts told so far, in text order

    # --- recording -------------------------------------------------------------------------
    def note(self, actor: Actor, *, sentence: int, token: int, kind: str, plural: bool = False,
             as_subject: bool = False, head: str = "") -> None:
        if not actor.country:
            return
        self.refs.append(ActorRef(actor, sentence, token, kind, plural, as_subject, head))
        if actor.country not in ("IGO", "NGO"):
            self.country_counts[actor.country] = self.country_counts.get(actor.country, 0) + 1

    def note_name(self, name_tokens: list[str], actor: Actor) -> None:
        """Remember a person's name (full, and each name after the first: "Kayikwamba" or "Wagner"
        for "Therese Kayikwamba Wagner", "Lopez" for "Andres Manuel Lopez Obrador") for later
        bare-name mentions; a full name or surname is remembered for its latest owner, a name in
        between only when no one has it yet."""
        words = [w for w in name_tokens if w[:1].isupper()]
        if not words or not actor.country:
            return
        self.names[" ".join(words).lower()] = actor
        self.names[words[-1].lower()] = actor
        for w in words[1:-1]:
            self.names.setdefault(w.lower(), actor)

    def note_act(self, *, sentence: int, lemma: str, cameo: str, doer: Actor) -> None:
        """Remember an act a sentence told and who did it, for a later definite description of it."""
        if doer.country:
            self.acts.append(EventRef(sentence, lemma, cameo[:2], doer))

    def earlier_act(self, lemma: str, roots: frozenset[str], sentence: int) -> Actor | None:
        """The doer of the latest act before ``sentence`` told with the word ``lemma`` ("raided" for
        "the raid") or, failing that, of one of the kinds ``roots`` (CAMEO roots the noun can name:
        "the attack" after "shelled"; only acts done to someone, aid to force, whose nouns name any
        act of their kind: "the verdict" is not every accusation; and "the deal" after an agreement
        reached or signed). None when there is none, or when
        the latest acts of that kind in one sentence were done by several countries."""
        # an agreement named again ("criticized the deal") is the one reached or signed before
        kinds = roots | AGREEING_ROOTS if lemma in AGREEMENT_NOUNS else roots & MATERIAL_ROOTS
        for match in (lambda a: a.lemma == lemma and (not roots or a.root in roots), lambda a: a.root in kinds):
            found = [a for a in self.acts if a.sentence < sentence and match(a)]
            if found:
                return _one_doer(found)
        return None

    def latest_act(self, sentence: int, *, within: int = 2, besides: frozenset[str] = frozenset(),
                   roots: frozenset[str] = frozenset()) -> Actor | None:
        """The doer of the acts the latest sentence before ``sentence`` that told any (at most
        ``within`` sentences back) told: what "the move", "the decision" refer to; acts by the
        countries ``besides`` (whoever answers the move) are not it, and with ``roots`` only acts of
        those CAMEO roots count ("the claims": an accusation). None when that sentence's acts were
        done by several countries."""
        found = [a for a in self.acts if sentence - within <= a.sentence < sentence and a.doer.country not in besides
                 and (not roots or a.root in roots)]
        return _one_doer(found) if found else None

    def note_pair(self, a: Actor, b: Actor) -> None:
        if a.country and b.country and a.country != b.country:
            self.last_pair = (a, b)

    # --- resolving -------------------------------------------------------------------------
    def by_name(self, words: list[str]) -> Actor | None:
        key = " ".join(words).lower()
        if key in self.names:
            return self.names[key]
        if words and words[-1].lower() in self.names:
            return self.names[words[-1].lower()]
        if len(words) >= 2 and "-".join(words[-2:]).lower() in self.names:
            return self.names["-".join(words[-2:]).lower()]  # "Akufo-Addo", the tokenizer's "Akufo", "Addo"
        return None

    def pronoun(self, word: str, *, sentence: int, speaker: Actor | None, token: int = 1 << 30,
                exclude: frozenset[Actor] = frozenset()) -> Actor | None:
        """The actor a personal pronoun refers to, or None when nothing fits.

        Mentions earlier in the same sentence (before ``token``) come first, then the subject of
        the nearest earlier sentence; ``exclude`` holds actors the pronoun cannot be (an object
        pronoun is not its own clause's subject)."""
        w = word.lower()
        if w in FIRST_SING | FIRST_PLUR:
            return speaker
        if w in MALE | FEMALE:
            wanted: tuple[str, ...] = ("person", "title")
        elif w in NEUTER:
            wanted = ("country", "org", "group", "sector")
        elif w in PLURAL:
            wanted = ("group", "sector", "org", "country", "pair")
        else:
            return None
        # Salience: mentions earlier in the same sentence first; then, over the last three sentences,
        # recency with a penalty for not being a subject (centering: subjects stay in focus).
        best: ActorRef | None = None
        best_score = 1e9
        for ref in reversed(self.refs):
            if ref.sentence > sentence or (ref.sentence == sentence and ref.token >= token):
                continue
            if sentence - ref.sentence > 3:
                break
            if ref.actor in exclude or ref.kind not in wanted:
                continue
            if w in PLURAL and not ref.plural and ref.kind not in ("org", "country", "group"):
                continue
            if w in NEUTER and ref.plural:
                continue
            if ref.sentence == sentence:
                return ref.actor
            score = (sentence - ref.sentence) + (0.0 if ref.as_subject else 1.5)
            if score < best_score:
                best, best_score = ref, score
        return best.actor if best else None

    def pair(self) -> tuple[Actor, Actor] | None:
        """The two actors of "the two sides" / "both countries": the last pair seen together."""
        if self.last_pair:
            return self.last_pair
        seen: list[Actor] = []
        for ref in reversed(self.refs):
            if ref.actor.country in ("IGO", "NGO"):
                continue
            if all(a.country != ref.actor.country for a in seen):
                seen.append(ref.actor)
            if len(seen) == 2:
                return seen[1], seen[0]
        return None

    def recent_body(self, sentence: int) -> Actor | None:
        """The latest international body (IGO/NGO) mentioned in the last five sentences."""
        for ref in reversed(self.refs):
            if ref.sentence > sentence:
                continue
            if sentence - ref.sentence > 5:
                return None
            if ref.actor.country in ("IGO", "NGO"):
                return ref.actor
        return None

    def recent_group(self, sentence: int) -> Actor | None:
        """The latest armed group, opposition party or campaign group (not a state's own organs, nor
        an international body) mentioned in the last five sentences: what "the group" refers to."""
        for ref in reversed(self.refs):
            if ref.sentence >= sentence:
                continue
            if sentence - ref.sentence > 5:
                return None
            if ref.actor.country in GROUP_COUNTRIES or ref.actor.sector in GROUP_SECTORS:
                return ref.actor
        return None

    def recent_with_sector(self, sector: str, sentence: int) -> Actor | None:
        """The latest actor of ``sector`` that was a subject in the last three sentences (the one in
        focus), else the latest actor of that sector mentioned at all."""
        fallback: Actor | None = None
        for ref in reversed(self.refs):
            if ref.sentence > sentence:
                continue
            if ref.actor.sector != sector or ref.actor.country in ("IGO", "NGO"):
                continue
            if ref.as_subject and sentence - ref.sentence <= 3:
                return ref.actor
            if fallback is None:
                fallback = ref.actor
        return fallback

    def same_head(self, head: str, sentence: int) -> Actor | None:
        """The latest actor named by a phrase with this head word in an earlier sentence: what a
        definite description ("the delegation" after "a Sudanese delegation") refers back to."""
        found: list[ActorRef] = []
        for ref in reversed(self.refs):
            if found and ref.sentence != found[0].sentence:
                break
            if ref.sentence < sentence and ref.head == head and ref.actor.country not in ("", "IGO", "NGO"):
                found.append(ref)
        if len({ref.actor.country for ref in found}) != 1:
            return None  # none, or "the generals of Pakistan and India": not one actor to refer back to
        return found[0].actor

    def fill_country(self, actor: Actor, *, sentence: int, prefer: str = "", definite_head: str = "",
                     named: bool = False) -> Actor:
        """Give a country-less actor ("the ministry", "police") the most plausible country: for a
        definite description, the country of the last phrase with the same head word; else ``prefer``
        (the place named in the sentence), the actor of that sector in focus, the article's country.
        A ``named`` official with a bare title ("Interior Minister Jane Doe") is the dateline country's:
        a story gives a foreign official the nationality, its own country's it leaves out."""
        if actor.country:
            return actor
        earlier = self.same_head(definite_head, sentence) if definite_head else None
        country = earlier.country if earlier is not None and earlier.sector == actor.sector else (prefer or "")
        if not country and named:
            country = self.home_country
        if not country:
            same = self.recent_with_sector(actor.sector, sentence) if actor.sector else None
            if same is not None and actor.sector in ("GOV",):
                country = same.country
        if not country:
            country = self.home_country
        if not country:
            # militants may be the article's armed group ("IMG"); police, troops and officials are a state's
            pool = [kv for kv in self.country_counts.items() if actor.sector == "REB" or kv[0] != "IMG"]
            country = max(pool, key=lambda kv: (kv[1], kv[0]))[0] if pool else ""
        if not country:
            return actor
        return replace(actor, country=country, code=country + actor.sector)

