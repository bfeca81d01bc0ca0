"""The ports through which the services reach storage.

A :class:`Store` is one transaction's view of the data. Every method that
touches a lifter's data takes ``user_id`` and filters on it: another lifter's
rows are never visible, and a row that is not the caller's is "not found".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from failwise.domain.context import Phase
from failwise.domain.errors import FailwiseError
from failwise.domain.personal_records import LiftedSet
from failwise.services.records import (
    Measurement,
    NewSet,
    Readiness,
    SetKey,
    SetType,
    StoredPlan,
    StoredSet,
    User,
    Workout,
    WorkoutKey,
)


@dataclass(frozen=True, slots=True)
class HistoryChunk:
    """What the history analysis reads of a run of the lifter's sets, in the order done, as
    columns (one entry a set): when it was done (``datetime64[us]``, UTC, naive), the
    exercise's id, load (kg), reps, the RIR called and the RIR inferred (NaN for none),
    the set type as stored (a :class:`~failwise.services.records.SetType` value), to
    failure, and the workout's id."""

    logged_at: npt.NDArray[np.datetime64]
    exercise_ids: npt.NDArray[np.object_]
    """Each a str."""
    load: npt.NDArray[np.float64]
    reps: npt.NDArray[np.int64]
    rir: npt.NDArray[np.float64]
    rir_inferred: npt.NDArray[np.float64]
    set_types: npt.NDArray[np.object_]
    """Each a str."""
    to_failure: npt.NDArray[np.bool_]
    workout_ids: npt.NDArray[np.int64]


class NotFound(FailwiseError, LookupError):
    """The thing asked for does not exist for this lifter."""


class Conflict(FailwiseError):
    """The request clashes with what is stored (a taken username, an open workout)."""


class DuplicateKey(Conflict):
    """A set with this idempotency key is already stored for this lifter."""


class Unavailable(FailwiseError):
    """The database cannot be reached right now; the request can be retried."""


@dataclass(frozen=True, slots=True)
class Locked:
    """What the lock of a lifter about to log a set read (:meth:`Store.lock_to_log`)."""

    user: User
    open_workout: Workout | None
    """The lifter's open workout (their latest not finished), if any."""
    token_expires_at: datetime | None = None
    """When the token that signed the lifter in expires (:meth:`Store.lock_signed_in`)."""


class Store(Protocol):
    # --- lifters and their sign-in tokens ---------------------------------
    def add_user(self, username: str, password_hash: str, settings: Mapping[str, Any]) -> User: ...
    def user(self, user_id: int) -> User | None: ...
    def user_by_name(self, username: str) -> tuple[User, str] | None:
        """The lifter and their password hash; the name is matched by its
        :func:`~failwise.services.records.username_key` (any case)."""
        ...

    def update_settings(self, user_id: int, settings: Mapping[str, Any]) -> User: ...
    def set_password_hash(self, user_id: int, password_hash: str) -> None: ...
    def add_token(self, user_id: int, token_hash: str, kind: str, expires_at: datetime) -> None: ...
    def token_lifter(self, token_hash: str, now: datetime) -> tuple[User, datetime] | None:
        """The lifter a token still valid at ``now`` signs in, and when the token expires."""
        ...

    def extend_token(self, token_hash: str, expires_at: datetime) -> None: ...
    def delete_token(self, token_hash: str) -> None: ...
    def delete_tokens(self, user_id: int, *, keep: str | None = None) -> None:
        """End every session of the lifter, but the one whose token hash is ``keep``."""
        ...

    # --- failed sign-ins, for the throttle ------------------------------------
    def sign_in_failures(
        self, username: str, address: str, since: datetime
    ) -> tuple[list[datetime], list[datetime]]:
        """When the failed sign-ins after ``since`` were, oldest first: those for
        ``username`` (from any address), and those from ``address`` (for any username;
        none when ``address`` is "")."""
        ...

    def add_sign_in_failure(self, username: str, address: str, at: datetime) -> None: ...
    def clear_sign_in_failures(self, username: str, address: str) -> None:
        """Forget the failures of ``username`` from ``address`` (after it signed in there)."""
        ...

    def forget_sign_in_failures(self, before: datetime) -> None:
        """Drop the failures older than the window: they count for nothing any more."""
        ...

    # --- rate limits --------------------------------------------------------
    def rate_events(self, action: str, subject: str, since: datetime) -> list[datetime]:
        """When ``subject`` did ``action`` since ``since``, oldest first."""
        ...

    def add_rate_event(self, action: str, subject: str, at: datetime) -> None: ...
    def forget_rate_events(self, before: datetime) -> None:
        """Drop the events older than every window: they count for nothing any more."""
        ...

    # --- custom exercises ---------------------------------------------------
    def custom_exercises(self, user_id: int) -> list[dict[str, Any]]: ...
    def add_custom_exercise(self, user_id: int, record: Mapping[str, Any]) -> None: ...
    def update_custom_exercise(self, user_id: int, record: Mapping[str, Any]) -> None:
        """Replace the lifter's custom exercise whose id is ``record["id"]``; raises
        :class:`NotFound` when the lifter has none by that id."""
        ...

    def lock_lifter(self, user_id: int, *, key: str | None = None) -> User | None:
        """Hold the lifter's writes in line until this transaction ends; the lifter as
        they are now (None when there is no such lifter). With ``key``, the same statement
        finds whether a set is stored under that idempotency key (:meth:`set_by_key`
        answers from it).

        Two sets of one lifter logged at the same moment must not both open a
        workout, nor take the same position in it.
        """
        ...

    def lock_to_log(self, user_id: int, *, key: str | None = None) -> Locked | None:
        """:meth:`lock_lifter` for a set about to be logged: the same statement reads the
        lifter's open workout too."""
        ...

    def lock_signed_in(
        self, token_hash: str, now: datetime, *, key: str | None = None
    ) -> Locked | None:
        """:meth:`lock_to_log` for the lifter whom the token hashed to ``token_hash``
        signs in while it is unexpired at ``now``, found by the same statement (None when
        no token is, and nothing is locked)."""
        ...

    # --- what a process may keep of a lifter ----------------------------------
    def history_stamp(self, user_id: int) -> int:
        """The lifter's history stamp: it changes with everything a process may keep in
        memory of the lifter (:meth:`history_changed`). Read once per transaction, with
        the lifter's row when that was read (:meth:`user`, :meth:`lock_lifter`)."""
        ...

    def kept_verdict(self, user_id: int) -> dict[str, Any] | None:
        """The fatigue verdict :meth:`keep_verdict` last kept for the lifter (None if none)."""
        ...

    def keep_verdict(self, user_id: int, verdict: Mapping[str, Any]) -> None:
        """Keep the lifter's fatigue verdict (JSON-ready), in this transaction; only under
        :meth:`lock_lifter`, which holds the lifter's writes in line."""
        ...

    def latest_set_at(self, user_id: int) -> datetime | None:
        """When the lifter's latest set was done, as this transaction's :meth:`lock_lifter`
        found it (None before it, or with no set)."""
        ...

    def write_serial(self, user_id: int) -> int | None:
        """How many times the lifter's writes were held in line, counting the
        :meth:`lock_lifter` of this transaction (None before it). Sets are added only under
        that lock (or with :meth:`history_changed`): a process that kept the lifter's sets
        as they were after its own write at serial N may trust them at serial N + 1."""
        ...

    def history_changed(self, user_id: int) -> None:
        """Draw the lifter a new history stamp, in this transaction: what any process kept
        under the old one is read again."""
        ...

    # --- workouts -------------------------------------------------------------
    def add_workout(
        self,
        user_id: int,
        *,
        started_at: datetime,
        phase: Phase,
        notes: str,
        name: str = "",
        plan_session: str | None = None,
    ) -> Workout: ...
    def workout(self, user_id: int, workout_id: int) -> Workout | None: ...
    def open_workout(self, user_id: int) -> Workout | None: ...
    def finish_workout(self, user_id: int, workout_id: int, finished_at: datetime) -> Workout: ...
    def move_workout_start(self, user_id: int, workout_id: int, started_at: datetime) -> None:
        """Start the workout earlier: a set done before its start joined it."""
        ...

    def workouts(
        self, user_id: int, *, limit: int | None = 50, before: WorkoutKey | None = None
    ) -> list[Workout]:
        """The latest workouts first (only those started before ``before`` when given)."""
        ...

    def delete_workout(self, user_id: int, workout_id: int) -> bool: ...

    # --- sets ------------------------------------------------------------------
    def add_set(
        self, user_id: int, workout_id: int, new: NewSet, *, logged_at: datetime, now: datetime
    ) -> StoredSet:
        """Store a set; raises :class:`DuplicateKey` for a known idempotency key."""
        ...

    def set_by_key(self, user_id: int, key: str) -> StoredSet | None: ...
    def get_set(self, user_id: int, set_id: int) -> StoredSet | None: ...
    def update_set(self, user_id: int, set_id: int, new: NewSet) -> StoredSet: ...
    def delete_set(self, user_id: int, set_id: int) -> bool: ...
    def sets(
        self,
        user_id: int,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        exercise_ids: Sequence[str] | None = None,
        workout_id: int | None = None,
        tests_only: bool = False,
        latest: int | None = None,
        before: SetKey | None = None,
        efforts_only: bool = False,
    ) -> list[StoredSet]:
        """Sets in the order they were done (only the ``latest`` N when given, only those
        before ``before`` when given: ``latest`` and ``before`` read a page backwards;
        ``tests_only``, only RIR tests; ``efforts_only``, only working sets with a logged
        RIR or taken to failure, those a calibration from history reads)."""
        ...

    def distinct_working_sets(
        self, user_id: int, exercise_id: str, *, besides: int | None = None
    ) -> list[LiftedSet]:
        """The exercise's working sets as the personal records read them, each distinct
        load, reps, RIR and failure once (when it was first done), in that order; all but
        the set ``besides``."""
        ...

    def set_chunks(
        self, user_id: int, *, by_workout: bool = False, size: int = 1000
    ) -> Iterator[tuple[dict[int, Workout], list[StoredSet]]]:
        """Every set of the lifter, ``size`` at a time with their workouts, read as they are
        consumed (memory does not grow with the history): in the order done, or with
        ``by_workout`` one workout after another (in the order of each one's first set,
        its sets in the order done)."""
        ...

    def history_chunks(
        self, user_id: int, *, since: datetime | None = None, size: int = 1000
    ) -> Iterator[HistoryChunk]:
        """What the history analysis reads of each of the lifter's sets (from ``since``),
        in the order done, ``size`` sets a chunk, read as they are consumed."""
        ...

    def trained_days(
        self, user_id: int, *, since: datetime, until: datetime, latest: int
    ) -> list[tuple[datetime, str, SetType]]:
        """The days the ``latest`` sets between ``since`` and ``until`` were done on: for
        each day (of the stored, UTC, time), exercise and set type, when the last of those
        sets was done; in no order."""
        ...

    # --- bulk import -------------------------------------------------------------
    def keys_with_prefix(self, user_id: int, prefix: str) -> set[str]:
        """The idempotency keys of the lifter's sets that start with ``prefix``."""
        ...

    def workouts_by_start(self, user_id: int) -> dict[datetime, Workout]: ...
    def add_workouts(self, user_id: int, workouts: Sequence[Workout]) -> list[Workout]:
        """Insert workouts (their ``id`` is ignored) and return them with their new ids."""
        ...

    def last_positions(self, user_id: int, workout_ids: Sequence[int]) -> dict[int, int]: ...
    def add_sets(
        self, user_id: int, sets: Sequence[tuple[int, int, NewSet, datetime]], *, now: datetime
    ) -> int:
        """Insert many ``(workout_id, position, set, logged_at)`` at once; returns the count."""
        ...

    def add_set_rows(self, user_id: int, rows: Sequence[tuple[Any, ...]], *, now: datetime) -> int:
        """Insert many sets, each a plain tuple of
        :data:`~failwise.services.records.SET_ROW_FIELDS`, through the driver's bulk path
        (``COPY`` on PostgreSQL, ``executemany`` of one prepared ``INSERT`` on SQLite);
        returns the count. The caller leaves out the keys already stored, under
        :meth:`lock_lifter`: one stored anyway fails the whole transaction on the unique
        key, so none is stored twice."""
        ...

    # --- plans -------------------------------------------------------------------
    def save_plan(
        self,
        user_id: int,
        *,
        name: str,
        data: Mapping[str, Any],
        request: Mapping[str, Any],
        now: datetime,
    ) -> StoredPlan:
        """Store the lifter's new active plan; earlier ones are kept, inactive."""
        ...

    def active_plan(self, user_id: int) -> StoredPlan | None: ...
    def plans(self, user_id: int) -> list[StoredPlan]: ...
    def plan_workouts(self, user_id: int, plan_id: int) -> list[Workout]:
        """The workouts that carried out the plan's sessions, oldest first."""
        ...

    # --- readiness and body measurements -------------------------------------
    def put_readiness(self, user_id: int, readiness: Readiness) -> None: ...
    def readiness(self, user_id: int, *, since: date | None = None) -> list[Readiness]: ...
    def add_measurement(self, user_id: int, measurement: Measurement) -> None: ...
    def measurements(self, user_id: int) -> list[Measurement]: ...

    # --- the transaction ---------------------------------------------------------
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class StoreFactory(Protocol):
    """Opens a :class:`Store` for one transaction; leaving the block without commit rolls back."""

    def __call__(self) -> AbstractContextManager[Store]: ...
