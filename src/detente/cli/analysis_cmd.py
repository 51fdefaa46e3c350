"""``detente events / dyad / reciprocity / alerts / summary``: questions to the event store.

Each command checks its options, opens the store read-only, calls one library function in
``detente.analysis`` and prints the records (a table, or ``--json``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import typer
from rich.table import Table

from ..errors import BadOption
from ..pipeline import parse_date
from ..store import open_store
from ._common import (
    CONFIDENCE_HELP,
    QUAD_HELP,
    ROOT_HELP,
    check_event_filters,
    err,
    out,
    print_json,
    print_json_line,
)
from ._safe_text import cell, plain
from .store_cmd import DB_HELP

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    app.command("events")(events_command)
    app.command("dyad")(dyad_command)
    app.command("reciprocity")(reciprocity_command)
    app.command("alerts")(alerts_command)
    app.command("summary")(summary_command)


def _dates(since: str | None, until: str | None) -> tuple[date | None, date | None]:
    from ..analysis.codes import check_date_range  # late: keeps CLI start-up light

    since_d, until_d = parse_date(since), parse_date(until)
    check_date_range(since_d, until_d)
    return since_d, until_d


def _fmt(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _flags(event: Any) -> str:
    return ",".join(f for f in ("negated", "hypothetical", "future", "reported", "historical") if getattr(event, f))


def events_command(
    db: str = typer.Option(None, "--db", help=DB_HELP),
    source: str = typer.Option(None, "--source", help="Actor that acted: a country (USA), with sectors (USAGOV), "
                                                      "or a body (IGONATO)."),
    target: str = typer.Option(None, "--target", help="Actor acted upon (same codes)."),
    event_type: str = typer.Option(None, "--type", help="PLOVER event type, e.g. THREATEN (several: THREATEN,ASSAULT)"),
    since: str = typer.Option(None, "--since", help="On or after this date (YYYY-MM-DD)."),
    until: str = typer.Option(None, "--until", help="On or before this date (YYYY-MM-DD)."),
    modality: str = typer.Option("any", "--modality", help="any, real, flagged, negated, hypothetical, future, "
                                                            "reported or historical."),
    quad: str = typer.Option(None, "--quad", help=QUAD_HELP),
    cameo_root: str = typer.Option(None, "--cameo-root", help=ROOT_HELP),
    min_confidence: float = typer.Option(None, "--min-confidence", metavar="P", help=CONFIDENCE_HELP),
    limit: int = typer.Option(50, "--limit", help="Events per page."),
    cursor: str = typer.Option(None, "--cursor", help="Continue after the page that printed this cursor."),
    country_of_event: str = typer.Option(None, "--country-of-event",
                                         help="Only events that happened in this country (ISO3, e.g. SDN)."),
    near: str = typer.Option(None, "--near", help="Only events near this point: LAT,LON (e.g. 15.55,32.53)."),
    radius: float = typer.Option(None, "--radius", help="Kilometres around --near (default 50)."),
    bbox: str = typer.Option(None, "--bbox", help="Only events inside this box: WEST,SOUTH,EAST,NORTH in degrees."),
    as_json: bool = typer.Option(False, "--json", help="Print one event JSON object per line."),
) -> None:
    """List stored events, newest first, with their evidence sentences, places and report counts."""
    from ..analysis import query_events  # late: keeps CLI start-up light

    since_d, until_d = _dates(since, until)
    filters = check_event_filters(source=source, target=target, type=event_type, modality=modality,
                                  quad_class=quad, cameo_root=cameo_root, min_confidence=min_confidence)
    from ..analysis.geo import geo_filter  # late: keeps CLI start-up light

    geo = geo_filter(country_of_event=country_of_event, near=near, radius=radius, bbox=bbox)
    with open_store(db, read_only=True) as store:
        page = query_events(store, since=since_d, until=until_d, limit=limit, cursor=cursor, geo=geo, **filters)
    if as_json:
        for item in page.items:
            print_json_line(item.to_dict())
    else:
        table = Table(header_style="bold", show_lines=False)
        for name in ("date", "source", "event", "target", "place", "flags", "reports", "sentence"):
            table.add_column(name, overflow="fold", ratio=4 if name == "sentence" else 1)
        for item in page.items:
            e = item.event
            table.add_row(cell(e.date.isoformat() if e.date else ""), cell(e.source.code),
                          cell(f"{e.type}:{e.mode}" if e.mode else e.type), cell(e.target.code if e.target else ""),
                          cell(f"{e.place} ({e.place_country})" if e.place and e.place_country else e.place or ""),
                          cell(_flags(e), "yellow"), cell(item.num_mentions), cell(e.sentence))
        out.print(table)
        err.print(f"{len(page.items)} events", markup=False, highlight=False)
    if page.next_cursor:
        err.print(f"more: --cursor {page.next_cursor}", markup=False, highlight=False)


SERIES_COLUMNS = ("events", "conflict", "cooperation", "goldstein_sum", "baseline", "escalation_index")


def series_rows(report: Any) -> tuple[list[str], list[list[str]]]:
    """The pair's series as one row per period, both directions side by side (header, rows)."""
    header = ["period"]
    for d in report.directions:
        header += [f"{d.source}->{d.target} {name}" for name in SERIES_COLUMNS]
    by_period: dict[Any, list[str]] = {}
    for k, points in enumerate(report.series):
        for p in points:
            row = by_period.setdefault(p.period, [p.period.isoformat()] + [""] * (2 * len(SERIES_COLUMNS)))
            values = (str(p.events), _fmt(p.conflict, 3), _fmt(p.cooperation, 3), _fmt(p.goldstein_sum, 3),
                      _fmt(p.baseline, 3), _fmt(p.escalation_index, 3))
            row[1 + k * len(SERIES_COLUMNS):1 + (k + 1) * len(SERIES_COLUMNS)] = values
    return header, [by_period[k] for k in sorted(by_period)]


def dyad_command(
    a: str = typer.Argument(..., metavar="A", help="First actor: a country code (USA) or a body (IGONATO)."),
    b: str = typer.Argument(..., metavar="B", help="Second actor."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    freq: str = typer.Option("W", "--freq", help="Period: D (day), W (week), M (month) or auto (by the dyad's span)."),
    since: str = typer.Option(None, "--since", help="First date of the series (default: the dyad's first event)."),
    until: str = typer.Option(None, "--until", help="Last date of the series (default: the dyad's last event)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print the series as CSV: one row per period, both directions."),
) -> None:
    """Both directions of a dyad over its own data: counts per quad class and type, Goldstein, and the
    escalation index per period."""
    from ..analysis import dyad_report  # late: keeps CLI start-up light
    from ..analysis.codes import parse_freq, validate_dyad_key  # late: keeps CLI start-up light

    validate_dyad_key(a)
    validate_dyad_key(b)
    parse_freq(freq)
    since_d, until_d = _dates(since, until)
    with open_store(db, read_only=True) as store:
        report = dyad_report(store, a, b, freq=freq, since=since_d, until=until_d)
    if as_json:
        print_json(report.to_dict())
        return
    header, rows = series_rows(report)
    if as_csv:
        import csv
        import sys

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return
    totals = Table(title=f"{report.a} and {report.b}", header_style="bold", title_justify="left")
    for name in ("direction", "events", "verb coop", "mat coop", "verb confl", "mat confl", "goldstein sum",
                 "mean", "index now", "flagged (not counted)", "types"):
        totals.add_column(name, overflow="fold")
    for d in report.directions:
        types = ", ".join(f"{t} {n}" for t, n in d.type_counts)
        totals.add_row(f"{d.source} -> {d.target}", str(d.events), *(str(q) for q in d.quad_counts),
                       _fmt(d.goldstein_sum), _fmt(d.goldstein_mean, 2), _fmt(d.latest_index, 2), str(d.flagged),
                       types)
    out.print(totals)
    if not rows:
        out.print(f"no real events between {report.a} and {report.b}"
                  + (" in this range" if since_d or until_d else ""), markup=False, highlight=False)
        return
    ab, ba = report.directions
    series = Table(title=f"per {_FREQ_NAMES[report.freq]}, {rows[0][0]} .. {rows[-1][0]} ({len(rows)} periods)",
                   header_style="bold", title_justify="left")
    series.add_column("period")
    for d in (ab, ba):
        for name in ("events", "conflict", "coop", "index"):
            series.add_column(f"{d.source}->{d.target} {name}" if name == "events" else name, justify="right")
    for row in rows:
        cells = [row[0]]
        for k in range(2):
            part = row[1 + k * len(SERIES_COLUMNS):1 + (k + 1) * len(SERIES_COLUMNS)]
            cells += [part[0], _short(part[1]), _short(part[2]), _short(part[5], 2)]
        series.add_row(*cells)
    out.print(series)


def _short(text: str, digits: int = 1) -> str:
    return f"{float(text):.{digits}f}" if text else ""


def chain_title(chain: Any) -> str:
    """"conflict chain started by USA against RUS" / "cooperation chain started by ARM toward AZE"."""
    verb = "against" if chain.kind == "conflict" else "toward"
    return f"{chain.kind} chain started by {chain.initiator} {verb} {chain.responder}"


def answered(link: Any) -> str:
    """How a response answers its provocation: "3 days later" or "the same day, marked 'in retaliation'"."""
    when = "the same day" if link.lag_days == 0 else f"{link.lag_days} day{'s' if link.lag_days != 1 else ''} later"
    if link.basis == "marked_response" and link.marker:
        return f"answered {when}, marked \"{plain(link.marker)}\""
    return f"answered {when} (a later report)"


def _print_chains(chains: Sequence[Any], *, links: int | None = None) -> None:
    if not chains:
        out.print("no reciprocity chains", markup=False)
    for chain in chains:
        out.print(f"{chain_title(chain)}: {len(chain.links)} link(s), {chain.start} .. {chain.end}", markup=False,
                  highlight=False, style="bold", soft_wrap=True)
        shown = chain.links if links is None else chain.links[:links]
        if len(shown) < len(chain.links):
            out.print(f"  (first {len(shown)} links; detente reciprocity {chain.initiator} {chain.responder} "
                      "shows all)", markup=False, highlight=False)
        for link in shown:
            p, r = link.provocation, link.response
            for label, e in (("  ", p), (f"  {answered(link)}: ", r)):
                who = f"{e.source.code} {e.type} {e.target.code if e.target else ''}"
                out.print(f"{label}{e.date} {plain(who)}: \"{plain(e.sentence)}\"", markup=False,
                          highlight=False, soft_wrap=True)


def reciprocity_command(
    a: str = typer.Argument(..., help="First actor (USA, IGONATO)."),
    b: str = typer.Argument(..., help="Second actor."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    window: str = typer.Option("14d", "--window", help="Longest answer time: days (14d) or weeks (2w)."),
    kind: str = typer.Option("both", "--kind", help="conflict (tit for tat), cooperation (de-escalation) or both."),
    since: str = typer.Option(None, "--since", help="From this date (YYYY-MM-DD)."),
    until: str = typer.Option(None, "--until", help="Up to this date (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="Print the chains as JSON."),
) -> None:
    """Tit-for-tat and de-escalation chains between two actors, each link with its evidence."""
    from ..analysis import reciprocity_chains  # late: keeps CLI start-up light
    from ..analysis.codes import parse_window, validate_dyad_key  # late: keeps CLI start-up light

    validate_dyad_key(a)
    validate_dyad_key(b)
    parse_window(window)
    if kind not in ("conflict", "cooperation", "both"):
        raise BadOption(f"unknown reciprocity kind '{kind}'", "use conflict, cooperation or both")
    since_d, until_d = _dates(since, until)
    with open_store(db, read_only=True) as store:
        chains = reciprocity_chains(store, a, b, window=window, kind=kind, since=since_d, until=until_d)
    if as_json:
        print_json([c.to_dict() for c in chains])
    else:
        _print_chains(chains)


_FREQ_NAMES = {"D": "day", "W": "week", "M": "month"}


def _print_alerts(alerts: Sequence[Any], *, events: int = 5) -> None:
    if not alerts:
        out.print("no alerts", markup=False)
    for alert in alerts:
        out.print(f"{alert.period} {alert.source} -> {alert.target} [{'+'.join(alert.detectors)}] "
                  f"{plain(alert.reason)}", markup=False, highlight=False, style="bold red")
        for e in alert.events[:events]:
            out.print(f"  {e.date} {e.type} ({e.goldstein:+.1f}): \"{plain(e.sentence)}\"", markup=False,
                      highlight=False, soft_wrap=True)


def alerts_command(
    db: str = typer.Option(None, "--db", help=DB_HELP),
    since: str = typer.Option(None, "--since", help="Check every period from this date (default: the latest)."),
    freq: str = typer.Option("auto", "--freq", help="Period: D, W, M, or auto (from the span of the data)."),
    threshold: float = typer.Option(2.0, "--threshold", help="Escalation index that raises an alert."),
    as_json: bool = typer.Option(False, "--json", help="Print the alerts as JSON."),
) -> None:
    """Dyads whose escalation index crosses its threshold or shifts upward, with the events behind it."""
    from ..analysis import find_alerts  # late: keeps CLI start-up light
    from ..analysis.codes import parse_freq  # late: keeps CLI start-up light

    parse_freq(freq)
    since_d, _ = _dates(since, None)
    if not threshold > 0:
        raise BadOption(f"--threshold {threshold} is not positive", "give e.g. --threshold 2")
    with open_store(db, read_only=True) as store:
        alerts = find_alerts(store, since=since_d, freq=freq, threshold=threshold)
    if as_json:
        print_json([a.to_dict() for a in alerts])
    else:
        _print_alerts(alerts)


def summary_command(
    db: str = typer.Option(None, "--db", help=DB_HELP),
    limit: int = typer.Option(5, "--limit", help="Dyads and chains shown."),
    freq: str = typer.Option("auto", "--freq", help="Period of the escalation index: D, W, M or auto."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """The escalation summary: most active and most escalating dyads, reciprocity chains, alerts."""
    from ..analysis import escalation_summary  # late: keeps CLI start-up light
    from ..analysis.codes import parse_freq  # late: keeps CLI start-up light

    parse_freq(freq)
    if limit < 1:
        raise BadOption(f"--limit {limit} is not positive", "give 1 or more")
    with open_store(db, read_only=True) as store:
        summary = escalation_summary(store, limit=limit, freq=freq)
    if as_json:
        print_json(summary.to_dict())
        return
    s = summary.stats
    out.print(f"{s.articles} articles ({s.syndicated_copies} syndicated copies), {s.events} events "
              f"({s.real_events} real), {s.mentions} reports, {s.rejected_documents} rejected documents",
              markup=False, highlight=False)
    for title, dyads in (("most active dyads", summary.most_active),
                         ("most escalating dyads", summary.most_escalating)):
        if not dyads:
            note = ("no dyad stands above its own baseline (or none has the 4 periods of history "
                    "the index needs)" if summary.most_active else "no events with a target yet")
            out.print(f"{title}: {note}", markup=False, highlight=False)
            continue
        table = Table(title=title, header_style="bold", title_justify="left")
        for name in ("dyad", "events", "conflict", "cooperation", "goldstein mean", "index now"):
            table.add_column(name, justify="right" if name != "dyad" else "left")
        for d in dyads:
            table.add_row(f"{d.source} -> {d.target}", str(d.events), str(d.conflict_events),
                          str(d.cooperation_events), _fmt(d.goldstein_mean, 2), _fmt(d.escalation_index, 2))
        out.print(table)
    out.print("reciprocity chains", style="bold", markup=False)
    _print_chains(summary.chains, links=2)
    out.print(f"alerts (per {_FREQ_NAMES[summary.freq]}, newest first)", style="bold", markup=False)
    _print_alerts(summary.alerts[: limit * 2], events=3)
