"""DOC-CHECKLIST: the materials each case calls for (materials.md), one test per branch.

Each test names the guide's section it follows. The contract examples in checklist_examples/ (copies
of ../shared/spec/examples/checklist) must give exactly the expected set.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from policy.checklist import Material, checklist, checklist_json
from policy.facts import parse_facts
from policy.materials_catalogue import CATALOGUE

EXAMPLES = sorted((Path(__file__).parent / "checklist_examples").glob("*.json"))
BASE: dict[str, Any] = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))["input"]

Key = tuple[str, str, int | None]
EMPLOYER_NEW: set[Key] = {
    ("LABOUR-CONTRACT", "employer", None),
    ("EMPLOYER-TAX", "employer", None),
    ("EMPLOYER-INTEGRITY", "employer", None),
}


def facts(**changes: Any) -> Any:
    """The base example's input with dotted-path changes, e.g. `applicant__degree="none"`."""
    data = copy.deepcopy(BASE)
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for part in parents:
            target = target.setdefault(part, {}) if not isinstance(target, list) else target[int(part)]
        target[last] = value
    return parse_facts(data)


def keys(items: list[Material]) -> set[Key]:
    return {item.key for item in items}


def ids(items: list[Material], uploader: str = "applicant") -> set[str]:
    return {item.id for item in items if item.uploader == uploader and item.child is None}


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_doc_checklist_contract_examples(path: Path) -> None:
    example = json.loads(path.read_text(encoding="utf-8"))
    expected = {(m[0], m[1], m[2]) for m in example["expect"]["materials"]}
    got = checklist(parse_facts(example["input"]))
    assert keys(got) == expected
    assert len(got) == len(expected), "each (id, uploader, child) appears once"


def test_doc_checklist_every_material_named_and_cited() -> None:
    data = checklist_json(facts(), "zh")
    assert data["business"] == "new"
    for item in data["materials"]:
        assert item["id"] in CATALOGUE
        assert item["name"] == CATALOGUE[item["id"]].zh
        assert item["citation"].startswith("新办")
        assert item["reason"]
    english = checklist_json(facts(), "en")["materials"][0]
    assert english["name"] == CATALOGUE[english["id"]].en


# -- 新办 申请单位上传 1–3 and 申请人上传 3–5 -----------------------------------------------------------


def test_doc_checklist_new_employer_uploads_guide_new_employer_1_to_3() -> None:
    items = checklist(facts())
    assert {item.key for item in items if item.uploader == "employer"} == EMPLOYER_NEW
    cited = {item.id: item.citation for item in items}
    assert cited["LABOUR-CONTRACT"] == "新办 申请单位上传 1"
    assert cited["EMPLOYER-INTEGRITY"] == "新办 申请单位上传 3"


def test_doc_checklist_new_applicant_always_guide_new_applicant_3_to_5() -> None:
    assert {"INCOME-RECORDS", "HUKOU-PAGES", "APPLICANT-INTEGRITY"} <= ids(checklist(facts()))


# -- education, 新办 申请人上传 1–2 -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("degree", "verification", "expected"),
    [
        ("master", "valid", {"GRADUATION-CERT", "DEGREE-CERT"}),
        ("bachelor", "valid", {"GRADUATION-CERT", "DEGREE-CERT"}),
        (
            "doctor",
            "manual",
            {"GRADUATION-CERT", "GRADUATION-VERIFICATION", "DEGREE-CERT", "DEGREE-VERIFICATION"},
        ),
        ("associate", "valid", {"GRADUATION-CERT"}),
        ("associate", "manual", {"GRADUATION-CERT", "GRADUATION-VERIFICATION"}),
        ("none", "manual", set()),
    ],
)
def test_doc_checklist_degree_route_guide_new_applicant_1_2(
    degree: str, verification: str, expected: set[str]
) -> None:
    items = checklist(facts(applicant__degree=degree, applicant__education_verification=verification))
    education = {"GRADUATION-CERT", "GRADUATION-VERIFICATION", "DEGREE-CERT", "DEGREE-VERIFICATION"}
    assert ids(items) & education == expected
    assert not ids(items) & {"TITLE-CERT", "EDUCATION-CERT"}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"applicant__title": "intermediate", "applicant__title_route": "exam"},
            {"TITLE-CERT", "TITLE-EXAM-REGISTER", "EDUCATION-CERT"},
        ),
        (
            {"applicant__title": "deputy_senior", "applicant__title_route": "review"},
            {"TITLE-CERT", "TITLE-REVIEW-FORM", "TITLE-APPOINTMENT", "EDUCATION-CERT"},
        ),
        (
            {
                "applicant__title": "senior",
                "applicant__title_route": "exam",
                "applicant__title_verifiable_online": False,
            },
            {
                "TITLE-CERT",
                "TITLE-EXAM-REGISTER",
                "TITLE-APPOINTMENT",
                "TITLE-ISSUER-CONTACT",
                "EDUCATION-CERT",
            },
        ),
        (
            {"applicant__title": "equivalent", "applicant__education_verification": "manual"},
            {"TITLE-CERT", "EDUCATION-CERT", "EDUCATION-VERIFICATION"},
        ),
    ],
)
def test_doc_checklist_title_route_guide_new_applicant_2(changes: dict[str, Any], expected: set[str]) -> None:
    items = checklist(facts(claimed_clause=2, **changes))
    title = {
        "TITLE-CERT",
        "TITLE-EXAM-REGISTER",
        "TITLE-REVIEW-FORM",
        "TITLE-APPOINTMENT",
        "TITLE-ISSUER-CONTACT",
        "EDUCATION-CERT",
        "EDUCATION-VERIFICATION",
    }
    assert ids(items) & title == expected
    assert not ids(items) & {"GRADUATION-CERT", "DEGREE-CERT"}, "the title route replaces the degree route"


# -- residence, 新办 申请人上传 6 ------------------------------------------------------------------

RESIDENCE_IDS = {
    "RESIDENCE-CARD-CONFIRMATION",
    "PROPERTY-CERT",
    "LEASE",
    "LANDLORD-PROPERTY-CERT",
    "LANDLORD-HUKOU",
    "UNIT-HOUSING-PROOF",
    "UNIT-RESIDENCE-CERT",
    "RELATIVE-PROPERTY-CERT",
    "RELATIVE-DECLARATION",
    "RELATIVE-IDS",
    "COOWNER-DECLARATION",
}


@pytest.mark.parametrize(
    ("residence", "expected", "mark"),
    [
        ({"kind": "residence_card"}, {"RESIDENCE-CARD-CONFIRMATION"}, "①"),
        ({"kind": "owned"}, {"PROPERTY-CERT"}, "②"),
        ({"kind": "rented"}, {"LEASE"}, "③"),
        ({"kind": "rented", "landlord": "other"}, {"LEASE"}, "③"),
        ({"kind": "rented", "landlord": "resident_household"}, {"LEASE", "LANDLORD-PROPERTY-CERT"}, "③"),
        ({"kind": "rented", "landlord": "rural_homestead"}, {"LEASE", "LANDLORD-HUKOU"}, "③"),
        ({"kind": "employer_housing"}, {"UNIT-HOUSING-PROOF", "UNIT-RESIDENCE-CERT"}, "④"),
        ({"kind": "relatives"}, {"RELATIVE-PROPERTY-CERT", "RELATIVE-DECLARATION", "RELATIVE-IDS"}, "⑤"),
        (
            {"kind": "relatives", "co_owned": True},
            {"RELATIVE-PROPERTY-CERT", "RELATIVE-DECLARATION", "RELATIVE-IDS", "COOWNER-DECLARATION"},
            "⑤",
        ),
    ],
)
def test_doc_checklist_residence_guide_new_applicant_6(
    residence: dict[str, Any], expected: set[str], mark: str
) -> None:
    items = checklist(facts(applicant__residence={"in_beijing": True, "residential": True, **residence}))
    assert ids(items) & RESIDENCE_IDS == expected
    assert all(item.citation == f"新办 申请人上传 6{mark}" for item in items if item.id in expected)


def test_doc_checklist_residence_unknown_asks_for_nothing_app_residence_fails_instead() -> None:
    assert not ids(checklist(facts(applicant__residence=None))) & RESIDENCE_IDS


# -- children, 新办 申请人上传 7 (CHILD-MINOR judged by the engine) ----------------------------------


@pytest.mark.parametrize(
    ("parents", "expected", "mark"),
    [
        ("married", {"PARENTS-MARRIAGE-CERT", "CHILD-HUKOU", "CHILD-BIRTH-CERT"}, "①"),
        ("unmarried", {"CHILD-HUKOU", "CHILD-BIRTH-CERT", "KINSHIP-PROOF"}, "②"),
        ("divorced", {"DIVORCE-PAPERS", "CHILD-HUKOU", "CHILD-BIRTH-CERT"}, "③"),
    ],
)
def test_doc_checklist_child_by_parents_guide_new_applicant_7(
    parents: str, expected: set[str], mark: str
) -> None:
    items = checklist(
        facts(applicant__children=[{"birth_date": "2019-09-01", "hukou": "non_beijing", "parents": parents}])
    )
    per_child = [item for item in items if item.child is not None]
    assert {item.id for item in per_child} == expected
    assert {item.child for item in per_child} == {0}
    assert {item.citation for item in per_child} == {f"新办 申请人上传 7{mark}"}


def test_doc_checklist_each_child_indexed_separately() -> None:
    children = [
        {"birth_date": "2015-01-01", "hukou": "non_beijing", "parents": "married"},
        {"birth_date": "2018-01-01", "hukou": "non_beijing", "parents": "divorced"},
    ]
    items = checklist(facts(applicant__children=children))
    assert {(i.id, i.child) for i in items if i.child is not None} == {
        ("PARENTS-MARRIAGE-CERT", 0),
        ("CHILD-HUKOU", 0),
        ("CHILD-BIRTH-CERT", 0),
        ("DIVORCE-PAPERS", 1),
        ("CHILD-HUKOU", 1),
        ("CHILD-BIRTH-CERT", 1),
    }


def test_doc_checklist_no_children_no_child_materials() -> None:
    assert all(item.child is None for item in checklist(facts(applicant__children=[])))


# -- clause evidence, 新办 申请人上传 8 ------------------------------------------------------------

CLAUSE_IDS = {
    "AWARD-CERT",
    "AWARD-ISSUER-CONTACT",
    "QUALIFICATION-CERT",
    "INCOME-3Y",
    "IP-CERTS",
    "IP-COMMERCIALISATION",
    "COMPANY-ARTICLES",
    "CAPITAL-VERIFICATION",
    "INVESTMENT-AGREEMENT",
    "BANK-TRANSFERS",
    "TAX-3Y",
    "CONTRIBUTION-EVIDENCE",
}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, set()),
        ({"claimed_clause": 1}, set()),
        ({"claimed_clause": 3}, {"AWARD-CERT"}),
        (
            {"claimed_clause": 3, "applicant__award_verifiable_online": False},
            {"AWARD-CERT", "AWARD-ISSUER-CONTACT"},
        ),
        ({"claimed_clause": 4}, {"QUALIFICATION-CERT", "INCOME-3Y"}),
        ({"claimed_clause": 5}, {"QUALIFICATION-CERT", "INCOME-3Y"}),
        ({"claimed_clause": 6}, {"IP-CERTS", "IP-COMMERCIALISATION"}),
        ({"claimed_clause": 8}, {"CONTRIBUTION-EVIDENCE", "TAX-3Y"}),
    ],
)
def test_doc_checklist_clause_evidence_guide_new_applicant_8(
    changes: dict[str, Any], expected: set[str]
) -> None:
    assert ids(checklist(facts(**changes))) & CLAUSE_IDS == expected


def startup(investment: int = 0, financing: int = 0, tax: int = 0) -> dict[str, Any]:
    return {
        "self_investment_3y": investment,
        "equity_financing": financing,
        "average_annual_tax_3y": tax,
        "shareholding_percent": 10,
        "shareholder_rank": 1,
    }


ALL_SEVEN = {"COMPANY-ARTICLES", "CAPITAL-VERIFICATION", "INVESTMENT-AGREEMENT", "BANK-TRANSFERS", "TAX-3Y"}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # (1) self-investment over 5,000,000: one yuan each side of the bound ("超过" excludes it)
        (startup(investment=5_000_001), {"COMPANY-ARTICLES", "CAPITAL-VERIFICATION"}),
        (startup(investment=5_000_000), ALL_SEVEN),
        # (2) equity financing over 10,000,000 ("大于")
        (startup(financing=10_000_001), {"INVESTMENT-AGREEMENT", "BANK-TRANSFERS"}),
        (startup(financing=10_000_000), ALL_SEVEN),
        # (3) average tax 5,000,000 or more ("以上" includes it)
        (startup(tax=5_000_000), {"COMPANY-ARTICLES", "TAX-3Y"}),
        (startup(tax=4_999_999), ALL_SEVEN),
        # several routes: the union, each once
        (
            startup(investment=6_000_000, tax=5_000_000),
            {"COMPANY-ARTICLES", "CAPITAL-VERIFICATION", "TAX-3Y"},
        ),
        (startup(investment=6_000_000, financing=20_000_000, tax=6_000_000), ALL_SEVEN),
        (None, ALL_SEVEN),
    ],
)
def test_doc_checklist_clause7_routes_guide_new_applicant_8_4(
    values: dict[str, Any] | None, expected: set[str]
) -> None:
    items = checklist(facts(claimed_clause=7, applicant__startup=values))
    assert ids(items) & CLAUSE_IDS == expected
    assert sum(1 for item in items if item.id == "COMPANY-ARTICLES") <= 1


# -- 续签 -----------------------------------------------------------------------------------------

PERMIT = {"expires_on": "2026-03-10", "employer_change_pending": False}


def test_doc_checklist_renewal_guide_renewal_materials() -> None:
    items = checklist(facts(business="renewal", permit={**PERMIT, "migrated": False}))
    assert keys(items) == EMPLOYER_NEW | {
        ("INCOME-RECORDS-3Y", "applicant", None),
        ("APPLICANT-INTEGRITY", "applicant", None),
    }


def test_doc_checklist_renewal_migrated_uploads_new_materials_guide_renewal_note_1() -> None:
    items = checklist(facts(business="renewal", permit={**PERMIT, "migrated": True}))
    applicant = ids(items)
    assert {
        "INCOME-RECORDS-3Y",
        "APPLICANT-INTEGRITY",
        "GRADUATION-CERT",
        "DEGREE-CERT",
        "HUKOU-PAGES",
        "LEASE",
    } <= applicant
    assert "INCOME-RECORDS" not in applicant, "INCOME-RECORDS-3Y stands for INCOME-RECORDS"
    assert {("CHILD-BIRTH-CERT", 0), ("CHILD-HUKOU", 0), ("PARENTS-MARRIAGE-CERT", 0)} <= {
        (i.id, i.child) for i in items if i.child is not None
    }
    assert len(items) == len(keys(items))


def test_doc_checklist_renewal_migrated_with_clause_evidence() -> None:
    items = checklist(facts(business="renewal", permit={**PERMIT, "migrated": True}, claimed_clause=4))
    assert {"QUALIFICATION-CERT", "INCOME-3Y"} <= ids(items)


# -- 单位变更 -------------------------------------------------------------------------------------


def test_doc_checklist_employer_change_guide_employer_change_materials() -> None:
    items = checklist(facts(business="employer_change", permit={**PERMIT, "migrated": False}))
    assert keys(items) == EMPLOYER_NEW | {
        ("RESIGNATION-CERT", "former_employer", None),
        ("APPLICANT-INTEGRITY", "applicant", None),
    }
    assert next(i for i in items if i.uploader == "former_employer").citation == "单位变更 原单位上传 1"


def test_doc_checklist_employer_change_migrated_applicant_uploads_resignation() -> None:
    items = checklist(facts(business="employer_change", permit={**PERMIT, "migrated": True}))
    assert ("RESIGNATION-CERT", "applicant", None) in keys(items)
    assert ("RESIGNATION-CERT", "former_employer", None) in keys(items)


def test_doc_checklist_employer_change_without_former_employers_certificate_applicant_uploads_it() -> None:
    """materials.md (申请人上传 2): `permit.resignation_cert_on_file` false → the applicant uploads it."""
    items = checklist(
        facts(
            business="employer_change",
            permit={**PERMIT, "migrated": False, "resignation_cert_on_file": False},
        )
    )
    assert ("RESIGNATION-CERT", "applicant", None) in keys(items)
    on_file = checklist(
        facts(
            business="employer_change", permit={**PERMIT, "migrated": False, "resignation_cert_on_file": True}
        )
    )
    assert ("RESIGNATION-CERT", "applicant", None) not in keys(on_file)


def test_doc_checklist_employer_change_without_permit_facts_is_not_migrated() -> None:
    items = checklist(facts(business="employer_change", permit=None))
    assert ("RESIGNATION-CERT", "applicant", None) not in keys(items)


# -- 信息变更 -------------------------------------------------------------------------------------

INFO_BASE = {
    ("EMPLOYER-TAX", "employer", None),
    ("EMPLOYER-INTEGRITY", "employer", None),
    ("APPLICANT-INTEGRITY", "applicant", None),
}


def test_doc_checklist_info_change_nothing_changed_guide_info_change_materials() -> None:
    items = checklist(facts(business="info_change", permit=PERMIT, changes=[]))
    assert keys(items) == INFO_BASE
    assert ("LABOUR-CONTRACT", "employer", None) not in keys(items)


@pytest.mark.parametrize(
    ("changes", "extra"),
    [
        (
            ["child"],
            {
                ("PARENTS-MARRIAGE-CERT", "applicant", 0),
                ("CHILD-HUKOU", "applicant", 0),
                ("CHILD-BIRTH-CERT", "applicant", 0),
            },
        ),
        (["address"], {("LEASE", "applicant", None)}),
        (["hukou_address"], {("HUKOU-PAGES", "applicant", None)}),
        (["other"], {("CHANGE-PROOF", "applicant", None)}),
        (
            ["address", "hukou_address", "other"],
            {
                ("LEASE", "applicant", None),
                ("HUKOU-PAGES", "applicant", None),
                ("CHANGE-PROOF", "applicant", None),
            },
        ),
    ],
)
def test_doc_checklist_info_change_by_changes_guide_info_change_2(
    changes: list[str], extra: set[Key]
) -> None:
    items = checklist(facts(business="info_change", permit=PERMIT, changes=changes))
    assert keys(items) == INFO_BASE | extra
    assert all(item.citation.startswith("信息变更") for item in items)


def test_doc_checklist_info_change_address_follows_residence_sub_cases() -> None:
    residence = {"kind": "rented", "in_beijing": True, "residential": True, "landlord": "rural_homestead"}
    items = checklist(
        facts(business="info_change", permit=PERMIT, changes=["address"], applicant__residence=residence)
    )
    assert {"LEASE", "LANDLORD-HUKOU"} <= ids(items)
