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
err = Console(stderr=True, highlight=False)

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
