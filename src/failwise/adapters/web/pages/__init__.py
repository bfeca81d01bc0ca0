"""The web app's pages: the coach on a lifter's phone, server-rendered with a little JavaScript.

Pages share the API's session (the ``failwise_session`` cookie); a page asked
for without one redirects to ``/signin``. Every HTML form carries the
double-submit CSRF token (the ``failwise_csrf`` cookie, repeated in a hidden
``csrf_token`` field), and every page is served with a Content-Security-Policy
that allows only this site's own scripts and styles: no inline script, no
inline ``style``, nothing from another host. Scripts and styles are plain files
in ``static/``; templates are in ``templates/``.

The API speaks kilograms; pages show and take loads in the lifter's unit
(:class:`~failwise.adapters.web.views.Units`). The today page logs sets through
the JSON API (``static/today.js``) and falls back to a plain form post without
JavaScript; a set logged offline waits in the browser and is sent later with
its idempotency key (``static/app.js``). The service worker (``static/sw.js``, served
at ``/sw.js`` by :mod:`~failwise.adapters.web.pages.offline`) keeps Today and the
recent exercises' pages for use with no connection, and drops them on sign-out.
"""

from __future__ import annotations

from fastapi import FastAPI

from failwise.adapters.web.pages import (
    accounts,
    exercises,
    history,
    offline,
    plan,
    records,
    today,
    uploads,
    workouts,
)
from failwise.adapters.web.pages._core import (
    CONTENT_SECURITY_POLICY,
    HERE,
    PAGE_SETS,
    PAGE_TITLES,
    STATIC,
    error_page,
    install_plumbing,
    signed_in,
    static_url,
)
from failwise.adapters.web.pages.uploads import MAX_UPLOAD_BYTES, UPLOAD_PATH

ROUTERS = (
    accounts.router,
    today.router,
    history.router,
    plan.router,
    uploads.router,
    exercises.router,
    records.router,
    workouts.router,
    offline.router,
)


def install(app: FastAPI) -> None:
    """Add the pages, the static files and the pages' two error answers to ``app``."""
    for router in ROUTERS:
        app.include_router(router)
    install_plumbing(app)


__all__: list[str] = [
    "CONTENT_SECURITY_POLICY",
    "HERE",
    "MAX_UPLOAD_BYTES",
    "PAGE_SETS",
    "PAGE_TITLES",
    "STATIC",
    "UPLOAD_PATH",
    "error_page",
    "install",
    "signed_in",
    "static_url",
]
