"""Fixtures of the materials tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from accounts.testing import make_user
from applicants.tests.factories import make_applicant
from materials.models import Document
from materials.services import store_upload
from materials.tests import hostile


def as_upload(data: bytes, name: str = "scan.pdf") -> SimpleUploadedFile:
    content_type = "image/jpeg" if name.endswith((".jpg", ".jpeg")) else "application/pdf"
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def applicant(db: Any) -> Any:
    return make_applicant()


@pytest.fixture
def reviewer(db: Any) -> Any:
    return make_user(Role.REVIEWER)


@pytest.fixture
def upload(applicant: Any, django_capture_on_commit_callbacks: Any) -> Callable[..., Document]:
    """upload(data, name=…, material=…, replaces=…) stores through store_upload and runs the checks
    queued on commit (the ImmediateBackend runs the task at once)."""

    def _upload(
        data: bytes | None = None, name: str = "scan.pdf", material: str = "LEASE", **kwargs: Any
    ) -> Document:
        payload = hostile.scan_pdf(1, dpi=150) if data is None else data
        with django_capture_on_commit_callbacks(execute=True):
            document = store_upload(
                uploaded_file=as_upload(payload, name),
                material=material,
                uploaded_by=kwargs.pop("uploaded_by", applicant.user),
                applicant=kwargs.pop("applicant", applicant),
                **kwargs,
            )
        document.refresh_from_db()
        return document

    return _upload
