"""Income without retyping (issue 10, item 6; REN-INCOME-3Y, APP-INCOME-RECENT, APP-INCOME-INTEGRITY):
the preview and accept services (permission, nothing saved before the confirmation, row lock and
history) and the import page (wrong users, the preview with per-line errors, text kept, confirm)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from cases import income_import, selectors, services
from cases.models import Case, CaseEvent, IncomeRecord
from cases.tests.factories import World
from cases.tests.test_renewal_and_changes import give_permit, start_renewal
from cases.tests.test_views import logged_in

TODAY = date(2025, 11, 20)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel("2025-11-20 10:00 +0800", tick=True):
        yield


@pytest.fixture
def renewal(world: World) -> Case:
    give_permit(world, date(2026, 1, 10))
    return start_renewal(world, TODAY)


def printout(months: list[date], amount: str = "18,000.00") -> str:
    return "税款所属期\t收入额\n" + "\n".join(f"{m:%Y年%m月}\t¥{amount}" for m in months)


def lines_of(text: str) -> list[income_import.RawLine]:
    return income_import.split_text(text)[0]


# --- services ------------------------------------------------------------------------------------


def test_ren_income_3y_preview_of_the_whole_window_saves_nothing(world: World, renewal: Case):
    window = selectors.income_window(renewal, TODAY)
    assert window[0] == date(TODAY.year - 3, 1, 1) and window[-1] == date(2025, 10, 1)
    result = services.preview_income_lines(
        world.operator, renewal, lines=lines_of(printout(window)), today=TODAY
    )
    assert result.ok and len(result.rows) == len(window)
    assert not IncomeRecord.objects.filter(case=renewal).exists()
    renewal_after = Case.objects.get(pk=renewal.pk)
    assert renewal_after.version == renewal.version
    assert not CaseEvent.objects.filter(case=renewal, action="income_import").exists()


def test_accept_saves_every_month_bumps_the_version_and_writes_history(world: World, renewal: Case):
    window = selectors.income_window(renewal, TODAY)
    case = services.accept_income_lines(
        world.operator, renewal, version=renewal.version, lines=lines_of(printout(window)), today=TODAY
    )
    assert case.version == renewal.version + 1
    records = list(IncomeRecord.objects.filter(case=renewal).order_by("month"))
    assert [r.month for r in records] == window
    assert {r.amount for r in records} == {18000}
    event = CaseEvent.objects.get(case=renewal, action="income_import")
    assert event.actor == world.operator and event.from_state == event.to_state == renewal.state
    assert f"{len(window)} 个月" in event.reason


def test_accept_with_one_bad_line_saves_nothing(world: World, renewal: Case):
    window = selectors.income_window(renewal, TODAY)
    text = printout(window) + "\n2025-13\t100"
    with pytest.raises(services.IncomeImportRefused) as refused:
        services.accept_income_lines(
            world.operator, renewal, version=renewal.version, lines=lines_of(text), today=TODAY
        )
    assert [(e.line, e.column) for e in refused.value.preview.errors] == [(len(window) + 2, 1)]
    assert not IncomeRecord.objects.filter(case=renewal).exists()
    assert Case.objects.get(pk=renewal.pk).version == renewal.version


def test_app_income_integrity_an_imported_month_keeps_its_correction_and_other_months_stay(
    world: World, renewal: Case
):
    window = selectors.income_window(renewal, TODAY)
    case = services.save_income(
        world.operator,
        renewal,
        version=renewal.version,
        monthly=[(window[0], 15000, True, 9000), (window[1], 15000, False)],
    )
    case = services.accept_income_lines(
        world.operator, case, version=case.version, lines=lines_of(f"{window[0]:%Y-%m} 16000"), today=TODAY
    )
    first = IncomeRecord.objects.get(case=case, month=window[0])
    assert (first.amount, first.corrected, first.original_amount) == (16000, True, 9000)
    assert IncomeRecord.objects.get(case=case, month=window[1]).amount == 15000


def test_wrong_users_and_a_holder_who_may_not_edit_are_refused(world: World, renewal: Case):
    lines = lines_of("2025-01 100")
    # Another employer's operator, another applicant and the holder (the employer enters a renewal's
    # income) may neither preview nor save.
    for user in (world.other_operator, world.other_applicant.user, world.applicant_user, world.reviewer):
        with pytest.raises(services.TransitionNotAllowed):
            services.preview_income_lines(user, renewal, lines=lines, today=TODAY)
        with pytest.raises(services.TransitionNotAllowed):
            services.accept_income_lines(user, renewal, version=renewal.version, lines=lines, today=TODAY)
    assert not IncomeRecord.objects.filter(case=renewal).exists()


def test_a_stale_version_is_refused(world: World, renewal: Case):
    with pytest.raises(services.StaleCase):
        services.accept_income_lines(
            world.operator, renewal, version=renewal.version - 1, lines=lines_of("2025-01 1"), today=TODAY
        )


def test_new_case_window_is_app_income_recent(world: World):
    case = services.start_new_case(world.applicant_user, today=TODAY)
    window = selectors.income_window(case, TODAY)
    result = services.preview_income_lines(
        world.applicant_user, case, lines=lines_of(f"{window[0]:%Y-%m} 1\n{TODAY:%Y-%m} 1"), today=TODAY
    )
    assert [(e.line, e.column) for e in result.errors] == [(2, 1)]
    case = services.accept_income_lines(
        world.applicant_user, case, version=case.version, lines=lines_of(printout(window)), today=TODAY
    )
    assert IncomeRecord.objects.filter(case=case).count() == len(window)


# --- the page ------------------------------------------------------------------------------------


def url(case: Case) -> str:
    return reverse("cases:income_import", args=[case.public_id])


def test_the_page_is_for_whoever_may_edit_the_income(world: World, renewal: Case):
    assert logged_in(world.operator).get(url(renewal)).status_code == 200
    assert logged_in(world.other_operator).get(url(renewal)).status_code == 404
    assert logged_in(world.other_applicant.user).get(url(renewal)).status_code == 404
    # The holder sees the case but the employer enters a renewal's income.
    assert logged_in(world.applicant_user).get(url(renewal)).status_code == 403
    anonymous = Client().get(url(renewal))
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    for user in (world.other_operator, world.other_applicant.user, world.applicant_user):
        response = logged_in(user).post(url(renewal), {"version": renewal.version, "text": "2025-01 1"})
        assert response.status_code in (403, 404)
    assert Client().post(url(renewal), {"version": renewal.version, "text": "2025-01 1"}).status_code == 302
    assert not IncomeRecord.objects.filter(case=renewal).exists()


def test_preview_shows_the_bad_line_keeps_the_text_then_confirm_saves(world: World, renewal: Case):
    window = selectors.income_window(renewal, TODAY)
    client = logged_in(world.operator)
    bad = printout(window).replace(f"{window[4]:%Y年%m月}\t¥18,000.00", f"{window[4]:%Y年%m月}\t18,0OO")
    response = client.post(url(renewal), {"version": renewal.version, "text": bad, "action": "preview"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#line-6-amount"' in page and "第 6 行 · 金额" in page and 'id="line-6-amount"' in page
    assert "18,0OO" in page  # what was typed is still in the text box
    assert 'value="confirm"' not in page
    assert not IncomeRecord.objects.filter(case=renewal).exists()
    # Confirming text that was never previewed as valid saves nothing.
    response = client.post(url(renewal), {"version": renewal.version, "text": bad, "action": "confirm"})
    assert response.status_code == 400 and not IncomeRecord.objects.filter(case=renewal).exists()

    good = printout(window)
    response = client.post(url(renewal), {"version": renewal.version, "text": good, "action": "preview"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="confirm"' in page and not IncomeRecord.objects.filter(case=renewal).exists()
    found = re.search(r'name="previewed" value="([0-9a-f]+)"', page)
    assert found is not None
    digest = found.group(1)
    # The text edited after the preview is previewed again, not saved.
    response = client.post(
        url(renewal),
        {"version": renewal.version, "text": good + "\n", "previewed": "0" * 32, "action": "confirm"},
    )
    assert response.status_code == 400 and not IncomeRecord.objects.filter(case=renewal).exists()
    response = client.post(
        url(renewal), {"version": renewal.version, "text": good, "previewed": digest, "action": "confirm"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:income", args=[renewal.public_id])
    assert IncomeRecord.objects.filter(case=renewal).count() == len(window)


def test_an_xlsx_file_fills_the_text_box_and_previews_by_row(world: World, renewal: Case):
    window = selectors.income_window(renewal, TODAY)
    book = Workbook()
    sheet = book.active
    sheet.append(["月份", "金额"])
    for month in window[:3]:
        sheet.append([month, 20000])
    sheet.append([window[0], 1])
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("收入.xlsx", out.getvalue())
    response = logged_in(world.operator).post(
        url(renewal), {"version": renewal.version, "text": "", "upload": upload, "action": "preview"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"{window[0]:%Y-%m}\t20000" in page  # into the text box, editable
    assert "第 5 行 · 月份" in page and "第 2 行" in page  # the duplicate, naming the first row
    assert not IncomeRecord.objects.filter(case=renewal).exists()


def test_a_refused_file_is_reported_at_the_file_field_and_the_text_is_kept(world: World, renewal: Case):
    upload = SimpleUploadedFile("x.xlsx", b"\xd0\xcf\x11\xe0" + b"\x00" * 64)
    response = logged_in(world.operator).post(
        url(renewal),
        {"version": renewal.version, "text": "2025-01 我打的字", "upload": upload, "action": "preview"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_upload"' in page and ".xls" in page and "2025-01 我打的字" in page


def test_every_input_of_the_income_page_has_a_label(world: World, renewal: Case):
    page = logged_in(world.operator).get(reverse("cases:income", args=[renewal.public_id])).content.decode()
    ids = re.findall(r'<input (?![^>]*type="hidden")[^>]*id="([^"]+)"', page)
    assert len(ids) >= 4 * 36
    labels = set(re.findall(r'<label[^>]*for="([^"]+)"', page))
    assert [i for i in ids if i not in labels] == []
    assert reverse("cases:income_import", args=[renewal.public_id]) in page
