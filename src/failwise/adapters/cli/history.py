"""Bringing history in and out, and reading it: import, export, analyze."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from failwise.adapters import exporters
from failwise.adapters.cli import app
from failwise.adapters.cli.coach import JsonFlag
from failwise.adapters.cli.output import console, emit_json, shown
from failwise.adapters.cli.training import UserOption
from failwise.adapters.cli.wiring import training_log
from failwise.adapters.importers import DESCRIPTIONS, FORMATS, parse, read_text
from failwise.adapters.reports.history import (
    CLASS_NAMES,
    analysis_payload,
    floors_text,
    render_html,
)
from failwise.domain.errors import InvalidInput
from failwise.services.imports import HistoryImporter, ImportSummary, ParsedFile

# A larger file is more likely a mistake than a training history.
MAX_IMPORT_BYTES = 200 * 1024 * 1024


def summary_payload(summary: ImportSummary) -> dict[str, Any]:
    return {
        "format": summary.format,
        "workouts": summary.workouts,
        "sets": summary.sets,
        "exercises": summary.exercises,
        "custom_exercises": list(summary.custom_exercises),
        "guessed_exercises": list(summary.guessed_exercises),
        "warmup_sets": summary.warmup_sets,
        "body_weights": summary.body_weights,
        "calibration_tests": summary.calibration_tests,
        "duplicates": summary.duplicates,
        "dry_run": summary.dry_run,
        "skipped": [{"line": p.line, "reason": p.reason} for p in summary.skipped],
    }


def _read(file: Path) -> str:
    try:
        size = file.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise InvalidInput(f"{file} is {size / 2**20:.0f} MiB: the limit is 200 MiB")
        return read_text(file.read_bytes())
    except OSError as error:
        raise InvalidInput(f"cannot read {file}: {error.strerror or error}") from None


@app.command("import")
def import_command(
    file: Annotated[
        Path,
        typer.Argument(
            help=(
                "An export from Strong, Hevy, FitNotes, Liftosaur, Fitbod, StrongLifts 5×5,"
                " Alpha Progression or JEFIT."
            ),
        ),
    ],
    format: Annotated[
        str | None,
        typer.Option("--format", help="Force a format: " + ", ".join(FORMATS) + "."),
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option("--unit", help="kg or lb, for files without a unit (Strong's comma format)."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Reject the whole file if any line has a problem.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Read and report, store nothing.")
    ] = False,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Import a training history; importing the same file again adds nothing.

    Example: failwise import strong_workouts.csv --unit lb
    """
    parsed = parse(_read(file), format=format, unit=unit)
    with training_log(user) as log:
        importer = log.importer
        if as_json or len(parsed.sets) < 5000:
            summary = importer.import_file(log.lifter.id, parsed, strict=strict, dry_run=dry_run)
        else:
            summary = _import_showing_progress(
                importer, log.lifter.id, parsed, strict=strict, dry_run=dry_run
            )
    if as_json:
        emit_json(summary_payload(summary))
        return
    _show_summary(summary)


def _import_showing_progress(
    importer: HistoryImporter, user_id: int, parsed: ParsedFile, *, strict: bool, dry_run: bool
) -> ImportSummary:
    """A long import with a progress bar that goes when it is done."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} sets"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("Importing", total=len(parsed.sets))
        return importer.import_file(
            user_id,
            parsed,
            strict=strict,
            dry_run=dry_run,
            progress=lambda done, _total: progress.update(task, completed=done),
        )


def _show_summary(summary: ImportSummary) -> None:
    """What an import stored (or would store), the exercises it added, the lines it left out."""
    verb = "Would import" if summary.dry_run else "Imported"
    console.print(
        f"{verb} {summary.sets} sets "
        f"in {summary.workouts} workouts from {DESCRIPTIONS.get(summary.format, summary.format)}"
        f" ({summary.exercises} exercises, {summary.warmup_sets} warm-up sets)."
    )
    if summary.duplicates:
        console.print(f"{summary.duplicates} sets were already there: left as they were.")
    if summary.body_weights:
        console.print(
            f"{summary.body_weights} days of body weight "
            f"{'would be' if summary.dry_run else 'were'} added to your measurements."
        )
    if summary.calibration_tests:
        console.print(
            f"{summary.calibration_tests} RIR calls followed by a set to failure at the same "
            f"load {'would count' if summary.dry_run else 'now count'} as calibration tests "
            "(each half a deliberate test): see [bold]failwise calibrate[/]."
        )
    if summary.custom_exercises:
        console.print(
            "New custom exercises (the catalog did not know them): "
            + shown(", ".join(summary.custom_exercises))
        )
    if summary.guessed_exercises:
        console.print(
            "[yellow]Their attributes were guessed from the name alone, on the cautious side, "
            "and the coach decides their sets from them.[/] Check them with "
            "[bold]failwise exercise list[/] and [bold]failwise exercise show NAME[/]; correct "
            "one with [bold]failwise exercise edit NAME --equipment … --pattern …[/]."
        )
    if summary.skipped:
        table = Table(title=f"{len(summary.skipped)} lines not imported")
        table.add_column("line", justify="right")
        table.add_column("why")
        for problem in summary.skipped[:50]:
            table.add_row(str(problem.line), shown(problem.reason))
        console.print(table)


@app.command("export")
def export_command(
    file: Annotated[Path, typer.Argument(help="Where to write the export.")],
    format: Annotated[
        str,
        typer.Option("--format", help="failwise-csv, json (both lossless) or strong."),
    ] = "failwise-csv",
    user: UserOption = None,
) -> None:
    """Export your whole history.

    Example: failwise export --format json history.json
    """
    sets = 0
    workouts: set[int] = set()

    def counted(chunks: Iterable[exporters.Chunk]) -> Iterator[exporters.Chunk]:
        nonlocal sets
        for chunk in chunks:
            workouts.update(chunk[0])
            sets += len(chunk[1])
            yield chunk

    with training_log(user) as log:
        by_workout = exporters.grouped_by_workout(format)
        chunks = log.insights.export_chunks(log.lifter.id, by_workout=by_workout)
        # Written as it is read, a chunk of sets at a time: memory stays flat.
        pieces = exporters.stream(format, counted(chunks), log.catalog())
        try:
            with file.open("w", encoding="utf-8", newline="") as out:  # the CSV's own CRLF
                out.writelines(pieces)
        except OSError as error:
            raise InvalidInput(f"cannot write {file}: {error.strerror or error}") from None
    console.print(
        f"Wrote {sets} sets in {len(workouts)} workouts to {shown(file)} ({shown(format)})."
    )


@app.command("analyze")
def analyze_command(
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write a report with charts here.")
    ] = None,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """How close to failure you really train, what failure cost you, how strength moved.

    Example: failwise analyze --html report.html
    """
    with training_log(user) as log:
        report = log.insights.analysis(log.lifter.id)
    if html is not None:
        try:
            html.write_text(render_html(report), encoding="utf-8")
        except OSError as error:
            raise InvalidInput(f"cannot write {html}: {error.strerror or error}") from None
    if as_json:
        emit_json(analysis_payload(report))
        return
    if not report.working_sets:
        console.print("No working sets yet: log or import some first (failwise import FILE).")
        return
    console.print(
        f"{report.working_sets} working sets in {report.workouts} workouts; "
        f"{report.logged_share:.0%} with a logged effort (the rest inferred: a floor, "
        "shown apart)."
    )
    table = Table(title="How close to failure you train")
    columns = ("class", "logged sets", "mean RIR", "sets without RIR", "RIR they had at least")
    for column in columns:
        table.add_column(column)
    for name, profile in report.profiles.items():
        table.add_row(
            CLASS_NAMES.get(name, name),
            str(sum(profile.logged.values())),
            "–" if profile.mean_logged is None else f"{profile.mean_logged:.1f}",
            str(sum(profile.inferred_at_least.values())),
            floors_text(profile),
        )
    console.print(table)
    console.print(
        f"{len(report.rule_breaks)} sets went to failure where the framework says to stop short, "
        f"costing about {report.extra_recovery_hours:.0f} extra hours of recovery."
    )
    for name, points in report.e1rm_trends.items():
        if len(points) >= 2:
            first, last = points[0][1], points[-1][1]
            console.print(f"{shown(name)}: e1RM {first:.1f} → {last:.1f} kg ({last - first:+.1f})")
    if html is not None:
        console.print(f"Report with charts: {shown(html)}")
