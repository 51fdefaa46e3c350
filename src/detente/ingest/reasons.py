"""What a user should do about each rejection reason (``errors.Reason`` holds the codes and their
hints), and how a run's rejections map to an exit status.

Every command that reads documents (extract, code, ingest) reports a rejection the same
way, on one line: ``<doc_id>: <reason> (<detail>) - <what to do>``. Names and details come
from untrusted input (file names, corpus ids, page text), so control characters are shown
escaped (``safe_text.safe_one_line``) and can neither break the line nor drive the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import Reason
from ..model import Rejected
from ..safe_text import safe_one_line

__all__ = ["exit_code_for", "hint_for", "is_network_failure", "rejection_line", "safe_one_line"]

# An unreadable source (ingest) is a disk matter; an unreadable document (extract) is binary junk.
_UNREADABLE_DOCUMENT = "give a news page saved as .html or .txt"
_HTTP_HINTS: dict[int, str] = {
    401: "the site wants a login; save the page from a browser and pass the file",
    403: "the site refused detente; save the page from a browser and pass the file",
    404: "the page is not there; check the URL",
    410: "the page was removed; look for an archived copy",
    429: "the site is rate-limiting; wait and try again",
}
_NETWORK = frozenset({Reason.FETCH_FAILED})


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
    if reason == Reason.UNREADABLE and rejected.stage == "extract":
        return _UNREADABLE_DOCUMENT
    if reason.startswith("http_"):
        status = int(reason[5:]) if reason[5:].isdigit() else 0
        if status in _HTTP_HINTS:
            return _HTTP_HINTS[status]
        if status >= 500:
            return "the site has a server error; try again later"
        return "check the URL, or save the page and pass the file"
    known = Reason.of(reason)
    return known.hint if known is not None else "run again with --debug for details"


def rejection_line(rejected: Rejected) -> str:
    """``<doc_id>: <reason> (<detail>) - <what to do>``, safe to print on a terminal."""
    detail = f" ({rejected.detail})" if rejected.detail else ""
    return safe_one_line(f"{rejected.doc_id}: {rejected.reason}{detail} - {hint_for(rejected)}")
