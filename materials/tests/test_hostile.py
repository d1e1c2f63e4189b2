"""DOC-FORMAT against hostile files: each gives a clear finding (or a clear refusal at the door), never
a crash or a stuck worker, and a good file uploaded afterwards is checked normally."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from materials.checks.runner import WorkerLimits, run_checks
from materials.models import CheckStatus, Document
from materials.tests import hostile

STORED_AND_FAILED = [
    ("truncated", hostile.truncated_pdf, "BROKEN", "已损坏或不完整"),
    ("encrypted", hostile.encrypted_pdf, "ENCRYPTED", "已加密"),
    ("encrypted-owner-only", hostile.owner_only_encrypted_pdf, "ENCRYPTED", "已加密"),
    ("3000-pages", hostile.many_pages_pdf, "TOO-MANY-PAGES", "共 3000 页"),
    ("huge-image", hostile.huge_image_pdf, "BOMB", "100000×100000"),
    ("flate-bomb", hostile.flate_bomb_pdf, "BOMB", "解压后超过"),
    ("javascript-openaction", hostile.javascript_pdf, "ACTIVE-CONTENT", "JavaScript"),
    ("javascript-names", hostile.names_javascript_pdf, "ACTIVE-CONTENT", "JavaScript"),
    ("launch-action", hostile.launch_pdf, "ACTIVE-CONTENT", "Launch"),
    ("embedded-file", hostile.embedded_file_pdf, "ACTIVE-CONTENT", "EmbeddedFile"),
    ("xfa", hostile.xfa_pdf, "ACTIVE-CONTENT", "XFA"),
]

REFUSED_AT_THE_DOOR = [
    ("jpeg-renamed-pdf", hostile.jpeg_bytes, "scan.pdf", "TYPE-PDF", "只能上传 PDF 文件"),
    ("polyglot-zip", hostile.polyglot_zip_pdf, "scan.pdf", "POLYGLOT", "ZIP"),
    ("polyglot-html", hostile.polyglot_html_pdf, "scan.pdf", "POLYGLOT", "HTML"),
    ("empty", hostile.empty_file, "scan.pdf", "EMPTY", "文件为空"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("build", "code", "text"),
    [case[1:] for case in STORED_AND_FAILED],
    ids=[case[0] for case in STORED_AND_FAILED],
)
def test_doc_format_hostile_file_stored_then_failed_with_finding(
    upload: Callable[..., Document], build: Callable[[], bytes], code: str, text: str
) -> None:
    started = time.monotonic()
    document = upload(build())
    assert time.monotonic() - started < 30, "no stuck worker"
    assert document.check_status == CheckStatus.FAILED
    assert [item["code"] for item in document.findings] == [code]
    assert text in document.findings[0]["message_zh"]
    assert document.findings[0]["message_en"]
    good = upload(hostile.scan_pdf(1, dpi=150), name="good.pdf")
    assert good.check_status == CheckStatus.PASSED and good.findings == [] and good.pages == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("build", "name", "code", "text"),
    [case[1:] for case in REFUSED_AT_THE_DOOR],
    ids=[case[0] for case in REFUSED_AT_THE_DOOR],
)
def test_doc_format_hostile_file_refused_at_the_door(
    upload: Callable[..., Document], build: Callable[[], bytes], name: str, code: str, text: str
) -> None:
    data = build()
    with pytest.raises(ValidationError) as refused:
        upload(data, name=name)
    assert text in refused.value.messages[0]
    assert not Document.objects.exists(), "nothing stored"
    assert [item["code"] for item in run_checks(data, "LEASE")["findings"]] == [code]
    good = upload(hostile.scan_pdf(1, dpi=150), name="good.pdf")
    assert good.check_status == CheckStatus.PASSED


def test_doc_format_hang_is_killed_at_the_wall_timeout() -> None:
    started = time.monotonic()
    result = run_checks(hostile.scan_pdf(4, dpi=300), "LEASE", WorkerLimits(timeout_seconds=0.2))
    assert time.monotonic() - started < 5
    assert [item["code"] for item in result["findings"]] == ["UNCHECKABLE"]
    assert "0.2 秒未完成" in result["findings"][0]["message_zh"]
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # the worker was reaped: no child left behind


def test_doc_format_cpu_limit_gives_a_finding() -> None:
    """Rendering twelve 300-dpi pages at 600 dpi needs several seconds of CPU time (about 1 s at
    150 dpi, too close to the one-second limit to fail reliably), so the one-second limit stops it."""
    data = hostile.scan_pdf(12, dpi=300)
    result = run_checks(data, "LEASE", WorkerLimits(dpi=600, cpu_seconds=1, max_pixels=10**9))
    assert [item["code"] for item in result["findings"]] == ["UNCHECKABLE"]
    assert "处理时间超限" in result["findings"][0]["message_zh"]


def test_doc_format_memory_limit_gives_a_finding() -> None:
    """With the inflate guard lifted, rendering the bomb runs out of the worker's address space."""
    data = hostile.flate_bomb_pdf(600)
    result = run_checks(data, "LEASE", WorkerLimits(max_decoded=1 << 40, memory_bytes=400 << 20))
    assert [item["code"] for item in result["findings"]] == ["UNCHECKABLE"]


def test_doc_format_hostile_files_do_not_leak_into_the_caller(tmp_path: Any) -> None:
    """The worker reads a private copy; the caller's process keeps working normally afterwards."""
    for build in (hostile.huge_image_pdf, hostile.javascript_pdf, hostile.truncated_pdf):
        assert run_checks(build(), "LEASE")["findings"]
    assert run_checks(hostile.scan_pdf(1, dpi=150), "LEASE")["findings"] == []
