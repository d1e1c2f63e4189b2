"""DOC-VALIDITY, DOC-RECENCY and CHILD-MINOR at their boundaries (judged against submitted_on)."""

from __future__ import annotations

import pytest

from policy.tests.helpers import base_case, check, run


def with_documents(*documents: dict) -> dict:
    data = base_case()
    data["documents"] = list(documents)
    return data


def test_doc_validity_three_months_one_day_each_side() -> None:
    # submitted 2025-11-20: an end date of 2026-02-20 is exactly 3 months
    at = check(
        run(with_documents({"kind": "lease", "valid_until": "2026-02-20", "issued_on": None})), "DOC-VALIDITY"
    )
    assert at["outcome"] == "pass"
    below = check(
        run(with_documents({"kind": "lease", "valid_until": "2026-02-19", "issued_on": None})), "DOC-VALIDITY"
    )
    assert below["outcome"] == "review"
    assert below["facts"]["failing"] == [{"kind": "lease", "valid_until": "2026-02-19"}]
    assert "2026-02-19" in below["message"] and "2026-02-20" in below["message"]
    assert "lease" not in below["message"] and "房屋租赁合同或协议" in below["message"]


def test_doc_validity_uses_submitted_on_not_as_of() -> None:
    data = with_documents({"kind": "id_card", "valid_until": "2026-02-20", "issued_on": None})
    data["submitted_on"] = "2025-11-20"
    data["as_of"] = "2025-11-21"
    assert check(run(data), "DOC-VALIDITY")["outcome"] == "pass"
    data["submitted_on"] = "2025-11-21"
    assert check(run(data), "DOC-VALIDITY")["outcome"] == "review"


def test_doc_validity_passes_without_end_dates() -> None:
    """DOC-VALIDITY (edition 2): `pass` when there is nothing to judge."""
    assert check(run(with_documents()), "DOC-VALIDITY")["outcome"] == "pass"


def test_doc_recency_one_month_one_day_each_side() -> None:
    assert (
        check(
            run(
                with_documents(
                    {"kind": "applicant_integrity", "valid_until": None, "issued_on": "2025-10-20"}
                )
            ),
            "DOC-RECENCY",
        )["outcome"]
        == "pass"
    )
    old = check(
        run(with_documents({"kind": "applicant_integrity", "valid_until": None, "issued_on": "2025-10-19"})),
        "DOC-RECENCY",
    )
    assert old["outcome"] == "fail" and "2025-10-19" in old["message"]
    future = check(
        run(with_documents({"kind": "applicant_integrity", "valid_until": None, "issued_on": "2025-11-21"})),
        "DOC-RECENCY",
    )
    assert future["outcome"] == "fail"
    assert check(run(with_documents()), "DOC-RECENCY")["outcome"] == "not_applicable"


def children(*kids: dict) -> dict:
    data = base_case()
    data["applicant"]["children"] = list(kids)
    return data


def test_child_minor_18th_birthday_one_day_each_side() -> None:
    # as_of 2025-11-20
    assert (
        check(run(children({"birth_date": "2007-11-21", "hukou": "non_beijing"})), "CHILD-MINOR")["outcome"]
        == "pass"
    )
    adult = check(run(children({"birth_date": "2007-11-20", "hukou": "non_beijing"})), "CHILD-MINOR")
    assert adult["outcome"] == "fail" and adult["facts"]["adults"] == [1]
    assert "第 1 个随往子女" in adult["message"]
    assert "2025-11-20" in adult["message"]


@pytest.mark.parametrize("hukou", ["beijing", "beijing_collective", "beijing_school_temporary"])
def test_child_minor_beijing_hukou_fails(hukou: str) -> None:
    assert (
        check(run(children({"birth_date": "2019-09-01", "hukou": hukou})), "CHILD-MINOR")["outcome"] == "fail"
    )


def test_child_minor_not_applicable_without_children_and_not_provided() -> None:
    assert check(run(children()), "CHILD-MINOR")["outcome"] == "not_applicable"
    found = check(run(children({"hukou": "non_beijing"})), "CHILD-MINOR")
    assert found["outcome"] == "fail" and found["facts"] == {
        "not_provided": ["applicant.children[0].birth_date"]
    }
