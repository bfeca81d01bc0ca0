"""The store's plans, readiness ratings and body measurements."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update

from failwise.services.records import Measurement, Readiness, StoredPlan, Workout, naive_utc
from failwise.storage.rows import plan_of, workout_of_row
from failwise.storage.store_base import StoreBase
from failwise.storage.tables import MeasurementRow, PlanRow, ReadinessRow, WorkoutRow


class PlanRows(StoreBase):
    """Plans, readiness ratings and body measurements."""

    # --- plans ---------------------------------------------------------------------
    def save_plan(
        self,
        user_id: int,
        *,
        name: str,
        data: Mapping[str, Any],
        request: Mapping[str, Any],
        now: datetime,
    ) -> StoredPlan:
        """Store a plan as the lifter's active one (the one before it is kept, inactive)."""
        self.session.execute(update(PlanRow).where(PlanRow.user_id == user_id).values(active=False))
        row = PlanRow(
            user_id=user_id,
            created_at=naive_utc(now),
            name=name,
            active=True,
            data=dict(data),
            request=dict(request),
        )
        self.session.add(row)
        self.session.flush()
        return plan_of(row)

    def active_plan(self, user_id: int) -> StoredPlan | None:
        row = self.session.scalar(
            select(PlanRow)
            .where(PlanRow.user_id == user_id, PlanRow.active.is_(True))
            .order_by(PlanRow.id.desc())
            .limit(1)
        )
        return plan_of(row) if row else None

    def plans(self, user_id: int) -> list[StoredPlan]:
        rows = self.session.scalars(
            select(PlanRow).where(PlanRow.user_id == user_id).order_by(PlanRow.id.desc())
        )
        return [plan_of(row) for row in rows]

    def plan_workouts(self, user_id: int, plan_id: int) -> list[Workout]:
        """The workouts that carried out sessions of the plan, oldest first."""
        rows = self.session.scalars(
            select(WorkoutRow)
            .where(
                WorkoutRow.user_id == user_id,
                WorkoutRow.plan_session.startswith(f"{plan_id}:"),
            )
            .order_by(WorkoutRow.started_at, WorkoutRow.id)
        )
        return [workout_of_row(row) for row in rows]

    # --- readiness and measurements --------------------------------------------
    def put_readiness(self, user_id: int, readiness: Readiness) -> None:
        row = self.session.scalar(
            select(ReadinessRow).where(
                ReadinessRow.user_id == user_id, ReadinessRow.day == readiness.day
            )
        )
        if row is None:
            row = ReadinessRow(user_id=user_id, day=readiness.day)
            self.session.add(row)
        row.sleep = readiness.sleep
        row.soreness = readiness.soreness
        row.motivation = readiness.motivation
        self.session.flush()

    def readiness(self, user_id: int, *, since: date | None = None) -> list[Readiness]:
        query = select(ReadinessRow).where(ReadinessRow.user_id == user_id)
        if since is not None:
            query = query.where(ReadinessRow.day >= since)
        rows = self.session.scalars(query.order_by(ReadinessRow.day))
        return [Readiness(r.day, r.sleep, r.soreness, r.motivation) for r in rows]

    def add_measurement(self, user_id: int, measurement: Measurement) -> None:
        self.session.add(
            MeasurementRow(
                user_id=user_id,
                measured_on=measurement.measured_on,
                body_weight_kg=measurement.body_weight_kg,
                height_cm=measurement.height_cm,
                body_fat_pct=measurement.body_fat_pct,
                circumferences_cm=dict(measurement.circumferences_cm),
            )
        )
        self.session.flush()

    def measurements(self, user_id: int) -> list[Measurement]:
        rows = self.session.scalars(
            select(MeasurementRow)
            .where(MeasurementRow.user_id == user_id)
            .order_by(MeasurementRow.measured_on, MeasurementRow.id)
        )
        return [
            Measurement(
                measured_on=r.measured_on,
                body_weight_kg=r.body_weight_kg,
                height_cm=r.height_cm,
                body_fat_pct=r.body_fat_pct,
                circumferences_cm=dict(r.circumferences_cm),
            )
            for r in rows
        ]
