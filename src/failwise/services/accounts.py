"""Lifters: sign-up, sign-in, tokens and settings.

Sign-in is throttled against password guessing, in the database so that every
server process sees the same counts: a username with
:data:`MAX_FAILURES_PER_USERNAME` failed sign-ins in the last
:data:`THROTTLE_WINDOW` (from any address), or a client address with
:data:`MAX_FAILURES_PER_ADDRESS` (for any usernames, known or not), is refused
with :class:`SignInThrottled` until the oldest of those failures leaves the
window: the password is not even checked then, and the refusal is not counted.
A successful sign-in forgets that username's failures from that address only,
so a lifter who signs in does not wipe out what an attacker elsewhere has
spent. Behind a reverse proxy, the web server must be told to trust its
``X-Forwarded-For`` (``failwise serve --proxy-headers --forwarded-allow-ips``), or
every client has the proxy's address. The address counted is a parsed IP address
(:func:`~failwise.services.addresses.client_key`): anything else a client could
write there is one "unknown" client, never a fresh budget.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from failwise.domain.context import Experience
from failwise.domain.errors import FailwiseError, InvalidInput
from failwise.domain.exercises import Muscle
from failwise.services.addresses import client_key
from failwise.services.ports import Store, StoreFactory
from failwise.services.records import DEFAULT_SETTINGS, User, naive_utc

# argon2id with the RFC 9106 "low memory" recommendation (t=3, m=64 MiB, p=4),
# argon2-cffi's default profile.
_HASHER = PasswordHasher()
TOKEN_LIFETIME = timedelta(days=30)
LOCAL_LIFTER = "local"
MIN_PASSWORD_LENGTH = 8
MAX_FAILURES_PER_USERNAME = 5
MAX_FAILURES_PER_ADDRESS = 20
"""Higher than per username: lifters behind one address (a gym's network) share it."""
THROTTLE_WINDOW = timedelta(minutes=15)
_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")


def _check_settings(changes: Mapping[str, Any]) -> None:
    """Each setting a lifter changes must make sense."""
    if "unit" in changes and changes["unit"] not in ("kg", "lb"):
        raise InvalidInput("unit must be kg or lb", field="unit")
    if "experience" in changes:
        try:
            Experience(changes["experience"])
        except ValueError:
            raise InvalidInput(
                "experience must be beginner, intermediate or advanced", field="experience"
            ) from None
    if "spotter" in changes and not isinstance(changes["spotter"], bool):
        raise InvalidInput("spotter must be true or false", field="spotter")
    if "bar_kg" in changes:
        bar = changes["bar_kg"]
        if isinstance(bar, bool) or not isinstance(bar, int | float) or not 0 <= bar <= 100:
            raise InvalidInput("bar_kg must be a weight from 0 to 100 kg", field="bar_kg")
    if "plates_kg" in changes:
        plates = changes["plates_kg"]
        if not isinstance(plates, list) or not all(
            isinstance(p, int | float) and not isinstance(p, bool) and 0 < p <= 100 for p in plates
        ):
            raise InvalidInput("plates_kg must be a list of plate weights in kg", field="plates_kg")
    if "sex" in changes and changes["sex"] not in (None, "male", "female"):
        raise InvalidInput("sex must be male or female", field="sex")
    for name, low, high in (("age", 10, 100), ("height_cm", 100, 250)):
        value = changes.get(name)
        if value is not None and (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not low <= value <= high
        ):
            raise InvalidInput(f"{name} must be a number from {low} to {high}", field=name)
    if "lagging" in changes:
        lagging = changes["lagging"]
        names = ", ".join(m.value for m in Muscle)
        if not isinstance(lagging, list):
            raise InvalidInput(f"lagging must be a list of muscles: {names}", field="lagging")
        for muscle in lagging:
            try:
                Muscle(muscle)
            except ValueError:
                raise InvalidInput(
                    f"{muscle!r} is not a muscle: use {names}", field="lagging"
                ) from None


class AuthenticationFailed(FailwiseError):
    """Wrong username or password, or an expired token."""


class SignInThrottled(FailwiseError):
    """Too many failed sign-ins for a username or from an address (HTTP 429)."""

    def __init__(self, retry_after: timedelta) -> None:
        self.retry_after_seconds = max(1, math.ceil(retry_after.total_seconds()))
        minutes = math.ceil(self.retry_after_seconds / 60)
        super().__init__(
            "too many failed sign-ins: try again in "
            + (f"{minutes} minutes" if minutes > 1 else "a minute")
        )


def _throttle_name(username: str) -> str:
    """The name a failure is counted under: ``Ann`` and ``ann `` are one guess target."""
    return username.strip().casefold()[:64]


def _wait(failures: list[datetime], limit: int, at: datetime) -> timedelta | None:
    """How long until fewer than ``limit`` of ``failures`` (oldest first) are in the window."""
    if len(failures) < limit:
        return None
    return failures[len(failures) - limit] + THROTTLE_WINDOW - at


def hash_token(token: str) -> str:
    """Tokens are stored as SHA-256 digests: a leaked database holds no usable token."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Session:
    user: User
    token: str
    expires_at: datetime


class Accounts:
    def __init__(self, stores: StoreFactory) -> None:
        self.stores = stores

    def sign_up(self, username: str, password: str, *, now: datetime | None = None) -> Session:
        username = username.strip()
        if not _USERNAME.match(username):
            raise InvalidInput("username must be 2–64 letters, digits, '.', '_' or '-'")
        if username.lower() == LOCAL_LIFTER:
            raise InvalidInput(
                f"the username {LOCAL_LIFTER!r} is kept for the local lifter", field="username"
            )
        if len(password) < MIN_PASSWORD_LENGTH:
            raise InvalidInput(
                f"password must be at least {MIN_PASSWORD_LENGTH} characters", field="password"
            )
        with self.stores() as store:
            user = store.add_user(username, _HASHER.hash(password), DEFAULT_SETTINGS)
            session = self._issue(store, user, "bearer", now)
            store.commit()
        return session

    def sign_in(
        self,
        username: str,
        password: str,
        *,
        kind: str = "bearer",
        now: datetime | None = None,
        address: str | None = None,
    ) -> Session:
        """A new session for the lifter; ``address`` is the client's, for the throttle.

        Raises :class:`SignInThrottled` while the username or the address has too
        many recent failures, else :class:`AuthenticationFailed` for a wrong name or
        password (counted as a failure).
        """
        at = naive_utc(now or datetime.now(UTC))
        name, where = _throttle_name(username), client_key(address)
        with self.stores() as store:
            by_name, by_address = store.sign_in_failures(name, where, at - THROTTLE_WINDOW)
            waits = [
                wait
                for wait in (
                    _wait(by_name, MAX_FAILURES_PER_USERNAME, at),
                    _wait(by_address, MAX_FAILURES_PER_ADDRESS, at),
                )
                if wait is not None
            ]
            if waits:
                raise SignInThrottled(max(waits))
            found = store.user_by_name(username.strip())
            if found is None:
                # Spend the same time as a real check, so timing does not reveal names.
                _HASHER.hash(password)
                self._failed(store, name, where, at)
            else:
                user, stored_hash = found
                try:
                    _HASHER.verify(stored_hash, password)
                except (VerificationError, InvalidHashError):
                    self._failed(store, name, where, at)
            if _HASHER.check_needs_rehash(stored_hash):
                store.set_password_hash(user.id, _HASHER.hash(password))
            store.clear_sign_in_failures(name, where)
            session = self._issue(store, user, kind, now)
            store.commit()
        return session

    @staticmethod
    def _failed(store: Store, name: str, address: str, at: datetime) -> NoReturn:
        store.add_sign_in_failure(name, address, at)
        store.forget_sign_in_failures(at - THROTTLE_WINDOW)
        store.commit()
        raise AuthenticationFailed("wrong username or password")

    def _issue(self, store: Any, user: User, kind: str, now: datetime | None) -> Session:
        token = secrets.token_urlsafe(32)
        expires = (now or datetime.now(UTC)) + TOKEN_LIFETIME
        store.add_token(user.id, hash_token(token), kind, expires)
        return Session(user=user, token=token, expires_at=expires)

    def user_for_token(self, token: str, *, now: datetime | None = None) -> User:
        with self.stores() as store:
            user = store.user_for_token(hash_token(token), now or datetime.now(UTC))
        if user is None:
            raise AuthenticationFailed("sign in again: the token is unknown or expired")
        return user

    def sign_out(self, token: str) -> None:
        with self.stores() as store:
            store.delete_token(hash_token(token))
            store.commit()

    def local_lifter(self) -> User:
        """The single lifter of a local install, created on first use (no password)."""
        with self.stores() as store:
            found = store.user_by_name(LOCAL_LIFTER)
            if found is not None:
                return found[0]
            # An unusable hash: the local lifter never signs in over the network.
            user = store.add_user(LOCAL_LIFTER, "!", DEFAULT_SETTINGS)
            store.commit()
        return user

    def update_settings(self, user_id: int, changes: Mapping[str, Any]) -> User:
        unknown = sorted(set(changes) - set(DEFAULT_SETTINGS))
        if unknown:
            raise InvalidInput(f"unknown setting(s): {', '.join(unknown)}")
        _check_settings(changes)
        with self.stores() as store:
            current = store.user(user_id)
            if current is None:
                raise InvalidInput(f"no lifter {user_id}")
            settings = {**DEFAULT_SETTINGS, **current.settings, **changes}
            user = store.update_settings(user_id, settings)
            store.commit()
        return user
