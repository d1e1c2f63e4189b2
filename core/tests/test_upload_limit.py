"""Issue 11, Low: an upload over the limit is refused when the limit is reached, not after the whole
body was read (a 60 MB file used to be read fully before refusal)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadhandler import load_handler
from django.http.multipartparser import MultiPartParser
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from applicants.tests.factories import make_applicant
from materials.models import Document

MB = 1024 * 1024


class CountingStream(io.BytesIO):
    """The request body; remembers how much of it was read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.consumed = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.consumed += len(chunk)
        return chunk


def _parse(body: bytes, declared_length: int) -> tuple[CountingStream, Any, Any]:
    from django.conf import settings
    from django.test import RequestFactory

    request = RequestFactory().post("/")
    stream = CountingStream(body)
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(declared_length)}
    handlers = [load_handler(path, request) for path in settings.FILE_UPLOAD_HANDLERS]
    _post, files = MultiPartParser(meta, stream, handlers).parse()
    return stream, request, files


def _body(size: int) -> bytes:
    upload = io.BytesIO(b"%PDF-" + b"0" * (size - 5))
    upload.name = "big.pdf"
    return encode_multipart(BOUNDARY, {"csrfmiddlewaretoken": "x", "material": "LEASE", "file": upload})


def test_a_60_mb_upload_is_refused_before_its_file_is_read(settings):
    settings.UPLOAD_MAX_BYTES = 10 * MB
    body = _body(60 * MB)
    stream, request, files = _parse(body, len(body))
    assert request.upload_too_large == len(body)
    assert "file" not in files
    assert stream.consumed < 1 * MB, f"read {stream.consumed} bytes of {len(body)}"


def test_a_file_growing_past_the_limit_is_cut_at_the_limit_whatever_the_declared_length(settings):
    settings.UPLOAD_MAX_BYTES = 2 * MB
    body = _body(30 * MB)
    stream, request, files = _parse(body, 3 * MB)  # a lying length: the count of bytes stops it
    assert request.upload_too_large > 2 * MB
    assert "file" not in files
    assert stream.consumed < 3 * MB, f"read {stream.consumed} bytes of {len(body)}"


def test_a_file_under_the_limit_is_received_whole(settings):
    settings.UPLOAD_MAX_BYTES = 2 * MB
    body = _body(1 * MB)
    _stream, request, files = _parse(body, len(body))
    assert getattr(request, "upload_too_large", None) is None
    assert files["file"].size == 1 * MB


@pytest.mark.django_db
def test_the_upload_page_answers_413_with_a_plain_message_and_stores_nothing(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    applicant = make_applicant()
    client = Client()
    client.force_login(applicant.user)
    upload = io.BytesIO(b"%PDF-" + b"0" * 5000)
    upload.name = "big.pdf"
    response = client.post("/materials/mine/", {"material": "LEASE", "file": upload})
    assert response.status_code == 413
    assert "超过上限" in response.content.decode()
    assert not Document.objects.exists()
