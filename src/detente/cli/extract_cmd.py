"""``detente extract``: read sources, extract their articles, print them (table, JSON or JSONL).

Articles go to stdout; each rejection goes to stderr as it happens, on one line
(``error: <doc_id>: <reason> (<detail>) - <what to do>``), and runs over several documents
end with a one-line summary on stderr. Exit status: 0 when at least one article came out
(and ``--strict`` is off); otherwise 2 for bad input, 1 when only the network failed.
"""

from __future__ import annotations

import codecs
import json
import sys
from collections import Counter
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import TextIO

import typer
from rich.table import Table
from rich.text import Text

from ..errors import BadOption
from ..ingest import exit_code_for, is_multi_document, iter_documents, rejection_line
from ..ingest.reasons import safe_one_line
from ..model import Article, Rejected
from ..pipeline import extract_documents
from ._common import err, nothing_to_read, out, progress

__all__ = ["register"]

_HELP = (
    "Extract the article text from news pages: files, directories, .jsonl(.gz) corpora, '-' (stdin) or "
    "http(s) URLs. Prints a table by default; --json prints Article JSON (one object for one document, "
    "a list for several), --jsonl one object per line. Each rejected document is reported on stderr in one line."
)


@dataclass
class _Tally:
    seen: int = 0
    extracted: int = 0
    rejected: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        line = f"{self.seen} documents, {self.extracted} articles extracted, {sum(self.rejected.values())} rejected"
        if self.rejected:
            line += " (" + ", ".join(f"{reason} {n}" for reason, n in sorted(self.rejected.items())) + ")"
        return line


class _Output:
    """Where articles go: a streamed JSON list or object, JSONL lines, or table rows printed at the end."""

    def __init__(self, mode: str, stream: TextIO, *, many: bool) -> None:
        self.mode = mode
        self.stream = stream
        self.many = many
        self.count = 0
        self.rows: list[tuple[str, ...]] = []

    def add(self, article: Article) -> None:
        if self.mode == "jsonl":
            self._write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
        elif self.mode == "json":
            body = json.dumps(article.to_dict(), ensure_ascii=False, indent=2)
            if self.many:
                body = ("[\n" if self.count == 0 else ",\n") + body
            self._write(body if self.many else body + "\n")
        else:
            self.rows.append(_row(article))
        self.count += 1

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    def finish(self) -> None:
        if self.mode == "json" and self.many:
            self._write("\n]\n" if self.count else "[]\n")
        elif self.mode == "table" and self.rows:
            out.print(_table(self.rows))


def _row(article: Article) -> tuple[str, ...]:
    kept = len(article.text.splitlines())
    return (article.doc_id, article.title or "", article.published.isoformat() if article.published else "",
            article.site or "", f"{kept}/{len(article.dropped_lines)}", str(len(article.text)))


def _table(rows: list[tuple[str, ...]]) -> Table:
    table = Table(show_lines=False, caption="lines: body lines kept / boilerplate lines dropped")
    table.add_column("doc_id", ratio=2, overflow="fold")
    table.add_column("title", ratio=3, overflow="fold")
    table.add_column("published", no_wrap=True)
    table.add_column("site", ratio=1, overflow="fold")
    table.add_column("lines", justify="right", no_wrap=True)
    table.add_column("chars", justify="right", no_wrap=True)
    for row in rows:
        # Text(), not str: page titles are untrusted and must not be read as Rich markup
        table.add_row(*(Text(safe_one_line(cell)) for cell in row))
    return table


def _say(line: str) -> None:
    """One line on stderr, never wrapped (it goes above the progress bar when one is shown)."""
    err.print(Text(line), soft_wrap=True)


def _check_encoding(encoding: str | None) -> str | None:
    if encoding is None:
        return None
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise BadOption(f"unknown encoding {encoding!r}", "give a Python codec name such as utf-8, cp1252 "
                                                          "or latin-1") from None


def extract_command(
    sources: list[str] = typer.Argument(..., metavar="SOURCE",
                                        help="Files, directories, .jsonl(.gz) corpora, '-' for stdin, or URLs."),
    as_json: bool = typer.Option(False, "--json", help="Print Article JSON (a list when there are several)."),
    as_jsonl: bool = typer.Option(False, "--jsonl", help="Print one Article JSON object per line."),
    allow_private: bool = typer.Option(False, "--allow-private",
                                       help="Fetch URLs on loopback/private networks (trusted local servers only)."),
    strict: bool = typer.Option(False, "--strict", help="Stop at the first rejected document."),
    encoding: str | None = typer.Option(None, "--encoding", metavar="ENC",
                                        help="Encoding of inputs that do not declare one (e.g. cp1252)."),
) -> None:
    if as_json and as_jsonl:
        raise BadOption("--json and --jsonl cannot be used together", "pick one output format")
    codec = _check_encoding(encoding)
    many = is_multi_document(sources)
    # Captured now: while the progress bar is live, Rich redirects sys.stdout to the stderr console.
    output = _Output("json" if as_json else "jsonl" if as_jsonl else "table", sys.stdout, many=many)
    tally = _Tally()
    documents = iter_documents(sources, allow_private=True if allow_private else None, encoding=codec)
    results = progress(extract_documents(documents), label="extracting", enabled=many and err.is_terminal)
    try:
        for item in results:
            tally.seen += 1
            if isinstance(item, Rejected):
                tally.rejected[item.reason] += 1
                _say(f"error: {rejection_line(item)}")
                if strict:
                    raise typer.Exit(exit_code_for([item.reason]))
                continue
            tally.extracted += 1
            output.add(item)
    finally:
        if isinstance(results, Generator):
            results.close()  # stops the progress display before anything more is printed
        output.finish()
    if many and tally.seen:
        _say(tally.summary())
    if tally.seen == 0:
        raise nothing_to_read(sources)
    if tally.extracted == 0:
        raise typer.Exit(exit_code_for(tally.rejected))


def register(app: typer.Typer) -> None:
    app.command("extract", help=_HELP)(extract_command)
