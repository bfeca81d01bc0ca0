"""The SQLAlchemy implementation of the services' :class:`~failwise.services.ports.Store`.

One class, :class:`SqlStore`, made of its parts by concern: the lifters and their lock
(:mod:`~failwise.storage.lifter_rows`), the training log a row at a time
(:mod:`~failwise.storage.training_rows`), whole histories and imports
(:mod:`~failwise.storage.history_rows`), plans and check-ins
(:mod:`~failwise.storage.plan_rows`), all on one session and transaction
(:mod:`~failwise.storage.store_base`).
"""

from __future__ import annotations

from failwise.storage.history_rows import HistoryRows
from failwise.storage.lifter_rows import LifterRows
from failwise.storage.plan_rows import PlanRows
from failwise.storage.training_rows import TrainingRows


class SqlStore(LifterRows, TrainingRows, HistoryRows, PlanRows):
    """One session, one transaction. Every lifter-owned query filters on ``user_id``."""
