"""Reads of the materials context: versions, what changed, and the facts the engine needs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from materials.models import CheckStatus, Document, DocumentVerdict, Extraction


def history(document: Document) -> list[Document]:
    """Every version of the material `document` belongs to, oldest first (version 1 … latest)."""
    first = document
    while first.replaces_id is not None:
        first = Document.objects.get(pk=first.replaces_id)
    versions = [first]
    while True:
        nxt = Document.objects.filter(replaces=versions[-1]).first()
        if nxt is None:
            return versions
        versions.append(nxt)


def latest_version(document: Document) -> Document:
    return history(document)[-1]


def _finding_keys(document: Document) -> set[tuple[str, int | None]]:
    return {(str(item["code"]), item.get("page")) for item in document.findings or []}


def changes_since(document: Document, version: int) -> dict[str, Any]:
    """What changed between version `version` and `document` (size, pages, sha256, findings).

    `findings_added` / `findings_resolved` are `[code, page]` pairs; `same_file` means identical bytes.
    """
    versions = {item.version: item for item in history(document)}
    if version not in versions:
        raise Document.DoesNotExist(f"version {version} of {document.material}")
    return changes_between(versions[version], document)


def changes_between(old: Document, document: Document) -> dict[str, Any]:
    """What changed from `old` to `document`: the same keys as `changes_since`.

    Also used when the newer file is not a version of the older one (another uploader re-uploaded).
    """
    old_keys, new_keys = _finding_keys(old), _finding_keys(document)
    return {
        "from_version": old.version,
        "to_version": document.version,
        "same_file": old.sha256 == document.sha256,
        "size": {"from": old.size, "to": document.size, "change": document.size - old.size},
        "pages": {"from": old.pages, "to": document.pages},
        "sha256": {"from": old.sha256, "to": document.sha256},
        "check_status": {"from": old.check_status, "to": document.check_status},
        "findings_added": sorted([list(key) for key in new_keys - old_keys], key=str),
        "findings_resolved": sorted([list(key) for key in old_keys - new_keys], key=str),
    }


def material_kind(material: str) -> str:
    """The contract's `documents[].kind` for a material ID: LABOUR-CONTRACT → labour_contract."""
    return material.lower().replace("-", "_")


def documents_facts(documents: Iterable[Document]) -> list[dict[str, Any]]:
    """The contract's `documents[]` for DOC-VALIDITY / DOC-RECENCY from the current versions given.

    Superseded versions are left out (only the latest upload of a material counts); each entry is
    `{"kind", "valid_until", "issued_on"}` with ISO dates or None.
    """
    facts = []
    for document in documents:
        if not document.is_current:
            continue
        facts.append(
            {
                "kind": material_kind(document.material),
                "valid_until": document.valid_until.isoformat() if document.valid_until else None,
                "issued_on": document.issued_on.isoformat() if document.issued_on else None,
            }
        )
    return sorted(facts, key=lambda item: (item["kind"], item["valid_until"] or "", item["issued_on"] or ""))


def current_documents_of(user: Any) -> QuerySet[Document]:
    """The latest version of each document the user uploaded (the uploader's own list)."""
    return (
        Document.objects.filter(uploaded_by=user, replaced_by__isnull=True)
        .select_related("replaces")
        .order_by("material", "-uploaded_at")
    )


def verdicts(document: Document) -> QuerySet[DocumentVerdict]:
    return document.verdicts.select_related("reviewer").all()


def latest_verdict(document: Document) -> DocumentVerdict | None:
    return verdicts(document).first()


def extraction_of(document: Document) -> Extraction | None:
    """The income table read from `document` (issue 13), or None when it is not an income printout."""
    return Extraction.objects.filter(document=document).first()


def preview_name(document: Document, page: int) -> str | None:
    extraction = extraction_of(document)
    if extraction is None or not 1 <= page <= len(extraction.previews):
        return None
    return str(extraction.previews[page - 1])


# Findings that make a file unsafe to render in the browser (issue 11, Low: ACTIVE-CONTENT PDFs).
UNSAFE_TO_RENDER = frozenset({"ACTIVE-CONTENT"})


def may_render_inline(document: Document) -> bool:
    """Whether the file may be shown in the browser: checked, and no active content found."""
    if document.check_status == CheckStatus.PENDING:
        return False
    return not any(item.get("code") in UNSAFE_TO_RENDER for item in document.findings or [])
