"""The training log's use cases together, over one shared core.

:class:`Coach` builds the use cases of the training log on one
:class:`~failwise.services.core.Core` (so they share its caches) and holds
them side by side; it holds no rule of its own. Only the composition roots
build one (``adapters/web/app.py``, ``adapters/cli/wiring.py``; an import
contract keeps it so) and hand each route or command the use cases it needs;
a program using failwise as a library may build one too:
``Coach(database).sets.log(user_id, LogRequest(...))``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from failwise.domain.exercises import Catalog
from failwise.services.catalog import builtin_catalog
from failwise.services.checkins import CheckIns
from failwise.services.core import Core, utc_now
from failwise.services.exercises import Exercises
from failwise.services.insights import Insights
from failwise.services.ports import StoreFactory
from failwise.services.prescriptions import Prescriptions
from failwise.services.sets import Sets
from failwise.services.workouts import Workouts


class Coach:
    """The training log's use cases over any :class:`~failwise.services.ports.StoreFactory`."""

    def __init__(
        self,
        stores: StoreFactory,
        *,
        catalog: Catalog | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.core = Core(stores, clock, catalog or builtin_catalog())
        self.exercises = Exercises(self.core)
        self.workouts = Workouts(self.core)
        self.prescriptions = Prescriptions(self.core)
        self.sets = Sets(self.core)
        self.insights = Insights(self.core)
        self.checkins = CheckIns(self.core)
