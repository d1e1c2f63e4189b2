"""Check-answers pages (issue 10, item 5): material names (not codes), only the current version of
each material, the clause's name, study history, and old → new values for an information change."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from applicants.models import Period
from cases import services
from cases.models import Kind
from cases.tests import factories as f
from cases.tests.factories import World
from cases.tests.test_renewal_and_changes import give_permit
from cases.tests.test_views import logged_in

TODAY = date(2025, 11, 20)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel("2025-11-20 10:00 +0800", tick=True):
        yield


def docs_section(body: str) -> str:
    return body.split('id="h-a-docs"')[1].split("</section>")[0]


def test_answers_show_material_names_current_versions_clause_and_study(world: World):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    Period.objects.create(
        applicant=world.applicant, kind="study", organisation="北京大学", role="硕士", start=date(2015, 9, 1)
    )
    client = logged_in(world.applicant_user)
    url = reverse("cases:materials", args=[case.public_id])
    for name in ("v1.pdf", "v2.pdf"):
        post = {"material": "APPLICANT-INTEGRITY", "uploader": "applicant", "child": "", "file": f.pdf(name)}
        assert client.post(url, post).status_code == 302
    case.claimed_clause = 1
    case.save(update_fields=["claimed_clause"])
    body = client.get(reverse("cases:answers", args=[case.public_id])).content.decode()
    docs = docs_section(body)
    assert "申请人诚信声明" in docs and "APPLICANT-INTEGRITY" not in docs
    assert "v2.pdf" in docs and "v1.pdf" not in docs and "第 2 版" in docs
    assert "条款1：" in body
    assert "北京大学" in body.split('id="h-a-applicant"')[1].split("</section>")[0]


def test_info_change_shows_old_and_new_values(world: World):
    world.applicant.residence_address = "北京市海淀区甲路1号"
    world.applicant.save(update_fields=["residence_address"])
    give_permit(world, date(2027, 1, 10))
    case = services.start_employer_case(
        world.operator,
        applicant=world.applicant,
        kind=Kind.INFO_CHANGE,
        today=TODAY,
        info_change_kinds=["address"],
    )
    assert case.info_change_before == {"address": "北京市海淀区甲路1号"}
    world.applicant.residence_address = "北京市海淀区乙路2号"
    world.applicant.save(update_fields=["residence_address"])
    body = logged_in(world.operator).get(reverse("cases:answers", args=[case.public_id])).content.decode()
    row = body.split('data-change="address"')[1].split("</dd>")[0]
    assert "<del>北京市海淀区甲路1号</del>" in row and "<ins>北京市海淀区乙路2号</ins>" in row
    assert "居住地址" in body
