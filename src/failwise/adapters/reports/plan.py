"""A printable plan: one page per week, readable on paper and on a phone."""

from __future__ import annotations

from html import escape

from failwise.domain.planning import Plan, PlanSet, session_minutes

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
STYLE = (
    "body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:760px;padding:0 .8rem}"
    "section.week{break-after:page;page-break-after:always;padding-bottom:1rem}"
    "section.week:last-of-type{break-after:auto;page-break-after:auto}"
    "h1{font-size:1.4rem}h2{font-size:1.2rem;border-bottom:2px solid #111}"
    "h3{font-size:1rem;margin:.8rem 0 .2rem}"
    ".scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:14px}"
    "th,td{border-bottom:1px solid #ddd;padding:.25rem .3rem;text-align:left;vertical-align:top}"
    ".go{color:#166534;font-weight:600}.avoid{color:#92400e;font-weight:600}"
    ".never{color:#991b1b;font-weight:600}.log{min-width:5rem;border-bottom:1px dotted #999}"
    "@media print{body{max-width:none}.log{min-width:7rem}}"
)


def _rir(work: PlanSet) -> str:
    low, high = work.target_rir.low, work.target_rir.high
    return f"RIR {low:g}" if low == high else f"RIR {low:g}–{high:g}"


def _sets(sets: tuple[PlanSet, ...]) -> str:
    lines = []
    for number, work in enumerate(sets, start=1):
        load = f"{work.load_kg:g} kg × " if work.load_kg else ""
        technique = f" + {escape(work.technique)}" if work.technique else ""
        lines.append(
            f"{number}. {load}{work.reps} @ {_rir(work)} "
            f'<span class="{work.failure.value}">{work.failure.value}</span>{technique}'
        )
    return "<br>".join(lines)


def render_plan_html(plan: Plan, *, title: str = "Training plan") -> str:
    """A self-contained page: no script, every week on its own printed page."""
    weeks = []
    for week in plan.weeks:
        label = f"Week {week.number}" + (" — deload" if week.deload else "")
        sessions = []
        for session in week.sessions:
            rows = "".join(
                "<tr>"
                f"<td>{escape(planned.exercise.name)}<br><small>reps "
                f"{planned.rep_range[0]}–{planned.rep_range[1]}</small></td>"
                f"<td>{_sets(planned.sets)}</td>"
                '<td class="log"></td>'
                "</tr>"
                for planned in session.exercises
            )
            day = _DAYS[session.day_index % 7]
            sessions.append(
                f"<h3>{escape(session.name)} · {day} · about "
                f"{session_minutes(session):.0f} min</h3>"
                '<div class="scroll"><table><thead><tr><th>exercise</th><th>sets</th>'
                f"<th>done</th></tr></thead><tbody>{rows}</tbody></table></div>"
            )
        weeks.append(f'<section class="week"><h2>{label}</h2>{"".join(sessions)}</section>')
    legend = (
        "<p><b>go</b>: take the set to failure · <b>avoid</b>: stop 1–3 reps short · "
        "<b>never</b>: stay well clear of failure. RIR = reps left in reserve.</p>"
    )
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)} — failwise</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>{legend}{''.join(weeks)}</body></html>"
    )
