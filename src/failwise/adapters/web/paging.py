"""Long lists a page at a time: cursors, and the ``Link: <…>; rel="next"`` header.

A lifter's sets and workouts are read from the newest backwards, a page at a time.
The next page starts after a *cursor*, the key of the oldest item shown (a set's
:class:`~failwise.services.records.SetKey`, a workout's
:class:`~failwise.services.records.WorkoutKey`), not after an offset: the store
seeks to the key in its index, so a page deep in a million sets costs what the
first one does, and a set logged meanwhile does not shift the pages.

A cursor is opaque to clients but plain to read: the moment (UTC, to the
microsecond) and the ids, ``20260302T180412.000000_12_3_456`` for a set (logged
at, workout, position in it, id) and ``20260302T180000.000000_12`` for a workout.

>>> from datetime import datetime
>>> key = SetKey(datetime(2026, 3, 2, 18, 4, 12), 12, 3, 456)
>>> set_cursor(key)
'20260302T180412.000000_12_3_456'
>>> set_key(set_cursor(key)) == key
True
>>> workout_key("20260302T180000.000000_12")
WorkoutKey(started_at=datetime.datetime(2026, 3, 2, 18, 0), id=12)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar
from urllib.parse import urlencode

from fastapi import Request, Response

from failwise.domain.errors import InvalidInput
from failwise.services.records import SetKey, WorkoutKey

_MOMENT = "%Y%m%dT%H%M%S.%f"
_SET_CURSOR = re.compile(r"(\d{8}T\d{6}\.\d{6})_(\d{1,10})_(\d{1,10})_(\d{1,10})")
_WORKOUT_CURSOR = re.compile(r"(\d{8}T\d{6}\.\d{6})_(\d{1,10})")
CURSOR_LENGTH = 60
"""The longest cursor a request may carry (a set's is at most 55 characters)."""

Item = TypeVar("Item")


def set_cursor(key: SetKey) -> str:
    return f"{key.logged_at:{_MOMENT}}_{key.workout_id}_{key.position}_{key.id}"


def workout_cursor(key: WorkoutKey) -> str:
    return f"{key.started_at:{_MOMENT}}_{key.id}"


def _moment(text: str, cursor: str) -> datetime:
    try:
        return datetime.strptime(text, _MOMENT)
    except ValueError:
        raise _bad(cursor) from None


def _bad(cursor: str) -> InvalidInput:
    return InvalidInput(
        "not a cursor of this list: follow the Link header's rel=next URL, or leave it out "
        "for the first page",
        field="before",
    )


def set_key(cursor: str) -> SetKey:
    """The key of a set cursor; :class:`InvalidInput` (field ``before``) for anything else."""
    found = _SET_CURSOR.fullmatch(cursor)
    if found is None:
        raise _bad(cursor)
    moment, workout_id, position, set_id = found.groups()
    return SetKey(_moment(moment, cursor), int(workout_id), int(position), int(set_id))


def workout_key(cursor: str) -> WorkoutKey:
    """The key of a workout cursor; :class:`InvalidInput` (field ``before``) otherwise."""
    found = _WORKOUT_CURSOR.fullmatch(cursor)
    if found is None:
        raise _bad(cursor)
    moment, workout_id = found.groups()
    return WorkoutKey(_moment(moment, cursor), int(workout_id))


def oldest_first(items: Sequence[Item], limit: int) -> tuple[Sequence[Item], bool]:
    """A page of ``limit`` from ``limit + 1`` items read in the order done (the newest
    last), and whether older items remain (the extra one read, first, is not shown)."""
    return (items[1:], True) if len(items) > limit else (items, False)


def newest_first(items: Sequence[Item], limit: int) -> tuple[Sequence[Item], bool]:
    """A page of ``limit`` from ``limit + 1`` items read newest first, and whether older
    items remain (the extra one read, last, is not shown)."""
    return (items[:limit], True) if len(items) > limit else (items, False)


def next_url(request: Request, cursor: str) -> str:
    """This request's path and query, for the page before ``cursor``."""
    query = [
        (name, value) for name, value in request.query_params.multi_items() if name != "before"
    ]
    return f"{request.url.path}?{urlencode([*query, ('before', cursor)])}"


def link_next(response: Response, request: Request, cursor: str) -> None:
    """``Link: <path?…&before=cursor>; rel="next"`` (RFC 8288; the URL is relative to
    the request's, so it holds behind a proxy too)."""
    response.headers["Link"] = f'<{next_url(request, cursor)}>; rel="next"'


LINK_HEADER = {
    "Link": {
        "description": 'When older items remain: `<URL of the next page>; rel="next"`.',
        "schema": {"type": "string"},
    }
}
"""The ``Link`` header as the OpenAPI document describes it."""
