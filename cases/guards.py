"""Business guards on the case's materials, each a named function (called inside the row lock).

Approval (`cases.services.approve`, bulk or not) is refused while any of these returns something:

- `problem_verdict_blockers`: a current document's latest verdict is 材料有问题;
- `stamp_blockers` (DOC-STAMPED, 四（一）): a current stamped material has no accepting verdict with
  the reviewer's confirmation of the seal and annotations;
- `failed_check_blockers` (DOC-FORMAT): a current document failed its automatic checks and the
  reviewer has not accepted it explicitly with a reason.

Submission (applicant to employer, employer to the authority): `hard_check_failures` blocks (a file
that could not be opened must be replaced); `failed_check_warnings` only warns (a person decides).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from cases.labels import material_label
from materials import selectors as material_selectors
from materials.models import CheckStatus, Verdict
from materials.services import STAMPED_MATERIALS, findings_block_pages

if TYPE_CHECKING:
    from cases.models import Case
    from materials.models import Document


def _label(material: str, child: int | None) -> str:
    label = material_label(material).split("（", 1)[0].split(" (", 1)[0].strip() or material_label(material)
    if child is not None:
        label = _("%(label)s（第%(n)d个子女）") % {"label": label, "n": child + 1}
    return _("《%(label)s》") % {"label": label}


def current_slots(
    case: Case, uploaders: Iterable[str] | None = None
) -> list[tuple[str, int | None, Document]]:
    """(material, child, document) of the latest document linked to each slot, in checklist order."""
    wanted = set(uploaders) if uploaders is not None else None
    slots: dict[tuple[str, int | None], Document] = {}
    for link in case.documents.select_related("document").order_by("added_at", "id"):
        if wanted is None or link.uploader in wanted:
            slots[(link.material, link.child)] = link.document
    return [
        (material, child, document)
        for (material, child), document in sorted(
            slots.items(), key=lambda item: (item[0][0], -1 if item[0][1] is None else item[0][1])
        )
    ]


def problem_verdict_blockers(case: Case) -> list[str]:
    """A current document marked 材料有问题 blocks approval until it is replaced or accepted."""
    blockers = []
    for material, child, document in current_slots(case):
        verdict = material_selectors.latest_verdict(document)
        if verdict is not None and verdict.verdict == Verdict.PROBLEM:
            blockers.append(
                _("%(material)s的审核结论为“材料有问题”：%(reason)s")
                % {"material": _label(material, child), "reason": verdict.reason}
            )
    return blockers


def stamp_blockers(case: Case) -> list[str]:
    """DOC-STAMPED: each current stamped material needs an accepting verdict with the seal confirmed."""
    blockers = []
    for material, child, document in current_slots(case):
        if material not in STAMPED_MATERIALS:
            continue
        verdict = material_selectors.latest_verdict(document)
        if verdict is None or verdict.verdict != Verdict.ACCEPTED or not verdict.stamp_confirmed:
            blockers.append(
                _("%(material)s尚未核对盖章及签注（须确认材料无误并勾选已核对）。")
                % {"material": _label(material, child)}
            )
    return blockers


def failed_check_blockers(case: Case) -> list[str]:
    """DOC-FORMAT: a current document that failed its checks, unless accepted with a reason."""
    blockers = []
    for material, child, document in current_slots(case):
        if document.check_status != CheckStatus.FAILED:
            continue
        verdict = material_selectors.latest_verdict(document)
        if verdict is None or verdict.verdict != Verdict.ACCEPTED or not verdict.failed_check_accepted:
            blockers.append(
                _("%(material)s未通过自动检查，须由上传方重新上传，或由审核人员填写理由后接受。")
                % {"material": _label(material, child)}
            )
    return blockers


def material_blockers(case: Case) -> list[str]:
    """Every materials guard of approval, in the order the reviewer works through them."""
    return [*problem_verdict_blockers(case), *failed_check_blockers(case), *stamp_blockers(case)]


def hard_check_failures(case: Case, uploaders: Iterable[str]) -> list[tuple[str, int | None, str]]:
    """Files refused before their pages could be looked at (unreadable, encrypted, broken): these
    block submission. Returns (material, child, message)."""
    return [
        (
            material,
            child,
            _("%(material)s无法打开或读取，请重新上传。") % {"material": _label(material, child)},
        )
        for material, child, document in current_slots(case, uploaders)
        if document.check_status == CheckStatus.FAILED and findings_block_pages(document.findings or [])
    ]


def failed_check_warnings(case: Case, uploaders: Iterable[str]) -> list[tuple[str, int | None, str]]:
    """Files that failed a page check (greyscale, blank page …): submission warns, a reviewer decides."""
    return [
        (
            material,
            child,
            _("%(material)s未通过自动检查，建议重新上传符合要求的彩色扫描件。")
            % {"material": _label(material, child)},
        )
        for material, child, document in current_slots(case, uploaders)
        if document.check_status == CheckStatus.FAILED and not findings_block_pages(document.findings or [])
    ]
