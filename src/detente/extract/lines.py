"""What one line of a page says about itself: the general features the boilerplate filter reads.

The features are those of jusText and of the C4/FineWeb line filters: length in words,
whether the line ends like a sentence, the density of English function words, the
capitalisation of headlines, and a vocabulary of the prompts and notices that wrap articles
on every site (share, subscribe, cookie, comment, reply, read more, related, copyright ...).
Nothing here names a site or quotes a particular page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum
from functools import lru_cache

__all__ = ["ENGLISH", "ENGLISH_STOPWORDS", "Kind", "LineFeatures", "Script", "describe_line", "looks_like_bio"]

_STOPWORDS_TEXT = """
a about above after again against all also although am among an and another any are as at be because been
before being below between both but by can could did do does doing down during each either even ever every
few for from further had has have having he her here hers herself him himself his how however i if in into is
it its itself just least less many may me might more most much must my myself neither no nor not now of off
often on once one only or other others ought our ours ourselves out over own per quite rather same several
shall she should since so some such than that the their theirs them themselves then there these they this
those though through thus to too toward towards under until up upon us very was we were what whatever when
whenever where whereas wherever whether which while who whom whose why will with within without would yet you
your yours yourself yourselves it's don't didn't doesn't isn't wasn't weren't won't can't couldn't wouldn't
shouldn't hasn't haven't hadn't i'm i've i'd i'll we're we've they're they've he's she's that's there's
what's let's said says say told according
"""
ENGLISH_STOPWORDS: frozenset[str] = frozenset(_STOPWORDS_TEXT.split())

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Scripts written without spaces between words: a "word" there is counted as two characters.
_DENSE_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Their most frequent grammatical characters play the part of stop words (Japanese kana
# particles and endings, Chinese function characters).
_DENSE_FUNCTION = frozenset("のはをにがとでたしているもなかれっ、。的了是在和有我他这不也就都而及与")
_LETTERS = re.compile(r"[^\W\d_]")
# A sentence ends with . ! ? or an ellipsis, possibly inside closing quotes or brackets.
_SENTENCE_END = re.compile(r"""[.!?…。！？](?:["'”’»)\]」』）]|\s)*$""")
_BULLET = re.compile(r"^\s*(?:[-–—•·*▪►▸●○◦>|]+|\d{1,2}[.)])\s+")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(r"(?:\+\d{1,3}[\s.-]?)?(?:\(?\d{2,5}\)?[\s.-]?){2,4}\d{3,4}\b")
_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+\.\w{2,}", re.I)
_PLACEHOLDER = re.compile(r"%[sd]\b|\{\{.*?\}\}|\$\{.*?\}|\blorem ipsum\b", re.I)
_BYLINE = re.compile(r"^(?:by|written by|words by|posted by|reported by)\s+[A-Z][\w.'’-]*", re.I)
_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DATE_WORDS = re.compile(
    rf"\b(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS},?\s+\d{{4}}|"
    r"\d{4}-\d{2}-\d{2}|\d{1,2}[:.]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)|"
    r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*day|\d+\s+(?:minutes?|hours?|days?|weeks?)\s+ago|"
    r"updated|published|posted|last modified|[AP]M\s+[A-Z]{2,4}\b|\b(?:GMT|UTC|EST|EDT|CET|BST|IST)\b)",
    re.I,
)

# Prompts and notices that surround articles. Each distinct match is one "hit"; a short line
# with a hit, or a medium line with several, is boilerplate. Long lines are never judged by
# vocabulary alone. Unambiguous phrases count wherever they stand ...
_PROMPTS: tuple[str, ...] = (
    r"sharing", r"whats\s?app", r"linkedin", r"pinterest", r"subscrib\w*", r"newsletters?",
    r"sign(?:ing)? (?:up|in|out)",
    r"log ?(?:in|out)\b", r"my account", r"cookies?", r"privacy (?:policy|notice|settings)",
    r"terms (?:of|and) (?:use|service|conditions)", r"leave a (?:reply|comment)", r"commenting", r"spam",
    r"read (?:more|next|also|full|the full)", r"also read", r"see also", r"more (?:from|stories|news)\b",
    r"related(?: articles?| posts?| stories| content| news| topics)?\s*:",
    r"related (?:articles?|posts?|stories|content)",
    r"recommended (?:for you|stories|articles|reading)", r"most (?:read|popular|viewed|shared|watched)",
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested)", r"don'?t miss", r"top stories", r"follow (?:us|me|@)",
    r"javascript", r"your browser", r"video player", r"(?:audio|video) (?:is|not) (?:supported|available)",
    r"advertisement", r"sponsored", r"promoted (?:content|stories)", r"partner content", r"back to top", r"skip to",
    r"all rights reserved", r"copyright", r"©", r"\(c\)\s*\d{4}", r"this (?:site|website)\b", r"permalink",
    r"tags?:", r"topics?:", r"filed under", r"posted in", r"categor(?:y|ies):", r"previous (?:article|post|story)",
    r"next (?:article|post|story)", r"contact us", r"about us", r"sitemap", r"like this",
    r"alert icon", r"opens? in a new", r"required fields?", r"email address", r"your (?:inbox|email|name)",
    r"learn more", r"continue reading", r"view (?:all|more|comments)", r"load more", r"show (?:more|comments)",
    r"join the conversation", r"got a (?:story|tip)", r"send us", r"paywall", r"click here", r"tap here",
    r"download (?:the|our) app", r"story continues",
    # the same labels over related stories in other languages (French, Spanish, Portuguese, German, Italian)
    r"(?:à )?lire aussi", r"lire la suite", r"lee (?:también|más)", r"leer más", r"leia (?:também|mais)",
    r"veja também", r"lesen sie (?:auch|mehr)", r"mehr zum thema", r"weiterlesen", r"leggi anche",
)
# ... while ordinary words that news prose also uses count only on a very short line, at the
# head of a line as an imperative ("Follow ...", "Watch:") or when they make up the line.
_WEAK_PROMPTS: tuple[str, ...] = (
    r"share[sd]?\b", r"tweet\w*", r"facebook", r"twitter", r"instagram", r"youtube", r"telegram", r"reddit",
    r"e-?mail\b", r"print\b", r"register\b", r"comments?\b", r"repl(?:y|ies)\b", r"related\b", r"recommended",
    r"trending", r"popular\b", r"latest\b", r"follow\b", r"click\b", r"tap\b", r"download\b", r"app\b",
    r"browser", r"player\b", r"advertis\w+", r"home\b", r"menu\b", r"search\b", r"careers\b", r"faq\b",
    r"feedback", r"loading", r"listen\b", r"watch\b", r"photos?\b", r"gallery", r"slideshow", r"rss\b",
    r"podcasts?", r"notifications?", r"bookmark", r"credits?\b", r"privacy\b", r"consent", r"moderat\w+",
)
_PROMPT = re.compile(r"(?<![\w-])(?:" + "|".join(_PROMPTS) + r")", re.I)
_WEAK_PROMPT = re.compile(r"(?<![\w-])(?:" + "|".join(_WEAK_PROMPTS) + r")", re.I)
_IMPERATIVE_START = re.compile(
    r"^(?:click|tap|follow|share|subscribe|sign|download|watch|listen|read|view|see|get|join|like|comment|leave|"
    r"post|print|email|e-mail|register|log|search|send|tell|support|donate|visit|check out|more)\b",
    re.I,
)
# Notices that are boilerplate at any length up to a long paragraph (legal and consent text).
_NOTICE = re.compile(
    r"all rights reserved|©|\bcopyright\s*(?:\(c\)|@)?\s*(?:19|20)\d\d|\(c\)\s*copyright\b|"
    r"\bcookies?\b.{0,120}\b(?:consent|accept|agree|browsing|experience|use)|"
    r"(?:privacy policy|terms of (?:use|service)).{0,200}(?:agree|accept|consent)|"
    r"\b(?:agree|consent) to (?:our|the) (?:use|privacy|terms)|required fields are marked|"
    r"this site uses \w+ to reduce spam|\be-?mail(?: address)? (?:will|is) (?:not|never) (?:be )?"
    r"(?:published|shared|shown|displayed|made public)|\bfields? (?:marked|with an asterisk)|"
    r"(?:required|mandatory) fields?|\bfields? (?:are|is) (?:required|mandatory)|save my name|"
    r"by submitting (?:this|the|your) (?:form|comment)|(?:revoke|withdraw) (?:this|your) consent|"
    r"\bpersonal data\b.{0,200}\b(?:process\w*|purposes?|consent|third parties)|"
    r"\b(?:data protection|data privacy|privacy) (?:policy|statement|notice)\b.{0,80}$|"
    r"\bfor (?:your )?personal,? non-?commercial use\b|\bmay not be (?:re)?(?:published|produced|copied|"
    r"redistributed|broadcast)|\bwithout (?:the )?(?:prior )?(?:express )?(?:written )?permission\b|"
    r"\breproduction\b.{0,60}\b(?:prohibited|forbidden|permission)",
    re.I,
)
_CREDIT = re.compile(
    r"©|\((?:photo|image|picture)s?\b|\b(?:photo|image|picture|pic|illustration|graphic)s?(?: credit)?\s*:|"
    r"\bphoto(?:graph)?s? by\b|\bcredits?\s*(?::|\.\.\.|…)|"
    r"\b(?:AP|AFP|Reuters|EPA|Xinhua|Anadolu|Bloomberg) ?(?:photo|/ ?Getty|/)|\bimage source\b",
    re.I,
)
# A picture agency's name alone credits a photo only on a short line: a paragraph may name it as a company.
_AGENCY = re.compile(r"\bgetty images\b|\bshutterstock\b|\bistock\b", re.I)
_AGENCY_MAX_WORDS = 15
# The word "copyright" alone is a notice on a short line ("Copyright", "Image copyright", "Copyright
# Policy"); in a sentence or a heading it is a subject ("the copyright claims", "Copyright in a
# fragmented world"); with a year or a sign it is a notice at any length (in _NOTICE).
_COPYRIGHT_WORD = re.compile(r"\bcopyright\b", re.I)
_COPYRIGHT_MAX_WORDS = 4
# Every match of _NOTICE and _CREDIT holds one of these (lower case): an ASCII line without any of
# them is not searched (a third of the time of describing trafilatura's lines); lines with other
# characters are always searched (case folding beyond ASCII is the regular expression's).
_NOTICE_WORDS = ("rights reserved", "copyright", "cookie", "privacy", "terms of", "agree", "consent", "field",
                 "this site uses", "mail", "mandatory", "save my name", "by submitting", "personal",
                 "data protection", "may not be", "permission", "reproduction")
_CREDIT_WORDS = ("photo", "image", "pic", "illustration", "graphic", "credit", "getty", "shutterstock", "istock",
                 "/")


def _may_hold(line: str, words: tuple[str, ...]) -> bool:
    if not line.isascii():
        return True
    lower = line.lower()
    return any(word in lower for word in words)


# Words of an author's profile box ("X is a senior reporter covering ...").
_BIO = re.compile(
    r"\b(?:journalists?|reporters?|correspondents?|editors?|columnists?|writers?|contributors?|"
    r"freelancer|author of|covers?|covering|bureau chief|is a (?:senior|staff|former|veteran)|has written|"
    r"has been (?:reporting|writing|covering|working)|joined \S+(?: \S+){0,3} in (?:\d{4}|[A-Z]\w+ \d{4})|"
    r"graduate of|based in)\b",
)


@dataclass(frozen=True)
class Script:
    """How to count words and stop words in the page's language."""

    stopwords: frozenset[str]
    dense: bool = False  # written without spaces (Japanese, Chinese)


ENGLISH = Script(ENGLISH_STOPWORDS)


class Kind(Enum):
    """jusText's block classes: sentence-like ``GOOD``; ``NEAR`` good; ``SHORT``; ``BAD``."""

    GOOD = "good"
    NEAR = "near"
    SHORT = "short"
    BAD = "bad"


@dataclass(frozen=True)
class LineFeatures:
    text: str
    words: int
    stop_density: float
    ends_sentence: bool
    ends_colon: bool
    title_case: bool
    all_caps: bool
    bullet: bool
    prompt_hits: int
    notice: bool
    contact: bool
    credit: bool
    byline: bool
    date_words: int
    letter_share: float
    kind: Kind = Kind.SHORT
    why: str = ""

    @property
    def headline_like(self) -> bool:
        """Reads like a headline or link text: a few words with no sentence end (or a
        title-case question), not a paragraph."""
        if self.words == 0 or self.words > 25:
            return False
        if self.ends_colon and self.kind is Kind.NEAR:
            return False
        return not self.ends_sentence or (self.title_case and self.text.rstrip(" \"'”’»")[-1:] in "?!")


def _title_case(words: list[str]) -> bool:
    significant = [w for w in words if len(w) > 3 or w.lower() not in ENGLISH_STOPWORDS]
    significant = [w for w in significant if w[:1].isalpha()]
    if len(significant) < 2:
        return bool(significant) and significant[0][:1].isupper() and len(words) <= 2
    capitalised = sum(w[:1].isupper() for w in significant)
    return capitalised >= 0.75 * len(significant)


def _prompt_hits(line: str, words: int) -> int:
    strong = {m.group(0).lower() for m in _PROMPT.finditer(line)}
    weak = {m.group(0).lower() for m in _WEAK_PROMPT.finditer(line)} - strong
    if weak and (words <= 3 or _IMPERATIVE_START.match(line) or len(weak) >= max(2, words / 3)):
        return len(strong) + len(weak)
    return len(strong)


def describe_line(text: str, *, repeated: bool = False, script: Script = ENGLISH) -> LineFeatures:
    """The features of one line and its class; ``repeated`` says the page has it more than once."""
    return _describe(" ".join(text.split()), repeated, script)


# A dump is described more than once (to find the headline, then line by line for the model), and
# menus and notices recur from page to page: a line's features depend on nothing but the line,
# ``repeated`` and the script, so they are kept for the lines seen last (LineFeatures is frozen).
@lru_cache(maxsize=8192)
def _describe(line: str, repeated: bool, script: Script) -> LineFeatures:
    words = _WORD.findall(line)
    n = len(words)
    stop = sum(w.lower() in script.stopwords for w in words) / n if n else 0.0
    if script.dense:
        dense_chars = _DENSE_CHAR.findall(line)
        if dense_chars:
            n = len(dense_chars) // 2 + sum(1 for w in words if not _DENSE_CHAR.search(w))
            stop = max(stop, sum(ch in _DENSE_FUNCTION for ch in line) / max(1, len(dense_chars)) * 1.5)
    body = _BULLET.sub("", line)
    alpha_words = [w for w in words if w[:1].isalpha()]
    all_caps = len(alpha_words) >= 2 and all(w.isupper() for w in alpha_words if len(w) > 1)
    # Vocabulary only ever condemns lines up to 80 words: longer ones skip those searches.
    judged = n <= 80
    features = LineFeatures(
        text=line,
        words=n,
        stop_density=stop,
        ends_sentence=bool(_SENTENCE_END.search(line[-12:])),
        ends_colon=line.endswith(":"),
        title_case=n <= 40 and (_title_case(words) or all_caps),
        all_caps=all_caps,
        bullet=body != line,
        prompt_hits=_prompt_hits(body, n) if judged else 0,
        notice=judged and _may_hold(line, _NOTICE_WORDS) and bool(
            _NOTICE.search(line) or (n <= _COPYRIGHT_MAX_WORDS and _COPYRIGHT_WORD.search(line))),
        contact=bool((n <= 30 and _EMAIL.search(line)) or (n <= 25 and _PHONE.search(line))
                     or (n <= 12 and _URL.search(line))),
        credit=n <= 60 and _may_hold(line, _CREDIT_WORDS) and bool(
            _CREDIT.search(line) or (n <= _AGENCY_MAX_WORDS and _AGENCY.search(line))),
        byline=n <= 12 and bool(_BYLINE.match(body)),
        date_words=len(_DATE_WORDS.findall(line)) if n <= 12 else 0,
        letter_share=len(_LETTERS.findall(line)) / len(line) if line else 0.0,
    )
    kind, why = _classify(features, repeated)
    return replace(features, kind=kind, why=why)


def _classify(f: LineFeatures, repeated: bool) -> tuple[Kind, str]:
    n, stop, hits, ends = f.words, f.stop_density, f.prompt_hits, f.ends_sentence
    if n == 0 or f.letter_share < 0.4:
        return Kind.BAD, "no words"
    if _PLACEHOLDER.search(f.text):
        return Kind.BAD, "template placeholder"
    if f.notice and n <= 80:
        return Kind.BAD, "legal or consent notice"
    if f.contact:
        return Kind.BAD, "contact details or a bare link"
    if f.credit:
        return Kind.BAD, "photo credit or caption"
    if f.byline:
        return Kind.BAD, "byline"
    if hits and (n <= 6 or (n <= 12 and not ends) or (hits >= 2 and n <= 30) or (hits >= 3 and n <= 45)):
        return Kind.BAD, "prompt or navigation words"
    if repeated and n < 10:
        return Kind.BAD, "repeated on the page"
    if f.date_words and n <= 12 and not ends and stop < 0.25:
        return Kind.BAD, "date or time stamp"
    if f.ends_colon and n >= 6 and stop >= 0.2:
        return Kind.NEAR, "sentence introducing what follows"
    if ends and n >= 10 and stop >= 0.2:
        return Kind.GOOD, "sentence-like paragraph"
    if n >= 30 and stop >= 0.25:
        return Kind.GOOD, "long paragraph"
    if (ends and n >= 3 and stop >= 0.1) or (ends and n >= 2 and f.text[:1] in "\"“‘'"):
        return Kind.NEAR, "short sentence"
    if n >= 10 and stop >= 0.2:
        return Kind.NEAR, "long line without a sentence end"
    return Kind.SHORT, "short line"


_BIO_VERB = r"(?:is|was|has|had|writes|wrote|covers|covered|joined|reports|reported|leads|edits)\b"
_NAMED_SUBJECT = re.compile(r"^[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}\s+" + _BIO_VERB)


def looks_like_bio(features: LineFeatures, name_line: str | None) -> bool:
    """An author's profile: the name on the line before, then the same name with a verb of
    being or reporting ("Jane Doe / Jane Doe is a reporter ..."), or a line that reads like one
    ("Jane Doe has covered the region since ...")."""
    text = features.text
    if name_line and 2 <= len(name_line.split()) <= 5 and _title_case(name_line.split()):
        name = name_line.rstrip(":")
        if text.startswith(name + " ") and re.match(_BIO_VERB, text[len(name) + 1:]):
            return True
    return bool(_BIO.search(text)) and features.words <= 80 and bool(_NAMED_SUBJECT.match(text))
