"""What a user should do about each rejection reason, and how a run's rejections map to an exit status.

Every command that reads documents (extract, code, ingest) reports a rejection the same
way, on one line: ``<doc_id>: <reason> (<detail>) - <what to do>``. Names and details come
from untrusted input (file names, corpus ids, page text), so control characters are shown
escaped and can neither break the line nor drive the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Rejected

__all__ = ["exit_code_for", "hint_for", "is_network_failure", "rejection_line", "safe_one_line"]

_SUPPORTED = ".html, .htm, .txt, .md (each also gzipped, .html.gz), .jsonl, .jsonl.gz, .warc or .warc.gz"

# Reasons from the ingest stage and from the extractor (detente.extract).
_HINTS: dict[str, str] = {
    "not_found": "check the path; directories are read recursively",
    "unsupported": f"give a {_SUPPORTED} file, a directory, '-' for standard input or an http(s) URL",
    "too_large": "split the document, or raise the max_bytes setting (DETENTE_MAX_BYTES)",
    "bad_record": 'fix that line: each line must be a JSON object with "id" and "text" or "html"',
    "unsafe_url": "only public http(s) hosts are fetched; pass --allow-private for a trusted local server",
    "fetch_failed": "check the URL and your network, or save the page and pass the file",
    "empty": "check that the page was saved or exported completely",
    "bad_encoding": "pass --encoding (for example cp1252) if you know how the file is encoded",
    "no_text": "save the page after it has rendered in a browser, or save its text as .txt",
    "too_short": "lower the min_chars setting (DETENTE_MIN_CHARS) to keep short texts",
    "not_english": "give an English version of the article",
    "duplicate": "nothing to do: the same article was already read",
    "not_html": "nothing to do: only the HTML pages of a web archive are read",
    "truncated": "download the archive again, or crawl the page again; the rest of the archive was read",
    "broken_record": "the archive is damaged there; download it again (the records around it were read)",
    "too_long": "split the article, or raise the max_tokens setting (DETENTE_MAX_TOKENS)",
    "error": "the other documents went on; run that document alone with --debug and report it",
}
_UNREADABLE = {
    "ingest": "check the file's permissions and that the disk is readable",
    "extract": "give a news page saved as .html or .txt",
}
_HTTP_HINTS: dict[int, str] = {
    401: "the site wants a login; save the page from a browser and pass the file",
    403: "the site refused detente; save the page from a browser and pass the file",
    404: "the page is not there; check the URL",
    410: "the page was removed; look for an archived copy",
    429: "the site is rate-limiting; wait and try again",
}
_NETWORK = frozenset({"fetch_failed"})
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_WHITESPACE = re.compile(r"\s+")


def is_network_failure(reason: str) -> bool:
    """True for reasons that mean the network failed rather than the input (exit status 1)."""
    return reason in _NETWORK or reason.startswith("http_")


def exit_code_for(reasons: Iterable[str]) -> int:
    """The exit status of a run that produced nothing: 1 if only the network failed, else 2 (bad input)."""
    listed = list(reasons)
    if listed and all(is_network_failure(r) for r in listed):
        return 1
    return 2


def hint_for(rejected: Rejected) -> str:
    """What the user can do about this rejection, in a few words."""
    reason = rejected.reason
    if reason == "unreadable":
        return _UNREADABLE.get(rejected.stage, _UNREADABLE["ingest"])
    if reason.startswith("http_"):
        status = int(reason[5:]) if reason[5:].isdigit() else 0
        if status in _HTTP_HINTS:
            return _HTTP_HINTS[status]
        if status >= 500:
            return "the site has a server error; try again later"
        return "check the URL, or save the page and pass the file"
    return _HINTS.get(reason, "run again with --debug for details")


def safe_one_line(text: str) -> str:
    """``text`` on one line with control and bidi-override characters shown as escapes."""
    flat = _WHITESPACE.sub(" ", text).strip()
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), flat)


def rejection_line(rejected: Rejected) -> str:
    """``<doc_id>: <reason> (<detail>) - <what to do>``, safe to print on a terminal."""
    detail = f" ({rejected.detail})" if rejected.detail else ""
    return safe_one_line(f"{rejected.doc_id}: {rejected.reason}{detail} - {hint_for(rejected)}")
