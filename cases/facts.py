"""The eligibility contract's input for a case: profile + employer + what was entered on the case.

`facts_for_case(case, as_of=..., submitted_on=...)` returns the JSON object of
`eligibility-contract.md` (with the optional facts of `materials.md`), ready for `policy.parse_facts`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from applicants import selectors as applicant_selectors
from cases.models import Case, IncomeRecord, InfoChangeKind, Kind
from employers import selectors as employer_selectors
from oversight import selectors as oversight_selectors

EVIDENCE_KEYS = ("awards", "ip", "ip_commercialised_in_beijing", "startup", "freelancer_annual_tax")


def document_kind(material: str) -> str:
    """The contract's `documents[].kind` for a material ID: LABOUR-CONTRACT → labour_contract."""
    return material.lower().replace("-", "_")


def employed_since(case: Case) -> date | None:
    """Entered on the case, else the association's hiring date."""
    if case.employed_since is not None:
        return case.employed_since
    if case.association is not None:
        return case.association.employed_since
    return None


def facts_for_case(case: Case, *, as_of: date, submitted_on: date | None = None) -> dict[str, Any]:
    employer = case.employer
    employer_facts = employer_selectors.facts_for(employer)
    employer_facts["sanctioned"] = oversight_selectors.employer_sanctioned(employer, as_of)

    applicant_facts = applicant_selectors.facts_for(case.applicant)
    hired = employed_since(case)
    if hired is not None:
        applicant_facts["employed_since"] = hired.isoformat()
    same = {
        "contract": case.same_employer_contract,
        "tax_withholding": case.same_employer_tax,
        "social_insurance": case.same_employer_social_insurance,
    }
    if all(value is not None for value in same.values()):
        applicant_facts["same_employer"] = same
    if case.social_insurance_continuous is not None:
        applicant_facts["social_insurance_continuous"] = case.social_insurance_continuous
    applicant_facts["monthly_income"] = [
        income_fact(record) for record in case.income_records.order_by("month")
    ]
    applicant_facts["annual_income"] = [
        {"year": record.year, "amount": record.amount} for record in case.annual_incomes.order_by("year")
    ]
    evidence = case.evidence or {}
    applicant_facts["awards"] = list(evidence.get("awards", []))
    applicant_facts["ip"] = list(evidence.get("ip", []))
    applicant_facts["ip_commercialised_in_beijing"] = bool(
        evidence.get("ip_commercialised_in_beijing", False)
    )
    applicant_facts["startup"] = evidence.get("startup") or None
    applicant_facts["freelancer_annual_tax"] = list(evidence.get("freelancer_annual_tax", []))
    applicant_facts["sanctioned"] = oversight_selectors.applicant_sanctioned(case.applicant, as_of)
    applicant_facts["children"] = children_facts(case)

    facts: dict[str, Any] = {
        "business": case.kind,
        "as_of": as_of.isoformat(),
        "submitted_on": (submitted_on or as_of).isoformat(),
        "employer": employer_facts,
        "applicant": applicant_facts,
        "permit": None,
        "documents": documents_facts(case),
    }
    if case.kind != Kind.NEW and case.permit_expires_on is not None:
        facts["permit"] = permit_facts(case)
    if case.claimed_clause:
        facts["claimed_clause"] = case.claimed_clause
    if case.kind == Kind.INFO_CHANGE:
        facts["changes"] = list(case.info_change_kinds or [])
    return facts


def income_fact(record: IncomeRecord) -> dict[str, Any]:
    """One month; a corrected month carries the amount first declared (APP-INCOME-INTEGRITY: 更正无效)."""
    fact: dict[str, Any] = {
        "month": record.month.strftime("%Y-%m"),
        "amount": record.amount,
        "corrected": record.corrected,
    }
    if (
        record.corrected
        and record.original_amount is not None
        and _accepts("MonthlyIncome", "original_amount")
    ):
        fact["original_amount"] = record.original_amount
    return fact


def children_facts(case: Case) -> list[dict[str, Any]]:
    """The profile's children; CHILD-MINOR (edition 2) judges only those this case adds.

    `new` adds every listed child (the engine's default). An information change about children adds
    the ones the submitter ticked on the change (none ticked: every child, the contract's default);
    sole custody comes from the profile (divorced parents only).
    """
    children = list(applicant_selectors.children_for(case.applicant))
    added = set(case.added_children or [])
    out = []
    for child in children:
        fact: dict[str, Any] = {
            "birth_date": child.birth_date.isoformat(),
            "hukou": child.hukou,
            "parents": child.parents,
        }
        if child.sole_custody is not None:
            fact["sole_custody"] = child.sole_custody
        if case.kind == Kind.INFO_CHANGE and added and InfoChangeKind.CHILD in (case.info_change_kinds or []):
            fact["added"] = str(child.public_id) in added
        out.append(fact)
    return out


def resignation_cert_on_file(case: Case) -> bool:
    """CHG-RESIGNATION: the former employer left the certificate when it dissociated the holder here."""
    return case.documents.filter(material="RESIGNATION-CERT", uploader="former_employer").exists()


def permit_facts(case: Case) -> dict[str, Any]:
    """The permit as recorded: expiry, first issue (`held_since`), origin (`migrated`)."""
    assert case.permit_expires_on is not None
    fact: dict[str, Any] = {
        "expires_on": case.permit_expires_on.isoformat(),
        "employer_change_pending": False,
        "migrated": case.permit_migrated,
    }
    if case.permit_held_since is not None:
        fact["held_since"] = case.permit_held_since.isoformat()
    if case.kind == Kind.EMPLOYER_CHANGE and _accepts("Permit", "resignation_cert_on_file"):
        fact["resignation_cert_on_file"] = (not case.permit_migrated) and resignation_cert_on_file(case)
    return fact


def _accepts(model: str, key: str) -> bool:
    """Whether the engine's contract model has the optional fact `key` (materials.md facts that the
    engine may not read yet are left out rather than refused as unknown keys)."""
    from policy import facts as contract

    return key in getattr(contract, model).model_fields


def documents_facts(case: Case) -> list[dict[str, Any]]:
    """The current version of each linked document with a date (DOC-VALIDITY, DOC-RECENCY)."""
    seen: set[tuple[str, int | None]] = set()
    out: list[dict[str, Any]] = []
    for link in case.documents.select_related("document").order_by("material", "child", "-added_at", "-id"):
        key = (link.material, link.child)
        if key in seen:
            continue
        seen.add(key)
        document = link.document
        if document.valid_until is None and document.issued_on is None:
            continue
        out.append(
            {
                "kind": document_kind(link.material),
                "valid_until": document.valid_until.isoformat() if document.valid_until else None,
                "issued_on": document.issued_on.isoformat() if document.issued_on else None,
            }
        )
    return out
