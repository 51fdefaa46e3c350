"""Helpers every command shares: consoles, progress bars, JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from ..errors import SourceNotFound
from ..ingest.reasons import safe_one_line
from ._safe_text import cell

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
    reasons = ", ".join(f"{r} {n}" for r, n in sorted(by_reason.items()))
    return cell(f"{total}" + (f" ({reasons})" if reasons else ""))


NOTHING_TO_READ_HINT = ("give .html, .htm, .txt or .md pages (also gzipped), .jsonl or .warc files (hidden files "
                        "and other types are skipped)")


def nothing_to_read(sources: Iterable[str]) -> Exception:
    """The error for sources that held no document at all (an empty folder, a folder of PDFs)."""
    return SourceNotFound(f"no documents found in {safe_one_line(' '.join(sources))}", NOTHING_TO_READ_HINT)


def print_json_line(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def stdout_is_terminal() -> bool:
    """Whether standard output is a terminal. A progress bar on stderr may then move printed lines
    above itself; when stdout is a file or a pipe (``--jsonl > events.jsonl``), what is printed
    must go there untouched, never into the bar's console."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


class ReadCount:
    """Counts the documents read from ``items`` as they are read, so a progress bar can show
    reading before the first batch of documents is coded (results come a batch at a time)."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items: Iterable[Any] = items
        self.count = 0

    def __iter__(self) -> Iterator[Any]:
        for item in self.items:
            self.count += 1
            yield item


class ReadColumn(ProgressColumn):
    """"12 read": documents read so far, refreshed live (between the bar's own advances)."""

    def __init__(self, reads: ReadCount) -> None:
        super().__init__()
        self.reads = reads

    def render(self, task: Any) -> Any:
        from rich.text import Text

        return Text(f"{self.reads.count} read", style="progress.download")


def progress(items: Iterable[T], *, total: int | None = None, label: str = "working",
             enabled: bool = True, reads: ReadCount | None = None) -> Iterator[T]:
    """Yield from ``items`` with a progress bar on stderr: only when ``enabled`` and stderr is a
    terminal (a log or a pipe gets the closing summary, not bar frames or blank lines). With
    ``reads`` (the documents ``items`` is made from), the bar also counts documents read."""
    if not enabled:
        yield from items
        return
    columns: list[Any] = [SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn()]
    if reads is not None:
        columns += [ReadColumn(reads), TextColumn("{task.completed} done")]
    else:
        columns.append(MofNCompleteColumn())
    columns.append(TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal,
                  redirect_stdout=stdout_is_terminal()) as bar:
        task = bar.add_task(label, total=total)
        for item in items:
            yield item
            bar.advance(task)


QUAD_HELP = ("Quad class: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict "
             "(or its name; conflict = 3,4; several with commas).")
ROOT_HELP = "CAMEO root code, 01 to 20 (e.g. 18 assault; several with commas)."
CONFIDENCE_HELP = "Only events whose confidence is at least P (0 to 1)."


def check_event_filters(*, source: str | None, target: str | None, type: str | None, modality: str | None,
                        quad_class: str | None, cameo_root: str | None, min_confidence: float | None
                        ) -> dict[str, Any]:
    """The event filters of ``events`` and ``export``, checked before any store is opened."""
    from ..analysis.codes import (  # late: keeps CLI start-up light
        actor_filter,
        parse_cameo_roots,
        parse_event_types,
        parse_min_confidence,
        parse_modality,
        parse_quad_classes,
    )

    for side, value in (("source", source), ("target", target)):
        if value:
            actor_filter(value, what=side)
    if modality:
        parse_modality(modality)
    return {"source": source or None, "target": target or None, "type": parse_event_types(type) or None,
            "modality": modality, "quad_class": parse_quad_classes(quad_class) or None,
            "cameo_root": parse_cameo_roots(cameo_root) or None, "min_confidence": parse_min_confidence(min_confidence)}
