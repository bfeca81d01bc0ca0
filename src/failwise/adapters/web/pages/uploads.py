"""Import: a lifter's history file, streamed within its own size limit."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Request, status
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.types import Message

from failwise.adapters import exporters
from failwise.adapters.importers import DESCRIPTIONS, parse, read_text
from failwise.adapters.web import views
from failwise.adapters.web.deps import (
    CSRF_FIELD,
    CoreDep,
)
from failwise.adapters.web.limits import take
from failwise.adapters.web.pages._core import (
    PAGE_TITLES,
    PageLifter,
    check_form,
    render,
)
from failwise.domain.errors import InvalidInput
from failwise.services.core import Core
from failwise.services.imports import HistoryImporter, ImportRejected, ImportSummary
from failwise.services.quotas import Action
from failwise.services.records import User

MAX_UPLOAD_MB = 20
UPLOAD_PATH = "/import"
"""The one route that takes a body past the app's small limit: it streams its own."""
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
# Room for the multipart envelope and the other fields around the file.
_FORM_OVERHEAD = 64 * 1024

router = APIRouter(include_in_schema=False)


# --- import and export ------------------------------------------------------------------------


def _import_page(
    request: Request,
    lifter: User,
    *,
    fragment: bool = False,
    summary: ImportSummary | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = status.HTTP_200_OK,
) -> HTMLResponse:
    context: dict[str, Any] = {
        "summary": summary,
        "errors": errors or {},
        "formats": DESCRIPTIONS,
        "format_name": DESCRIPTIONS.get(summary.format, summary.format) if summary else "",
        "max_mb": MAX_UPLOAD_MB,
        "export_formats": exporters.EXPORT_FORMATS,
    }
    return render(
        request,
        "_import_result.html" if fragment else "import.html",
        title=PAGE_TITLES["/import"],
        lifter=lifter,
        active="/import",
        status_code=status_code,
        **context,
    )


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request, lifter: PageLifter) -> Response:
    return _import_page(request, lifter)


def _too_big(size: int | None) -> str:
    said = f"is {size / 1024 / 1024:.1f} MB" if size is not None else "is too big"
    return (
        f"The file {said}; the limit is {MAX_UPLOAD_MB} MB. "
        "Export a shorter date range, or split the file and import each part."
    )


class _BodyTooLarge(Exception):
    """The request body went past the upload limit while it was being read."""


def _limited(request: Request, limit: int) -> Request:
    """``request`` whose body stops being read past ``limit`` bytes (:class:`_BodyTooLarge`):
    a client that sends no Content-Length, or a false one, cannot fill the disk either."""
    received = 0

    async def receive() -> Message:
        nonlocal received
        message = await request.receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise _BodyTooLarge
        return message

    return Request(request.scope, receive)


@router.post(UPLOAD_PATH, response_class=HTMLResponse)
async def import_upload(request: Request, lifter: PageLifter, core: CoreDep) -> Response:
    """Upload an export (multipart): the format is detected, the summary shown."""
    fragment = request.headers.get("X-Fragment") == "import-result"

    def failed(field: str, message: str, code: int) -> HTMLResponse:
        return _import_page(
            request, lifter, fragment=fragment, errors={field: message}, status_code=code
        )

    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_UPLOAD_BYTES + _FORM_OVERHEAD:
        return failed("file", _too_big(int(length)), status.HTTP_413_CONTENT_TOO_LARGE)
    try:
        form = await _limited(request, MAX_UPLOAD_BYTES + _FORM_OVERHEAD).form(
            max_files=1, max_fields=20
        )
    except _BodyTooLarge:
        return failed("file", _too_big(None), status.HTTP_413_CONTENT_TOO_LARGE)
    try:
        sent = form.get(CSRF_FIELD)
        check_form(request, sent if isinstance(sent, str) else None)
        take(request, Action.IMPORT, lifter=lifter.id)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return failed("file", "Choose a file to import.", status.HTTP_422_UNPROCESSABLE_CONTENT)
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            return failed("file", _too_big(len(data)), status.HTTP_413_CONTENT_TOO_LARGE)
        sent_unit = form.get("unit")
        unit = sent_unit if isinstance(sent_unit, str) and sent_unit in views.UNITS else None
        strict = form.get("strict") == "on"
        dry_run = form.get("dry_run") == "on"
    finally:
        await form.close()
    importing = partial(
        _import,
        core,
        lifter.id,
        data,
        unit=unit or views.units_of(lifter.settings).name,
        strict=strict,
        dry_run=dry_run,
    )
    try:
        summary = await run_in_threadpool(importing)
    except ImportRejected as error:
        return failed("file", str(error), status.HTTP_422_UNPROCESSABLE_CONTENT)
    except InvalidInput as error:
        return failed("file", str(error), status.HTTP_422_UNPROCESSABLE_CONTENT)
    return _import_page(request, lifter, fragment=fragment, summary=summary)


def _import(
    core: Core, user_id: int, data: bytes, *, unit: str, strict: bool, dry_run: bool
) -> ImportSummary:
    parsed = parse(read_text(data), unit=unit)
    return HistoryImporter(core).import_file(user_id, parsed, strict=strict, dry_run=dry_run)
