"""When an event happened: the date expression of its own sentence, else the dateline, else the
article's publication date.

An article is scanned once (``ArticleDates``): a regular-expression prefilter finds the date
expressions of every sentence ("on 12 March", "March 12, 2025", "Dec. 7", "on Tuesday",
"yesterday", "earlier this month", "last week", "over the weekend", "on the 12th", "last
December", "in 2016", "the 1967 war", "three days ago") and the dateline ("KYIV, March 3 -");
explicit calendar dates are parsed by ``dateparser`` (once per distinct expression and reference
day), weekdays and relative expressions are counted from the reference day with ``dateutil``. Each expression is tied to
the word it modifies in the parse, and an event takes the expression that modifies its trigger
or one of the trigger's heads ("On Tuesday, the House voted ..., urging ..."), so a date inside
an argument ("the February 8 vote") does not date the event.

The date stored is the day, or the first day of the span an expression names (``last week``
-> that week's Monday, precision ``week``); ``date_source`` says where it came from:
``sentence``, ``dateline`` or ``published``. A weekday is the one on or before the reference
day ("on Tuesday" in a Tuesday article is that day), or on or after it for an act still to
come ("will travel on Tuesday"); a month and day without a year is the nearest such day around
the reference day (a few weeks ahead at most).
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

from ..model import Event
from ..nlp import ParsedText, Token
from .cues import cue

__all__ = [
    "DATE_PRECISIONS",
    "DATE_SOURCES",
    "ArticleDates",
    "DateMention",
    "Dateline",
    "EventDate",
    "find_date_mentions",
    "find_dateline",
    "parse_calendar_date",
    "share_event_dates",
]

DATE_PRECISIONS = ("day", "week", "month", "year")
# A month and day without a year is at most this far ahead of the article (a report due "Friday (Dec.
# 13)"); further ahead, it is the same day of the year before ("collapsed on December 1" in October).
NEAR_FUTURE_DAYS = 14
# The day the lead names ("said on Monday" in a Tuesday article) dates the story's other undated
# sentences when it lies at most this many days before the article.
LEAD_DAYS = 7
DATE_SOURCES = ("sentence", "dateline", "published")

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_RELDAY = (MO, TU, WE, TH, FR, SA, SU)
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "few": 3}

_MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH_ANY = (r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?"
              r"|Sep(?:t(?:ember)?)?\.?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUM = r"(?:\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a few)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_ORD = r"(?:st|nd|rd|th)?"

# One pattern, alternatives in priority order: at a given position the first that matches wins.
_DATE_RE = re.compile(
    rf"\b(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})\b"
    rf"|\b(?P<md>{_MONTH_ANY}\s+\d{{1,2}}{_ORD})(?![\d:])(?:,?\s+(?P<mdy>{_YEAR})\b)?"
    rf"|\b(?P<dm>\d{{1,2}}{_ORD}\s+(?:of\s+)?{_MONTH_ANY})(?:,?\s+(?P<dmy>{_YEAR})\b)?(?!\w)"
    rf"|\b(?P<my>(?:(?:early|mid|late)[- ])?{_MONTH_FULL}\s+(?:of\s+)?{_YEAR})\b"
    rf"|\b(?P<wdq>(?:[Ll]ast|[Tt]his|[Nn]ext|[Pp]ast)\s+)?(?P<wd>{_WEEKDAY})(?:'s|’s)?"
    rf"(?:\s+(?:morning|afternoon|evening|night))?\b"
    rf"|\b(?P<mq>[Ll]ast|[Tt]his|[Nn]ext|[Ee]arlier\s+this|[Ll]ater\s+this)\s+(?P<mqm>{_MONTH_FULL})\b"
    rf"|\b(?P<bmp>in|during|by|until|of|early|late|mid|In|During|By|Until|Early|Late|Mid)[- ]"
    rf"(?:(?:early|late|mid)[- ])?(?P<bm>{_MONTH_FULL})\b(?!\s+\d)"
    rf"|\b(?P<rel>(?i:yesterday|today|tonight|tomorrow"
    rf"|(?:earlier|later)\s+(?:this|that|in\s+the)\s+(?:week|month|year|day)"
    rf"|(?:this|last|next|past)\s+(?:week(?:end)?|month|year|night|morning|afternoon|evening)"
    rf"|(?:the\s+)?(?:previous|next|following|preceding)\s+(?:day|week|month|year)"
    rf"|(?:the\s+)?day\s+(?:before|after)|earlier\s+in\s+the\s+day|this\s+(?:morning|afternoon|evening)"
    rf"|{_NUM}\s+(?:day|week|month|year)s?\s+(?:ago|earlier|later|before)))\b"
    rf"|\b(?P<wke>(?i:over|at|during|on))\s+the\s+weekend\b"
    rf"|\b[Oo]n\s+the\s+(?P<nth>\d{{1,2}})(?:st|nd|rd|th)\b(?=\s*(?:[,.;:)\u2013\u2014-]|$))"
    rf"|\b(?P<yr>{_YEAR})(?P<decade>s)?\b(?!-\d|\s*(?:%|percent|people|troops|soldiers|km|kilometers|miles))"
)
# Words one of which every date expression holds (besides digits): sentences without any skip the
# full pattern, which is most of the time spent finding dates.
_HINTS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "monday", "tuesday",
          "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "today", "tonight", "tomorrow",
          "week", "month", "year", "day", "night", "morning", "afternoon", "evening")
_TIME_PREPS = cue("when.time_preps")
_FUTURE_WORDS = cue("when.future_words")
_CONTEXT_RELATIVE = re.compile(r"(?i)previous|preceding|day before|day after|following|earlier$|later$|before$")
_DATELINE_RE = re.compile(
    rf"^\s*(?P<place>[A-Z][A-Z.'’\- ]{{2,40}}?)(?:,\s*(?!{_MONTH_ANY}\s+\d)(?P<region>[A-Z][\w.'’\- ]{{1,30}}?))?"
    rf"(?:,\s*(?P<date>{_MONTH_ANY}\s+\d{{1,2}}(?:,\s*{_YEAR})?))?\s*(?:\([^)]{{1,40}}\))?\s*[-–—:]\s")


@dataclass(frozen=True, slots=True)
class EventDate:
    """An event's date: ``day`` (the day, or the first day of the span named), its ``precision``
    (day, week, month, year), where it came from (``source``: sentence, dateline, published),
    the words that gave it, whether they date the event to an earlier year (``historical``), and
    whether the event's own sentence gave it (``inherited`` is True for the article's fallback: the
    dateline, the lead's day or the publication date)."""

    day: date | None
    precision: str | None = None
    source: str | None = None
    text: str = ""
    historical: bool = False
    inherited: bool = False


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression in a sentence: its tokens, what it resolves to (``future_day`` is the
    reading for an act still to come; it differs only for a bare weekday) and the token it
    modifies (``anchor``)."""

    sentence: int
    start: int
    end: int
    text: str
    day: date
    precision: str
    future_day: date
    anchor: int
    explicit: bool  # a calendar date written out (with digits), which wins over a weekday
    historical: bool


@dataclass(frozen=True, slots=True)
class Dateline:
    """A leading dateline ("KYIV, March 3 -", "NAIROBI, Kenya -"): its place words, its region or
    country words (or ""), its date words (or "") and the character span it covers."""

    place: str
    region: str
    date_text: str
    start: int
    end: int


def find_dateline(text: str, start: int = 0) -> Dateline | None:
    """The dateline that opens the line at ``start`` of ``text``, if any (place in capitals)."""
    line_end = text.find("\n", start)
    line = text[start:line_end if line_end != -1 else len(text)]
    m = _DATELINE_RE.match(line)
    if m is None:
        return None
    place = m.group("place").strip(" .")
    words = place.replace(".", "").split()
    if not words or not all(w.isupper() for w in words) or len(place) < 3:
        return None
    return Dateline(place=place, region=(m.group("region") or "").strip(), date_text=m.group("date") or "",
                    start=start + m.start("place"), end=start + m.end())


# --- parsing one expression ------------------------------------------------------------------

_parse_lock = threading.Lock()


@lru_cache(maxsize=4096)
def parse_calendar_date(text: str, reference: date | None) -> tuple[date, str] | None:
    """A written calendar date ("March 12, 2025", "12 March", "Dec. 7", "August 2016") as (first day,
    precision), parsed by ``dateparser``; a month and day without a year is put in the year that
    brings it nearest the reference day (at most about two months ahead). None if unreadable."""
    import dateparser  # imported on first use: only articles with a written date pay for it

    has_year = re.search(_YEAR, text) is not None
    if not has_year and reference is None:
        return None
    base = datetime(reference.year, reference.month, reference.day) if reference else datetime(2000, 1, 1)
    settings: dict[str, Any] = {"RELATIVE_BASE": base, "PREFER_DAY_OF_MONTH": "first",
                                "RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DATES_FROM": "current_period"}
    cleaned = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", text).replace(" of ", " ")
    with _parse_lock:  # dateparser's parser objects are shared and not documented as thread-safe
        found = dateparser.date.DateDataParser(languages=["en"], settings=settings).get_date_data(cleaned)
    if found is None or found.date_obj is None:
        return None
    day = found.date_obj.date()
    precision = "day" if found.period == "day" else ("month" if found.period == "month" else "year")
    if not has_year and reference is not None and precision == "day":
        day = _nearest_year(day, reference)
    return day, precision


def _nearest_year(day: date, reference: date) -> date:
    best = day
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidate = day.replace(year=year)
        except ValueError:  # 29 February
            continue
        if candidate - reference > timedelta(days=NEAR_FUTURE_DAYS):
            continue
        if best - reference > timedelta(days=NEAR_FUTURE_DAYS) or \
                abs((candidate - reference).days) < abs((best - reference).days):
            best = candidate
    return best


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _months_back(d: date, n: int) -> date:
    return (d.replace(day=1) - relativedelta(months=n))


def _number(word: str) -> int:
    word = word.lower().replace("a few", "few")
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word, 1)


def _relative(words: str, base: date) -> tuple[date, str] | None:
    """A relative expression counted from ``base``: (first day, precision)."""
    w = " ".join(words.lower().split())
    if w in ("today", "tonight", "this morning", "this afternoon", "this evening", "earlier in the day",
             "later in the day", "earlier this day"):
        return base, "day"
    if w in ("yesterday", "last night", "the day before", "day before", "the previous day", "previous day",
             "the preceding day", "preceding day"):
        return base - timedelta(days=1), "day"
    if w in ("tomorrow", "the day after", "day after", "the next day", "next day", "the following day",
             "following day"):
        return base + timedelta(days=1), "day"
    m = re.fullmatch(r"(?:(?:earlier|later) (?:this|that|in the) |this |the )?(week|month|year)", w)
    if m or w in ("this weekend",):
        unit = m.group(1) if m else "week"
        if unit == "week":
            return _monday(base), "week"
        if unit == "month":
            return base.replace(day=1), "month"
        return base.replace(month=1, day=1), "year"
    m = re.fullmatch(r"(?:last|past|the previous|previous|the preceding|preceding) (week|weekend|month|year|"
                     r"morning|afternoon|evening)", w)
    if m:
        unit = m.group(1)
        if unit in ("week", "weekend"):
            return _monday(base) - timedelta(days=7), "week"
        if unit == "month":
            return _months_back(base, 1), "month"
        if unit == "year":
            return date(base.year - 1, 1, 1), "year"
        return base - timedelta(days=1), "day"
    m = re.fullmatch(r"(?:next|the next|the following|following) (week|weekend|month|year)", w)
    if m:
        unit = m.group(1)
        if unit in ("week", "weekend"):
            return _monday(base) + timedelta(days=7), "week"
        if unit == "month":
            return base.replace(day=1) + relativedelta(months=1), "month"
        return date(base.year + 1, 1, 1), "year"
    m = re.fullmatch(r"(\d+|a few|[a-z]+) (day|week|month|year)s? (ago|earlier|before|later)", w)
    if m:
        n = _number(m.group(1)) * (1 if m.group(3) != "later" else -1)
        unit = m.group(2)
        if unit == "day":
            return base - timedelta(days=n), "day"
        if unit == "week":
            return _monday(base - timedelta(days=7 * n)), "week"
        if unit == "month":
            return _months_back(base, n) if n >= 0 else base.replace(day=1) + relativedelta(months=-n), "month"
        return date(base.year - n, 1, 1), "year"
    return None


def _day_of_month(day: int, base: date) -> tuple[date, str, date, bool, bool] | None:
    """The ``day`` of ``base``'s month when it is not after ``base``, else of the month before."""
    month_start = base.replace(day=1) if day <= base.day else _months_back(base, 1)
    try:
        found = month_start.replace(day=day)
    except ValueError:
        return None  # "the 31st" of a month with 30 days
    try:
        ahead = base.replace(day=day)  # "will vote on the 20th"
    except ValueError:
        ahead = found
    return found, "day", ahead, False, False


def _weekday(name: str, qualifier: str, base: date) -> tuple[date, date]:
    """(past reading, future reading) of a weekday: on or before / on or after the base day;
    "last Tuesday" is strictly before, "next Tuesday" strictly after."""
    wd = _RELDAY[WEEKDAYS[name.lower()]]
    q = qualifier.strip().lower()
    if q in ("last", "past"):
        past = base - timedelta(days=1) + relativedelta(weekday=wd(-1))
        return past, past
    if q == "next":
        nxt = base + timedelta(days=1) + relativedelta(weekday=wd(+1))
        return nxt, nxt
    return base + relativedelta(weekday=wd(-1)), base + relativedelta(weekday=wd(+1))


def _named_month(month: int, qualifier: str, base: date, *, future: bool = False) -> date:
    q = " ".join(qualifier.lower().split())
    if q == "last":
        year = base.year if month < base.month else base.year - 1
    elif q == "next":
        year = base.year if month > base.month else base.year + 1
    elif q in ("this", "earlier this", "later this"):
        year = base.year
    else:  # "in February": the latest February up to the base month, or the next one for a coming act
        year = base.year if month <= base.month else base.year - 1
        if future and month < base.month:
            year = base.year + 1
    return date(year, month, 1)


# --- finding expressions in a parse ----------------------------------------------------------


def _token_span(starts: Sequence[int], tokens: Sequence[Token], c0: int, c1: int) -> tuple[int, int]:
    a = bisect.bisect_right(starts, c0) - 1
    a = max(a, 0)
    if tokens[a].end_idx <= c0:
        a += 1
    b = bisect.bisect_left(starts, c1)
    return a, max(b, a + 1)


def _anchor(tokens: Sequence[Token], start: int, end: int) -> int:
    """The token a date expression modifies: climb from its head out of the expression and through
    prepositions ("on Tuesday" -> the verb "on" hangs from)."""
    head = start
    for k in range(start, end):
        if not (start <= tokens[k].head < end) or tokens[k].head == k:
            head = k
            break
    cur = head
    for _ in range(8):
        h = tokens[cur].head
        if h == cur:
            return cur
        if start <= h < end:
            cur = h
            continue
        if tokens[h].pos == "ADP" or tokens[h].dep in ("prep", "pcomp"):
            cur = h
            continue
        return h
    return cur


def find_date_mentions(parsed: ParsedText, reference: date | None, sentences: Iterable[int] | None = None,
                       ) -> list[DateMention]:
    """Every date expression of the given sentences (all by default), resolved against ``reference``
    (an expression relative to the story, "the previous day", is counted from the last day an
    earlier sentence named)."""
    tokens = parsed.tokens
    starts = [t.idx for t in tokens]
    out: list[DateMention] = []
    last_day = reference
    indexes = range(len(parsed.sentences)) if sentences is None else sentences
    for si in indexes:
        sent = parsed.sentences[si]
        found_here: list[DateMention] = []
        low = sent.text.lower()
        if not (any(ch.isdigit() for ch in low) or any(h in low for h in _HINTS)):
            continue
        for m in _DATE_RE.finditer(sent.text):
            c0, c1 = sent.char_start + m.start(), sent.char_start + m.end()
            a, b = _token_span(starts, tokens, c0, c1)
            if a >= sent.end:
                continue
            b = min(b, sent.end)
            resolved = _resolve_match(m, reference, last_day, tokens, a, b)
            if resolved is None:
                continue
            day, precision, future_day, explicit, historical = resolved
            found_here.append(DateMention(si, a, b, m.group(0), day, precision, future_day,
                                          _anchor(tokens, a, b), explicit, historical))
        out.extend(found_here)
        dated = [d for d in found_here if d.precision == "day"]
        if dated:
            last_day = dated[0].day
    return out


def _resolve_match(m: re.Match[str], reference: date | None, context: date | None, tokens: Sequence[Token],
                   a: int, b: int) -> tuple[date, str, date, bool, bool] | None:
    g = m.groupdict()
    if g["iso"] or g["md"] or g["dm"] or g["my"]:
        text = m.group(0)
        if g["md"] and not g["mdy"] and m.group("md").split()[0].rstrip(".").lower() in ("may", "march") \
                and not m.group("md")[0].isupper():
            return None  # "may 5": the verb, not the month
        got = parse_calendar_date(text, reference)
        if got is None:
            return None
        day, precision = got
        past_year = reference is not None and day.year < reference.year and re.search(_YEAR, text) is not None
        return day, precision, day, True, past_year
    if reference is None:
        return None
    if g["wd"]:
        past, future = _weekday(g["wd"], g["wdq"] or "", reference)
        return past, "day", future, False, False
    if g["mqm"]:
        day = _named_month(MONTHS[g["mqm"].lower()], g["mq"], reference)
        return day, "month", day, False, day.year < reference.year and g["mq"].lower() != "last"
    if g["bm"]:
        month = MONTHS[g["bm"].lower()]
        day = _named_month(month, "", reference)
        future = _named_month(month, "", reference, future=True)
        return day, "month", future, False, False
    if g["wke"]:
        # the weekend just past, or the coming one for an act still to come: its Saturday, the first
        # day of the span, at the precision of a week (the week that starts there holds it)
        return (reference + relativedelta(weekday=SA(-1)), "week", reference + relativedelta(weekday=SA(+1)),
                False, False)
    if g["nth"]:
        # "on the 12th": that day of the reference month, or of the month before when it is still to come
        return _day_of_month(int(g["nth"]), reference)
    if g["rel"]:
        words = g["rel"]
        base = context if (context is not None and _CONTEXT_RELATIVE.search(words)) else reference
        got = _relative(words, base)
        if got is None:
            return None
        day, precision = got
        past_year = precision == "year" and day.year < reference.year
        return day, precision, day, False, past_year
    if g["yr"]:
        tok = tokens[a]
        if tok.pos not in ("NUM", "PROPN", "NOUN") or tok.dep in ("quantmod",):
            return None
        if b < len(tokens) and tokens[b - 1].head < len(tokens) and tokens[tokens[b - 1].head].tag in ("NNS",) \
                and tokens[b - 1].dep == "nummod":
            return None  # "2000 people": a count
        year = int(g["yr"])
        if year > reference.year + 1:
            return None
        day = date(year, 1, 1)
        return day, "year", day, False, year < reference.year
    return None


# --- per article -----------------------------------------------------------------------------


class ArticleDates:
    """The date expressions of one parsed article, found once, and the date of each event.

    ``reference`` is the day relative expressions count from: the dateline's date when the
    article has one, else the publication date. ``body_start`` is where the body begins in
    ``parsed.text`` (after a headline line) and ``in_quote`` tells, per token, whether it sits in
    quoted speech (a quote that runs on from the sentence before keeps that sentence's date).
    """

    def __init__(self, parsed: ParsedText, published: date | None, *, body_start: int = 0,
                 in_quote: Sequence[bool] | None = None) -> None:
        self.parsed = parsed
        self.published = published
        self.dateline = find_dateline(parsed.text, body_start)
        self.dateline_date: EventDate | None = None
        if self.dateline is not None and self.dateline.date_text:
            got = parse_calendar_date(self.dateline.date_text, published)
            if got is not None:
                self.dateline_date = EventDate(got[0], got[1], "dateline", self.dateline.date_text, inherited=True)
        reference = self.dateline_date.day if self.dateline_date is not None else published
        self.reference = reference
        self._in_quote = in_quote
        self._mentions: dict[int, list[DateMention]] = {}
        self._scanned = False
        self._chosen: dict[int, EventDate] = {}
        self._quoted: dict[int, bool] = {}
        self._lead: EventDate | bool | None = False
        self.body_start = body_start

    def _scan(self) -> None:
        if self._scanned:
            return
        self._scanned = True
        skip = self.dateline.end if self.dateline is not None else -1
        for m in find_date_mentions(self.parsed, self.reference):
            if self.parsed.tokens[m.start].idx < skip:
                continue  # the dateline's own date is the fallback, not a sentence's date
            self._mentions.setdefault(m.sentence, []).append(m)

    def mentions(self, sentence: int) -> list[DateMention]:
        self._scan()
        return self._mentions.get(sentence, [])

    def default(self) -> EventDate:
        """The date of an event its sentence does not date: the dateline's, else the day the lead names
        for its main act (the news day of a story published the morning after), else the publication
        date."""
        if self.dateline_date is not None:
            return self.dateline_date
        lead = self._lead_day()
        if lead is not None:
            return lead
        if self.published is not None:
            return EventDate(self.published, "day", "published", inherited=True)
        return EventDate(None, inherited=True)

    def _lead_day(self) -> EventDate | None:
        if self._lead is False:
            self._lead = None
            reference = self.reference
            body = [si for si, s in enumerate(self.parsed.sentences) if s.char_start >= self.body_start][:2]
            for si in body:
                got = self._sentence_date(si)
                if got is not None and got.precision == "day" and got.day is not None and reference is not None \
                        and timedelta(0) <= reference - got.day <= timedelta(days=LEAD_DAYS):
                    self._lead = EventDate(got.day, "day", "sentence", got.text, inherited=True)
                    break
        return self._lead if isinstance(self._lead, EventDate) else None

    def for_event(self, sentence: int, trigger: Sequence[int], *, future: bool = False) -> EventDate:
        """The date of an event of ``sentence`` whose trigger words are ``trigger`` (token indexes:
        the trigger and the verb carrying it)."""
        own = self._own_date(sentence, trigger, future)
        if own is not None:
            return own
        carried = self._carried(sentence)
        return carried if carried is not None else self.default()

    def _own_date(self, sentence: int, trigger: Sequence[int], future: bool) -> EventDate | None:
        mentions = self.mentions(sentence)
        if not mentions:
            return None
        tokens = self.parsed.tokens
        by_anchor: dict[int, list[DateMention]] = {}
        for m in mentions:
            by_anchor.setdefault(m.anchor, []).append(m)
        chain = _ancestors(tokens, trigger)
        for node in chain:
            found = by_anchor.get(node)
            if found:
                got = self._as_event_date(found, trigger, future)
                if self._possible(got, future):
                    return got
                # "reiterated that tariffs will take effect next Tuesday": that day is the planned
                # act's; the statement, an event that has happened, takes a date further up
        # a dated argument of the trigger ("welcomed Tuesday's announcement", "fought in the 1967 war")
        for node in chain[:3]:
            near = [m for m in mentions if (tokens[m.anchor].head == node
                    and tokens[m.anchor].dep in ("dobj", "pobj", "nsubj", "nsubjpass", "acl"))
                    or (tokens[m.anchor].dep == "pobj" and tokens[tokens[m.anchor].head].head == node
                        and tokens[tokens[m.anchor].head].lower in _TIME_PREPS)]
            if near:
                got = self._as_event_date(near, trigger, future)
                if self._possible(got, future):
                    return got
        # else the day the sentence names for another of its acts ("chanted as they march in Khartoum
        # Thursday"): news sentences tell one moment
        days = [m for m in mentions if m.precision == "day" and (
            tokens[m.anchor].pos in ("VERB", "AUX") or tokens[tokens[m.anchor].head].pos in ("VERB", "AUX"))]
        for m in days:
            got = self._as_event_date([m], trigger, future)
            if self._possible(got, future):
                return got
        return None

    def _possible(self, got: EventDate, future: bool) -> bool:
        """An event that has happened (not flagged future) is not dated after the article's day."""
        return future or got.day is None or self.reference is None or got.day <= self.reference

    def _as_event_date(self, found: Sequence[DateMention], trigger: Sequence[int], future: bool) -> EventDate:
        """The best of the expressions tied to one word: a written calendar date before a weekday, the
        most precise first. A weekday is read forward when the word it dates is an act still to come
        (the event's own future flag counts only when the date modifies the trigger itself)."""
        best = sorted(found, key=lambda m: (not m.explicit, DATE_PRECISIONS.index(m.precision)))[0]
        tokens = self.parsed.tokens
        ahead = _future_context(tokens, [best.anchor, tokens[best.anchor].head]) or (
            future and best.anchor in trigger)
        return EventDate(best.future_day if ahead else best.day, best.precision, "sentence", best.text,
                         best.historical)

    def _carried(self, sentence: int) -> EventDate | None:
        """A sentence that runs on from the one before keeps the date the sentence before gave from
        its own words: a quote, or "he said" with no date of its own, and a sentence of the same
        paragraph that names no date at all (a paragraph of news tells one moment: "On Tuesday,
        rebels attacked the town. They killed 12 people.")."""
        if sentence <= 0 or self._in_quote is None:
            return None
        if sentence not in self._quoted:
            sent = self.parsed.sentences[sentence]
            quoted = sum(1 for i in range(sent.start, sent.end) if self._in_quote[i])
            self._quoted[sentence] = quoted * 2 >= (sent.end - sent.start)
        if not self._quoted[sentence] and not (self._same_paragraph(sentence) and not self.mentions(sentence)):
            return None
        prev = self._sentence_date(sentence - 1)
        # a quote runs on from a day the sentence before named, not from the background it mentioned
        return prev if prev is not None and prev.precision == "day" else None

    def _same_paragraph(self, sentence: int) -> bool:
        """Whether ``sentence`` and the one before stand in one paragraph (no line break between)."""
        before, this = self.parsed.sentences[sentence - 1], self.parsed.sentences[sentence]
        return before.char_start >= self.body_start and "\n" not in self.parsed.text[before.char_end:this.char_start]

    def _sentence_date(self, sentence: int) -> EventDate | None:
        """The date a sentence gives its main clause, else the first day it names for any verb (what a
        quote that runs on inherits)."""
        if sentence in self._chosen:
            return self._chosen[sentence]
        sent = self.parsed.sentences[sentence]
        tokens = self.parsed.tokens
        root = next((i for i in range(sent.start, sent.end) if tokens[i].head == i), sent.start)
        got = self._own_date(sentence, [root], False)
        if got is None:
            verbs = [m for m in self.mentions(sentence)
                     if m.precision == "day" and tokens[m.anchor].pos in ("VERB", "AUX")]
            if verbs:
                got = self._as_event_date(verbs[:1], [verbs[0].anchor], False)
        if got is None and sentence > 0 and self._in_quote is not None:
            got = self._carried(sentence)
        if got is not None:
            self._chosen[sentence] = got
        return got


def share_event_dates(events: Sequence[Event], inherited: Collection[str], reference: date | None) -> list[Event]:
    """The same act told twice in one article has one date: an event whose sentence gives no date of
    its own (it has the article's fallback: the dateline, the lead's day or the publication date)
    takes the day another sentence of the article names for the same act (same type, source
    country and target country: the headline "Iran condemns US sanctions" and the body's "...,
    Baghaei said on Friday"), when the article names one day for it, no later than the reference
    day and at most ``LEAD_DAYS`` before it. ``inherited`` holds the ids of the events with a
    fallback date. An event its sentence dates only to a week or a month ("during the visit last
    month") takes such a day when the day falls in that span ("during the visit on Feb. 27").
    Flagged and historical events neither give nor take a date."""
    def key(e: Event) -> tuple[str, str, str]:
        return e.type, e.source.country, e.target.country if e.target is not None else ""

    def plain(e: Event) -> bool:
        return not (e.negated or e.hypothetical or e.future or e.historical)

    days: dict[tuple[str, str, str], set[date]] = {}
    for e in events:
        if e.id not in inherited and plain(e) and e.date is not None and e.date_precision == "day":
            days.setdefault(key(e), set()).add(e.date)
    if not days:
        return list(events)
    out: list[Event] = []
    for e in events:
        named = days.get(key(e)) if plain(e) else None
        if named is not None and len(named) == 1:
            day = next(iter(named))
            if e.id in inherited:
                if reference is None or timedelta(0) <= reference - day <= timedelta(days=LEAD_DAYS):
                    e = replace(e, date=day, date_precision="day", date_source="sentence")
            elif e.date is not None and _within(day, e.date, e.date_precision):
                # "during the visit last month" and "during the visit on Feb. 27": the span a
                # sentence gives the act holds the day another sentence names for it
                e = replace(e, date=day, date_precision="day", date_source="sentence")
        out.append(e)
    return out


def _within(day: date, first: date, precision: str | None) -> bool:
    """Whether ``day`` falls in the week or month that starts on ``first``."""
    if precision == "week":
        return timedelta(0) <= day - first < timedelta(days=7)
    if precision == "month":
        return (day.year, day.month) == (first.year, first.month)
    return False


def _ancestors(tokens: Sequence[Token], trigger: Sequence[int]) -> list[int]:
    chain: list[int] = []
    for start in trigger:
        cur = start
        for _ in range(40):
            if cur not in chain:
                chain.append(cur)
            h = tokens[cur].head
            if h == cur:
                break
            cur = h
    return chain


def _future_context(tokens: Sequence[Token], chain: Sequence[int]) -> bool:
    """An act still to come: "will meet", "is due to travel", "is scheduled to", "plans to"."""
    for node in chain[:4]:
        tok = tokens[node]
        if tok.lower in _FUTURE_WORDS:
            return True
        for k in range(max(0, node - 4), node):
            if tokens[k].head == node and tokens[k].lower in ("will", "shall", "'ll") and tokens[k].tag == "MD":
                return True
    return False
