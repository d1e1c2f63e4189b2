"""No orphan files: uploads are staged until their row commits, and a sweeper removes leftovers.

`save_staged` writes the bytes under `staging/<final name>` and gives the row its final name; once
the transaction commits the file is moved to that name (an atomic rename on local disk). If the
transaction rolls back, the staged file is removed at the end of the request (`discard_unfinished`,
called by `core.middleware.StorageErrorMiddleware`), and if the process dies before committing, the
staged file has no row and `sweep_orphans` removes it after `ORPHAN_FILE_MAX_AGE_SECONDS`. A staged file
whose row did commit (the process died between commit and move) is moved into place by the sweeper.

`clean_upload_temp_dir` empties Django's temporary upload directory (FILE_UPLOAD_TEMP_DIR) of files
left by processes that died mid-upload; app servers and workers call it when they start.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

logger = logging.getLogger(__name__)
STAGING = "staging"
_pending = threading.local()


def after_commit(callback: Callable[[], None]) -> None:
    """`transaction.on_commit`, except inside a test case's wrapping transaction (which never commits):
    there the callback runs at once, as it would at the commit."""
    blocks = getattr(connection, "atomic_blocks", [])
    if connection.in_atomic_block and blocks and getattr(blocks[0], "_from_testcase", False):
        callback()
    else:
        transaction.on_commit(callback)


def _registry() -> dict[str, tuple[Storage, str]]:
    if not hasattr(_pending, "files"):
        _pending.files = {}
    return _pending.files


def save_staged(field_file: FieldFile, name: str, content: File) -> str:
    """Store `content` for `field_file` under a staging name; final once the transaction commits."""
    storage = field_file.storage
    final = field_file.field.generate_filename(field_file.instance, name)
    final = storage.get_available_name(final, max_length=field_file.field.max_length)
    staged = storage.save(f"{STAGING}/{final}", content)
    field_file.name = final
    _registry()[staged] = (storage, final)
    after_commit(lambda: finalize(storage, staged, final))
    return final


def finalize(storage: Storage, staged: str, final: str) -> None:
    """Move a staged file to its final name (atomic on local disk)."""
    _registry().pop(staged, None)
    if isinstance(storage, FileSystemStorage):
        target = Path(storage.path(final))
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(storage.path(staged), target)
        return
    with storage.open(staged, "rb") as handle:
        storage.save(final, handle)
    storage.delete(staged)


def discard_unfinished() -> int:
    """Remove the files staged in this thread whose transaction never committed."""
    registry = _registry()
    removed = 0
    for staged, (storage, _final) in list(registry.items()):
        registry.pop(staged, None)
        try:
            storage.delete(staged)
            removed += 1
        except OSError:
            logger.warning("could not remove a staged upload; the sweeper will", exc_info=True)
    return removed


def _walk(storage: Storage, top: str) -> Iterator[str]:
    try:
        dirs, files = storage.listdir(top)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{top}/{name}" if top else name
    for sub in dirs:
        yield from _walk(storage, f"{top}/{sub}" if top else sub)


def _file_fields() -> list[tuple[type[models.Model], str]]:
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


def _referenced(names: list[str]) -> set[str]:
    found: set[str] = set()
    for model, field in _file_fields():
        found.update(model._default_manager.filter(**{f"{field}__in": names}).values_list(field, flat=True))
    return found


def _upload_roots() -> set[str]:
    roots = set()
    for model, field in _file_fields():
        upload_to = model._meta.get_field(field).upload_to  # type: ignore[union-attr]
        if isinstance(upload_to, str) and upload_to:
            roots.add(upload_to.split("/")[0])
    return roots


def sweep_orphans(*, max_age_seconds: float | None = None, storage: Storage | None = None) -> dict[str, int]:
    """Remove stored files no row refers to, once older than `max_age_seconds` (default
    ORPHAN_FILE_MAX_AGE_SECONDS); move into place staged files whose row committed. Safe to run twice."""
    storage = storage or default_storage
    if max_age_seconds is None:
        max_age_seconds = float(getattr(settings, "ORPHAN_FILE_MAX_AGE_SECONDS", 3 * 3600))
    cutoff = timezone.now() - timedelta(seconds=max_age_seconds)
    counts = {"removed": 0, "finalized": 0}

    def old(name: str) -> bool:
        try:
            return storage.get_modified_time(name) < cutoff
        except (OSError, NotImplementedError):
            return False

    staged = [name for name in _walk(storage, STAGING) if old(name)]
    for start in range(0, len(staged), 500):
        batch = staged[start : start + 500]
        finals = {name[len(STAGING) + 1 :]: name for name in batch}
        committed = _referenced(list(finals))
        for final, name in finals.items():
            if final in committed and not storage.exists(final):
                finalize(storage, name, final)
                counts["finalized"] += 1
            else:
                storage.delete(name)
                counts["removed"] += 1
    for root in sorted(_upload_roots()):
        names = [name for name in _walk(storage, root) if old(name)]
        for start in range(0, len(names), 500):
            batch = names[start : start + 500]
            kept = _referenced(batch)
            for name in batch:
                if name not in kept:
                    storage.delete(name)
                    counts["removed"] += 1
    counts["temporary"] = clean_upload_temp_dir(max_age_seconds=max(max_age_seconds, 3600))
    if counts["removed"] or counts["finalized"]:
        logger.info("file sweep: %(removed)s orphan files removed, %(finalized)s staged files moved", counts)
    return counts


def clean_upload_temp_dir(*, max_age_seconds: float = 3600) -> int:
    """Remove temporary upload files older than `max_age_seconds` (left by a process killed mid-upload)."""
    directory = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    if not directory:
        return 0
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - max_age_seconds
    removed = 0
    for entry in path.iterdir():
        try:
            if entry.is_file() and entry.stat().st_mtime < cutoff:
                entry.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def storage_writable(storage: Storage | None = None) -> tuple[bool, str]:
    """Write, read back and delete a probe file (for /readyz)."""
    storage = storage or default_storage
    probe = f"{STAGING}/readyz-{os.getpid()}-{threading.get_ident()}"
    try:
        from django.core.files.base import ContentFile

        name = storage.save(probe, ContentFile(b"ok"))
        storage.delete(name)
    except Exception as exc:
        return False, type(exc).__name__
    return True, ""
