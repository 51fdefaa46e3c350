"""Bytes to text, carefully: a page is decoded only when we are sure what its characters are.

Order of evidence: a byte-order mark, then the caller's encoding hint, then the page's own
``<meta charset>`` / XML declaration, then strict UTF-8, and only then a guarded fallback
(windows-1252, then charset_normalizer's best guess) that is accepted when the decoded text
clearly reads as text. Failures are ``ExtractionFailed`` with the reason codes
``empty``, ``unreadable`` (binary junk) and ``bad_encoding``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from ..errors import ExtractionFailed, Reason

__all__ = ["Decoded", "decode_content", "looks_like_html"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),   # before UTF-16 LE: its BOM starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""", re.I)
# Browsers treat these labels as windows-1252 (WHATWG Encoding Standard); pages rely on it.
_AS_CP1252 = {"latin1", "latin-1", "iso-8859-1", "iso8859-1", "iso_8859-1", "ascii", "us-ascii", "l1",
              "cp819", "ibm819", "iso-ir-100", "csisolatin1"}
# Control bytes that never occur in text (tab, LF, VT, FF, CR and ESC excluded).
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
# Real pages sometimes carry a stray invalid byte; tolerate at most this share of them.
_TOLERATED_INVALID_SHARE = 0.001
_TOLERATED_INVALID_MAX = 20
# Typographic marks legitimately found outside words in decoded text.
_TEXT_SYMBOLS = set("“”‘’«»‹›„‚–—‐‑…•·°€£¥¢§¶©®™±×÷¼½¾¹²³µ¡¿ ")
_WORD_INNER = set("'’-‐‑.&/·")
_STRIP = "\"'“”‘’«»‹›„‚()[]{}<>.,;:!?…–—-*#@%$€£¥/\\|_~`^+=0123456789"
_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|\?xml)",
                         re.I | re.S)
_HTML_TAG = re.compile(r"</?(?:p|div|span|a|br|table|tr|td|ul|li|h[1-6]|article|section|body|head|"
                       r"meta|title|script|style|img|main|nav|header|footer)\b[^<>]{0,500}>", re.I)


_ANY_TAG = re.compile(r"<[^<>]{0,2000}>")


@dataclass(frozen=True)
class Decoded:
    """Decoded text and how its encoding was established (``bom``, ``hint``, ``declared``,
    ``utf-8`` or ``detected``); ``replaced`` counts byte sequences that were not valid in it and
    were read as U+FFFD (a mostly-UTF-8 file with a few stray bytes)."""

    text: str
    encoding: str
    evidence: str
    replaced: int = 0


_MULTIBYTE_PREFIXES = ("utf", "gb", "big5", "shift", "euc", "iso2022", "cp932", "cp949", "cp950")


def _codec_name(label: str | None) -> str | None:
    """Python's codec name for an encoding label, or None when Python does not know it."""
    if not label:
        return None
    key = label.strip().lower()
    if key in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def _decode_tolerant(content: bytes, codec: str) -> str | None:
    """Decode with ``codec``; allow a very rare invalid byte (replaced), else None."""
    try:
        return content.decode(codec)
    except UnicodeDecodeError:
        pass
    except LookupError:
        return None
    if codec == "cp1252":
        # windows-1252 leaves five bytes undefined; browsers map them through as Latin-1.
        return _decode_tolerant(content, "latin-1")
    replaced = content.decode(codec, errors="replace")
    try:
        genuine = content.count("\ufffd".encode(codec))
    except UnicodeEncodeError:
        genuine = 0
    invalid = replaced.count("\ufffd") - genuine
    limit = min(_TOLERATED_INVALID_MAX, max(1, int(len(content) * _TOLERATED_INVALID_SHARE)))
    return replaced if invalid <= limit else None


def _utf8_reading(content: bytes) -> str | None:
    """The bytes as UTF-8: strictly, or with a rare stray byte replaced when the rest holds
    real multi-byte UTF-8 characters. Bytes with no valid multi-byte sequence at all are a
    single-byte code page ("don\x92t" is windows-1252), which the fallback reads instead."""
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = _decode_tolerant(content, "utf-8")
    if text is None or not any(ord(ch) > 127 and ch != "\ufffd" for ch in text):
        return None
    return text


def _mostly_utf8(content: bytes) -> tuple[str, int] | None:
    """The bytes as UTF-8 with invalid sequences replaced, and how many were, when valid multi-byte
    UTF-8 characters outnumber the invalid sequences: the file is UTF-8 with stray bytes (a paste
    from another program), and reading the whole file as windows-1252 would garble every one of
    its accented letters to save the few stray ones."""
    text = content.decode("utf-8", errors="replace")
    genuine = content.count("\ufffd".encode("utf-8"))
    invalid = text.count("\ufffd") - genuine
    valid = sum(1 for ch in text if ord(ch) > 127) - invalid - genuine
    return (text, invalid) if 0 < invalid < valid else None


def _declared_charset(content: bytes) -> str | None:
    head = content[:16384]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        match = pattern.search(head)
        if match:
            return match.group(1).decode("ascii", errors="ignore")
    return None


def _binary_share(sample: bytes) -> float:
    if not sample:
        return 0.0
    return sum(sample.count(b) for b in _BINARY_BYTES) / len(sample)


def _looks_like_utf16(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the bytes have the NUL pattern of mostly-ASCII UTF-16 text."""
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 16:
        return None
    if odd.count(0) > 0.6 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.6 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def reads_as_text(text: str) -> bool:
    """True when decoded text reads as text: no control characters, and the non-ASCII
    characters sit inside ordinary words or are common typographic marks.

    This is what separates a genuine Latin-1 page decoded as windows-1252 ("déjà vu") from
    garbage bytes forced through a single-byte code page ("Ã(â‚(ð(¼").
    """
    if not text.strip():
        return False
    text = _ANY_TAG.sub(" ", text)
    controls = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\t\n\r\f\v")
    if controls > max(2, len(text) // 1000):
        return False
    suspicious = clean = 0
    for token in text.split():
        if token.isascii():
            continue
        core = token.strip(_STRIP + "".join(_TEXT_SYMBOLS))
        if not core or all(ch in _TEXT_SYMBOLS for ch in token):
            clean += 1
            continue
        if all(ch.isalnum() or ch in _WORD_INNER or ch in _TEXT_SYMBOLS for ch in core):
            clean += 1
        else:
            suspicious += 1
    return suspicious <= 0.05 * (clean + suspicious)


def _fallback(content: bytes) -> Decoded | None:
    text = _decode_tolerant(content, "cp1252")
    if text is not None and reads_as_text(text):
        return Decoded(text, "cp1252", "detected")
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - installed with detente
        return None
    best = from_bytes(content[:200_000]).best()
    if best is None or best.encoding is None:
        return None
    text = _decode_tolerant(content, best.encoding)
    if text is not None and best.chaos <= 0.2 and reads_as_text(text):
        return Decoded(text, best.encoding, "detected")
    return None


def decode_content(content: bytes, hint: str | None = None) -> Decoded:
    """Decode a document's bytes, or raise ``ExtractionFailed`` saying why it cannot be read."""
    if not content.strip():
        raise ExtractionFailed(Reason.EMPTY, "the document has no content (no bytes, or only whitespace)")
    decoded = _decode(content, hint)
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise ExtractionFailed(Reason.EMPTY, "the document decodes to whitespace only")
    if text.count("\x00") or _binary_share(text[:65536].encode("utf-8", errors="ignore")) > 0.01:
        raise ExtractionFailed(Reason.UNREADABLE, "the document is binary data, not text or HTML")
    return Decoded(text, decoded.encoding, decoded.evidence, decoded.replaced)


def _decode(content: bytes, hint: str | None) -> Decoded:
    for bom, codec in _BOMS:
        if content.startswith(bom):
            try:
                return Decoded(content.decode(codec), codec, "bom")
            except UnicodeDecodeError as exc:
                raise ExtractionFailed(
                    Reason.BAD_ENCODING, f"the document starts with a {codec} byte-order mark but is not valid {codec}"
                ) from exc
    if hint:
        hinted = _codec_name(hint)
        if hinted is None:
            raise ExtractionFailed(Reason.BAD_ENCODING, f"'{hint}' is not an encoding Python knows")
        if hinted.startswith(_MULTIBYTE_PREFIXES):
            # a strict multi-byte decode (a JSONL corpus's text, re-encoded as UTF-8) cannot be garbage
            # forced through a code page, so whatever the page holds (scripts, emoji) is read as is
            try:
                return Decoded(content.decode(hinted), hinted, "hint")
            except UnicodeDecodeError:
                pass
        text = _decode_tolerant(content, hinted)
        if text is None or not reads_as_text(text):
            raise ExtractionFailed(Reason.BAD_ENCODING, f"the document is not valid {hint} text")
        return Decoded(text, hinted, "hint")

    sample = content[:65536]
    utf16 = _looks_like_utf16(sample)
    if utf16:
        text = _decode_tolerant(content, utf16)
        if text is not None and reads_as_text(text):
            return Decoded(text, utf16, "detected")
    if _binary_share(sample) > 0.01:
        raise ExtractionFailed(Reason.UNREADABLE, "the document is binary data, not text or HTML")

    declared = _declared_charset(content)
    declared_codec = _codec_name(declared)
    if declared_codec and declared_codec != "utf-8":
        # A page that declares a legacy code page but is valid UTF-8 with non-ASCII bytes was
        # saved as UTF-8 after the fact (a common mislabel); UTF-8 then is the right reading.
        try:
            if declared_codec in ("cp1252", "latin-1", "iso8859-15") and not content.isascii():
                return Decoded(content.decode("utf-8"), "utf-8", "utf-8")
        except UnicodeDecodeError:
            pass
        text = _decode_tolerant(content, declared_codec)
        if text is not None and reads_as_text(text):
            return Decoded(text, declared_codec, "declared")

    text = _utf8_reading(content)
    if text is not None:
        replaced = text.count("\ufffd") - content.count("\ufffd".encode("utf-8"))
        return Decoded(text, "utf-8", "declared" if declared_codec == "utf-8" else "utf-8", replaced=replaced)
    mostly = _mostly_utf8(content) if declared is None else None
    if mostly is not None:
        return Decoded(mostly[0], "utf-8", "utf-8", replaced=mostly[1])
    guessed = _fallback(content)
    if guessed is not None:
        return guessed
    what = f"its declared encoding {declared}" if declared else "UTF-8 or any encoding it can be detected as"
    raise ExtractionFailed(Reason.BAD_ENCODING, f"the document's bytes are not valid text in {what}")


def looks_like_html(text: str, media_type_hint: str | None = None) -> bool:
    """True when the text is HTML markup, whatever the source said (a .txt can hold a page)."""
    head = text[:4096]
    if _HTML_START.match(head):
        return True
    tags = len(_HTML_TAG.findall(text[:20000]))
    if media_type_hint == "html":
        return tags >= 1
    return tags >= 5 and tags * 1000 >= min(len(text), 20000)
