"""The store's lifters: accounts, the lock that holds a lifter's writes in line (and what it
reads back), what a process may keep of a lifter, tokens, failed sign-ins and rate events."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from failwise.services.ports import Conflict, Locked, NotFound
from failwise.services.records import User, naive_utc, username_key
from failwise.storage import statements
from failwise.storage.rows import user_of, user_of_values, workout_of
from failwise.storage.store_base import WRITER_WAIT_SECONDS, StoreBase
from failwise.storage.tables import RateEventRow, SignInFailureRow, TokenRow, UserRow

# Where a lock's row (storage.statements._lock) holds the write serial it counted, and the
# one its subqueries saw as the statement began; the lifter's columns come first.
_SERIAL = 5
_SERIAL_SEEN = 9


class LifterRows(StoreBase):
    """Lifters, their lock and what it reads, their tokens, failed sign-ins and rate events."""

    # --- lifters -------------------------------------------------------------
    def add_user(self, username: str, password_hash: str, settings: Mapping[str, Any]) -> User:
        row = UserRow(
            username=username,
            username_key=username_key(username),
            password_hash=password_hash,
            created_at=naive_utc(datetime.now(UTC)),
            settings=dict(settings),
        )
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError:
            self.rollback()
            raise Conflict(f"the username {username!r} is taken") from None
        self._run(statements.NEW_STATE, {"user_id": row.id})
        return user_of(row)

    def user(self, user_id: int) -> User | None:
        row = self.session.get(UserRow, user_id)
        if row is None:
            return None
        return user_of(row)

    def user_by_name(self, username: str) -> tuple[User, str] | None:
        row = self.session.scalar(
            select(UserRow).where(UserRow.username_key == username_key(username))
        )
        return (user_of(row), row.password_hash) if row else None

    def update_settings(self, user_id: int, settings: Mapping[str, Any]) -> User:
        row = self.session.get(UserRow, user_id)
        if row is None:
            raise NotFound(f"no lifter {user_id}")
        row.settings = dict(settings)
        self.session.flush()
        return user_of(row)

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        row = self.session.get(UserRow, user_id)
        if row is None:
            raise NotFound(f"no lifter {user_id}")
        row.password_hash = password_hash

    def lock_lifter(self, user_id: int, *, key: str | None = None) -> User | None:
        values = {"lifter": user_id, "key": key}
        row = self._lock(statements.LOCK_LIFTER, statements.READ_LOCKED, values, user_id)
        return None if row is None else self._locked(row, key)

    def lock_to_log(self, user_id: int, *, key: str | None = None) -> Locked | None:
        values = {"lifter": user_id, "key": key}
        row = self._lock(statements.LOCK_TO_LOG, statements.READ_LOCKED_TO_LOG, values, user_id)
        return None if row is None else self._locked_to_log(row, key)

    def lock_signed_in(
        self, token_hash: str, now: datetime, *, key: str | None = None
    ) -> Locked | None:
        values = {"token_hash": token_hash, "now": naive_utc(now), "key": key}
        lock, again = statements.LOCK_SIGNED_IN, statements.READ_LOCKED_TO_LOG
        row = self._lock(lock, again, values, None)
        if row is None:
            found = self.token_lifter(token_hash, now)
            if found is None:
                return None
            # A lifter without a state row (one added by hand): theirs, from now on.
            self._run(statements.NEW_STATE, {"user_id": found[0].id})
            row = self._lock(lock, again, values, None)
        *locked, expires_at = row
        return replace(self._locked_to_log(locked, key), token_expires_at=expires_at)

    def _lock(
        self, statement: Any, again: Any, values: Mapping[str, Any], user_id: int | None
    ) -> Any:
        """The row ``statement`` (a lock of :mod:`~failwise.storage.statements`) reads
        back, once the process's turn at SQLite's writer came; None when it locked
        nothing (no lifter ``user_id``). A lifter ``user_id`` without a state row (one
        added by hand) is given one.

        On PostgreSQL a lock that waited for another transaction holding the lifter read
        the rest as it was before that one committed (its write serial says so): what it
        read back is then read again (``again``), under the lock now held.
        """
        if self._writer is not None and not self._writing:
            # Bounded: a transaction that wrote before it locks may hold SQLite's lock
            # while waiting here; after the wait SQLite's own lock settles it.
            self._writing = self._writer.acquire(timeout=WRITER_WAIT_SECONDS)
        row = self._run(statement, values).one_or_none()
        if row is None and user_id is not None:
            if self.session.get(UserRow, user_id) is None:
                return None
            self._run(statements.NEW_STATE, {"user_id": user_id})
            row = self._run(statement, values).one()
        if row is None:
            return None
        serial, seen = row[_SERIAL], row[_SERIAL_SEEN]
        if seen is None or seen < serial - 1:
            fresh = self._run(again, {"lifter": row[0], "key": values.get("key")}).one()
            row = (*fresh, *row[len(fresh) :])
        return row

    def _locked(self, row: Sequence[Any], key: str | None) -> User:
        """The lifter a lock read back; what it read of them is kept for the transaction."""
        user = user_of_values(row[:4])
        stamp, serial, verdict, latest, keyed = row[4:_SERIAL_SEEN]
        if key is not None:
            self._keys[user.id, key] = keyed
        self._stamps[user.id] = stamp
        self._serials[user.id] = serial
        self._verdicts[user.id] = verdict
        self._latest[user.id] = naive_utc(latest) if latest is not None else None
        return user

    def _locked_to_log(self, row: Sequence[Any], key: str | None) -> Locked:
        user = self._locked(row, key)
        workout_id, started_at, phase, notes, name, plan_session = row[_SERIAL_SEEN + 1 :]
        open_workout = (
            None
            if workout_id is None
            else workout_of(
                (workout_id, user.id, started_at, None, phase, notes, name, plan_session)
            )
        )
        return Locked(user, open_workout)

    def latest_set_at(self, user_id: int) -> datetime | None:
        return self._latest.get(user_id)

    def kept_verdict(self, user_id: int) -> dict[str, Any] | None:
        if user_id not in self._verdicts:
            found = self._run(statements.KEPT_VERDICT, {"lifter": user_id}).scalar()
            self._verdicts[user_id] = found
        kept = self._verdicts[user_id]
        return dict(kept) if isinstance(kept, dict) else None

    def keep_verdict(self, user_id: int, verdict: Mapping[str, Any]) -> None:
        self._run(statements.KEEP_VERDICT, {"lifter": user_id, "verdict": dict(verdict)})
        self._verdicts[user_id] = dict(verdict)

    def write_serial(self, user_id: int) -> int | None:
        return self._serials.get(user_id)

    def history_stamp(self, user_id: int) -> int:
        stamp = self._stamps.get(user_id)
        if stamp is None:
            found = self._run(statements.HISTORY_STAMP, {"lifter": user_id}).scalar()
            stamp = self._stamps[user_id] = found or 0
        return stamp

    def history_changed(self, user_id: int) -> None:
        stamp = secrets.randbits(62)
        self._run(statements.NEW_HISTORY_STAMP, {"lifter": user_id, "stamp": stamp})
        self._stamps[user_id] = stamp

    def add_token(self, user_id: int, token_hash: str, kind: str, expires_at: datetime) -> None:
        self.session.add(
            TokenRow(
                user_id=user_id,
                token_hash=token_hash,
                kind=kind,
                created_at=naive_utc(datetime.now(UTC)),
                expires_at=naive_utc(expires_at),
            )
        )
        self.session.flush()

    def token_lifter(self, token_hash: str, now: datetime) -> tuple[User, datetime] | None:
        found = self._run(
            statements.TOKEN_LIFTER, {"token_hash": token_hash, "now": naive_utc(now)}
        ).first()
        if found is None:
            return None
        return user_of_values(found[:-1]), found[-1]

    def extend_token(self, token_hash: str, expires_at: datetime) -> None:
        self.session.execute(
            update(TokenRow)
            .where(TokenRow.token_hash == token_hash)
            .values(expires_at=naive_utc(expires_at))
        )

    def delete_token(self, token_hash: str) -> None:
        self.session.execute(delete(TokenRow).where(TokenRow.token_hash == token_hash))

    def delete_tokens(self, user_id: int, *, keep: str | None = None) -> None:
        ending = delete(TokenRow).where(TokenRow.user_id == user_id)
        if keep is not None:
            ending = ending.where(TokenRow.token_hash != keep)
        self.session.execute(ending)

    # --- failed sign-ins --------------------------------------------------------
    def sign_in_failures(
        self, username: str, address: str, since: datetime
    ) -> tuple[list[datetime], list[datetime]]:
        since = naive_utc(since)
        moment = SignInFailureRow.failed_at
        by_name = list(
            self.session.scalars(
                select(moment)
                .where(SignInFailureRow.username == username, moment > since)
                .order_by(moment)
            )
        )
        by_address = (
            list(
                self.session.scalars(
                    select(moment)
                    .where(SignInFailureRow.address == address, moment > since)
                    .order_by(moment)
                )
            )
            if address
            else []
        )
        return by_name, by_address

    def add_sign_in_failure(self, username: str, address: str, at: datetime) -> None:
        self.session.add(
            SignInFailureRow(username=username, address=address, failed_at=naive_utc(at))
        )
        self.session.flush()

    def clear_sign_in_failures(self, username: str, address: str) -> None:
        self.session.execute(
            delete(SignInFailureRow).where(
                SignInFailureRow.username == username, SignInFailureRow.address == address
            )
        )

    def forget_sign_in_failures(self, before: datetime) -> None:
        self.session.execute(
            delete(SignInFailureRow).where(SignInFailureRow.failed_at < naive_utc(before))
        )

    # --- rate limits -------------------------------------------------------------------
    def rate_events(self, action: str, subject: str, since: datetime) -> list[datetime]:
        moment = RateEventRow.at
        return list(
            self.session.scalars(
                select(moment)
                .where(
                    RateEventRow.action == action,
                    RateEventRow.subject == subject,
                    moment > naive_utc(since),
                )
                .order_by(moment)
            )
        )

    def add_rate_event(self, action: str, subject: str, at: datetime) -> None:
        self.session.add(RateEventRow(action=action, subject=subject, at=naive_utc(at)))
        self.session.flush()

    def forget_rate_events(self, before: datetime) -> None:
        self.session.execute(delete(RateEventRow).where(RateEventRow.at < naive_utc(before)))
