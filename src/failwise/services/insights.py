"""What the log says: history, e1RM series, weekly volume, analysis, records, calibration
and fatigue, each read from the store and through the lifter's calibration."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from failwise.domain.analysis import HistoryAnalysis, analyse, analyse_columns
from failwise.domain.calibration import Calibration, RirCorrector, RirTest
from failwise.domain.detection import BASELINE, FatigueVerdict, detect_accumulated_fatigue
from failwise.domain.exercises import Catalog, Exercise, Muscle
from failwise.domain.fatigue import RecoveryState as MuscleRecovery
from failwise.domain.fatigue import TimedSet, recovery_state
from failwise.domain.personal_records import ExerciseRecords, personal_records
from failwise.domain.session import ASSUMED_RIR
from failwise.domain.stimulus import WorkSet, muscle_sets
from failwise.services.core import (
    WINDOW_SETS,
    Core,
    daily_ratings,
    fatigue_verdict,
    history_columns,
    history_set,
    lifted_set,
    logged_sets,
    rir_tests,
    window_sets,
)
from failwise.services.live import corrector, estimate_e1rm_of
from failwise.services.ports import Store
from failwise.services.records import SetKey, StoredSet, Workout

# Sets an export reads at a time, while it is being sent.
EXPORT_CHUNK = 1_000
# Sets the history analysis reads at a time, each chunk turned into columns.
HISTORY_CHUNK = 10_000


@dataclass(frozen=True, slots=True)
class WholeLog:
    """All of a lifter's log in memory (a command line's own history)."""

    workouts: dict[int, Workout]
    """By id."""
    sets: list[StoredSet]
    """In the order done."""
    catalog: Catalog


class Insights:
    """Readings of the lifter's log, over a :class:`Core`."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def history(
        self,
        user_id: int,
        exercise: str | None = None,
        *,
        since: datetime | None = None,
        before: SetKey | None = None,
        limit: int | None = None,
    ) -> list[StoredSet]:
        """The lifter's sets (of one exercise) in the order done, from ``since``: all of
        them, or only the ``limit`` latest, done before ``before`` when given (pages of the
        history, read from the newest backwards)."""
        with self.core.stores() as store:
            ids = None
            if exercise is not None:
                ids = [self.core.catalog(store, user_id).resolve(exercise).id]
            return store.sets(user_id, since=since, exercise_ids=ids, before=before, latest=limit)

    def export_chunks(
        self, user_id: int, *, by_workout: bool = False
    ) -> Iterator[tuple[dict[int, Workout], list[StoredSet]]]:
        """Every set of the lifter with its workout, :data:`EXPORT_CHUNK` at a time, read
        as the chunks are consumed: an export's memory does not grow with the history.
        In the order done, or one workout after another (``by_workout``, see
        :meth:`~failwise.services.ports.Store.set_chunks`)."""
        with self.core.stores() as store:
            yield from store.set_chunks(user_id, by_workout=by_workout, size=EXPORT_CHUNK)

    def everything(self, user_id: int) -> WholeLog:
        """All the lifter's workouts and sets, and their catalog, in memory: for a command
        line's own history; a server streams (:meth:`export_chunks`)."""
        with self.core.stores() as store:
            catalog = self.core.catalog(store, user_id)
            workouts = {w.id: w for w in store.workouts(user_id, limit=None)}
            sets = store.sets(user_id)
        return WholeLog(workouts, sets, catalog)

    def records(
        self, user_id: int, exercise: str | None = None
    ) -> list[tuple[Exercise, ExerciseRecords]]:
        """The lifter's personal records per exercise (of one exercise when named), most
        trained first: :func:`failwise.domain.personal_records.personal_records` over the
        whole history, read :data:`EXPORT_CHUNK` sets at a time (memory does not grow with
        it). Their e1RMs read the calls as every e1RM view does, corrected by the lifter's
        calibration."""
        with self.core.stores() as store:
            catalog = self.core.catalog(store, user_id)
            only = catalog.resolve(exercise).id if exercise is not None else None
            calibration = self.core.calibration(store, user_id, catalog)
            corrections: dict[str, RirCorrector] = {}

            def corrected(exercise_id: str) -> RirCorrector:
                if exercise_id not in corrections:
                    found = catalog.get(exercise_id)
                    corrections[exercise_id] = corrector(calibration, found)
                return corrections[exercise_id]

            # One pass over the chunks as they are read: memory holds a chunk and the records.
            lifted = (
                lifted_set(s)
                for _, chunk in store.set_chunks(user_id, size=EXPORT_CHUNK)
                for s in chunk
                if only is None or s.exercise_id == only
            )
            book = personal_records(lifted, corrections=corrected)
        ranked = sorted(book.values(), key=lambda r: (-r.sets, catalog.get(r.exercise_id).name))
        return [(catalog.get(r.exercise_id), r) for r in ranked]

    def e1rm_series(
        self, user_id: int, exercise: str, *, since: datetime | None = None
    ) -> list[tuple[date, float]]:
        """The best estimated 1RM of each day the exercise was trained (calibrated calls),
        from ``since``, out of its latest :data:`WINDOW_SETS` sets."""
        with self.core.stores() as store:
            catalog = self.core.catalog(store, user_id)
            found = catalog.resolve(exercise)
            sets = store.sets(user_id, since=since, exercise_ids=[found.id], latest=WINDOW_SETS)
            calibration = self.core.calibration(store, user_id, catalog)
        best: dict[date, float] = {}
        for stored in sets:
            value = estimate_e1rm_of(stored, corrector(calibration, found))
            if value is not None:
                day = stored.logged_at.date()
                best[day] = max(best.get(day, 0.0), value)
        return sorted(best.items())

    def weekly_volume(self, user_id: int, *, weeks: int = 8) -> dict[date, dict[Muscle, float]]:
        """Effective sets per muscle per week (weeks start on Monday), indirect sets as half,
        of the latest sets in those weeks (:func:`window_sets`)."""
        now = self.core.clock()
        start = (now - timedelta(weeks=weeks - 1, days=now.weekday())).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        with self.core.stores() as store:
            catalog = self.core.catalog(store, user_id)
            sets = store.sets(user_id, since=start, latest=window_sets(now - start))
        by_week: dict[date, list[WorkSet]] = defaultdict(list)
        for stored in sets:
            if not stored.data.set_type.counts_as_work:
                continue
            monday = stored.logged_at.date() - timedelta(days=stored.logged_at.weekday())
            rir = stored.data.rir if stored.data.rir is not None else ASSUMED_RIR
            by_week[monday].append(WorkSet(catalog.get(stored.exercise_id), stored.data.reps, rir))
        return {week: muscle_sets(work) for week, work in sorted(by_week.items())}

    def analysis(
        self, user_id: int, *, since: datetime | None = None, limit: int | None = None
    ) -> HistoryAnalysis:
        """The history read through the article (:mod:`failwise.domain.analysis`): all of
        it, or from ``since`` and only the ``limit`` latest sets (what a page can read).
        Without a ``limit`` the sets are read :data:`HISTORY_CHUNK` at a time into
        columns (:class:`~failwise.domain.analysis.HistoryColumns`, about 60 bytes a
        set), and the analysis reads the columns whole."""
        with self.core.stores() as store:
            catalog = self.core.catalog(store, user_id)
            calibration = self.core.calibration(store, user_id, catalog)

            def corrected(exercise: Exercise) -> RirCorrector:
                return corrector(calibration, exercise)

            if limit is not None:
                sets = store.sets(user_id, since=since, latest=limit)
                return analyse([history_set(s, catalog) for s in sets], corrector=corrected)
            chunks = store.history_chunks(user_id, since=since, size=HISTORY_CHUNK)
            columns = history_columns(chunks, catalog)
        return analyse_columns(columns, corrector=corrected)

    # --- the models on stored data ---------------------------------------------
    def calibration(self, user_id: int) -> Calibration:
        with self.core.stores() as store:
            return self.core.calibration(store, user_id, self.core.catalog(store, user_id))

    def rir_tests(self, user_id: int) -> list[RirTest]:
        """The RIR tests the calibration reads (:func:`~failwise.services.core.rir_tests`)."""
        with self.core.stores() as store:
            return rir_tests(store, user_id, self.core.catalog(store, user_id))

    def fatigue(
        self, user_id: int, *, at: datetime | None = None
    ) -> tuple[MuscleRecovery, FatigueVerdict]:
        moment = at or self.core.clock()
        with self.core.stores() as store:
            catalog = self.core.catalog(store, user_id)
            history = store.sets(
                user_id, since=moment - BASELINE, until=moment, latest=window_sets(BASELINE)
            )
            verdict = fatigue_verdict(store, user_id, catalog, history, moment)
        timed = [
            TimedSet(
                s.logged_at,
                WorkSet(
                    catalog.get(s.exercise_id),
                    s.data.reps,
                    s.data.rir if s.data.rir is not None else ASSUMED_RIR,
                ),
            )
            for s in history
            if s.data.set_type.counts_as_work
        ]
        return recovery_state(timed, moment), verdict

    def fatigue_verdicts(self, user_id: int, moments: Sequence[datetime]) -> list[FatigueVerdict]:
        """The accumulated-fatigue verdict at each of ``moments`` (as :meth:`fatigue` gives
        it), from one read of the weeks they look back on (:func:`window_sets`), not one
        read per moment."""
        if not moments:
            return []
        with self.core.stores() as store:
            return fatigue_verdicts_in(store, user_id, self.core.catalog(store, user_id), moments)


def fatigue_verdicts_in(
    store: Store, user_id: int, catalog: Catalog, moments: Sequence[datetime]
) -> list[FatigueVerdict]:
    """:meth:`Insights.fatigue_verdicts` read in the caller's store session."""
    if not moments:
        return []
    start, end = min(moments) - BASELINE, max(moments)
    history = store.sets(user_id, since=start, until=end, latest=window_sets(end - start))
    ratings = store.readiness(user_id, since=start.date())
    logged = logged_sets(history, catalog)
    return [
        detect_accumulated_fatigue(
            logged, at, [r for r in daily_ratings(ratings) if r.day >= (at - BASELINE).date()]
        )
        for at in moments
    ]
