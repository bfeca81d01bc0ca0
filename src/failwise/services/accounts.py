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

Passwords follow NIST SP 800-63B (:func:`check_password`): at least
:data:`MIN_PASSWORD_LENGTH` characters and up to :data:`MAX_PASSWORD_LENGTH`,
no composition rules (any characters, spaces included), and refused when they
are among the most common passwords of breaches (the 30,000 of zxcvbn's list,
shipped with the package), contain the username or the app's name, or are only
spaces or one character repeated. The policy applies when a password is chosen
(sign-up, password change): existing passwords keep signing in.

Usernames are one lifter whatever their case (:func:`username_key`): ``Carol``
cannot sign up when ``carol`` exists, and ``carol`` signs in as ``CAROL``; the
throttle counts failures under the same key.

A token lasts :data:`TOKEN_LIFETIME` from its last use: a token used more than
:data:`TOKEN_REFRESH` after it was last extended is extended again (so a
request writes at most once a day), and a token not used for the whole
lifetime is refused. A password change ends every other session of the
lifter; "sign out everywhere" ends them all.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, NoReturn

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from failwise.domain.context import Experience
from failwise.domain.errors import FailwiseError, InvalidInput
from failwise.domain.exercises import Muscle
from failwise.domain.inputs import text
from failwise.services.addresses import client_key
from failwise.services.core import utc_now
from failwise.services.ports import Store, StoreFactory
from failwise.services.records import DEFAULT_SETTINGS, User, naive_utc, username_key

# argon2id with the RFC 9106 "low memory" recommendation (t=3, m=64 MiB, p=4),
# argon2-cffi's default profile.
_HASHER = PasswordHasher()
TOKEN_LIFETIME = timedelta(days=30)
"""How long a token lasts after its last use."""
TOKEN_REFRESH = timedelta(days=1)
"""How often a token in use is extended: at most one write a day per token."""
LOCAL_LIFTER = "local"
MIN_PASSWORD_LENGTH = 8
"""NIST SP 800-63B: at least 8 characters when the password is the only factor."""
MAX_PASSWORD_LENGTH = 128
"""NIST SP 800-63B: allow at least 64 (passphrases); the cap bounds the hashing work."""
APP_NAME = "failwise"
MAX_FAILURES_PER_USERNAME = 5
MAX_FAILURES_PER_ADDRESS = 20
"""Higher than per username: lifters behind one address (a gym's network) share it."""
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_USERNAME = 64
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


@cache
def _common_passwords() -> frozenset[str]:
    """zxcvbn's 30,000 most common passwords of breaches (all lower case), read once."""
    return frozenset(FREQUENCY_LISTS["passwords"])


def check_password(password: str, *, username: str, field: str = "password") -> None:
    """Raise :class:`InvalidInput` (on ``field``) naming what is wrong with a new password.

    Length is counted in characters (Unicode code points), and nothing else is
    asked of a password's make-up: NIST SP 800-63B finds composition rules make
    passwords weaker, not stronger. The message never repeats the password.

    >>> check_password("correct horse", username="ann")
    >>> check_password("password", username="ann")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    failwise.domain.errors.InvalidInput: this password is among the most common ones: ...
    >>> check_password("carol-lifts-heavy", username="Carol")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    failwise.domain.errors.InvalidInput: password must not contain your username: ...
    """
    length = len(password)
    if length < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"password must be at least {MIN_PASSWORD_LENGTH} characters "
            f"(it has {length}): a few words with spaces make a good one",
            field=field,
        )
    if length > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            f"password must be at most {MAX_PASSWORD_LENGTH} characters (it has {length})",
            field=field,
        )
    if not password.strip():
        raise InvalidInput("password must not be only spaces: choose another", field=field)
    if len(set(password)) == 1:
        raise InvalidInput(
            "password must not be one character repeated: choose another", field=field
        )
    folded = password.casefold()
    name = username_key(username)
    if name and name in folded:
        raise InvalidInput("password must not contain your username: choose another", field=field)
    if APP_NAME in folded:
        raise InvalidInput(
            f"password must not contain the app's name ({APP_NAME}): choose another",
            field=field,
        )
    common = _common_passwords()
    if folded in common or folded.strip() in common:
        raise InvalidInput(
            "this password is among the most common ones: choose another", field=field
        )


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
    """The name a failure is counted under: ``Ann`` and ``ann `` are one guess target,
    as they are one lifter (:func:`username_key`)."""
    return username_key(username)[:64]


def _wait(failures: list[datetime], limit: int, at: datetime) -> timedelta | None:
    """How long until fewer than ``limit`` of ``failures`` (oldest first) are in the window."""
    if len(failures) < limit:
        return None
    return failures[len(failures) - limit] + THROTTLE_WINDOW - at


UNKNOWN_TOKEN = "sign in again: the token is unknown or expired"


def extend_if_due(store: Store, token_hash: str, expires_at: datetime, at: datetime) -> bool:
    """Extend the token to :data:`TOKEN_LIFETIME` from ``at`` when it was last extended
    more than :data:`TOKEN_REFRESH` ago (in the store's transaction); whether it was."""
    at = naive_utc(at)
    if naive_utc(expires_at) - at > TOKEN_LIFETIME - TOKEN_REFRESH:
        return False
    store.extend_token(token_hash, at + TOKEN_LIFETIME)
    return True


def hash_token(token: str) -> str:
    """Tokens are stored as SHA-256 digests: a leaked database holds no usable token."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Session:
    user: User
    token: str
    expires_at: datetime


class Accounts:
    """Sign-up, sign-in, sessions and settings; ``clock`` (naive UTC) tells the time."""

    def __init__(self, stores: StoreFactory, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.stores = stores
        self.clock = clock

    def _at(self, now: datetime | None) -> datetime:
        return naive_utc(now if now is not None else self.clock())

    def sign_up(self, username: str, password: str, *, now: datetime | None = None) -> Session:
        """A new lifter, signed in. The username is unique whatever its case (a taken one
        is :class:`~failwise.services.ports.Conflict`); the password must pass
        :func:`check_password`."""
        username = username.strip()
        if not _USERNAME.match(username):
            raise InvalidInput(
                "username must be 2–64 letters, digits, '.', '_' or '-'", field="username"
            )
        if username_key(username) == LOCAL_LIFTER:
            raise InvalidInput(
                f"the username {LOCAL_LIFTER!r} is kept for the local lifter", field="username"
            )
        check_password(password, username=username)
        with self.stores() as store:
            user = store.add_user(username, _HASHER.hash(password), DEFAULT_SETTINGS)
            session = self._issue(store, user, "bearer", self._at(now))
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

        The username may be written in any case. Raises :class:`SignInThrottled` while
        the username or the address has too many recent failures, else
        :class:`AuthenticationFailed` for a wrong name or password (counted as a failure).
        """
        # A name no database can store is no lifter's: refused before any query.
        text(username, "username", max_length=MAX_USERNAME)
        at = self._at(now)
        name, where = _throttle_name(username), client_key(address)
        with self.stores() as store:
            self._check_throttle(store, name, where, at)
            found = store.user_by_name(username)
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
            session = self._issue(store, user, kind, at)
            store.commit()
        return session

    def change_password(
        self,
        user_id: int,
        old_password: str,
        new_password: str,
        *,
        keep_token: str | None = None,
        address: str | None = None,
        now: datetime | None = None,
    ) -> None:
        """Change the lifter's password, and end every session but ``keep_token``'s.

        The old password is asked for, so a session left open on a borrowed phone
        cannot lock its owner out; a wrong one is :class:`InvalidInput` on
        ``old_password``, counted by the sign-in throttle like a wrong sign-in (so
        the old password cannot be guessed here instead). The new one must pass
        :func:`check_password` (on ``new_password``).
        """
        at = self._at(now)
        where = client_key(address)
        with self.stores() as store:
            lifter = store.user(user_id)
            found = store.user_by_name(lifter.username) if lifter else None
            if found is None:
                raise AuthenticationFailed("sign in again: this lifter no longer exists")
            user, stored_hash = found
            name = _throttle_name(user.username)
            self._check_throttle(store, name, where, at)
            try:
                _HASHER.verify(stored_hash, old_password)
            except (VerificationError, InvalidHashError):
                self._failed(
                    store,
                    name,
                    where,
                    at,
                    InvalidInput("the current password is not right", field="old_password"),
                )
            check_password(new_password, username=user.username, field="new_password")
            if new_password == old_password:
                raise InvalidInput(
                    "the new password is the one you have: choose another", field="new_password"
                )
            store.set_password_hash(user.id, _HASHER.hash(new_password))
            store.delete_tokens(user.id, keep=hash_token(keep_token) if keep_token else None)
            store.clear_sign_in_failures(name, where)
            store.commit()

    def sign_out_everywhere(self, user_id: int) -> None:
        """End every session of the lifter: every browser and every program's token."""
        with self.stores() as store:
            store.delete_tokens(user_id)
            store.commit()

    @staticmethod
    def _check_throttle(store: Store, name: str, address: str, at: datetime) -> None:
        by_name, by_address = store.sign_in_failures(name, address, at - THROTTLE_WINDOW)
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

    @staticmethod
    def _failed(
        store: Store, name: str, address: str, at: datetime, error: Exception | None = None
    ) -> NoReturn:
        store.add_sign_in_failure(name, address, at)
        store.forget_sign_in_failures(at - THROTTLE_WINDOW)
        store.commit()
        raise error or AuthenticationFailed("wrong username or password")

    @staticmethod
    def _issue(store: Store, user: User, kind: str, at: datetime) -> Session:
        token = secrets.token_urlsafe(32)
        expires = at + TOKEN_LIFETIME
        store.add_token(user.id, hash_token(token), kind, expires)
        return Session(user=user, token=token, expires_at=expires.replace(tzinfo=UTC))

    def user_for_token(self, token: str, *, now: datetime | None = None) -> User:
        """The lifter ``token`` signs in; :class:`AuthenticationFailed` once it has expired.

        Using a token extends it to :data:`TOKEN_LIFETIME` from now, at most once per
        :data:`TOKEN_REFRESH`.
        """
        at = self._at(now)
        digest = hash_token(token)
        with self.stores() as store:
            found = store.token_lifter(digest, at)
            if found is None:
                raise AuthenticationFailed(UNKNOWN_TOKEN)
            user, expires_at = found
            if extend_if_due(store, digest, expires_at, at):
                store.commit()
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
