"""The plan and its request as plain, JSON-ready data, and back.

Both codecs live here, beside each other: the storage keeps a plan together
with the request it was generated from, and the CLI and the API print the
plan. They read and write plain dicts and lists only (the adapters do the
JSON), so they stay in the pure domain next to the types they encode.

>>> request = PlanRequest(goal="hypertrophy", experience="beginner", days=3, minutes=60,
...                       accumulation_weeks=4, preferred=frozenset({"barbell-squat"}))
>>> request_from_dict(request_to_dict(request)) == request
True
>>> old = {"goal": "strength", "experience": "advanced", "days": 4, "minutes": 75}
>>> request_from_dict(old).preferred  # stored before the field existed
frozenset()
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from failwise.domain.context import Experience, FailurePolicy
from failwise.domain.effort import RirRange
from failwise.domain.errors import InvalidInput
from failwise.domain.exercises import Catalog, Equipment, Muscle
from failwise.domain.planning.minutes import session_minutes
from failwise.domain.planning.plan import Plan, PlanExercise, PlanSession, PlanSet, PlanWeek
from failwise.domain.planning.request import Goal, PlanRequest
from failwise.domain.techniques import Technique

__all__ = ["plan_from_dict", "plan_to_dict", "request_from_dict", "request_to_dict"]


# --- the request -----------------------------------------------------------------


def request_to_dict(request: PlanRequest) -> dict[str, Any]:
    """What a plan was generated from, as JSON-ready data (landmarks are the defaults)."""
    return {
        "goal": request.goal.value,
        "experience": request.experience.value,
        "days": request.days,
        "minutes": request.minutes,
        "equipment": sorted(e.value for e in request.equipment),
        "spotter": request.spotter,
        "lagging": sorted(m.value for m in request.lagging),
        "seed": request.seed,
        "accumulation_weeks": request.accumulation,
        "e1rms": dict(request.e1rms),
        "set_adjustments": {m.value: v for m, v in request.set_adjustments.items()},
        "preferred": sorted(request.preferred),
    }


def request_from_dict(data: dict[str, Any]) -> PlanRequest:
    """Read back what :func:`request_to_dict` wrote."""
    return PlanRequest(
        goal=Goal(data["goal"]),
        experience=Experience(data["experience"]),
        days=int(data["days"]),
        minutes=int(data["minutes"]),
        equipment=frozenset(Equipment(e) for e in data.get("equipment", []))
        or frozenset(Equipment),
        spotter=bool(data.get("spotter", False)),
        lagging=frozenset(Muscle(m) for m in data.get("lagging", [])),
        seed=int(data.get("seed", 0)),
        accumulation_weeks=data.get("accumulation_weeks"),
        e1rms={str(k): float(v) for k, v in data.get("e1rms", {}).items()},
        set_adjustments={Muscle(k): float(v) for k, v in data.get("set_adjustments", {}).items()},
        # Requests stored before the lifter's own exercises were kept have none.
        preferred=frozenset(str(item) for item in data.get("preferred", [])),
    )


# --- the plan --------------------------------------------------------------------


def _rir_dict(rir: RirRange) -> dict[str, float]:
    return {"min": rir.low, "max": rir.high}


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as plain JSON-ready data (what the CLI prints and the storage keeps)."""
    return {
        "weeks": [
            {
                "number": week.number,
                "deload": week.deload,
                "sessions": [_session_dict(session) for session in week.sessions],
            }
            for week in plan.weeks
        ],
        "weekly_sets": {muscle.value: list(values) for muscle, values in plan.weekly_sets.items()},
        "shortfalls": {muscle.value: text for muscle, text in plan.shortfalls.items()},
    }


def _session_dict(session: PlanSession) -> dict[str, Any]:
    return {
        "name": session.name,
        "day_index": session.day_index,
        "minutes": round(session_minutes(session), 1),
        "exercises": [
            {
                "exercise": {"id": planned.exercise.id, "name": planned.exercise.name},
                "rep_range": {"min": planned.rep_range[0], "max": planned.rep_range[1]},
                "sets": [_set_dict(work) for work in planned.sets],
            }
            for planned in session.exercises
        ],
    }


def _set_dict(work: PlanSet) -> dict[str, Any]:
    return {
        "reps": work.reps,
        "target_rir": _rir_dict(work.target_rir),
        "failure": work.failure.value,
        "technique": work.technique,
        "load_kg": work.load_kg,
        "reasons": list(work.reasons),
    }


def _get(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(data, Mapping) or key not in data:
        raise InvalidInput(f"plan data: {where} has no {key!r}", field=f"{where}.{key}")
    value = data[key]
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise InvalidInput(f"plan data: {where}.{key} has the wrong type", field=f"{where}.{key}")
    if not isinstance(value, kind):
        raise InvalidInput(f"plan data: {where}.{key} has the wrong type", field=f"{where}.{key}")
    return value


def _number(data: Mapping[str, Any], key: str, where: str) -> float:
    return float(_get(data, key, (int, float), where))


def _set_from_dict(data: Mapping[str, Any], where: str) -> PlanSet:
    rir = _get(data, "target_rir", Mapping, where)
    technique = data.get("technique")
    if technique is not None and technique not in {t.value for t in Technique}:
        raise InvalidInput(f"plan data: {where}.technique {technique!r} is unknown")
    load = data.get("load_kg")
    if load is not None and (isinstance(load, bool) or not isinstance(load, int | float)):
        raise InvalidInput(f"plan data: {where}.load_kg must be a number or null")
    reasons = data.get("reasons", [])
    if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
        raise InvalidInput(f"plan data: {where}.reasons must be a list of rule ids")
    try:
        failure = FailurePolicy(_get(data, "failure", str, where))
    except ValueError:
        raise InvalidInput(f"plan data: {where}.failure is not go, avoid or never") from None
    return PlanSet(
        reps=int(_get(data, "reps", int, where)),
        target_rir=RirRange(
            _number(rir, "min", f"{where}.target_rir"), _number(rir, "max", f"{where}.target_rir")
        ),
        failure=failure,
        technique=technique,
        load_kg=None if load is None else float(load),
        reasons=tuple(reasons),
    )


def plan_from_dict(data: Mapping[str, Any], catalog: Catalog) -> Plan:
    """Read back what :func:`plan_to_dict` wrote; exercises are looked up in ``catalog``.

    Session minutes are not read: they are recomputed from the sets.
    """
    weeks = tuple(
        _week_from_dict(week, f"weeks[{w}]", catalog)
        for w, week in enumerate(_get(data, "weeks", list, "plan"))
    )
    volume = {
        _muscle(name): tuple(float(value) for value in values)
        for name, values in _get(data, "weekly_sets", Mapping, "plan").items()
    }
    shortfalls = {_muscle(name): str(text) for name, text in data.get("shortfalls", {}).items()}
    return Plan(weeks=weeks, weekly_sets=volume, shortfalls=shortfalls)


def _week_from_dict(week: Mapping[str, Any], where: str, catalog: Catalog) -> PlanWeek:
    sessions = []
    for s, session in enumerate(_get(week, "sessions", list, where)):
        at = f"{where}.sessions[{s}]"
        exercises = tuple(
            _exercise_from_dict(planned, f"{at}.exercises[{e}]", catalog)
            for e, planned in enumerate(_get(session, "exercises", list, at))
        )
        sessions.append(
            PlanSession(
                name=_get(session, "name", str, at),
                day_index=int(_get(session, "day_index", int, at)),
                exercises=exercises,
            )
        )
    return PlanWeek(
        number=int(_get(week, "number", int, where)),
        deload=bool(_get(week, "deload", bool, where)),
        sessions=tuple(sessions),
    )


def _exercise_from_dict(planned: Mapping[str, Any], here: str, catalog: Catalog) -> PlanExercise:
    exercise = catalog.get(_get(_get(planned, "exercise", Mapping, here), "id", str, here))
    reps = _get(planned, "rep_range", Mapping, here)
    sets = tuple(
        _set_from_dict(item, f"{here}.sets[{i}]")
        for i, item in enumerate(_get(planned, "sets", list, here))
    )
    return PlanExercise(
        exercise=exercise,
        sets=sets,
        rep_range=(int(_get(reps, "min", int, here)), int(_get(reps, "max", int, here))),
    )


def _muscle(name: object) -> Muscle:
    try:
        return Muscle(str(name))
    except ValueError:
        raise InvalidInput(f"plan data: {name!r} is not a muscle") from None
