"""Event coding: from a parsed article to PLOVER/CAMEO events with evidence.

``code_article(article, parsed)`` is the entry point; ``parsed`` is the parse of
``text_for_parsing(article)`` (the headline on its own line, then the body).
"""

from __future__ import annotations

from .coder import CODER_NAME, code_article, code_parsed, parse_articles, text_for_parsing

__all__ = ["CODER_NAME", "code_article", "code_parsed", "parse_articles", "text_for_parsing"]
