"""manage.py import_registry: upsert, validate each code, report bad rows by line and continue."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from employers.credit_code import is_valid
from employers.models import RegistryEntry
from employers.registry_import import COLUMNS

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "registry-sample.csv"
GOOD = {
    "credit_code": "91110108MA01HX0015",
    "name": "北京海星科技有限公司",
    "legal_person_kind": "enterprise",
    "registered_district": "haidian",
    "registered_address": "北京市海淀区中关村大街1号",
    "legal_representative": "王海星",
    "registered_on": "2016-03-15",
    "registered_capital": "10000000",
}


def run(path: Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_registry", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_sample_registry_has_valid_codes_and_every_kind():
    with SAMPLE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 10
    assert all(is_valid(row["credit_code"]) for row in rows)
    kinds = {row["legal_person_kind"] for row in rows}
    assert {"enterprise", "public_institution", "other"} <= kinds
    assert any(row["registered_district"] != "haidian" for row in rows)
    assert any("律师事务所" in row["name"] for row in rows)


def test_import_sample_then_reimport_updates():
    out, err = run(SAMPLE)
    count = RegistryEntry.objects.count()
    assert count >= 10
    assert f"created {count}, updated 0, rejected 0" in out
    assert err == ""
    out, _ = run(SAMPLE)
    assert f"created 0, updated {count}, rejected 0" in out
    assert RegistryEntry.objects.count() == count


def test_upsert_changes_registry_data(tmp_path):
    RegistryEntry.objects.create(
        credit_code=GOOD["credit_code"],
        name="旧名称",
        legal_person_kind="enterprise",
        registered_district="chaoyang",
        registered_address="旧地址",
        legal_representative="旧",
        registered_on="2010-01-01",
    )
    run(write_csv(tmp_path / "r.csv", [GOOD]))
    entry = RegistryEntry.objects.get(credit_code=GOOD["credit_code"])
    assert entry.name == "北京海星科技有限公司"
    assert entry.registered_district == "haidian"
    assert entry.registered_capital == 10_000_000


def test_bad_rows_are_reported_with_line_numbers_and_the_rest_imported(tmp_path):
    rows = [
        {**GOOD, "credit_code": "91110108MA01HX0016"},  # line 2: wrong check character
        GOOD,  # line 3
        {**GOOD, "credit_code": "91110108MA01AY0029", "registered_on": "2020/01/01"},  # line 4
        {**GOOD, "credit_code": "91110108MA01AY0029", "legal_person_kind": "company"},  # line 5
        {**GOOD, "credit_code": "91110108MA01AY0029", "registered_capital": "1.5万"},  # line 6
        {**GOOD, "credit_code": "12110108MB0A12003T", "name": ""},  # line 7
    ]
    path = write_csv(tmp_path / "r.csv", rows)
    out, err = run(path)
    assert "created 1, updated 0, rejected 5" in out
    lines = err.strip().splitlines()
    assert [line.split(":")[1] for line in lines] == ["2", "4", "5", "6", "7"]
    assert "checksum" in lines[0]
    assert "registered_on" in lines[1]
    assert list(RegistryEntry.objects.values_list("credit_code", flat=True)) == [GOOD["credit_code"]]


def test_json_rows(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(
        json.dumps(
            [{**GOOD, "registered_capital": 2000000}, {**GOOD, "credit_code": "X"}], ensure_ascii=False
        ),
        encoding="utf-8",
    )
    out, err = run(path)
    assert "created 1, updated 0, rejected 1" in out
    assert ":2: credit_code" in err
    assert RegistryEntry.objects.get().registered_capital == 2_000_000


def test_unknown_extension_and_missing_file(tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_text("x")
    with pytest.raises(CommandError, match=r"\.csv or \.json"):
        run(path)
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "missing.csv")


def test_missing_column(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("credit_code,name\n91110108MA01HX0015,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing columns"):
        run(path)


def write_csv_with_deregistration(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*COLUMNS, "deregistered_on"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_sample_without_deregistration_column_imports_no_dates():
    run(SAMPLE)
    assert not RegistryEntry.objects.filter(deregistered_on__isnull=False).exists()


def test_deregistered_on_column_csv_sets_clears_and_rejects(tmp_path):
    other = {**GOOD, "credit_code": "91110108MA01AY0029"}
    institution = {**other, "credit_code": "12110108MB0A12003T", "legal_person_kind": "public_institution"}
    out, err = run(
        write_csv_with_deregistration(
            tmp_path / "r.csv",
            [
                {**GOOD, "deregistered_on": "2025-12-01"},  # line 2
                {**other, "deregistered_on": ""},  # line 3: not deregistered
                {**institution, "deregistered_on": "2025/12/01"},  # line 4
                {**institution, "deregistered_on": "2016-03-14"},  # line 5
            ],
        )
    )
    assert "created 2, updated 0, rejected 2" in out
    assert [line.split(":")[1] for line in err.strip().splitlines()] == ["4", "5"]
    assert "deregistered_on '2025/12/01'" in err
    assert "before registered_on" in err
    dates = dict(RegistryEntry.objects.values_list("credit_code", "deregistered_on"))
    assert dates == {GOOD["credit_code"]: date(2025, 12, 1), other["credit_code"]: None}
    # a file without the column leaves the stored date alone
    run(write_csv(tmp_path / "plain.csv", [GOOD]))
    assert RegistryEntry.objects.get(credit_code=GOOD["credit_code"]).deregistered_on == date(2025, 12, 1)
    # a file with the column empty clears it (the registry is the source)
    run(write_csv_with_deregistration(tmp_path / "clear.csv", [{**GOOD, "deregistered_on": ""}]))
    assert RegistryEntry.objects.get(credit_code=GOOD["credit_code"]).deregistered_on is None


def test_deregistered_on_in_json(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(
        json.dumps(
            [{**GOOD, "deregistered_on": "2026-01-05"}, {**GOOD, "credit_code": "91110108MA01AY0029"}]
        ),
        encoding="utf-8",
    )
    out, err = run(path)
    assert "created 2, updated 0, rejected 0" in out
    assert err == ""
    assert RegistryEntry.objects.get(credit_code=GOOD["credit_code"]).deregistered_on == date(2026, 1, 5)
    assert RegistryEntry.objects.get(credit_code="91110108MA01AY0029").deregistered_on is None


# --- the kind against the code's registration authority (GB 32100, 1st character) -----------------

LAW_FIRM = "31110000E10028004B"  # 3 司法行政, 31 律师执业机构
ACCOUNTING_FIRM = "91110108MA01KJ014F"  # 9 工商（市场监管）: a partnership enterprise
INSTITUTION = "12110108MB0A12003T"  # 1 机构编制, 12 事业单位
PRIVATE_NON_ENTERPRISE = "52110108MJ0W090091"  # 5 民政, 52 民办非企业单位


@pytest.mark.parametrize(
    ("code", "kind", "contradicts"),
    [
        (LAW_FIRM, "professional_partnership", False),
        (ACCOUNTING_FIRM, "professional_partnership", False),
        (LAW_FIRM, "private_non_enterprise", True),  # edition 1's work-around for law firms
        (LAW_FIRM, "enterprise", True),
        (PRIVATE_NON_ENTERPRISE, "professional_partnership", True),
        (PRIVATE_NON_ENTERPRISE, "private_non_enterprise", False),
        (INSTITUTION, "public_institution", False),
        (INSTITUTION, "enterprise", True),
        (GOOD["credit_code"], "public_institution", True),
        (LAW_FIRM, "other", False),  # `other` fits every authority
    ],
)
def test_kind_against_registration_authority(code: str, kind: str, contradicts: bool) -> None:
    from employers.credit_code import kind_contradicts_code

    assert kind_contradicts_code(kind, code) is contradicts


def test_import_refuses_a_kind_that_contradicts_the_code(tmp_path):
    rows = [
        {
            **GOOD,
            "credit_code": LAW_FIRM,
            "name": "北京清河律师事务所",
            "legal_person_kind": "private_non_enterprise",
        },
        {
            **GOOD,
            "credit_code": LAW_FIRM,
            "name": "北京清河律师事务所",
            "legal_person_kind": "professional_partnership",
        },
        {**GOOD, "credit_code": INSTITUTION, "legal_person_kind": "enterprise"},
    ]
    out, err = run(write_csv(tmp_path / "r.csv", rows))
    assert "created 1, updated 0, rejected 2" in out
    lines = err.strip().splitlines()
    assert [line.split(":")[1] for line in lines] == ["2", "4"]
    assert "contradicts" in lines[0] and "3 司法行政" in lines[0] and "5 民政" in lines[0]
    assert RegistryEntry.objects.get(credit_code=LAW_FIRM).legal_person_kind == "professional_partnership"


def test_sample_registry_types_law_and_accounting_firms_truthfully():
    out, err = run(SAMPLE)
    assert "rejected 0" in out and err == ""
    firms = RegistryEntry.objects.filter(name__regex="律师事务所|会计师事务所")
    assert {entry.credit_code[0] for entry in firms} == {"3", "9"}
    assert {entry.legal_person_kind for entry in firms} == {"professional_partnership"}
