"""The lifter's check-ins: how they feel each day (readiness) and their body measurements.

A day's rating feeds the accumulated-fatigue verdict (its cache is cleared);
a measurement feeds the physique analysis, and is stored only when every value
is finite and within that analysis's own ranges.
"""

from __future__ import annotations

from datetime import date

from failwise.domain.detection import DailyRating
from failwise.domain.inputs import plausible
from failwise.domain.physique import BODY_FAT_RANGE_PCT, HEIGHT_RANGE_CM, WEIGHT_RANGE_KG
from failwise.services.core import Core
from failwise.services.records import Measurement, Readiness


class CheckIns:
    """Readiness ratings and body measurements, over a :class:`Core`."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def rate_day(self, user_id: int, readiness: Readiness) -> None:
        DailyRating(readiness.day, readiness.sleep, readiness.soreness, readiness.motivation)
        with self.core.stores() as store:
            store.put_readiness(user_id, readiness)
            store.history_changed(user_id)  # the fatigue verdict reads the ratings
            store.commit()

    def readiness(self, user_id: int, *, since: date | None = None) -> list[Readiness]:
        with self.core.stores() as store:
            return store.readiness(user_id, since=since)

    def add_measurement(self, user_id: int, measurement: Measurement) -> None:
        """Store a measurement whose every value is finite and plausible (the physique
        analysis's own ranges: outside them a value is a typo or a unit mix-up)."""
        checks = (
            ("body_weight_kg", WEIGHT_RANGE_KG, "kg"),
            ("height_cm", HEIGHT_RANGE_CM, "cm"),
            ("body_fat_pct", BODY_FAT_RANGE_PCT, "%"),
        )
        for name, (low, high), unit in checks:
            value = getattr(measurement, name)
            if value is not None:
                plausible(value, name, low=low, high=high, unit=unit)
        for site, value in measurement.circumferences_cm.items():
            plausible(value, f"circumferences_cm.{site}", low=1, high=300, unit="cm")
        with self.core.stores() as store:
            store.add_measurement(user_id, measurement)
            store.commit()

    def measurements(self, user_id: int) -> list[Measurement]:
        with self.core.stores() as store:
            return store.measurements(user_id)
