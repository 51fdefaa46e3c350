"""``detente code`` (events from sources) and ``detente eval`` (accuracy on a gold file)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ..errors import BadOption, DocumentRejected
from ..ingest import iter_documents, rejection_line
from ..model import Event, Rejected
from ..pipeline import coding_skip, get_coder, parse_date
from ._common import ReadCount, err, nothing_to_read, out, print_json, print_json_line, progress
from ._safe_text import cell, plain

if TYPE_CHECKING:
    from ..evaluate import Score


def register(app: typer.Typer) -> None:
    app.command("code")(code_command)
    app.command("eval")(eval_command)


def code_command(
    sources: list[str] = typer.Argument(..., help="Files, directories, .jsonl corpora, '-' for stdin, or URLs."),
    as_json: bool = typer.Option(False, "--json", help="Print all events as one JSON list."),
    as_jsonl: bool = typer.Option(False, "--jsonl", help="Print one event per line (with doc_id)."),
    published: str = typer.Option(None, "--published", help="Date (YYYY-MM-DD) for articles that carry none."),
    allow_private: bool = typer.Option(False, "--allow-private", help="Allow URLs on loopback/private hosts."),
    strict: bool = typer.Option(False, "--strict", help="Stop at the first rejected document."),
    real_only: bool = typer.Option(False, "--real-only", help="Leave out negated, hypothetical and future events."),
    min_confidence: float = typer.Option(None, "--min-confidence", metavar="P",
                                         help="Leave out events whose confidence is below P (0 to 1)."),
) -> None:
    """Code the events in news pages: who did what to whom, with evidence."""
    from ..analysis.codes import parse_min_confidence  # late: keeps CLI start-up light

    when = parse_date(published)
    _, code_documents = get_coder()
    threshold = parse_min_confidence(min_confidence)
    # the flag, else the allow_private setting (DETENTE_ALLOW_PRIVATE)
    docs = ReadCount(iter_documents(sources, allow_private=allow_private or None))
    shown = not (as_json or as_jsonl)
    rows = []
    seen = coded = 0
    reasons: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    all_events = []
    many = len(sources) > 1 or any(Path(s).is_dir() or s.endswith((".jsonl", ".gz")) for s in sources)
    for item, events in progress(code_documents(docs, published=when), label="coding", enabled=many, reads=docs):
        seen += 1
        if isinstance(item, Rejected):
            reasons[item.reason] += 1
            err.print(f"error: {rejection_line(item)}", markup=False, highlight=False)
            if strict:
                raise DocumentRejected(f"{plain(item.doc_id)} was rejected ({item.reason})", item.reason,
                                       "fix or remove that document, or run without --strict")
            continue
        skip = coding_skip(item)
        if skip is not None:
            # extracted but not coded (another language): reported, never an error by itself
            skipped[skip[0]] += 1
            err.print(f"skipped: {plain(item.doc_id)}: {skip[0]} ({plain(skip[1])})", markup=False,
                      highlight=False, soft_wrap=True)
            continue
        coded += 1
        for ev in events:
            if (real_only and not ev.is_real) or (threshold is not None and ev.confidence < threshold):
                continue
            if as_jsonl:
                print_json_line(ev.to_dict())
            elif as_json:
                all_events.append(ev.to_dict())
            else:
                rows.append(ev)
    if as_json:
        print_json(all_events)
    if shown and coded:
        _print_table(rows)
    if (many or reasons or skipped) and seen:
        summary = f"{seen} documents, {coded} coded"
        if skipped:
            summary += f", {sum(skipped.values())} skipped (" + \
                ", ".join(f"{r}: {n}" for r, n in sorted(skipped.items())) + ")"
        summary += f", {sum(reasons.values())} rejected"
        if reasons:
            summary += " (" + ", ".join(f"{r}: {n}" for r, n in sorted(reasons.items())) + ")"
        err.print(summary, markup=False, highlight=False, soft_wrap=True)
    if not seen:
        raise nothing_to_read(sources)
    if seen and not coded:
        reason = next(iter(reasons)) if reasons else next(iter(skipped)) if skipped else "empty"
        raise DocumentRejected("no document could be coded", reason,
                               "see the reasons above" if reasons else "give English news pages")


def _print_table(events: list[Event]) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False, header_style="bold")
    table.add_column("sentence", overflow="fold", ratio=3)
    table.add_column("event", ratio=2)
    table.add_column("flags")
    table.add_column("conf", justify="right")
    for ev in events:
        arrow = f"{ev.source.code} -> {ev.type}{':' + ev.mode if ev.mode else ''} -> " \
                f"{ev.target.code if ev.target else '-'}"
        flags = ",".join(f for f in ("negated", "hypothetical", "future", "reported") if getattr(ev, f)) or "real"
        excerpt = ev.sentence if len(ev.sentence) <= 140 else ev.sentence[:137] + "..."
        table.add_row(Text(excerpt), Text(arrow), Text(flags), f"{ev.confidence:.2f}")
    out.print(table)
    out.print(f"{len(events)} events", markup=False)


def eval_command(
    gold: Path = typer.Argument(..., help="A PLOVER GSR .json file or an articles .jsonl gold file."),
    as_json: bool = typer.Option(False, "--json", help="Print the metrics as JSON."),
    limit: int = typer.Option(0, "--limit", help="Score only the first N gold documents (0 = all)."),
    errors_out: Path = typer.Option(None, "--events-out", help="Also write the produced events (JSONL) here."),
    cases_out: Path = typer.Option(None, "--errors-out",
                                   help="Also write each error (JSONL: kind, PLOVER class, type, actors, "
                                        "sentence) here."),
    ablate: list[str] = typer.Option(None, "--ablate", metavar="RULE",
                                     help="Switch this named rule off and report what it contributes "
                                          "(repeatable; 'all' for every rule, one at a time)."),
    folds: int = typer.Option(0, "--folds", min=0, max=20, metavar="K",
                              help="Cross-validate the learned proposer and scorer by article: code each of K "
                                   "folds with models fitted on the other folds (and on --train files)."),
    train: list[Path] = typer.Option(None, "--train", metavar="GOLD",
                                     help="With --folds: more gold files every fold's models also learn from "
                                          "(repeatable)."),
) -> None:
    """Score the coder on a gold file: precision, recall, F1, type recall, lenient F1, the per-type
    table and every error by its PLOVER class."""
    import json

    from ..pipeline.gold import evaluate  # late: loads the coder (~0.5 s)

    if ablate:
        _print_ablation(gold, [] if "all" in ablate else list(ablate), as_json)
        return
    if train and not folds:
        raise BadOption("--train is used only with --folds", "add --folds K (for example --folds 5)")
    if folds == 1:
        raise BadOption("--folds needs at least 2 folds", "use --folds 5")
    if folds:
        score, produced = _cross_validated(gold, folds, list(train or []), limit)
    else:
        score, produced = evaluate(gold, limit=limit or None)
    if errors_out:
        with errors_out.open("w", encoding="utf-8") as fh:
            for ev in produced:
                fh.write(json.dumps(ev, ensure_ascii=False) + "\n")
    if cases_out:
        with cases_out.open("w", encoding="utf-8") as fh:
            for case in score.errors:
                fh.write(json.dumps(case.to_dict(), ensure_ascii=False) + "\n")
    if as_json:
        print_json(score.to_dict())
        return
    _print_score(gold.name, score)


def _print_score(name: str, score: Score) -> None:
    from rich.table import Table
    from rich.text import Text

    from ..evaluate import MISSED_CLASSES, WRONG_CLASSES  # late: keeps CLI start-up light

    out.print(Text.assemble((plain(name), "bold"), f": {score.documents} documents, {score.gold_events} gold "
                            f"events, {score.produced_events} produced"))
    out.print(Text.assemble(f"precision {score.precision:.3f}  recall {score.recall:.3f}  ",
                            (f"F1 {score.f1:.3f}", "bold"),
                            f"  type recall {score.type_recall:.3f}  lenient F1 {score.lenient_f1:.3f}  "
                            f"modality errors {score.modality_errors}"))
    if score.date_accuracy is not None or score.place_accuracy is not None:
        parts = []
        if score.date_accuracy is not None:
            parts.append(f"date accuracy {score.date_accuracy:.3f} ({score.dated_matches} matched events with a day)")
        if score.place_accuracy is not None:
            parts.append(f"place accuracy {score.place_accuracy:.3f} ({score.placed_matches} with a place)")
        out.print("  ".join(parts), markup=False)
    if score.reliability and score.ece is not None:
        out.print(_reliability_table(score))
    table = Table(title="per type", header_style="bold")
    for col in ("type", "gold", "produced", "P", "R", "F1"):
        table.add_column(col, justify="right" if col != "type" else "left")
    for t, row in score.per_type.items():
        table.add_row(cell(t), str(int(row["gold"])), str(int(row["produced"])), f"{row['precision']:.2f}",
                      f"{row['recall']:.2f}", f"{row['f1']:.2f}")
    out.print(table)
    out.print(_error_class_table(score, MISSED_CLASSES, WRONG_CLASSES))
    for table in _errors_per_type_tables(score, MISSED_CLASSES, WRONG_CLASSES):
        out.print(table)
    if score.confusions:
        out.print("most common confusions (gold -> produced in the same sentence):")
        for g, p, n in score.confusions[:8]:
            out.print(f"  {plain(g)} -> {plain(p)}: {n}", markup=False)


def _reliability_table(score: Score) -> Any:
    """Confidence bins against the share of their events that were right (a calibrated coder's agree)."""
    from rich.table import Table

    high = "-" if score.precision_at_08 is None else f"{score.precision_at_08:.3f} of {score.at_08}"
    table = Table(title=f"reliability: expected calibration error {score.ece:.3f}; "
                        f"precision at confidence >= 0.8: {high}", header_style="bold", title_justify="left")
    for col in ("confidence", "events", "mean confidence", "right"):
        table.add_column(col, justify="left" if col == "confidence" else "right")
    for row in score.reliability:
        span = f"{row['low']:.1f}-{row['high']:.1f}"
        if not row["events"]:
            table.add_row(span, "0", "-", "-")
            continue
        table.add_row(span, str(row["events"]), f"{row['mean_confidence']:.2f}", f"{row['precision']:.2f}")
    return table


def _share(n: int, of: int) -> str:
    return f"{n / of:.1%}" if of else "-"


def _error_class_table(score: Score, missed: dict[str, str], wrong: dict[str, str]) -> Any:
    """Every error once, by its PLOVER class: gold events missed, then produced events that are wrong."""
    from rich.table import Table

    table = Table(title="errors by PLOVER class", header_style="bold", title_justify="left")
    table.add_column("class")
    table.add_column("events", justify="right")
    table.add_column("share", justify="right")
    table.add_column("what it means")
    table.add_row(cell("gold events missed", "bold"), "", cell(f"of {score.gold_events}", "bold"), "")
    for name, means in missed.items():
        table.add_row("  " + name.replace("_", " "), str(score.missed[name]),
                      _share(score.missed[name], score.gold_events), means)
    table.add_row("  total", str(sum(score.missed.values())), _share(sum(score.missed.values()),
                                                                       score.gold_events), "", end_section=True)
    table.add_row(cell("produced events wrong", "bold"), "", cell(f"of {score.produced_events}", "bold"), "")
    for name, means in wrong.items():
        table.add_row("  " + name.replace("_", " "), str(score.wrong[name]),
                      _share(score.wrong[name], score.produced_events), means)
    table.add_row("  total", str(sum(score.wrong.values())), _share(sum(score.wrong.values()),
                                                                      score.produced_events), "")
    return table


def _errors_per_type_tables(score: Score, missed: dict[str, str], wrong: dict[str, str]) -> list[Any]:
    """Two tables per type: its gold events missed by class, and its produced events wrong by class."""
    from rich.table import Table

    tables = []
    for title, total, key, classes in (("gold events missed, per type", "gold", "missed", missed),
                                       ("produced events wrong, per type", "produced", "wrong", wrong)):
        table = Table(title=title, header_style="bold", title_justify="left")
        table.add_column("type")
        table.add_column(total, justify="right")
        for name in classes:
            table.add_column(name.replace("_", " "), justify="right")
        for t, row in score.per_type.items():
            if row[total]:
                table.add_row(cell(t), str(int(row[total])), *(str(row[key][n]) for n in classes))
        tables.append(table)
    return tables


def _print_ablation(gold: Path, names: list[str], as_json: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    from ..pipeline.gold import ablate  # late: loads the coder (~0.5 s)

    base, rows = ablate(gold, names)
    if as_json:
        print_json({"gold": gold.name, "all_rules": base.to_dict(), "ablations": [r.to_dict() for r in rows]})
        return
    out.print(f"[bold]{gold.name}[/bold], every rule on: F1 {base.f1:.3f} (P {base.precision:.3f}, "
              f"R {base.recall:.3f}, {base.produced_events} events)")
    table = Table(title="each rule switched off alone (d = what the rule adds)", header_style="bold")
    for col in ("rule", "F1 off", "dF1", "dP", "dR", "d events"):
        table.add_column(col, justify="left" if col == "rule" else "right", no_wrap=True)
    ranked = sorted(rows, key=lambda r: (r.score.f1, r.rule))
    for r in ranked:
        d = r.to_dict()
        table.add_row(Text(r.rule.removeprefix("detente.")), f"{r.score.f1:.3f}", f"{d['delta_f1']:+.3f}",
                      f"{d['delta_precision']:+.3f}", f"{d['delta_recall']:+.3f}", f"{d['delta_events']:+d}")
    out.print(table)
    out.print("what each rule does:")
    for r in ranked:
        out.print(Text(f"  {r.rule}: {r.doc}"))


def _cross_validated(gold: Path, folds: int, train: list[Path], limit: int) -> tuple[Any, list[dict[str, Any]]]:
    from ..coding.learn import cross_validated_events  # late: loads the coder (~0.5 s)
    from ..evaluate import load_gold, score_events  # late: keeps CLI start-up light
    from ..pipeline.gold import parse_gold  # late: loads the coder (~0.5 s)

    docs = load_gold(gold)
    if limit:
        docs = docs[:limit]
    if len(docs) < folds:
        raise BadOption(f"{gold.name} has {len(docs)} documents, fewer than {folds} folds", "use fewer --folds")
    extra = {p.name: parse_gold(load_gold(p)) for p in train}
    err.print(f"cross-validating on {len(docs)} documents in {folds} folds by article (this fits the models "
        f"{folds} times)", markup=False)
    produced = cross_validated_events(parse_gold(docs), folds, extra)
    return score_events(docs, produced), produced
