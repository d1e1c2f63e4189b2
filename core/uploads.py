"""Uploads stop at the size limit (issue 11, Low: a 60 MB upload was read fully before refusal).

`LimitedUploadHandler` runs before Django's handlers. A request whose declared length is over the
limit (plus room for the other form fields) is refused at its first file, before any of the file is
read; a file that grows past the limit while streaming (chunked body, a lying length) is refused at
the chunk that passes it. Either way parsing stops there, the rest of the body is never read
(`StopUpload(connection_reset=True)`), and `UploadLimitMiddleware` answers 413 with a plain message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# Room for the form's other fields and the multipart framing on top of the file itself.
FORM_OVERHEAD_BYTES = 1024 * 1024
TOO_LARGE = "upload_too_large"


class LimitedUploadHandler(FileUploadHandler):
    request_length = 0

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: str | None = None
    ) -> None:
        self.request_length = int(content_length or 0)

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self.request_length > settings.UPLOAD_MAX_BYTES + FORM_OVERHEAD_BYTES:
            self._refuse(self.request_length)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > settings.UPLOAD_MAX_BYTES:
            self._refuse(start + len(raw_data))
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _refuse(self, size: int) -> None:
        if self.request is not None:
            setattr(self.request, TOO_LARGE, size)
        raise StopUpload(connection_reset=True)


class UploadLimitMiddleware:
    """Parses a multipart POST before the view (after the CSRF check) and answers 413 if a file was
    over the limit: the view never sees a half-read form."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, *args: Any) -> HttpResponse | None:
        if request.method != "POST" or not (request.content_type or "").startswith("multipart/"):
            return None
        request.POST  # noqa: B018 - parse now (the handler stops at the limit)
        if getattr(request, TOO_LARGE, None) is None:
            return None
        response = render(
            request,
            "upload_too_large.html",
            {"limit_mb": round(settings.UPLOAD_MAX_BYTES / 1048576, 1)},
            status=413,
        )
        return response
