"""detente: reads the news and tells you, with evidence, who is escalating against whom.

The library is the product; the CLI, the REST API and the dashboard are thin layers::

    import detente
    events = detente.code("Russia expelled ten US diplomats on Friday.", published="2021-04-16")
    for ev in events:
        print(ev.source.code, ev.type, ev.target and ev.target.code, ev.rule)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from ._version import __version__
from .errors import DetenteError
from .model import Actor, Article, Document, Event, Rejected

__all__ = [
    "Actor",
    "Article",
    "DetenteError",
    "Document",
    "Event",
    "Rejected",
    "__version__",
    "code",
    "code_many",
    "extract_article",
]


def extract_article(text_or_html: str | bytes, *, url: str | None = None, doc_id: str = "<text>",
            published: str | date | None = None) -> Article:
    """Extract the article from a raw page (HTML or a plain-text dump).

    Raises ``DocumentRejected`` (with a reason code) when the page holds no usable article.
    """
    from .pipeline import extract_text  # late: this file runs on every detente import

    return extract_text(text_or_html, url=url, doc_id=doc_id, published=published)


def code(text_or_html: str | bytes, *, published: str | date | None = None,
         url: str | None = None) -> list[Event]:
    """Code the events in one page or text: extraction, parsing, actors, events."""
    from .pipeline import code_text  # late: this file runs on every detente import

    return code_text(text_or_html, published=published, url=url)


def code_many(docs: Iterable[Any]) -> Iterator[tuple[Article | Rejected, list[Event]]]:
    """Code many documents, batching the parser; yields (article or rejection, events) in order.

    ``docs`` may hold ``Document`` records, strings, or dicts shaped like a JSONL corpus line
    (``{"id", "text" | "html", "url", "published"}``).
    """
    from .pipeline import code_documents  # late: this file runs on every detente import

    return code_documents(docs)
