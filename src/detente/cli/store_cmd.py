"""``detente ingest`` (extract + code + store) and ``detente export`` (events to a file).

Every option is checked before the store is opened, so bad input never creates or changes
a database file.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import typer

from ..batch.load import batch_directories, load_batches
from ..errors import BadOption, DocumentRejected, SourceNotFound
from ..ingest import is_url, iter_documents
from ..pipeline import ingest_sources, parse_date
from ..settings import MAX_BATCH_SIZE, check_range
from ..store import open_store
from ._common import (
    CONFIDENCE_HELP,
    QUAD_HELP,
    ROOT_HELP,
    ReadColumn,
    ReadCount,
    check_event_filters,
    err,
    nothing_to_read,
    out,
    print_json,
    rejected_cell,
    stdout_is_terminal,
    summary_table,
)
from ._safe_text import plain

if TYPE_CHECKING:  # pragma: no cover
    from ..pipeline import IngestSummary

__all__ = ["DB_HELP", "register"]

DB_HELP = "The event store (DuckDB file). Default: $DETENTE_DB, else ./detente.duckdb."


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    app.command("export")(export_command)


def _check_sources(sources: list[str]) -> None:
    for source in sources:
        if source == "-" or is_url(source):
            continue
        if not os.path.exists(source):
            raise SourceNotFound(f"no such file or directory: {plain(source)}")


def ingest_command(
    sources: list[str] = typer.Argument(..., help="Files, directories, .jsonl corpora, .warc archives, '-' for "
                                                  "stdin, URLs, or the --out directory of a detente batch run."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    published: str = typer.Option(None, "--published", help="Date (YYYY-MM-DD) for articles that carry none."),
    allow_private: bool = typer.Option(False, "--allow-private", help="Allow URLs on loopback/private hosts."),
    batch_size: int = typer.Option(None, "--batch-size", help="Documents per batch (one transaction each)."),
    as_json: bool = typer.Option(False, "--json", help="Print the closing summary as JSON."),
) -> None:
    """Extract, code and store news: re-ingesting a document is a no-op, syndicated copies count once."""
    when = parse_date(published)
    if batch_size is not None and batch_size < 1:
        raise BadOption(f"--batch-size {batch_size} is not positive", "give 1 or more")
    if batch_size is not None:
        check_range("--batch-size", batch_size, 1, MAX_BATCH_SIZE)
    _check_sources(sources)
    # A directory written by `detente batch` is stored from its shards (already coded).
    shard_dirs = batch_directories(sources, published=when)
    docs: Iterator[Any] = iter(())
    if not shard_dirs:
        # The first document is read before the store is opened: sources with nothing in them
        # (an empty folder) leave no store file behind.
        docs = iter_documents(sources, allow_private=allow_private or None)  # else DETENTE_ALLOW_PRIVATE
        first = next(docs, None)
        if first is None:
            raise nothing_to_read(sources)
        docs = itertools.chain([first], docs)
    with open_store(db) as store:
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        reads = ReadCount(docs)
        columns = [SpinnerColumn(), TextColumn("[bold]ingesting"), BarColumn(), ReadColumn(reads),
                   TextColumn("{task.completed} documents done"), TimeElapsedColumn()]
        with Progress(*columns, console=err, transient=True, disable=not err.is_terminal,
                  redirect_stdout=stdout_is_terminal()) as bar:
            task = bar.add_task("ingest", total=None)

            def on_item(result: Any) -> None:
                bar.advance(task)
                if result.status == "rejected":
                    detail = f" ({plain(result.detail)})" if result.detail else ""
                    err.print(f"rejected: {plain(result.doc_id)}: {plain(result.reason)}{detail}",
                              markup=False, highlight=False)
                elif result.skipped:
                    err.print(f"skipped: {plain(result.doc_id)}: {plain(result.skipped)} ({plain(result.detail)}; "
                              "stored without events)", markup=False, highlight=False, soft_wrap=True)

            if shard_dirs:
                summary = load_batches(store, shard_dirs, batch_size=batch_size, on_item=on_item)
            else:
                summary = ingest_sources(store, sources, batch_size=batch_size, published=when,
                                         read=lambda *_, **__: reads, on_item=on_item)
        if not summary.seen and not shard_dirs:
            raise nothing_to_read(sources)
        if as_json:
            print_json({**summary.to_dict(), "db": store.path})
        else:
            _print_ingest_summary(store.path, summary)
    if summary.seen and summary.rejected_total == summary.seen:
        raise DocumentRejected("no document could be stored", next(iter(summary.rejected)),
                               "see the reasons above")


def _print_ingest_summary(path: str, summary: IngestSummary) -> None:
    table = summary_table(f"ingested into {plain(path)}")
    table.add_row("documents seen", str(summary.seen))
    table.add_row("new articles", str(summary.new))
    table.add_row("duplicates (already stored)", str(summary.duplicates))
    table.add_row("near-duplicates (syndicated copies)", str(summary.near_duplicates))
    table.add_row("stored without coding (skipped)", rejected_cell(summary.skipped_total, summary.skipped))
    table.add_row("rejected", rejected_cell(summary.rejected_total, summary.rejected))
    table.add_row("events stored", str(summary.events_stored))
    table.add_row("mentions added to known events", str(summary.mentions_added))
    out.print(table)


def export_command(
    fmt: str = typer.Option(..., "--format", help="jsonl, csv, parquet, gdelt (GDELT 2.0 event table) or plover."),
    out_path: str = typer.Option(..., "--out", help="The file to write (replaced only when complete)."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    source: str = typer.Option(None, "--source", help="Only events by this actor (USA, USAGOV, IGONATO)."),
    target: str = typer.Option(None, "--target", help="Only events aimed at this actor."),
    event_type: str = typer.Option(None, "--type", help="Only this PLOVER type (e.g. THREATEN; several with commas)."),
    since: str = typer.Option(None, "--since", help="Only events on or after this date (YYYY-MM-DD)."),
    until: str = typer.Option(None, "--until", help="Only events on or before this date (YYYY-MM-DD)."),
    modality: str = typer.Option(None, "--modality",
                                 help="any, real, flagged, negated, hypothetical, future, reported or historical "
                                      "(default: real for gdelt, any otherwise)."),
    quad: str = typer.Option(None, "--quad", help=QUAD_HELP),
    cameo_root: str = typer.Option(None, "--cameo-root", help=ROOT_HELP),
    min_confidence: float = typer.Option(None, "--min-confidence", metavar="P", help=CONFIDENCE_HELP),
) -> None:
    """Export stored events: JSONL, CSV, Parquet, the GDELT 2.0 event table, or PLOVER JSON."""
    from ..analysis.codes import check_date_range  # late: keeps CLI start-up light
    from ..export import check_format, check_output, export_events  # late: keeps CLI start-up light

    fmt = check_format(fmt)
    check_output(out_path)
    since_d, until_d = parse_date(since), parse_date(until)
    check_date_range(since_d, until_d)
    filters = check_event_filters(source=source, target=target, type=event_type, modality=modality,
                                  quad_class=quad, cameo_root=cameo_root, min_confidence=min_confidence)
    with open_store(db, read_only=True) as store:
        count = export_events(store, fmt, out_path, since=since_d, until=until_d, **filters)
    err.print(f"wrote {count} events to {plain(out_path)} ({fmt})", markup=False, highlight=False)
