"""Rate limits on costly requests, kept in the database so every server process shares them.

A demo account, an import, an export and a sign-up each cost the server far more
than logging a set (an import may store a million sets; the demo makes a lifter and
252 sets). Each is limited per lifter and per client address over a sliding window,
so that one lifter or one address cannot exhaust the server for everyone else.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from failwise.domain.errors import FailwiseError
from failwise.services.ports import StoreFactory

WINDOW = timedelta(hours=1)


class Action(StrEnum):
    DEMO = "demo"
    IMPORT = "import"
    EXPORT = "export"
    SIGN_UP = "sign-up"


@dataclass(frozen=True, slots=True)
class Limit:
    per_lifter: int | None
    """Requests a lifter may make in the window (None: not a lifter's request)."""
    per_address: int
    """Requests one client address may make in the window: higher, since lifters behind
    one gym's network share an address."""


LIMITS: dict[Action, Limit] = {
    # A visitor tries the demo a few times; a script making accounts does not stop.
    Action.DEMO: Limit(per_lifter=3, per_address=10),
    # A lifter imports a few files when they arrive, and again after fixing one.
    Action.IMPORT: Limit(per_lifter=10, per_address=30),
    # Exports are reads, but each reads the whole history.
    Action.EXPORT: Limit(per_lifter=30, per_address=60),
    Action.SIGN_UP: Limit(per_lifter=None, per_address=10),
}


class RateLimited(FailwiseError):
    """Too many costly requests of one kind in the window (HTTP 429)."""

    def __init__(self, action: Action, retry_after: timedelta) -> None:
        self.retry_after_seconds = max(1, math.ceil(retry_after.total_seconds()))
        minutes = math.ceil(self.retry_after_seconds / 60)
        super().__init__(
            f"too many {action.value} requests in an hour: try again in "
            + (f"{minutes} minutes" if minutes > 1 else "a minute")
        )


class Quotas:
    def __init__(
        self,
        stores: StoreFactory,
        *,
        clock: Callable[[], datetime],
        limits: Mapping[Action, Limit] = LIMITS,
    ) -> None:
        self.stores = stores
        self.clock = clock
        self.limits = limits

    def take(self, action: Action, *, lifter: int | None, address: str | None) -> None:
        """Count one ``action`` for the lifter and the address, or raise :class:`RateLimited`
        when either has used up the window (nothing is counted then)."""
        limit = self.limits[action]
        now = self.clock()
        subjects = [(f"address:{address or 'unknown'}", limit.per_address)]
        if lifter is not None and limit.per_lifter is not None:
            subjects.append((f"lifter:{lifter}", limit.per_lifter))
        with self.stores() as store:
            store.forget_rate_events(now - WINDOW)
            for subject, allowed in subjects:
                seen = store.rate_events(action.value, subject, now - WINDOW)
                if len(seen) >= allowed:
                    raise RateLimited(action, seen[len(seen) - allowed] + WINDOW - now)
            for subject, _ in subjects:
                store.add_rate_event(action.value, subject, now)
            store.commit()
