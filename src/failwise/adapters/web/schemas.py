"""The REST API's request and response bodies: pydantic lives here, at the web edge, only.

Loads are in kilograms. Datetimes may carry an offset; they are stored as
naive UTC, and a datetime without an offset is taken to be UTC. Responses
give datetimes in UTC with a ``Z``.

Effort is validated by the domain's own scale (:mod:`failwise.domain.effort`),
so the API says the same thing as the CLI: RPE 11 is "not on the scale".
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from failwise.domain.context import Experience, Phase
from failwise.domain.effort import FailureKind, validate_rir, validate_rpe
from failwise.domain.errors import InvalidEffort
from failwise.domain.exercises import (
    CORRECTABLE,
    Equipment,
    InjuryRisk,
    Mechanics,
    Muscle,
    Pattern,
)
from failwise.domain.units import Unit, unit_named
from failwise.services.records import (
    EARLIEST_DAY,
    LATEST_DAY,
    SetType,
    in_log_range,
    naive_utc,
)
from failwise.services.reported import MAX_SETS, LogRequest, Shown

# --- shared field types ---------------------------------------------------------


def _on_scale(check: Any) -> Any:
    def validate(value: float) -> float:
        try:
            result: float = check(value)
        except InvalidEffort as error:
            raise PydanticCustomError("invalid_effort", str(error)) from None
        return result

    return validate


_HALF_STEPS = {"minimum": 0, "maximum": 10, "multipleOf": 0.5}
Rir = Annotated[
    float,
    AfterValidator(_on_scale(validate_rir)),
    Field(
        description="Reps in reserve: the reps that could still have been done (0–10, half steps).",
        json_schema_extra=_HALF_STEPS,
    ),
]
Rpe = Annotated[
    float,
    AfterValidator(_on_scale(validate_rpe)),
    Field(description="RPE, 10 − RIR (0–10, half steps).", json_schema_extra=_HALF_STEPS),
]


# Ids are 32-bit in PostgreSQL's INTEGER columns: a larger one can name no row (and would
# overflow the driver), so it is bad input, not a server error.
MAX_ID = 2**31 - 1
_DAY_RANGE = f"from {EARLIEST_DAY.isoformat()} to {LATEST_DAY.isoformat()}"


def plausible_day(day: date) -> date:
    """``day`` itself, when a training log can hold it (the API's 422 otherwise)."""
    if not in_log_range(day):
        raise PydanticCustomError("date_range", f"a date must be {_DAY_RANGE}")
    return day


def plausible_utc(moment: datetime) -> datetime:
    """:func:`naive_utc`, for a moment within the days a log can hold (checked first, so
    the conversion of an offset cannot overflow)."""
    plausible_day(moment.date())
    return naive_utc(moment)


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def iso_only(value: Any) -> Any:
    """Dates and times are ISO 8601 text, as the schema says: pydantic would also take a
    number as seconds since 1970, which no lifter means."""
    if isinstance(value, int | float) or (
        isinstance(value, str) and _NUMBER.fullmatch(value.strip())
    ):
        raise PydanticCustomError(
            "iso_8601", "a date (and time) in ISO 8601, like 2026-03-02T18:00:00Z, not a number"
        )
    return value


UtcDatetime = Annotated[
    datetime,
    BeforeValidator(iso_only),
    AfterValidator(plausible_utc),
    Field(description=f"ISO 8601, {_DAY_RANGE}; an offset is converted to UTC, none means UTC."),
]
Day = Annotated[
    date,
    BeforeValidator(iso_only),
    AfterValidator(plausible_day),
    Field(description=f"ISO 8601, {_DAY_RANGE}."),
]
# The same checks for query and path parameters, which take their description from
# Query() and Path() rather than Field().
PlausibleMoment = Annotated[datetime, BeforeValidator(iso_only), AfterValidator(plausible_utc)]
PlausibleDay = Annotated[date, BeforeValidator(iso_only), AfterValidator(plausible_day)]
Kilograms = Annotated[float, Field(ge=0, le=2000, description="Kilograms.")]
Rating = Annotated[int, Field(ge=1, le=5, description="1 (worst) to 5 (best).")]
Circumference = Literal[
    "neck", "waist", "hips", "shoulders", "chest", "arm", "forearm", "thigh", "calf"
]


def _not_null(value: Any) -> Any:
    """Leaving a field out of a patch keeps it; sending null where null means nothing is an
    error (validators do not run on defaults, only on values sent)."""
    if value is None:
        raise PydanticCustomError("not_null", "send a value, or leave the field out")
    return value


# A number in a request: an int is fine, true or false is not (a lax float
# would take true as 1.0).
Number = Annotated[float, Strict()]


def _holds_bool(annotation: Any) -> bool:
    """Whether ``annotation`` (``int | None``, ``Annotated[...]`` …) admits a bool."""
    if annotation is bool:
        return True
    return any(_holds_bool(arg) for arg in get_args(annotation))


class Body(BaseModel):
    """A request body: unknown fields are an error, not silently dropped.

    true and false are not numbers here (pydantic's lax mode would read true as 1).
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_for_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        name = info.field_name
        if isinstance(value, bool) and name and not _holds_bool(cls.model_fields[name].annotation):
            raise PydanticCustomError("bool_type", "a number is needed, not true or false")
        return value


class Out(BaseModel):
    """A response body."""


# --- lifters -----------------------------------------------------------------------


class Credentials(Body):
    username: str = Field(min_length=1, max_length=64, examples=["ann"])
    password: str = Field(min_length=1, max_length=1024, examples=["correct horse"])


class PasswordChange(Body):
    """The current password, and the new one (at least 8 characters, not a common one)."""

    old_password: str = Field(min_length=1, max_length=1024, examples=["correct horse"])
    new_password: str = Field(min_length=1, max_length=1024, examples=["battery staple tree"])


class UserOut(Out):
    id: int
    username: str
    created_at: datetime
    settings: dict[str, Any]


class SessionOut(Out):
    user: UserOut
    token: str
    """Send it as ``Authorization: Bearer <token>``."""
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime


class SettingsIn(Body):
    """Only the settings sent are changed."""

    unit: Literal["kg", "lb"] | None = Field(
        default=None, description="Display unit; the API speaks kg."
    )
    bar_kg: Number | None = Field(default=None, ge=0, le=100)
    plates_kg: list[Annotated[Number, Field(gt=0, le=100)]] | None = Field(
        default=None, max_length=30
    )
    spotter: bool | None = Field(default=None, description="Whether a spotter is usually there.")
    experience: Experience | None = None
    lagging: list[Muscle] | None = Field(
        default=None, description="Muscles to prioritise: their sets may go to failure."
    )
    sex: Literal["male", "female"] | None = Field(
        default=None, description="For the body-fat formula and the strength standards."
    )
    age: Number | None = Field(default=None, ge=10, le=100)
    height_cm: Number | None = Field(default=None, ge=100, le=250)

    _not_null = field_validator("unit", "bar_kg", "plates_kg", "spotter", "experience", "lagging")(
        _not_null
    )


# --- exercises ----------------------------------------------------------------------


class ExerciseRef(Out):
    id: str
    name: str


class ExerciseOut(Out):
    id: str
    name: str
    aliases: list[str]
    pattern: Pattern
    mechanics: Mechanics
    equipment: Equipment
    fixed_path: bool
    heavy_compound: bool
    injury_risk: InjuryRisk
    needs_spotter: bool
    primary: list[Muscle]
    secondary: list[Muscle]
    increment_kg: float
    custom: bool
    guessed: bool = False
    """Its attributes were guessed from its name on import: the lifter should check them."""


class ExerciseIn(Body):
    """A lifter's own exercise; what is not said takes cautious defaults."""

    name: str = Field(min_length=1, max_length=120, examples=["Sissy Squat Bench"])
    primary: list[Muscle] = Field(min_length=1)
    equipment: Equipment
    secondary: list[Muscle] = Field(default_factory=list)
    mechanics: Mechanics = Mechanics.COMPOUND
    pattern: Pattern | None = None
    fixed_path: bool | None = Field(default=None, description="Default: whether it is a machine.")
    heavy_compound: bool = False
    injury_risk: InjuryRisk = InjuryRisk.LOW
    needs_spotter: bool = False
    increment_kg: Number = Field(default=2.5, gt=0, le=50)
    aliases: list[Annotated[str, Field(min_length=1, max_length=120)]] = Field(
        default_factory=list, max_length=20
    )


class ExercisePatch(Body):
    """Corrections to the lifter's own exercise: only the attributes sent change, and it is
    no longer marked as guessed. New equipment without ``fixed_path`` also sets whether the
    path is fixed (a machine's is); new primary muscles leave the secondary list."""

    equipment: Equipment | None = None
    mechanics: Mechanics | None = None
    pattern: Pattern | None = None
    primary: list[Muscle] | None = Field(default=None, min_length=1)
    secondary: list[Muscle] | None = None
    fixed_path: bool | None = Field(default=None, description="The machine guides the movement.")
    heavy_compound: bool | None = None
    injury_risk: InjuryRisk | None = None
    needs_spotter: bool | None = Field(default=None, description="Failing alone can pin you.")
    increment_kg: Number | None = Field(default=None, gt=0, le=50)

    # Every attribute a lifter may correct (the domain's list): none may be set to null.
    _not_null = field_validator(*CORRECTABLE)(_not_null)


# --- sets ------------------------------------------------------------------------------


class RirRangeIn(Body):
    min: Rir
    max: Rir

    @model_validator(mode="after")
    def _ordered(self) -> RirRangeIn:
        if self.min > self.max:
            raise PydanticCustomError(
                "invalid_effort", "the lowest RIR of a target comes first: min ≤ max"
            )
        return self


class RirTestIn(Body):
    """An RIR test: at rep ``reps_at_call`` the lifter called ``predicted_rir``, then went
    on to failure; the set's ``reps`` are all the reps done."""

    reps_at_call: int = Field(ge=1, le=200)
    predicted_rir: Rir


class ShownIn(Body):
    """The next set an app showed for the set it logs: the ``next`` of the answer to the
    set before (or its own page's), as it was on the screen."""

    load: Kilograms | None = Field(
        default=None, description="In the set's unit; null when no load was shown."
    )
    reps: int = Field(ge=1, le=200)
    target_rir: RirRangeIn


class _SetFields(Body):
    @field_validator("rpe", check_fields=False)
    @classmethod
    def _not_both(cls, value: Number | None, info: ValidationInfo) -> Number | None:
        if value is not None and info.data.get("rir") is not None:
            raise PydanticCustomError("invalid_effort", "give either rir or rpe, not both")
        return value


class SetIn(_SetFields):
    """A set as done (and, optionally, as it was planned)."""

    exercise: str = Field(
        min_length=1, max_length=200, description="Name, alias or id.", examples=["Squat (Barbell)"]
    )
    load: Kilograms = Field(description="In ``unit``; 0 for bodyweight.", examples=[140])
    unit: Literal["kg", "lb"] | None = Field(
        default=None, description="The unit of load and target_load (default: the lifter's)."
    )
    reps: int = Field(ge=1, le=200, examples=[5])
    rir: Rir | None = Field(default=None, examples=[2])
    rpe: Rpe | None = None
    set_type: SetType = SetType.WORKING
    to_failure: bool = False
    failure_kind: FailureKind | None = None
    target_load: Kilograms | None = None
    target_reps: int | None = Field(default=None, ge=1, le=200)
    target_rir: RirRangeIn | None = None
    test: RirTestIn | None = None
    rest_seconds: int | None = Field(default=None, ge=0, le=86_400)
    notes: str = Field(default="", max_length=2000)
    logged_at: UtcDatetime | None = Field(default=None, description="When the set was done (now).")
    total_sets: int | None = Field(
        None,
        ge=1,
        le=MAX_SETS,
        description="Working sets planned for the exercise today: kept for the sets "
        "after this one in the workout, until another number is sent.",
    )
    spotter: bool | None = Field(default=None, description="Default: the lifter's setting.")
    workout_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Default: the open workout."
    )
    idempotency_key: str | None = Field(
        None,
        min_length=1,
        max_length=128,
        description="Or the Idempotency-Key header: a retry with it never stores a second set.",
    )
    confirmed: bool = Field(
        default=False,
        description="Store a load far above the lifter's e1RM: the 422 ``needs_confirmation`` "
        "asked for it.",
    )
    shown: ShownIn | None = Field(
        default=None,
        description="The next set the app showed before this one was done. A working set "
        "sent with no target of its own takes it as its target (as the coach would have "
        "worked it out); without it, the coach works out what it would have shown.",
    )

    def to_request(self, idempotency_key: str | None) -> LogRequest:
        return LogRequest(
            exercise=self.exercise,
            load=self.load,
            reps=self.reps,
            rir=self.rir,
            rpe=self.rpe,
            set_type=self.set_type,
            to_failure=self.to_failure,
            failure_kind=self.failure_kind,
            target_load=self.target_load,
            target_reps=self.target_reps,
            target_rir_low=self.target_rir.min if self.target_rir else None,
            target_rir_high=self.target_rir.max if self.target_rir else None,
            test_reps_at_call=self.test.reps_at_call if self.test else None,
            test_predicted_rir=self.test.predicted_rir if self.test else None,
            rest_seconds=self.rest_seconds,
            notes=self.notes,
            logged_at=self.logged_at,
            idempotency_key=idempotency_key,
            workout_id=self.workout_id,
            total_sets=self.total_sets,
            spotter=self.spotter,
            unit=None if self.unit is None else unit_named(self.unit),
            confirmed=self.confirmed,
            shown=None
            if self.shown is None
            else Shown(
                load=self.shown.load,
                reps=self.shown.reps,
                rir_low=self.shown.target_rir.min,
                rir_high=self.shown.target_rir.max,
            ),
        )


class SetPatch(_SetFields):
    """Only the fields sent change. Sending ``rpe`` replaces a stored ``rir``."""

    exercise: str | None = Field(default=None, min_length=1, max_length=200)
    unit: Literal["kg", "lb"] | None = Field(
        default=None, description="The unit of load and target_load (default: the lifter's)."
    )
    load: Kilograms | None = None
    reps: int | None = Field(default=None, ge=1, le=200)
    rir: Rir | None = None
    rpe: Rpe | None = None
    set_type: SetType | None = None
    to_failure: bool | None = None
    failure_kind: FailureKind | None = None
    target_load: Kilograms | None = None
    target_reps: int | None = Field(default=None, ge=1, le=200)
    target_rir: RirRangeIn | None = None
    test: RirTestIn | None = None
    rest_seconds: int | None = Field(default=None, ge=0, le=86_400)
    notes: str | None = Field(default=None, max_length=2000)
    confirmed: bool = Field(
        default=False,
        description="Store a load far above the lifter's e1RM: the 422 ``needs_confirmation`` "
        "asked for it.",
    )

    _not_null = field_validator("exercise", "load", "reps", "set_type", "to_failure", "notes")(
        _not_null
    )

    def changes(self) -> dict[str, Any]:
        """The fields sent, as :meth:`failwise.services.sets.Sets.patch` takes them."""
        sent = {name: getattr(self, name) for name in self.model_fields_set}
        sent.pop("unit", None)
        sent.pop("confirmed", None)
        if "target_rir" in sent:
            sent["target_rir"] = (
                (self.target_rir.min, self.target_rir.max) if self.target_rir else None
            )
        if "test" in sent:
            sent["test"] = (self.test.reps_at_call, self.test.predicted_rir) if self.test else None
        return sent

    @property
    def loads_in(self) -> Unit | None:
        """The unit of the loads sent, when the patch names one."""
        return None if self.unit is None else unit_named(self.unit)


class RirRangeOut(Out):
    min: float
    max: float


class RangeOut(Out):
    min: float
    max: float


class RirTestOut(Out):
    reps_at_call: int
    predicted_rir: float


class SetOut(Out):
    """A stored set, target and actual side by side; RPE is derived from RIR."""

    id: int
    workout_id: int
    position: int
    """1-based order within the workout."""
    exercise: ExerciseRef
    set_type: SetType
    unit: Literal["kg", "lb"] = "kg"
    """The unit of ``load`` and ``target_load``."""
    load: float
    target_load: float | None
    reps: int
    target_reps: int | None
    rir: float | None
    target_rir: RirRangeOut | None
    rpe: float | None
    target_rpe: RirRangeOut | None
    to_failure: bool
    failure_kind: FailureKind | None
    test: RirTestOut | None
    rest_seconds: int | None
    notes: str
    logged_at: datetime
    created_at: datetime
    idempotency_key: str | None


class TechniquesOut(Out):
    drop_set: bool
    rest_pause: bool
    forced_reps: bool


class ReasonOut(Out):
    rule: str
    effect: Literal["go", "avoid", "never"]
    text: str


class EvidenceOut(Out):
    signal: str
    text: str
    exercise: str | None


class FatigueVerdictOut(Out):
    """Signs of accumulated fatigue; ``not-enough-history`` (no verdict either way) until
    ``sessions`` reaches ``sessions_needed``."""

    recommendation: Literal["not-enough-history", "carry-on", "avoid-failure", "deload"]
    fatigued: bool
    summary: str
    evidence: list[EvidenceOut]
    sessions: int
    """Training days in the eight weeks the verdict read."""
    sessions_needed: int


class NextSetOut(Out):
    """The next set: go to failure or not and why, and the load and reps for it.

    When ``exercise_done`` is true the exercise's planned sets are done: the
    decision, load and reps are null, and ``next_exercise`` names the planned
    session's next exercise (null outside a plan).
    """

    exercise: ExerciseRef
    exercise_done: bool
    next_exercise: ExerciseRef | None
    failure: Literal["go", "avoid", "never"] | None
    target_rir: RirRangeOut | None
    target_rpe: RirRangeOut | None
    techniques: TechniquesOut | None
    reasons: list[ReasonOut]
    set_number: int
    total_sets: int
    unit: Literal["kg", "lb"]
    """The lifter's unit: ``load`` and ``e1rm`` are in it."""
    load: float | None
    """In ``unit``, rounded to the lifter's plates; null without an e1RM to go on."""
    load_kg: float | None
    reps: int | None
    aim_rir: float | None
    aim_rpe: float | None
    why: str
    """Why the load is what it is: held, lighter, heavier, or the plan's."""
    assumed_rir: float | None
    """The RIR the set before was taken at, when it was logged without one."""
    e1rm: float | None
    rir_correction: float
    """Reps the lifter's calibration adds to their RIR call on a set of this many reps."""
    fatigue: FatigueVerdictOut


class NewRecordOut(Out):
    """A personal record the logged set beat."""

    kind: Literal["e1rm", "reps", "heaviest"]
    value: float
    """The new best: an e1RM or a load in ``unit``, or reps."""
    previous: float
    """The best it beat, in the same terms."""
    load: float
    """The set's load in ``unit`` (for a rep record, the load the reps were done at)."""
    unit: Literal["kg", "lb"]


class LogOut(Out):
    set: SetOut
    next: NextSetOut
    warning: str | None = None
    """Said when the set went to failure where it never should have."""
    records: list[NewRecordOut] = []
    """The personal records the set beat; empty for the first set of an exercise."""
    record: str | None = None
    """The records in a sentence: ``New record: estimated 1RM 168 kg (was 162.2 kg).``"""


# --- workouts --------------------------------------------------------------------------


class WorkoutIn(Body):
    phase: Phase = Phase.NORMAL
    notes: str = Field(default="", max_length=2000)
    started_at: UtcDatetime | None = None


class FinishIn(Body):
    finished_at: UtcDatetime | None = None


class WorkoutOut(Out):
    id: int
    started_at: datetime
    finished_at: datetime | None = Field(
        description="When it ended: when it was finished, or, for one left open with "
        "nothing logged for 4 hours, at its last set."
    )
    phase: Phase
    notes: str
    open: bool = Field(
        description="In progress: new sets go into it. False once finished, or once "
        "nothing has been logged in it for 4 hours."
    )


class WorkoutDetailOut(WorkoutOut):
    sets: list[SetOut]


# --- readiness and measurements ----------------------------------------------------------


class ReadinessIn(Body):
    """How the day feels; soreness is rated as freshness (5 = not sore at all)."""

    sleep: Rating | None = None
    soreness: Rating | None = None
    motivation: Rating | None = None


class ReadinessOut(Out):
    day: date
    sleep: int | None
    soreness: int | None
    motivation: int | None


class MeasurementIn(Body):
    measured_on: Day | None = Field(default=None, description="Default: today.")
    body_weight_kg: Number | None = Field(default=None, gt=0, le=500)
    height_cm: Number | None = Field(default=None, gt=0, le=300)
    body_fat_pct: Number | None = Field(default=None, gt=0, lt=100)
    circumferences_cm: dict[Circumference, Annotated[Number, Field(gt=0, le=300)]] = Field(
        default_factory=dict
    )


class MeasurementOut(Out):
    measured_on: date
    body_weight_kg: float | None
    height_cm: float | None
    body_fat_pct: float | None
    circumferences_cm: dict[str, float]


# --- the server ------------------------------------------------------------------------


class HealthOut(Out):
    status: Literal["ok"]
