"""Plain-data (JSON-ready) forms of domain values, shared by the CLI and the API."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from failwise.domain.effort import rpe_from_rir
from failwise.domain.units import KG, Unit

# Named in signatures only; what a few functions need (the services, the records with the
# calibration model they bring) they import themselves: `failwise prescribe --json` starts
# without them.
if TYPE_CHECKING:
    from failwise.domain.calibration import Calibration, GroupCalibration
    from failwise.domain.decision import Prescription
    from failwise.domain.detection import FatigueVerdict
    from failwise.domain.exercises import Exercise
    from failwise.domain.personal_records import ExerciseRecords, LiftedSet, NewRecord
    from failwise.domain.physique import PhysiqueReport
    from failwise.services.live import NextSet
    from failwise.services.plans import Today
    from failwise.services.records import StoredSet


def exercise_ref(exercise: Exercise) -> dict[str, Any]:
    return {"id": exercise.id, "name": exercise.name}


def exercise_detail(exercise: Exercise) -> dict[str, Any]:
    from failwise.services.exercises import exercise_record

    return exercise_record(exercise)


def prescription(result: Prescription) -> dict[str, Any]:
    low_rpe, high_rpe = result.target_rpe
    return {
        "exercise": exercise_ref(result.exercise),
        "failure": result.failure.value,
        "target_rir": {"min": result.target_rir.low, "max": result.target_rir.high},
        "target_rpe": {"min": low_rpe, "max": high_rpe},
        "techniques": {
            "drop_set": result.techniques.drop_set,
            "rest_pause": result.techniques.rest_pause,
            "forced_reps": result.techniques.forced_reps,
        },
        "reasons": [
            {"rule": reason.rule, "effect": reason.effect.value, "text": reason.text}
            for reason in result.reasons
        ],
    }


def utc_iso(moment: datetime | None) -> str | None:
    """A stored (naive UTC) datetime as ISO 8601 with an explicit ``Z``."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat() + "Z"


def _in_unit(kg: float | None, unit: Unit) -> float | None:
    """A stored load in ``unit``: exact in kilograms, to 0.01 lb in pounds."""
    if kg is None or unit is KG:
        return kg
    return round(unit.of_kg(kg), 2)


def stored_set(stored: StoredSet, exercise: Exercise, unit: Unit = KG) -> dict[str, Any]:
    """A logged set, target and actual side by side; RPE derived from RIR, never stored.

    Loads are in ``unit`` (kilograms unless the lifter's unit is given).
    """
    data = stored.data
    target = data.target_rir
    target_rir = None if target is None else {"min": target.low, "max": target.high}
    test = None
    if data.test_reps_at_call is not None and data.test_predicted_rir is not None:
        test = {"reps_at_call": data.test_reps_at_call, "predicted_rir": data.test_predicted_rir}
    return {
        "id": stored.id,
        "workout_id": stored.workout_id,
        "position": stored.position,
        "exercise": exercise_ref(exercise),
        "set_type": data.set_type.value,
        "unit": unit.name.value,
        "load": _in_unit(data.load, unit),
        "target_load": _in_unit(data.target_load, unit),
        "reps": data.reps,
        "target_reps": data.target_reps,
        "rir": data.rir,
        "target_rir": target_rir,
        "rpe": None if data.rir is None else rpe_from_rir(data.rir),
        "target_rpe": (
            None
            if target_rir is None
            else {"min": 10.0 - target_rir["max"], "max": 10.0 - target_rir["min"]}
        ),
        "to_failure": data.to_failure,
        "failure_kind": data.failure_kind.value if data.failure_kind else None,
        "test": test,
        "rest_seconds": data.rest_seconds,
        "notes": data.notes,
        "logged_at": utc_iso(stored.logged_at),
        "created_at": utc_iso(stored.created_at),
        "idempotency_key": data.idempotency_key,
    }


def fatigue_verdict(verdict: FatigueVerdict) -> dict[str, Any]:
    """Signs of accumulated fatigue and what to do about them."""
    return {
        "recommendation": verdict.recommendation.value,
        "fatigued": verdict.fatigued,
        "summary": verdict.summary,
        "sessions": verdict.sessions,
        "sessions_needed": verdict.sessions_needed,
        "evidence": [
            {"signal": item.signal, "text": item.text, "exercise": item.exercise}
            for item in verdict.evidence
        ],
    }


def next_set(following: NextSet) -> dict[str, Any]:
    """The next set: :func:`prescription` plus the load and reps, in the lifter's unit.

    When the exercise's planned sets are done, ``exercise_done`` is true, the
    decision, load and reps are null, and ``next_exercise`` names what the
    planned session goes on with (null outside a plan).
    """
    done = following.exercise_done
    unit = following.unit
    decision = prescription(following.prescription)
    if done:
        decision.update(failure=None, target_rir=None, target_rpe=None, techniques=None, reasons=[])
    following_exercise = following.next_exercise
    return {
        **decision,
        "exercise_done": done,
        "next_exercise": None if following_exercise is None else exercise_ref(following_exercise),
        "set_number": following.set_number,
        "total_sets": following.total_sets,
        "unit": unit.name.value,
        "load": None if done else following.load_shown,
        "load_kg": None if done or following.load is None else round(following.load, 3),
        "reps": None if done else following.reps,
        "aim_rir": None if done else following.aim_rir,
        "aim_rpe": None if done else rpe_from_rir(following.aim_rir),
        "why": following.why,
        "assumed_rir": following.assumed_rir,
        "e1rm": None if following.e1rm is None else round(unit.of_kg(following.e1rm), 2),
        "rir_correction": round(following.rir_correction, 2),
        "fatigue": fatigue_verdict(following.fatigue),
    }


def _group_calibration(group: GroupCalibration) -> dict[str, Any]:
    return {
        "tests": group.tests,
        "bias": round(group.bias, 2),
        "raw_bias": round(group.raw_bias, 2),
        "mae": round(group.mae, 2),
        "uncertainty": round(group.uncertainty, 2),
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def calibration(result: Calibration) -> dict[str, Any]:
    """A lifter's RIR calibration; classes and distances without tests are left out.

    ``correction`` is the correction on a set of 10 reps; ``correction_by_reps`` the
    correction on a set of 1 to 30 reps, keyed by the reps as text (calls are further
    off in longer sets, Halperin et al. 2022). ``history_tests`` of the ``tests`` are
    calls the lifter's history checks (a call, then failure at its load), each counted
    half a deliberate test.
    """

    return {
        "tests": result.tests,
        "history_tests": result.history_tests,
        "bias": round(result.bias, 2),
        "raw_bias": _rounded(result.raw_bias),
        "mae": _rounded(result.mae),
        "verdict": result.verdict.value,
        "description": result.verdict.description,
        "correction": round(result.correction, 2),
        "correction_by_reps": {
            str(reps): round(correction, 2)
            for reps, correction in result.correction_by_reps.items()
        },
        "uncertainty": round(result.uncertainty, 2),
        "by_class": {
            mechanics.value: _group_calibration(group)
            for mechanics, group in result.by_class.items()
        },
        "by_distance": {
            bucket.value: _group_calibration(group) for bucket, group in result.by_distance.items()
        },
        "last_tested_on": result.last_tested_on.isoformat() if result.last_tested_on else None,
    }


def physique_payload(report: PhysiqueReport) -> dict[str, Any]:
    return {
        "body_fat_pct": _rounded(report.body_fat_pct),
        "body_fat_method": report.body_fat_method.value if report.body_fat_method else None,
        "lean_mass_kg": _rounded(report.lean_mass_kg),
        "ffmi": _rounded(report.ffmi),
        "normalised_ffmi": _rounded(report.normalised_ffmi),
        "proportions": [
            {
                "name": p.name,
                "value": round(p.value, 3),
                "reference": round(p.reference, 3),
                "ratio_to_reference": round(p.ratio_to_reference, 3),
                "source": p.source,
            }
            for p in report.proportions
        ],
        "balance": [
            {
                "name": b.name,
                "value": round(b.value, 3),
                "reference": round(b.reference, 3),
                "source": b.source,
            }
            for b in report.balance
        ],
        "lagging": [
            {
                "muscle": item.muscle.value,
                "score": round(item.score, 3),
                "evidence": list(item.evidence),
            }
            for item in report.lagging
        ],
        "notes": list(report.notes),
    }


def today_payload(today: Today, unit: Unit = KG) -> dict[str, Any]:
    """Today's planned session; each set's ``load`` in ``unit`` (``load_kg`` as stored)."""
    return {
        "unit": unit.name.value,
        "plan": {"id": today.plan.id, "name": today.plan.name},
        "week": today.week,
        "session": today.session.name,
        "key": today.key,
        "deload": today.deload,
        "early_deload": today.early_deload,
        "fatigue": today.fatigue.recommendation.value,
        "exercises": [
            {
                "exercise": {"id": item.planned.exercise.id, "name": item.planned.exercise.name},
                "note": item.note,
                "sets": [
                    {
                        "planned": item.planned_key(today.key, e, n),
                        "reps": work.reps,
                        "load": None
                        if work.load_kg is None
                        else unit.shown(work.load_kg, item.planned.exercise.increment_kg),
                        "load_kg": work.load_kg,
                        "target_rir": {"min": work.target_rir.low, "max": work.target_rir.high},
                        "failure": work.failure.value,
                        "technique": work.technique,
                    }
                    for n, work in enumerate(item.planned.sets)
                ],
            }
            for e, item in enumerate(today.exercises)
        ],
    }


def _record_set(lifted: LiftedSet, unit: Unit) -> dict[str, Any]:
    return {
        "set_id": lifted.ref,
        "logged_at": utc_iso(lifted.performed_at),
        "load": _in_unit(lifted.load, unit),
        "reps": lifted.reps,
        "rir": lifted.rir,
        "to_failure": lifted.to_failure,
    }


def exercise_records(
    exercise: Exercise, records: ExerciseRecords, unit: Unit = KG
) -> dict[str, Any]:
    """An exercise's personal records, loads and e1RM in ``unit`` (the API's and the CLI's)."""
    best = records.e1rm
    return {
        "exercise": exercise_ref(exercise),
        "unit": unit.name.value,
        "sets": records.sets,
        "e1rm": None
        if best is None
        else {"e1rm": round(unit.of_kg(best.e1rm), 2), "set": _record_set(best.set, unit)},
        "heaviest": None if records.heaviest is None else _record_set(records.heaviest, unit),
        "reps": [
            {"load": _in_unit(r.load, unit), "reps": r.reps, "set": _record_set(r.set, unit)}
            for r in records.reps
        ],
    }


def _figure(value: float, digits: int) -> str:
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text or "0"


def new_records(records: tuple[NewRecord, ...], unit: Unit = KG) -> list[dict[str, Any]]:
    """The records a logged set beat: an e1RM or a load in ``unit``, or reps."""
    from failwise.domain.personal_records import RecordKind

    return [
        {
            "kind": record.kind.value,
            "value": record.value
            if record.kind is RecordKind.REPS
            else round(unit.of_kg(record.value), 2),
            "previous": record.previous
            if record.kind is RecordKind.REPS
            else round(unit.of_kg(record.previous), 2),
            "load": _in_unit(record.load, unit),
            "unit": unit.name.value,
        }
        for record in records
    ]


def record_text(records: tuple[NewRecord, ...], unit: Unit = KG) -> str | None:
    """``New record: estimated 1RM 168 kg (was 162.2 kg); 6 reps at 140 kg (was 5).``"""
    if not records:
        return None
    from failwise.domain.personal_records import RecordKind

    def load(kg: float, digits: int = 2) -> str:
        return f"{_figure(unit.of_kg(kg), digits)} {unit.name.value}"

    said = []
    for record in records:
        if record.kind is RecordKind.E1RM:
            said.append(f"estimated 1RM {load(record.value, 1)} (was {load(record.previous, 1)})")
        elif record.kind is RecordKind.REPS:
            said.append(f"{record.value:g} reps at {load(record.load)} (was {record.previous:g})")
        else:
            said.append(f"heaviest {load(record.value)} (was {load(record.previous)})")
    return "New record: " + "; ".join(said) + "."
