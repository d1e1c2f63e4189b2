"""Dated parameters: schema, P-FALLBACK lookups, back-office values, snapshots, and the guide's
printed tables reproduced from the parameters (computed ≠ printed fails)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from policy import ParameterMissing, ParameterValue, load_parameters
from policy.money import annual_threshold, monthly_threshold, window_total
from policy.parameters import DATA_DIR, InvalidParameterFile, Printed, read_definition, shipped_definitions


def test_every_file_is_named_after_its_id_and_cited() -> None:
    files = sorted(DATA_DIR.glob("*/*.yaml"))
    assert len(files) == len(shipped_definitions()) >= 20
    for path in files:
        definition = read_definition(path)
        assert path.stem == definition.id
        assert all(v.citation for v in definition.values)


def test_rules_md_parameters_exist() -> None:
    ids = {d.id for d in shipped_definitions()}
    for pid in (
        "P-WAGE-MONTHLY",
        "P-WAGE-ANNUAL",
        "P-MULT-PUBLIC",
        "P-MULT-ENTERPRISE",
        "P-MULT-CL4",
        "P-MULT-CL5",
        "P-INCOME-MONTHS",
        "P-ORG-TENURE-MONTHS",
        "P-ORG-CAPITAL",
        "P-ORG-TAX",
        "P-APP-TENURE-MONTHS",
        "P-YOUTH-AGE",
        "P-DOC-VALIDITY-MONTHS",
        "P-DOC-RECENCY-MONTHS",
        "P-RENEWAL-WINDOW-DAYS",
        "P-LEAD-WORKING-DAYS",
        "P-RATIFY-WORKING-DAYS",
        "P-CHILD-ADULT-AGE",
    ):
        assert pid in ids


def write(tmp_path: Path, body: dict) -> Path:
    path = tmp_path / "P-TEST.yaml"
    path.write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    return path


GOOD = {
    "id": "P-TEST",
    "unit": "CNY",
    "description": "test",
    "values": [{"effective_from": date(2025, 1, 1), "value": 100, "citation": "guide"}],
}


def test_schema_accepts_good_file(tmp_path: Path) -> None:
    assert read_definition(write(tmp_path, GOOD)).values[0].value == 100


def test_schema_rejects_unknown_key(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameterFile):
        read_definition(write(tmp_path, {**GOOD, "colour": "red"}))


def test_schema_rejects_value_without_citation(tmp_path: Path) -> None:
    body = {**GOOD, "values": [{"effective_from": date(2025, 1, 1), "value": 100}]}
    with pytest.raises(InvalidParameterFile):
        read_definition(write(tmp_path, body))
    body = {**GOOD, "values": [{"effective_from": date(2025, 1, 1), "value": 100, "citation": ""}]}
    with pytest.raises(InvalidParameterFile):
        read_definition(write(tmp_path, body))


def test_schema_rejects_float(tmp_path: Path) -> None:
    body = {**GOOD, "values": [{"effective_from": date(2025, 1, 1), "value": 1.5, "citation": "x"}]}
    with pytest.raises(InvalidParameterFile, match="float"):
        read_definition(write(tmp_path, body))


def test_decimal_strings_are_decimal() -> None:
    found = load_parameters().lookup("P-MULT-ENTERPRISE", date(2025, 11, 20))
    assert found.value == Decimal("1.5") and isinstance(found.value, Decimal)


def test_wage_2025_is_not_a_fallback() -> None:
    found = load_parameters().lookup("P-WAGE-MONTHLY", date(2025, 11, 20))
    assert (found.value, found.effective_from, found.fallback) == (11761, date(2025, 1, 1), False)


def test_p_fallback_next_year_uses_latest_earlier_entry_and_says_so() -> None:
    found = load_parameters().lookup("P-WAGE-MONTHLY", date(2026, 3, 1))
    assert (found.value, found.effective_from, found.fallback) == (11761, date(2025, 1, 1), True)


def test_p_fallback_before_first_entry_is_an_error_naming_parameter_and_date() -> None:
    with pytest.raises(ParameterMissing) as raised:
        load_parameters().lookup("P-WAGE-MONTHLY", date(2024, 12, 31))
    assert "P-WAGE-MONTHLY" in str(raised.value) and "2024-12-31" in str(raised.value)


def test_unknown_parameter_is_missing() -> None:
    with pytest.raises(ParameterMissing):
        load_parameters().lookup("P-NOPE", date(2025, 1, 1))


def test_rule_parameters_are_never_fallback() -> None:
    found = load_parameters().lookup("P-INCOME-MONTHS", date(2030, 1, 1))
    assert found.value == 6 and found.fallback is False


def test_back_office_value_extends_shipped_ones() -> None:
    entered = ParameterValue(
        "P-WAGE-MONTHLY", date(2026, 1, 1), 12500, "京人社 2026 公布", "supervisor-1", datetime(2026, 5, 1, 9)
    )
    params = load_parameters([entered])
    assert params.lookup("P-WAGE-MONTHLY", date(2026, 6, 1)).value == 12500
    assert params.lookup("P-WAGE-MONTHLY", date(2026, 6, 1)).fallback is False
    assert params.lookup("P-WAGE-MONTHLY", date(2025, 12, 31)).value == 11761
    assert load_parameters().lookup("P-WAGE-MONTHLY", date(2026, 6, 1)).value == 11761


def test_back_office_value_is_validated() -> None:
    with pytest.raises(InvalidParameterFile):
        load_parameters([ParameterValue("P-WAGE-MONTHLY", date(2026, 1, 1), 12500, "")])
    with pytest.raises(InvalidParameterFile):
        load_parameters([ParameterValue("P-WAGE-MONTHLY", date(2026, 1, 1), 1.5, "x")])  # type: ignore[arg-type]
    with pytest.raises(ParameterMissing):
        load_parameters([ParameterValue("P-NOPE", date(2026, 1, 1), 1, "x")])


def test_snapshot_hash_changes_only_when_values_in_force_change() -> None:
    shipped = load_parameters()
    later = load_parameters([ParameterValue("P-WAGE-MONTHLY", date(2026, 1, 1), 12500, "x")])
    assert shipped.snapshot_hash(date(2025, 11, 20)) == later.snapshot_hash(date(2025, 11, 20))
    assert shipped.snapshot_hash(date(2026, 2, 1)) != later.snapshot_hash(date(2026, 2, 1))
    snap = shipped.snapshot(date(2025, 11, 20))
    assert snap["P-WAGE-MONTHLY"] == [
        {"effective_from": "2025-01-01", "value": 11761, "citation": snap["P-WAGE-MONTHLY"][0]["citation"]}
    ]
    assert snap["P-MULT-PUBLIC"][0]["value"] == "1.2"
    assert len(shipped.snapshot_hash(date(2025, 11, 20))) == 64


# --- the guide's printed tables (rules.md "Derived thresholds") -----------------------------------


def printed_entries() -> list[tuple[str, Printed]]:
    out: list[tuple[str, Printed]] = []
    for definition in shipped_definitions():
        for printed in definition.printed:
            out.append((definition.id, printed))
    return out


def test_printed_figures_are_kept_as_data() -> None:
    values = sorted(p.value for _, p in printed_entries())
    assert values == sorted(
        [14113, 17641, 47044, 94088, 84678, 105846, 52923, 510144, 542256, 564528, 1020288, 1084512, 1129056]
    )


@pytest.mark.parametrize(
    "entry", printed_entries(), ids=lambda e: f"{e[0]}-{e[1].kind}-{e[1].multiple}-{e[1].value}"
)
def test_computed_equals_printed(entry: tuple[str, Printed]) -> None:
    pid, printed = entry
    params = load_parameters()
    if printed.kind == "monthly_threshold":
        assert printed.on is not None
        wage = params.lookup(pid, printed.on).value
        assert monthly_threshold(wage, printed.multiple) == printed.value
    elif printed.kind == "window_total":
        assert printed.on is not None and printed.months is not None
        wage = params.lookup(pid, printed.on).value
        assert window_total(wage, printed.multiple, printed.months) == printed.value
    else:
        assert printed.income_year is not None
        annual = params.lookup(pid, date(printed.income_year - 1, 1, 1))
        assert annual.fallback is False
        assert annual_threshold(annual.value, printed.multiple) == printed.value


def test_flooring_not_rounding() -> None:
    assert monthly_threshold(11761, Decimal("1.5")) == 17641
    assert window_total(11761, Decimal("1.5"), 6) == 105846
    assert monthly_threshold(11761, Decimal("1.2")) == 14113


def test_monthly_wage_is_2023_annual_wage_over_12() -> None:
    params = load_parameters()
    annual = params.lookup("P-WAGE-ANNUAL", date(2023, 1, 1)).value
    assert Decimal(annual) / 12 == params.lookup("P-WAGE-MONTHLY", date(2025, 1, 1)).value


def test_biz_time_limit_retired_review_working_days_entries_are_skipped() -> None:
    """BIZ-TIME-LIMIT: P-REVIEW-WORKING-DAYS was split into P-LEAD- and P-RATIFY-WORKING-DAYS; an entry
    stored under the retired ID (kept by the append-only table) neither breaks loading nor counts."""
    loaded = load_parameters(
        [
            ParameterValue(
                parameter_id="P-REVIEW-WORKING-DAYS",
                effective_from=date(2026, 1, 1),
                value=25,
                citation="old",
            )
        ]
    )
    assert "P-REVIEW-WORKING-DAYS" not in loaded
    assert loaded.lookup("P-LEAD-WORKING-DAYS", date(2026, 6, 1)).value == 20
    assert loaded.lookup("P-RATIFY-WORKING-DAYS", date(2026, 6, 1)).value == 20
