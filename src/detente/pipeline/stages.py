"""The stages run over a stream: Document -> Article | Rejected -> parse -> events.

One place turns a stage's failure into a ``Rejected`` value (``_guard``); everything else
is plain functions over the records in ``model.py``. Parsing is batched through
``nlp.parse_many`` so spaCy sees many documents per call.

Extraction works in any language; the coder reads English only. An article it cannot code
is not a rejection: it comes out with no events, and ``coding_skip`` says why (``not_english``)
so that ``code`` can report it as skipped and ``ingest`` can store it for a later coder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from ..dates import parse_date
from ..errors import DetenteError, DocumentRejected, ModelError
from ..extract import extract_document, language_name
from ..model import Article, Document, Event, Rejected
from ..nlp import count_tokens
from ..settings import get_setting
from .coders import DEFAULT_CODER, register_coder

__all__ = [
    "as_document",
    "code_articles",
    "code_documents",
    "code_text",
    "coding_skip",
    "extract_documents",
    "extract_text",
    "parse_date",
    "too_long",
]


def as_document(value: Any, *, index: int = 0) -> Document:
    """A ``Document`` from a Document, a str/bytes page, or a JSONL-corpus-shaped dict."""
    if isinstance(value, Document):
        return value
    if isinstance(value, str | bytes):
        content = value.encode("utf-8") if isinstance(value, str) else value
        return Document.from_bytes(content, doc_id=f"<text:{index}>", kind="text")
    if isinstance(value, dict):
        if "html" in value and value["html"] is not None:
            body, media = value["html"], "html"
        else:
            body, media = value.get("text") or value.get("raw_text") or "", "text"
        content = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        doc_id = str(value.get("id", f"<record:{index}>"))
        return Document.from_bytes(
            content, doc_id=doc_id, kind="jsonl", uri=value.get("url") or doc_id, media_type=media,
            url=value.get("url"), published=parse_date(value.get("published")), title=value.get("title"),
        )
    raise TypeError(f"cannot make a Document from {type(value).__name__}")


def coding_skip(item: Article | Rejected) -> tuple[str, str] | None:
    """Why the coder passes over this article, as (reason code, one sentence), or None.

    The coder reads English: an article in another language is ``not_english``. An article
    whose language nobody measured (``language`` None) is taken as English.
    """
    if not isinstance(item, Article) or item.language in (None, "en"):
        return None
    sure = f", confidence {item.language_confidence:.2f}" if item.language_confidence is not None else ""
    return "not_english", (f"the article reads as {language_name(item.language)} ({item.language}{sure}); "
                           "detente codes English news only")


def _guard(doc: Document, stage: str, fn: Callable[[], Article | Rejected]) -> Article | Rejected:
    """Run one stage on one document; an expected failure becomes a Rejected value, and so does an
    unexpected one (a bug, or a library choking on hostile input): one document never stops a run."""
    try:
        return fn()
    except DocumentRejected as exc:
        return Rejected(document_id=doc.id, doc_id=doc.doc_id, stage=stage, reason=exc.reason,
                        detail=exc.message)
    except ModelError:
        raise  # a model file of the installation is missing or damaged: every document would fail alike
    except DetenteError as exc:
        return Rejected(document_id=doc.id, doc_id=doc.doc_id, stage=stage, reason="error",
                        detail=exc.message)
    except MemoryError:
        raise
    except Exception as exc:
        return _failed(doc.id, doc.doc_id, stage, exc)


def _failed(document_id: str, doc_id: str, stage: str, exc: Exception) -> Rejected:
    text = str(exc).strip()
    first = (text.splitlines()[0] if text else "")[:200]
    return Rejected(document_id=document_id, doc_id=doc_id, stage=stage, reason="error",
                    detail=f"the {stage} stage failed on this document ({type(exc).__name__}: {first}); "
                           "the others went on - please report it")


def too_long(article: Article, max_tokens: int | None = None) -> Rejected | None:
    """The ``too_long`` rejection of an article with more than ``max_tokens`` tokens (the setting by
    default), or None. Counted with spaCy's tokenizer alone, which stops as soon as the limit is
    passed, so a huge article costs milliseconds and is never parsed."""
    limit = int(get_setting("max_tokens", max_tokens))
    if len(article.text) <= limit:  # a token has at least one character
        return None
    if count_tokens(article.text, limit) <= limit:
        return None
    return Rejected(document_id=article.document_id, doc_id=article.doc_id, stage="code", reason="too_long",
                    detail=f"the article is more than {limit:,} tokens long ({len(article.text):,} characters); "
                           "detente parses articles of at most max_tokens tokens")


def extract_documents(docs: Iterable[Document | Rejected]) -> Iterator[Article | Rejected]:
    """Extract each document's article; rejections pass through in order."""
    for doc in docs:
        if isinstance(doc, Rejected):
            yield doc
            continue
        yield _guard(doc, "extract", lambda d=doc: extract_document(d))  # type: ignore[misc]


def extract_text(text_or_html: str | bytes, *, url: str | None = None, doc_id: str = "<text>",
                 published: str | date | None = None) -> Article:
    """Extract one article from a raw page; raises DocumentRejected when there is none."""
    content = text_or_html.encode("utf-8") if isinstance(text_or_html, str) else text_or_html
    doc = Document.from_bytes(content, doc_id=doc_id, kind="text", url=url, published=parse_date(published))
    result = extract_document(doc)
    if isinstance(result, Rejected):
        raise DocumentRejected(f"{doc_id}: {result.detail or result.reason}", result.reason)
    return result


def code_articles(articles: Iterable[Article], *, batch_size: int = 32) -> Iterator[tuple[Article, list[Event]]]:
    """Parse articles in batches and code their events; yields (article, events) in order.

    An article the coder cannot read (``coding_skip``) is yielded with no events, unparsed. An
    article over ``max_tokens`` raises ``DocumentRejected`` (``too_long``) before anything of its
    batch is parsed; ``code_documents`` turns it into a rejection instead."""
    from ..coding import code_article, parse_articles  # late: the coder's tables load when coding starts (~0.5 s)

    buffered: list[Article] = []

    def flush() -> Iterator[tuple[Article, list[Event]]]:
        codable = [a for a in buffered if coding_skip(a) is None]
        for article in codable:
            refused = too_long(article)
            if refused is not None:
                raise DocumentRejected(f"{article.doc_id}: {refused.detail}", refused.reason,
                                       "split the article, or raise the max_tokens setting (DETENTE_MAX_TOKENS)")
        parsed = parse_articles(codable, batch_size=batch_size) if codable else []
        events = {id(article): code_article(article, doc) for article, doc in zip(codable, parsed, strict=True)}
        for article in buffered:
            yield article, events.get(id(article), [])
        buffered.clear()

    for article in articles:
        buffered.append(article)
        if len(buffered) >= batch_size:
            yield from flush()
    if buffered:
        yield from flush()


@register_coder(DEFAULT_CODER)
def code_documents(docs: Iterable[Any], *, batch_size: int = 32,
                   published: date | None = None) -> Iterator[tuple[Article | Rejected, list[Event]]]:
    """Extract and code many documents; yields (article or rejection, events) in input order.

    ``published`` fills in the date of articles that carry none (the CLI's --published).
    """
    from dataclasses import replace

    buffered: list[Article | Rejected] = []

    def flush() -> Iterator[tuple[Article | Rejected, list[Event]]]:
        checked = [(too_long(item) or item) if isinstance(item, Article) and coding_skip(item) is None else item
                   for item in buffered]
        articles = [a for a in checked if isinstance(a, Article)]
        coded: dict[int, list[Event] | Rejected] = {}
        try:
            coded.update((id(a), evs) for a, evs in code_articles(articles, batch_size=batch_size))
        except MemoryError:
            raise
        except Exception:  # one article broke the batch: code them one by one to find it
            for article in articles:
                coded[id(article)] = _code_one(article)
        for item in checked:
            result = coded.get(id(item), []) if isinstance(item, Article) else []
            yield (result, []) if isinstance(result, Rejected) else (item, result)
        buffered.clear()

    docs_iter = (d if isinstance(d, Rejected) else as_document(d, index=i) for i, d in enumerate(docs))
    for item in extract_documents(docs_iter):
        if isinstance(item, Article) and published and item.published is None:
            item = replace(item, published=published)
        buffered.append(item)
        if len(buffered) >= batch_size:
            yield from flush()
    if buffered:
        yield from flush()


def _code_one(article: Article) -> list[Event] | Rejected:
    try:
        return next(iter(code_articles([article], batch_size=1)))[1]
    except DocumentRejected as exc:
        return Rejected(document_id=article.document_id, doc_id=article.doc_id, stage="code", reason=exc.reason,
                        detail=exc.message)
    except MemoryError:
        raise
    except Exception as exc:
        return _failed(article.document_id, article.doc_id, "code", exc)


def code_text(text_or_html: str | bytes, *, published: str | date | None = None,
              url: str | None = None) -> list[Event]:
    """Code the events of one page or text."""
    from dataclasses import replace

    article = extract_text(text_or_html, url=url, published=published)
    skip = coding_skip(article)
    if skip is not None:
        raise DocumentRejected(f"{article.doc_id}: {skip[1]}", skip[0], "give an English version of the article")
    when = parse_date(published)
    if when and article.published is None:
        article = replace(article, published=when)
    for _, events in code_articles([article], batch_size=1):
        return events
    return []
