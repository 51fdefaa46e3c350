"""Document -> Article | Rejected: the article body of an HTML page or a plain-text dump.

    bytes --decode--> text --sniff--> HTML: trafilatura (+ pre-cleaning, + line filter, + restore)
                                      text: line-level boilerplate filter (textdump)
          --> body (one paragraph per line) --length--> Article (+ language and its confidence)

Finding an article body does not depend on its language: any language comes back as an
Article whose ``language`` (ISO 639-1) and ``language_confidence`` say what it is; only the
coder needs English (``pipeline.coding_skip``). Nothing here raises for bad content: a
document without a usable article comes back as a ``Rejected`` value whose ``reason`` is one
of ``empty``, ``unreadable``, ``bad_encoding``, ``no_text``, ``too_short``, ``too_large`` and
whose ``detail`` says, in one sentence, what was wrong.
"""

from __future__ import annotations

import logging
from datetime import date
from urllib.parse import urlsplit

from ..errors import ExtractionFailed, Reason
from ..model import Article, Document, Rejected, normalise_body, sha256_hex
from ..settings import get_setting
from .decode import decode_content, looks_like_html
from .headings import heading_spans
from .html import extract_html
from .language import guess_language, language_name
from .textdump import DumpArticle, LineDecision, extract_dump, filter_lines

__all__ = [
    "EXTRACTOR",
    "REASONS",
    "DumpArticle",
    "LineDecision",
    "extract_document",
    "extract_dump",
    "filter_lines",
    "guess_language",
    "language_name",
]

EXTRACTOR = "detente.extract.v1"
log = logging.getLogger("detente.extract")
# The reasons extraction rejects a document with.
REASONS = (Reason.EMPTY, Reason.UNREADABLE, Reason.BAD_ENCODING, Reason.NO_TEXT, Reason.TOO_SHORT, Reason.TOO_LARGE)


def extract_document(doc: Document, *, min_chars: int | None = None, today: date | None = None,
                     restore: bool = True) -> Article | Rejected:
    """The article in ``doc``, in whatever language it is written, or a ``Rejected`` saying
    why there is none.

    ``min_chars`` is the shortest body kept (default: the ``min_chars`` setting); ``today``
    bounds the dates read from the page (default: the real today); ``restore=False`` leaves an
    HTML page's body as trafilatura kept it (less its boilerplate lines), without the article
    lines the line model puts back (``extract.restore``), to measure what they bring.
    """
    try:
        return _extract(doc, min_chars=get_setting("min_chars", min_chars), today=today or date.today(),
                        restore=restore)
    except ExtractionFailed as failure:
        return Rejected(document_id=doc.id, doc_id=doc.doc_id, stage="extract", reason=failure.reason,
                        detail=failure.detail)


def _extract(doc: Document, *, min_chars: int, today: date, restore: bool) -> Article:
    max_bytes = int(get_setting("max_bytes"))
    if len(doc.content) > max_bytes:
        raise ExtractionFailed(
            Reason.TOO_LARGE, f"the document is {len(doc.content):,} bytes, over the max_bytes limit of {max_bytes:,}"
        )
    decoded = decode_content(doc.content, doc.encoding)
    if decoded.replaced:
        log.warning("%s: %d byte sequences are not valid UTF-8 and read as U+FFFD (the rest of it is UTF-8); "
                    "pass --encoding if the file is in another encoding", doc.doc_id, decoded.replaced)
    if looks_like_html(decoded.text, doc.media_type):
        page = extract_html(decoded.text, url=doc.url, today=today, restore=restore)
        title, author, body, dropped = page.title, page.author, page.body, page.dropped
        url, site, published = doc.url or page.url, page.site, page.published
        if not body:
            raise ExtractionFailed(Reason.NO_TEXT, "the HTML page has no readable article text")
    else:
        dump = extract_dump(decoded.text, title_hint=doc.title, today=today)
        title, author, body, dropped = dump.title, dump.author, dump.body, dump.dropped
        url, site, published = doc.url, None, dump.published
        if not body:
            raise ExtractionFailed(
                Reason.NO_TEXT, "no article text is left once menus, prompts and notices are removed from the text"
            )
    text = "\n".join(body)
    if len(text) < min_chars:
        raise ExtractionFailed(
            Reason.TOO_SHORT,
            f"the article body is {len(text)} characters, under the minimum of {min_chars} (min_chars)",
        )
    language = guess_language(text)
    return Article(
        id=sha256_hex(normalise_body(text)),
        doc_id=doc.doc_id,
        document_id=doc.id,
        text=text,
        url=url,
        site=site or _host(url),
        title=doc.title or title,
        author=author,
        published=doc.published or published,
        language=language.code,
        language_confidence=language.confidence,
        dropped_lines=tuple(dropped),
        headings=heading_spans(body),
    )


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None
