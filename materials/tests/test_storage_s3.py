"""Private storage on S3 (STORAGE_BACKEND=s3), against moto's server mode on a free local port.

A stored upload is written to the bucket, is served only through the permission-checked download
view, and has no public URL: the object's ACL grants nobody but the owner, and an unsigned request
for it is refused.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse

from applicants.tests.factories import make_applicant
from materials.models import Document
from materials.tests import hostile

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def s3(settings: Any) -> Iterator[Any]:
    from moto.server import ThreadedMotoServer

    bucket = f"permits-{uuid.uuid4().hex[:12]}"
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    client = boto3.client("s3", endpoint_url=endpoint, region_name="cn-north-1", **credentials)
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "cn-north-1"})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "access_key": "testing",
                "secret_key": "testing",
                "region_name": "cn-north-1",
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    try:
        yield client, bucket
    finally:
        server.stop()


@pytest.mark.django_db
def test_s3_upload_written_to_bucket_served_only_through_the_view(
    s3: Any, upload: Callable[..., Document], applicant: Any
) -> None:
    s3, bucket = s3
    data = hostile.scan_pdf(1, dpi=150)
    document = upload(data)
    assert type(storages["default"]).__name__ == "S3Storage"
    stored = s3.get_object(Bucket=bucket, Key=document.file.name)["Body"].read()
    assert stored == data
    assert document.check_status == "passed", "the checks read the file back from the bucket"

    owner = Client()
    owner.force_login(applicant.user)
    response = owner.get(reverse("materials:download", args=[document.public_id]))
    assert response.status_code == 200
    assert response.getvalue() == data
    assert response["Cache-Control"] == "private, no-store"

    stranger = Client()
    stranger.force_login(make_applicant().user)
    assert stranger.get(reverse("materials:download", args=[document.public_id])).status_code == 404


@pytest.mark.django_db
def test_s3_object_has_no_public_url(s3: Any, upload: Callable[..., Document]) -> None:
    s3, bucket = s3
    document = upload()
    grants = s3.get_object_acl(Bucket=bucket, Key=document.file.name)["Grants"]
    assert grants, "the ACL lists the owner"
    assert all(grant["Grantee"].get("URI") != ALL_USERS for grant in grants), "nothing granted to everyone"
    url = document.file.storage.url(document.file.name)
    assert "Signature" in url or "X-Amz-Signature" in url, "only short-lived signed URLs, never a plain one"
    plain = url.split("?", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(plain, timeout=5)
    assert refused.value.code == 403
