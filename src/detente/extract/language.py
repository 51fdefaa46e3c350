"""The language of an article body: py3langid (offline, model shipped in the wheel) with two guards.

langid alone misreads short bodies and bodies thick with names ("Putin Biden Kremlin"), and
a long English article quoting a French paragraph must stay English. So the decision is made
per paragraph weighted by length, and English function words (which every English sentence
is full of and other languages nearly lack) overrule a doubtful model verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .lines import ENGLISH, ENGLISH_STOPWORDS, Script

__all__ = ["LanguageGuess", "guess_language", "language_name", "script_for_page"]

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Language names for the rejection message; other codes are printed as they are.
_NAMES = {
    "fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch",
    "ru": "Russian", "uk": "Ukrainian", "pl": "Polish", "tr": "Turkish", "ar": "Arabic", "zh": "Chinese",
    "ja": "Japanese", "ko": "Korean", "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish",
    "el": "Greek", "cs": "Czech", "hu": "Hungarian", "ro": "Romanian", "fa": "Persian", "he": "Hebrew",
    "hi": "Hindi", "id": "Indonesian", "vi": "Vietnamese", "en": "English",
}
# Share of English function words above which a text is English whatever the model says
# (English prose runs 0.35-0.55; French, German or Spanish prose stays under 0.08).
_ENGLISH_FUNCTION_SHARE = 0.22
# jusText's stop-word lists (shipped in the justext wheel) by ISO 639-1 code, for pages that
# are not English: the boilerplate filter measures "stop-word density" in the page's language.
_JUSTEXT_LISTS = {
    "fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch",
    "ru": "Russian", "uk": "Ukrainian", "pl": "Polish", "tr": "Turkish", "ar": "Arabic", "ko": "Korean",
    "sv": "Swedish", "da": "Danish", "no": "Norwegian_Bokmal", "nb": "Norwegian_Bokmal", "fi": "Finnish",
    "el": "Greek", "cs": "Czech", "sk": "Slovak", "hu": "Hungarian", "ro": "Romanian", "fa": "Persian",
    "he": "Hebrew", "hi": "Hindi", "id": "Indonesian", "ms": "Malay", "vi": "Vietnamese", "bg": "Bulgarian",
    "hr": "Croatian", "sr": "Serbian", "sl": "Slovenian", "ca": "Catalan", "et": "Estonian", "lt": "Lithuanian",
    "lv": "Latvian", "ur": "Urdu", "tl": "Tagalog", "sw": "Swahili",
}
_DENSE_SCRIPTS = {"ja", "zh"}
_PUNCTUATION = "\"'“”‘’«»()[]{}.,;:!?"
_MIN_PARAGRAPH_CHARS = 40
# At most this many paragraphs, and this many characters of each, are read by the model.
_SAMPLED_PARAGRAPHS = 12
_SAMPLED_CHARS = 400
# The characters of a page's longest lines read to choose its stop words.
_SCRIPT_SAMPLE_CHARS = 2000
_SHORT_TEXT_CHARS = 300
_NATIVE_FUNCTION_SHARE = 0.15


@dataclass(frozen=True)
class LanguageGuess:
    code: str
    english_share: float   # share of the text (by characters) judged English
    function_share: float  # share of words that are English function words
    # The detector's confidence in ``code``: the share of the text (by characters) whose
    # paragraphs read as that language, each weighted by the model's probability for it
    # (1.0 where English function words decided); at least 0.5 where the function words of the
    # whole text overruled the paragraphs, and 0.5 for a short text English by default.
    confidence: float = 1.0

    @property
    def is_english(self) -> bool:
        return self.code == "en"

    @property
    def name(self) -> str:
        return language_name(self.code)


def language_name(code: str) -> str:
    """"French" for ``fr``; a code without a name here is returned as it is."""
    return _NAMES.get(code, code)


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _function_share(text: str) -> float:
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return 0.0
    return sum(w in ENGLISH_STOPWORDS for w in words) / len(words)


def guess_language(text: str) -> LanguageGuess:
    """The language of ``text`` as an ISO 639-1 code with the evidence behind it."""
    identifier = _identifier()
    paragraphs = [p for p in text.splitlines() if len(p.strip()) >= _MIN_PARAGRAPH_CHARS] or [text]
    weight_by_lang: dict[str, float] = {}
    belief_by_lang: dict[str, float] = {}
    # The model's cost grows with the characters it reads: a long article is judged on an even
    # sample of its paragraphs, each weighed by its whole length, from its first characters.
    step = max(1, -(-len(paragraphs) // _SAMPLED_PARAGRAPHS))
    for paragraph in paragraphs[::step]:
        lang, probability = identifier.classify(paragraph[:_SAMPLED_CHARS])
        if lang != "en" and _function_share(paragraph) >= _ENGLISH_FUNCTION_SHARE:
            lang, probability = "en", 1.0
        weight_by_lang[lang] = weight_by_lang.get(lang, 0.0) + len(paragraph)
        belief_by_lang[lang] = belief_by_lang.get(lang, 0.0) + len(paragraph) * float(probability)
    total = sum(weight_by_lang.values()) or 1.0
    english = weight_by_lang.get("en", 0.0) / total
    function = _function_share(text)
    top = max(weight_by_lang.items(), key=lambda kv: kv[1])[0]
    confidence = belief_by_lang.get(top, 0.0) / total
    if english >= 0.5 or function >= _ENGLISH_FUNCTION_SHARE:
        if top != "en":  # English by its function words against the model's per-paragraph verdicts
            confidence = max(belief_by_lang.get("en", 0.0) / total, 0.5)
        top = "en"
    elif len(text) < _SHORT_TEXT_CHARS and _native_share(text, top) < _NATIVE_FUNCTION_SHARE:
        # A line or two of names and nouns ("Russia expels Polish diplomats") gives the model
        # little to go on; without the other language's own function words it stays English.
        top, confidence = "en", 0.5
    return LanguageGuess(top, english, function, round(confidence, 3))


def _native_share(text: str, code: str) -> float:
    """The share of words that are function words of ``code`` and not of English: a word both
    languages' lists hold ("the" is on jusText's French list) is no evidence against English."""
    stoplist = _stoplist(code) - ENGLISH_STOPWORDS
    words = [w.lower() for w in _WORD.findall(text)]
    if not stoplist:
        # No list for this language: a script other than Latin is evidence enough.
        return 1.0 if any(not ch.isascii() and ch.isalpha() for ch in text) else 0.0
    return sum(w in stoplist for w in words) / len(words) if words else 0.0


@lru_cache(maxsize=64)
def _stoplist(code: str) -> frozenset[str]:
    name = _JUSTEXT_LISTS.get(code)
    if name is None:
        return frozenset()
    try:
        import justext
    except ImportError:  # pragma: no cover - installed with trafilatura
        return frozenset()
    return frozenset(w.strip(_PUNCTUATION).lower() for w in justext.get_stoplist(name)) - {""}


def script_for_page(lines: list[str]) -> Script:
    """How to count words and stop words on a page, from the language of its longest lines."""
    return _script_for_sample(" ".join(sorted(lines, key=len, reverse=True)[:30])[:_SCRIPT_SAMPLE_CHARS])


# a dump is read twice (the whole page to find its headline, then the page below the headline),
# and the sample of its longest lines is nearly always the same: its script is kept
@lru_cache(maxsize=64)
def _script_for_sample(sample: str) -> Script:
    if not sample.strip():
        return ENGLISH
    code, _ = _identifier().classify(sample)
    if code == "en" or _function_share(sample) >= _ENGLISH_FUNCTION_SHARE:
        return ENGLISH
    if code in _DENSE_SCRIPTS:
        return Script(frozenset(), dense=True)
    stopwords = _stoplist(code)
    return Script(stopwords) if stopwords else ENGLISH
