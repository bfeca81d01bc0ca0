"""The history analysis as JSON, and as a self-contained HTML report with charts."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from failwise.adapters.reports.svg import STYLE, Band, Series, bar_chart, date_labels, line_chart
from failwise.domain.analysis import RIR_BUCKETS, HistoryAnalysis, Profile
from failwise.domain.exercises import Muscle
from failwise.domain.stimulus import LANDMARKS

CLASS_NAMES = {
    "heavy-compound": "heavy compounds",
    "compound": "other compounds",
    "isolation": "isolation",
}


def floors_text(profile: Profile) -> str:
    """The inferred RIRs of a class's sets as the floors they are, never as an effort.

    An inferred RIR only says the lifter had at least that many reps left: a set
    with a floor of 0 may have been anywhere from failure to far from it, so it
    reads "no floor", not "RIR 0".
    """
    parts = [
        f"{count} with no floor" if floor == "0" else f"{count} at least RIR {floor}"
        for floor, count in profile.inferred_at_least.items()
        if count
    ]
    return ", ".join(parts) or "–"


def analysis_payload(report: HistoryAnalysis) -> dict[str, Any]:
    """The analysis as plain data (the ``--json`` of ``failwise analyze``).

    A class's sets without a logged effort are counted by the least RIR they had
    (``inferred_at_least``: "2" is at least 2 and fewer than 3 certainly in
    reserve, "0" no floor): an inferred RIR is a floor, so it is neither averaged
    nor counted with the logged RIRs.
    """
    return {
        "sets": report.sets,
        "working_sets": report.working_sets,
        "workouts": report.workouts,
        "first": report.first.isoformat() if report.first else None,
        "last": report.last.isoformat() if report.last else None,
        "logged_share": round(report.logged_share, 3),
        "profiles": {
            name: {
                "logged": profile.logged,
                "mean_logged_rir": _round(profile.mean_logged),
                "inferred_sets": sum(profile.inferred_at_least.values()),
                "inferred_at_least": profile.inferred_at_least,
            }
            for name, profile in report.profiles.items()
        },
        "rule_breaks": [
            {
                "at": item.performed_at.isoformat(),
                "exercise": item.exercise.name,
                "load": item.load,
                "reps": item.reps,
                "failure": item.failure.value,
                "rules": list(item.rules),
                "extra_recovery_hours": round(item.extra_recovery_hours, 1),
            }
            for item in report.rule_breaks
        ],
        "extra_recovery_hours": round(report.extra_recovery_hours, 1),
        "weekly_volume": [
            {
                "week": week.week.isoformat(),
                "sets": {m.value: round(v, 1) for m, v in sorted(week.sets.items())},
                "zones": {m.value: zone for m in week.sets if (zone := week.zone(m)) is not None},
            }
            for week in report.weekly_volume
        ],
        "e1rm_trends": {
            name: [[day.isoformat(), round(value, 1)] for day, value in points]
            for name, points in report.e1rm_trends.items()
        },
        "fatigue_by_week": [
            [week.isoformat(), verdict.value] for week, verdict in report.fatigue_by_week
        ],
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def e1rm_chart(report: HistoryAnalysis) -> str:
    start = min((points[0][0] for points in report.e1rm_trends.values() if points), default=None)
    if start is None:
        return line_chart("Estimated 1RM over time", [])
    series = [
        Series(name, [((day - start).days, value) for day, value in points])
        for name, points in report.e1rm_trends.items()
    ]
    end = max(day for points in report.e1rm_trends.values() for day, _ in points)
    return line_chart(
        "Estimated 1RM over time", series, x_labels=date_labels(start, end), y_label="kg"
    )


def volume_chart(report: HistoryAnalysis, weeks: int = 4) -> str:
    recent = report.weekly_volume[-weeks:]
    muscles = [m for m in Muscle if m in LANDMARKS]
    averages = [
        sum(week.sets.get(m, 0.0) for week in recent) / max(1, len(recent)) for m in muscles
    ]
    bands = [Band(LANDMARKS[m].mev, LANDMARKS[m].mrv, LANDMARKS[m].mav_high) for m in muscles]
    return bar_chart(
        f"Weekly sets per muscle (last {len(recent)} weeks) against MEV–MRV",
        [m.value for m in muscles],
        [Series("sets a week", list(enumerate(averages)))],
        bands=bands,
        y_label="sets",
    )


def rir_chart(report: HistoryAnalysis) -> str:
    """The logged RIRs by class. Inferred ones are floors, not efforts: they are left
    out of this axis (the profile table counts them by the least RIR they had)."""
    groups = [
        Series(CLASS_NAMES.get(name, name), list(enumerate(map(float, profile.logged.values()))))
        for name, profile in report.profiles.items()
    ]
    return bar_chart(
        "Logged reps in reserve of working sets, by exercise class",
        [f"RIR {bucket}" for bucket in RIR_BUCKETS],
        groups,
        y_label="sets",
    )


def failure_cost_chart(report: HistoryAnalysis) -> str:
    return line_chart(
        "What the last reps cost: fatigue of one set by reps left (Refalo et al. 2023)",
        [Series("acute fatigue %", list(report.failure_curve))],
        x_labels=[(rir, f"RIR {rir:g}") for rir, _ in report.failure_curve if rir == int(rir)],
        y_label="% performance loss",
    )


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="scroll">{table}</div>'


def _span(report: HistoryAnalysis) -> str:
    return (
        f"{report.first:%d %b %Y} – {report.last:%d %b %Y}"
        if report.first and report.last
        else "no sets yet"
    )


def _profile_table(report: HistoryAnalysis) -> str:
    """How close to failure each exercise class is trained, logged and inferred apart."""
    rows = [
        [
            escape(CLASS_NAMES.get(name, name)),
            str(sum(p.logged.values())),
            "–" if p.mean_logged is None else f"{p.mean_logged:.1f}",
            str(sum(p.inferred_at_least.values())),
            escape(floors_text(p)),
        ]
        for name, p in report.profiles.items()
    ]
    return _table(
        ["class", "logged sets", "mean RIR", "sets without RIR", "RIR they had at least"], rows
    )


def _rule_break_table(report: HistoryAnalysis) -> str:
    """The last 25 sets taken to failure against the rules; nothing when there are none."""
    rows = [
        [
            f"{b.performed_at:%Y-%m-%d}",
            escape(b.exercise.name),
            f"{b.load:g} × {b.reps}",
            escape(b.failure.value),
            escape(", ".join(b.rules)),
            f"{b.extra_recovery_hours:.0f} h",
        ]
        for b in report.rule_breaks[-25:]
    ]
    if not rows:
        return ""
    return _table(["date", "exercise", "set", "should have been", "rules", "extra recovery"], rows)


def _fatigue_text(report: HistoryAnalysis) -> str:
    fatigue = [w for w in report.fatigue_by_week if w[1].value in ("avoid-failure", "deload")]
    return (
        "No week showed signs of accumulated fatigue."
        if not fatigue
        else f"{len(fatigue)} of {len(report.fatigue_by_week)} weeks showed signs of accumulated "
        "fatigue: " + ", ".join(f"{w:%d %b %Y} ({v.value})" for w, v in fatigue[-8:]) + "."
    )


def _page(title: str, sections: list[str]) -> str:
    """The sections in a page of their own, its style inline."""
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)} — failwise</title><style>"
        "body{font:16px/1.5 system-ui,sans-serif;max-width:760px;margin:1rem auto;padding:0 1rem}"
        "table{border-collapse:collapse;width:100%;font-size:14px}"
        "th,td{border-bottom:1px solid #e5e7eb;padding:.3rem;text-align:left}"
        "figure{margin:1rem 0}.scroll{overflow-x:auto}"
        + STYLE
        + "</style></head><body>"
        + "".join(sections)
        + f"<footer><p>failwise — generated {date.today():%d %b %Y}</p></footer></body></html>"
    )


def render_html(report: HistoryAnalysis, *, title: str = "Your training history") -> str:
    """A self-contained page: no script, no external file, charts as inline SVG."""
    sections = [
        f"<h1>{escape(title)}</h1>",
        f"<p>{report.working_sets} working sets in {report.workouts} workouts, {_span(report)}. "
        f"{report.logged_share:.0%} of working sets had a logged effort; the rest is inferred "
        "from your e1RM trend and shown apart (an inferred RIR is a floor: you had at least "
        "that many reps left).</p>",
        "<h2>How close to failure you train</h2>",
        _profile_table(report),
        f'<figure id="rir-chart">{rir_chart(report)}</figure>',
        "<h2>Failure where it costs more than it gives</h2>",
        f"<p>{len(report.rule_breaks)} sets logged as failure went there where the framework "
        "says to stop "
        f"short; together they cost about {report.extra_recovery_hours:.0f} extra hours of "
        "recovery.</p>",
        _rule_break_table(report),
        f'<figure id="cost-chart">{failure_cost_chart(report)}</figure>',
        "<h2>Weekly volume</h2>",
        f'<figure id="volume-chart">{volume_chart(report)}</figure>',
        "<h2>Strength</h2>",
        f'<figure id="e1rm-chart">{e1rm_chart(report)}</figure>',
        "<h2>Accumulated fatigue</h2>",
        f"<p>{escape(_fatigue_text(report))}</p>",
    ]
    return _page(title, sections)
