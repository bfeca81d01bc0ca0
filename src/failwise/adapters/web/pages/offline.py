"""The web app on the gym floor, with or without a connection: the service worker, the
web app manifest, and the page a lifter logs sets on when a page was never saved.

The worker (``static/sw.js``) is served at ``/sw.js`` so that its scope is the whole
site; the manifest at ``/manifest.webmanifest`` so that an installed app keeps one
address for it whatever its version. ``/offline`` is saved by the worker for the lifter
signed in, and shown in place of any page it has not saved when there is no connection.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from failwise.adapters.web.pages._core import PAGE_TITLES, STATIC, PageLifter, render

router = APIRouter(include_in_schema=False)


@router.get("/sw.js")
def service_worker() -> Response:
    """The service worker, at the root so that it may answer for every page."""
    return FileResponse(
        STATIC / "sw.js",
        media_type="text/javascript; charset=utf-8",
        # What the worker itself may load: this site only, like the pages' own policy.
        headers={"Service-Worker-Allowed": "/", "Content-Security-Policy": "default-src 'self'"},
    )


@router.get("/manifest.webmanifest")
def manifest() -> Response:
    """The web app manifest: a phone can install failwise and open it on Today."""
    return FileResponse(STATIC / "manifest.webmanifest", media_type="application/manifest+json")


@router.get("/offline", response_class=HTMLResponse)
def offline_page(request: Request, lifter: PageLifter) -> Response:
    """What a lifter sees offline for a page not saved on the phone: a set can still be
    logged, by exercise name, load, reps and RIR, into the queue that is sent later."""
    return render(
        request, "offline.html", title=PAGE_TITLES["/offline"], lifter=lifter, active="/today"
    )
