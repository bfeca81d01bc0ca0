"""Database.run: a request's database work from the event loop, never holding the loop up.

A logged set is the API's hottest request. On PostgreSQL it runs on psycopg's asyncio
driver, on the loop's own thread: while one lifter's set waits for a lock an import of
theirs holds, the same worker logs other lifters' sets.
"""

from __future__ import annotations

import asyncio
import threading

import psycopg
import pytest

from failwise.domain.errors import UnknownExercise
from failwise.services.accounts import Accounts
from failwise.services.reported import LogRequest
from failwise.services.training import Coach
from failwise.storage.database import Database, opened


def _squat(key: str) -> LogRequest:
    return LogRequest("Squat (Barbell)", 140, 5, rir=2, idempotency_key=key)


def _stored(coach: Coach, lifter: int) -> list[str | None]:
    return [s.data.idempotency_key for s in coach.insights.history(lifter)]


def test_a_set_is_logged_on_the_loops_own_thread_and_a_failed_one_stores_nothing(
    database_url: str,
) -> None:
    with opened(database_url) as database:
        _logs_on_the_loop(database)


def _logs_on_the_loop(database: Database) -> None:
    coach = Coach(database)
    ann = Accounts(database).sign_up("ann", "correct horse").user.id

    async def scenario() -> tuple[int, int]:
        loop_thread = threading.get_ident()
        threads: list[int] = []

        def log(request: LogRequest) -> bool:
            threads.append(threading.get_ident())
            return coach.sets.log(ann, request).created

        assert await database.run(lambda: log(_squat("first")))
        with pytest.raises(UnknownExercise):
            await database.run(lambda: log(LogRequest("Squat (Banana)", 140, 5, rir=2)))
        assert await database.run(lambda: log(_squat("second")))  # the connection still works
        assert set(threads) == {loop_thread}
        return len(threads), loop_thread

    calls, _ = asyncio.run(scenario())
    assert calls == 3
    assert _stored(coach, ann) == ["first", "second"]
    asyncio.run(database.aclose())


def test_a_set_waiting_for_its_lifters_lock_holds_up_no_other_lifter(
    postgres_url: str,
) -> None:
    """Ann's import holds her writes; Ben's set on the same worker is logged meanwhile,
    and Ann's as soon as her import ends, in order."""
    database = Database(postgres_url)
    coach = Coach(database)
    accounts = Accounts(database)
    ann = accounts.sign_up("ann", "correct horse").user.id
    ben = accounts.sign_up("ben", "correct horse").user.id
    asyncio.run(database.run(lambda: coach.sets.log(ann, _squat("before"))))
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as importing:
        # What an import of Ann's does first: it holds her lifter state until it commits.
        importing.execute("SELECT 1 FROM lifter_state WHERE user_id = %s FOR UPDATE", (ann,))
        # Should the loop stall on her lock, the import still ends (and the test fails).
        deadline = threading.Timer(5, importing.commit)
        deadline.start()

        async def scenario() -> list[str]:
            done: list[str] = []

            async def log(lifter: int, key: str) -> None:
                await database.run(lambda: coach.sets.log(lifter, _squat(key)))
                done.append(key)

            waiting = asyncio.create_task(log(ann, "ann-waits"))
            await asyncio.sleep(0.2)
            assert not waiting.done()  # her set waits for her import
            await asyncio.wait_for(log(ben, "ben-meanwhile"), timeout=5)
            ticks = 0
            for _ in range(5):  # and the loop goes on
                await asyncio.sleep(0.01)
                ticks += 1
            assert ticks == 5 and not waiting.done()
            await asyncio.to_thread(importing.commit)  # the import ends
            await asyncio.wait_for(waiting, timeout=5)
            await database.aclose()
            return done

        assert asyncio.run(scenario()) == ["ben-meanwhile", "ann-waits"]
        deadline.cancel()
    assert _stored(coach, ann) == ["before", "ann-waits"]
    assert _stored(coach, ben) == ["ben-meanwhile"]
    database.dispose()
