"""History, insights and their report, and the exports."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from markupsafe import Markup

from failwise.adapters import exporters, payloads
from failwise.adapters.reports import history as report
from failwise.adapters.web import paging, views
from failwise.adapters.web.deps import (
    ClockDep,
    ExercisesDep,
    InsightsDep,
    WorkoutsDep,
)
from failwise.adapters.web.limits import take
from failwise.adapters.web.pages._core import (
    CHART_WEEKS,
    PAGE_SETS,
    PAGE_TITLES,
    TRAINED,
    PageLifter,
    render,
)
from failwise.domain.analysis import HistoryAnalysis
from failwise.domain.calibration import next_test
from failwise.domain.context import Phase
from failwise.domain.detection import SIGNAL_WORDS
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Exercise
from failwise.services.core import WINDOW_SETS, window_sets
from failwise.services.insights import Insights
from failwise.services.quotas import Action
from failwise.services.today import RECENT_SETS
from failwise.services.workouts import WorkoutDetail, Workouts

router = APIRouter(include_in_schema=False)


# --- history ------------------------------------------------------------------------------------


def _last_start(
    workouts: Workouts, user_id: int, first_page: list[WorkoutDetail], now: datetime
) -> datetime:
    """When the lifter's last workout started (an imported history may have ended long
    ago), or ``now`` before any: read from the first page when it is the one shown."""
    newest = first_page[0].workout if first_page else None
    newest = newest or next(iter(workouts.latest(user_id, limit=1)), None)
    return newest.started_at if newest else now


def _charted(asked: Exercise | None, trained: Sequence[tuple[Exercise, int]]) -> Exercise | None:
    """The exercise the e1RM chart shows: the one asked for, else the most trained heavy
    compound, else the most trained."""
    if asked is not None or not trained:
        return asked
    heavy = [e for e, _ in trained if e.heavy_compound]
    return heavy[0] if heavy else trained[0][0]


@router.get("/history", response_class=HTMLResponse)
def history(
    request: Request,
    lifter: PageLifter,
    clock: ClockDep,
    exercises: ExercisesDep,
    workout_log: WorkoutsDep,
    insights: InsightsDep,
    exercise: Annotated[str, Query(max_length=200)] = "",
    workouts: Annotated[int, Query(ge=1, le=500)] = 8,
    before: Annotated[str, Query(max_length=paging.CURSOR_LENGTH)] = "",
) -> Response:
    """A page of workouts (the latest ``workouts``, or those before the ``before`` cursor)
    with at most :data:`PAGE_SETS` of their sets; charts of a window up to the last one."""
    units = views.units_of(lifter.settings)
    now = clock()
    catalog = exercises.catalog(lifter.id)
    try:
        key = paging.workout_key(before) if before else None
    except InvalidInput:
        key = None  # a mangled link: the first page
    page, more = workout_log.page(lifter.id, limit=workouts, before=key, max_sets=PAGE_SETS)
    listed = [detail.workout for detail in page]
    # The picker offers what was trained in the six months up to the last workout, the
    # chart the year up to it.
    last = _last_start(workout_log, lifter.id, page if key is None else [], now)
    trained = views.most_trained(
        insights.history(lifter.id, since=last - TRAINED, limit=window_sets(TRAINED)), catalog
    )
    chosen = _charted(catalog.find(exercise) if exercise else None, trained)
    e1rm_svg = None
    if chosen is not None:
        series = insights.e1rm_series(
            lifter.id, chosen.id, since=last - timedelta(weeks=CHART_WEEKS)
        )
        e1rm_svg = Markup(views.e1rm_chart(chosen.name, series, units))
    volume = insights.weekly_volume(lifter.id, weeks=8)
    volume_week, cards = views.volume_cards(volume)
    return render(
        request,
        "history.html",
        title=PAGE_TITLES["/history"],
        lifter=lifter,
        active="/history",
        workouts=views.workout_views(listed, [s for detail in page for s in detail.sets], catalog),
        incomplete={detail.workout.id for detail in page if not detail.complete},
        page_sets=PAGE_SETS,
        chart_weeks=CHART_WEEKS,
        older=paging.workout_cursor(listed[-1].key) if more else None,
        shown=workouts,
        set_line=views.set_line,
        target_line=views.target_line,
        today=now.date(),
        day_label=views.day_label,
        trained=trained,
        chosen=chosen,
        e1rm_svg=e1rm_svg,
        volume_svg=Markup(views.volume_chart(volume, now.date())) if volume else None,
        volume_week=volume_week,
        volume_cards=cards,
    )


# --- insights -----------------------------------------------------------------------------------


@router.get("/insights", response_class=HTMLResponse)
def insights(
    request: Request,
    lifter: PageLifter,
    clock: ClockDep,
    exercises: ExercisesDep,
    workouts: WorkoutsDep,
    insights: InsightsDep,
) -> Response:
    now = clock()
    catalog = exercises.catalog(lifter.id)
    calibration = insights.calibration(lifter.id)
    tests = insights.rir_tests(lifter.id)
    state, verdict = insights.fatigue(lifter.id)
    recent = views.recent_exercises(
        insights.history(lifter.id, since=now - timedelta(weeks=2), limit=RECENT_SETS),
        catalog,
    )
    plan = next_test(
        calibration,
        last_test_on=None,
        today=now.date(),
        candidates=recent,
        spotter=lifter.prefs.spotter,
        phase=Phase.NORMAL,
        fatigued=verdict.fatigued,
    )
    analysis = _recent_analysis(workouts, insights, lifter.id)
    readiness = {m: round(v, 1) for m, v in sorted(state.readiness.items(), key=lambda i: i[1])}
    return render(
        request,
        "insights.html",
        title=PAGE_TITLES["/insights"],
        lifter=lifter,
        active="/insights",
        calibration=payloads.calibration(calibration),
        tests=tests,
        calibration_svg=Markup(views.calibration_chart(tests)) if tests else None,
        plan=plan,
        readiness=readiness,
        readiness_svg=Markup(views.readiness_chart(readiness)) if readiness else None,
        systemic=round(state.systemic_fatigue),
        verdict=payloads.fatigue_verdict(verdict),
        verdict_words=verdict.recommendation.words,
        judged=verdict.judged,
        signal_words=SIGNAL_WORDS,
        effect_words=views.EFFECT_WORDS,
        rule_words=views.RULE_WORDS,
        analysis=analysis,
        class_names=report.CLASS_NAMES,
        floors_text=report.floors_text,
        rir_svg=Markup(report.rir_chart(analysis)) if analysis.working_sets else None,
        trend_svg=Markup(report.e1rm_chart(analysis)) if analysis.e1rm_trends else None,
        rule_breaks=list(reversed(analysis.rule_breaks[-10:])),
        fatigue_weeks=list(reversed(analysis.fatigue_by_week[-8:])),
        units=views.units_of(lifter.settings),
        chart_weeks=CHART_WEEKS,
        capped=analysis.sets >= WINDOW_SETS,
        window_sets=WINDOW_SETS,
    )


def _recent_analysis(workouts: Workouts, insights: Insights, user_id: int) -> HistoryAnalysis:
    """The analysis of the :data:`CHART_WEEKS` weeks up to the last workout (at most their
    latest :data:`~failwise.services.training.WINDOW_SETS` sets): what a page can read.
    ``failwise analyze`` reads the whole history."""
    latest = workouts.latest(user_id, limit=1)
    if not latest:
        return insights.analysis(user_id, limit=WINDOW_SETS)
    since = latest[0].started_at - timedelta(weeks=CHART_WEEKS)
    return insights.analysis(user_id, since=since, limit=WINDOW_SETS)


@router.get("/insights/report.html")
def insights_report(
    request: Request, lifter: PageLifter, workouts: WorkoutsDep, insights: InsightsDep
) -> Response:
    """The analysis as a self-contained HTML file to keep (``failwise analyze --html``)."""
    page = report.render_html(_recent_analysis(workouts, insights, lifter.id))
    return Response(
        page,
        media_type="text/html; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="failwise-report.html"'},
    )


# --- export -------------------------------------------------------------------------------------


_EXPORTS: dict[str, tuple[str, str]] = {
    "failwise-csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json", "json"),
    "strong": ("text/csv; charset=utf-8", "csv"),
}
EXPORTS_AT_ONCE = 2
"""Exports one server process streams at the same time, one per lifter: each holds a
database connection for as long as its client takes to read it."""
_exporting: set[int] = set()
_exporting_lock = threading.Lock()


def export_slot(user_id: int) -> bool:
    """Take one of the :data:`EXPORTS_AT_ONCE` slots for the lifter's export, if free."""
    with _exporting_lock:
        if user_id in _exporting or len(_exporting) >= EXPORTS_AT_ONCE:
            return False
        _exporting.add(user_id)
        return True


def free_export_slot(user_id: int) -> None:
    with _exporting_lock:
        _exporting.discard(user_id)


def releasing_slot(pieces: Iterator[str], user_id: int) -> Iterator[str]:
    """``pieces``, giving the lifter's export slot back when they end, fail or are dropped
    (a client gone mid-download). Already started: even dropped unread, it gives it back."""

    def body() -> Iterator[str]:
        try:
            yield ""
            yield from pieces
        finally:
            free_export_slot(user_id)

    started = body()
    next(started)  # into the try: from here on, closing the generator frees the slot
    return started


@router.get("/export/{format}")
def export(
    format: str,
    request: Request,
    lifter: PageLifter,
    clock: ClockDep,
    exercises: ExercisesDep,
    insights: InsightsDep,
) -> Response:
    if format not in _EXPORTS:
        return render(
            request,
            "error.html",
            title="No such export",
            lifter=lifter,
            status_code=status.HTTP_404_NOT_FOUND,
            heading="No such export",
            message=f"Exports are {', '.join(_EXPORTS)}.",
        )
    if not export_slot(lifter.id):
        busy = render(
            request,
            "error.html",
            title="An export is on its way",
            lifter=lifter,
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            heading="An export is on its way",
            message="Your last export is still being sent, or the server is sending "
            f"{EXPORTS_AT_ONCE} already: try again in a minute.",
        )
        busy.headers["Retry-After"] = "60"
        return busy
    try:
        take(request, Action.EXPORT, lifter=lifter.id)
        catalog = exercises.catalog(lifter.id)
    except BaseException:
        free_export_slot(lifter.id)
        raise
    media, extension = _EXPORTS[format]
    name = f"failwise-{format}-{clock():%Y-%m-%d}.{extension}"
    # Streamed: the history is read a chunk at a time while the answer is sent, so the
    # server's memory does not grow with it (a million sets are some 600 MB of JSON).
    chunks = insights.export_chunks(lifter.id, by_workout=exporters.grouped_by_workout(format))
    return StreamingResponse(
        releasing_slot(exporters.stream(format, chunks, catalog), lifter.id),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{quote(name)}"'},
    )
