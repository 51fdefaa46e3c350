"""``detente batch``: code a large corpus on many processes or a Dask cluster into Parquet shards."""

from __future__ import annotations

import os
from typing import Any

import typer

from ..batch import run_batch
from ..batch.runner import DEFAULT_SHARD_SIZE
from ..errors import SourceNotFound
from ..ingest import is_url
from ..pipeline import parse_date
from ._common import err, out, print_json, rejected_cell, stdout_is_terminal, summary_table
from ._safe_text import cell, plain

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    app.command("batch")(batch_command)


def batch_command(
    inputs: list[str] = typer.Argument(..., help="Directories, .jsonl(.gz) corpora, .warc(.gz) web archives, "
                                                 "pages, or URLs."),
    out_dir: str = typer.Option(..., "--out", help="Directory for the Parquet shards and manifest.json "
                                                   "(an unfinished run of the same batch there is resumed)."),
    workers: int = typer.Option(1, "--workers", help="Processes coding shards (1: this process); with --dask "
                                                     "local, the local cluster's worker processes."),
    dask: str = typer.Option(None, "--dask", help="'local' to start a Dask LocalCluster, or a scheduler address "
                                                  "(tcp://HOST:PORT) to join."),
    shard_size: int = typer.Option(DEFAULT_SHARD_SIZE, "--shard-size", help="Documents per shard (and file)."),
    batch_size: int = typer.Option(None, "--batch-size", help="Documents per spaCy nlp.pipe batch."),
    published: str = typer.Option(None, "--published", help="Date (YYYY-MM-DD) for articles that carry none."),
    as_json: bool = typer.Option(False, "--json", help="Print the closing summary as JSON."),
) -> None:
    """Code a large corpus into Parquet shards, on local processes or Dask; a killed run resumes."""
    when = parse_date(published)
    if dask:
        from ..batch.dask_coder import check_dask_address  # late: the optional dask extra

        check_dask_address(dask)
    for source in inputs:
        if source != "-" and not is_url(source) and not os.path.exists(source):
            raise SourceNotFound(f"no such file or directory: {plain(source)}")

    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = [SpinnerColumn(), TextColumn("[bold]coding"), TextColumn("{task.completed} documents"),
               TextColumn("{task.fields[shards]} shards"), TimeElapsedColumn()]
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal,
                  redirect_stdout=stdout_is_terminal()) as bar:
        task = bar.add_task("batch", total=None, shards=0)
        shards = 0

        def on_progress(event: Any) -> None:
            nonlocal shards
            shards += 1
            bar.update(task, advance=event.shard.documents, shards=shards)

        summary = run_batch(inputs, out_dir, workers=workers, dask=dask, shard_size=shard_size,
                            batch_size=batch_size, published=when, on_progress=on_progress)
    if as_json:
        print_json(summary.to_dict())
        return
    table = summary_table(f"batch in {plain(summary.out)}")
    table.add_row("shards", f"{summary.shards} ({summary.shards_coded} coded now, "
                            f"{summary.shards_skipped} complete before)")
    table.add_row("documents", str(summary.documents))
    table.add_row("articles", str(summary.articles))
    table.add_row("skipped (not coded)", rejected_cell(summary.skipped_total, summary.skipped))
    table.add_row("rejected", rejected_cell(summary.rejected_total, summary.rejected))
    table.add_row("events", str(summary.events))
    table.add_row("coded by", cell(summary.workers))
    speed = f", {summary.documents_per_second:.1f} documents/s" if summary.documents_coded else ""
    table.add_row("time", f"{summary.seconds:.1f} s{speed}")
    out.print(table)
    err.print(f"store it with: detente ingest --db DB {plain(summary.out)}", markup=False, highlight=False)
