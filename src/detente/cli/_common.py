"""Helpers every command shares: consoles, progress bars, JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

T = TypeVar("T")

out = Console(highlight=False, soft_wrap=False)
# soft_wrap: a line on stderr (an error, a rejection, a summary) is never cut at the console's
# width, which is 80 columns when stderr is a pipe or a log file.
err = Console(stderr=True, highlight=False, soft_wrap=True)

def summary_table(title: str) -> Any:
    """A two-column closing summary (what, count) titled ``title`` (already made safe to print)."""
    from rich.table import Table

    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    return table


def rejected_cell(total: int, by_reason: dict[str, int]) -> Any:
    """"3 (empty 1, not_english 2)": rejections with their reasons, never read as markup."""
    from ._safe_text import cell

    reasons = ", ".join(f"{r} {n}" for r, n in sorted(by_reason.items()))
    return cell(f"{total}" + (f" ({reasons})" if reasons else ""))


NOTHING_TO_READ_HINT = ("give .html, .htm, .txt or .md pages (also gzipped), .jsonl or .warc files (hidden files "
                        "and other types are skipped)")


def nothing_to_read(sources: Iterable[str]) -> Exception:
    """The error for sources that held no document at all (an empty folder, a folder of PDFs)."""
    from ..errors import SourceNotFound
    from ..ingest.reasons import safe_one_line

    return SourceNotFound(f"no documents found in {safe_one_line(' '.join(sources))}", NOTHING_TO_READ_HINT)


def print_json_line(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def progress(items: Iterable[T], *, total: int | None = None, label: str = "working",
             enabled: bool = True) -> Iterator[T]:
    """Yield from ``items`` with a progress bar on stderr: only when ``enabled`` and stderr is a
    terminal (a log or a pipe gets the closing summary, not bar frames or blank lines)."""
    if not enabled:
        yield from items
        return
    columns = [SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(label, total=total)
        for item in items:
            yield item
            bar.advance(task)
