"""Plain-data (JSON-ready) forms of domain values, shared by the CLI and the API."""

from __future__ import annotations

from typing import Any

from failwise.domain.decision import Prescription
from failwise.domain.exercises import Exercise


def exercise_ref(exercise: Exercise) -> dict[str, Any]:
    return {"id": exercise.id, "name": exercise.name}


def exercise_detail(exercise: Exercise) -> dict[str, Any]:
    return {
        "id": exercise.id,
        "name": exercise.name,
        "aliases": list(exercise.aliases),
        "pattern": exercise.pattern.value,
        "mechanics": exercise.mechanics.value,
        "equipment": exercise.equipment.value,
        "fixed_path": exercise.fixed_path,
        "heavy_compound": exercise.heavy_compound,
        "injury_risk": exercise.injury_risk.value,
        "needs_spotter": exercise.needs_spotter,
        "primary": [muscle.value for muscle in exercise.primary],
        "secondary": [muscle.value for muscle in exercise.secondary],
        "increment_kg": exercise.increment_kg,
        "custom": exercise.custom,
    }


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
