"""The public deadline calculator (REN-WINDOW, REN-DEADLINE, CAL-WORKING-DAYS)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from eligibility import selectors

URL = reverse("eligibility:deadlines")


@pytest.mark.django_db
def test_guide_example_window_and_latest_submission():
    """Guide 续签: expiry 2022-08-06 → window 2022-06-06 … 2022-08-05; the last calendar day in time is
    Sun 2022-07-10 (REN-DEADLINE: "the latest day shown is the last calendar day that is in time"),
    and the last working day before it is Fri 2022-07-08."""
    out = selectors.renewal_deadlines(date(2022, 8, 6), None)
    assert out["complete_by"] == date(2022, 8, 5)
    assert out["window_opens"] == date(2022, 6, 6)
    assert out["latest_submission"] == date(2022, 7, 10)
    assert out["latest_working_day"] == date(2022, 7, 8)
    assert out["latest_working_days"] == 20
    assert out["estimated"] is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("submitted", "in_time", "working_days"),
    [(date(2022, 7, 8), True, 20), (date(2022, 7, 11), False, 19)],
)
def test_planned_submission_one_working_day_each_side(submitted, in_time, working_days):
    """REN-DEADLINE boundary: Fri 2022-07-08 in time, Mon 2022-07-11 late (submission day not counted)."""
    out = selectors.renewal_deadlines(date(2022, 8, 6), submitted)
    assert out["planned"]["in_time"] is in_time
    assert out["planned"]["working_days"] == working_days


@pytest.mark.django_db
def test_page_shows_latest_working_day_without_internal_codes(client):
    """REN-DEADLINE (edition 2): the day shown is the latest working day, the guide's
    "8.5往前数20个工作日" = Fri 2022-07-08; the figures come from the parameters; no rule IDs."""
    response = client.get(URL, {"expires_on": "2022-08-06"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="latest-working-day">2022-07-08<' in body
    assert "2022-06-06 — 2022-08-05" in body
    for code in ("REN-", "CAL-", "CHG-", "P-LEAD", "estimated", "in_time"):
        assert code not in body
    assert "至少提前 20 个工作日" in body


@pytest.mark.django_db
def test_page_planned_submission_late_is_not_refused_but_warned(client):
    """REN-DEADLINE: Mon 2022-07-11 is late → the risk is the employer's and applicant's (review)."""
    body = client.get(URL, {"expires_on": "2022-08-06", "submitted_on": "2022-07-11"}).content.decode()
    assert "晚于最晚提交日" in body
    assert "责任由申请单位及申请人承担" in body
    body = client.get(URL, {"expires_on": "2022-08-06", "submitted_on": "2022-08-05"}).content.decode()
    assert "来不及" in body


@pytest.mark.django_db
def test_unpublished_year_is_a_marked_estimate_by_default(client):
    """CAL-WORKING-DAYS (edition 2): no tick needed; the answer is an estimate, clearly marked."""
    response = client.get(URL, {"expires_on": "2099-08-06"})
    assert response.status_code == 200
    assert not response.context["form"].errors
    outcome = response.context["outcome"]
    assert outcome["estimated"] is True
    assert outcome["latest_working_day"].weekday() < 5
    body = response.content.decode()
    assert 'data-testid="estimated"' in body
    assert "按国家法定节假日估算" in body
    assert "提前 2 个工作日留出余量" in body


@pytest.mark.django_db
def test_parameters_entered_in_the_back_office_reach_the_calculator(client, supervisor):
    """One door: a new P-LEAD-WORKING-DAYS / P-RENEWAL-WINDOW-DAYS moves the dates and the texts."""
    from eligibility import services

    services.add_parameter_value(
        supervisor,
        parameter_id="P-LEAD-WORKING-DAYS",
        effective_from=date(2022, 1, 1),
        value="21",
        citation="x",
    )
    services.add_parameter_value(
        supervisor,
        parameter_id="P-RENEWAL-WINDOW-DAYS",
        effective_from=date(2022, 1, 1),
        value="90",
        citation="x",
    )
    out = selectors.renewal_deadlines(date(2022, 8, 6), date(2022, 7, 8))
    assert out["latest_working_day"] == date(2022, 7, 7)
    assert out["window_opens"] == date(2022, 5, 7)
    assert out["planned"]["in_time"] is False
    body = client.get(URL, {"expires_on": "2022-08-06", "submitted_on": "2022-07-08"}).content.decode()
    assert "至少提前 21 个工作日" in body
    assert "90 日" in body


@pytest.mark.django_db
def test_expired_permit_is_warned_clearly(client):
    """REN-EXPIRED: 一旦过期，无法恢复 — the page says so when the expiry date is past."""
    body = client.get(URL, {"expires_on": "2022-08-06"}).content.decode()
    assert 'data-testid="expired"' in body
    assert "无法续签，也无法恢复" in body
    out = selectors.renewal_deadlines(date(2099, 8, 6), None, today=date(2099, 8, 5))
    assert out["expired"] is False
    assert selectors.renewal_deadlines(date(2099, 8, 6), None, today=date(2099, 8, 6))["expired"] is True


@pytest.mark.django_db
def test_bad_date_is_reported_at_the_field_and_kept(client):
    response = client.get(URL, {"expires_on": "2022-02-30"})
    assert "expires_on" in response.context["form"].errors
    body = response.content.decode()
    assert 'href="#id_expires_on"' in body
    assert "2022-02-30" in body


@pytest.mark.django_db
def test_empty_page_has_no_errors(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "error-summary" not in response.content.decode()


@pytest.mark.django_db
def test_entered_calendar_year_is_used(supervisor):
    from eligibility import services

    services.add_calendar_year(supervisor, year=2099, holidays=[date(2099, 7, 20)], workdays=[], citation="x")
    with_holiday = selectors.renewal_deadlines(date(2099, 8, 6), None)
    assert with_holiday["estimated"] is False
    services.add_calendar_year(supervisor, year=2099, holidays=[], workdays=[], citation="x")  # correction
    without = selectors.renewal_deadlines(date(2099, 8, 6), None)
    assert without["estimated"] is False
    # one working day fewer before complete_by moves the latest submission one working day earlier
    assert with_holiday["latest_submission"] < without["latest_submission"]


@pytest.mark.django_db
def test_page_in_english(client):
    client.cookies["django_language"] = "en"
    body = client.get(URL, {"expires_on": "2022-08-06"}).content.decode()
    assert "Renewal deadline calculator" in body
    assert "Latest submission day (working day)" in body
    assert "2022-07-08" in body


@pytest.mark.django_db
def test_latest_submission_sunday_is_explained_after_the_working_day(client):
    """REN-DEADLINE: Sun 2022-07-10 is still in time; the page shows Fri 07-08 and explains the Sunday."""
    out = selectors.renewal_deadlines(date(2022, 8, 6), date(2022, 7, 10))
    assert out["planned"]["in_time"] is True
    late = selectors.renewal_deadlines(date(2022, 8, 6), date(2022, 7, 11))
    assert late["planned"]["in_time"] is False and late["planned"]["late"] is True
    body = client.get(URL, {"expires_on": "2022-08-06"}).content.decode()
    assert 'data-testid="latest-submission"' in body
    assert "其后至 2022-07-10 为休息日" in body


@pytest.mark.django_db
def test_planned_day_on_expiry_is_marked_expired(client):
    """REN-EXPIRED: a submission on the expiry day."""
    body = client.get(URL, {"expires_on": "2022-08-06", "submitted_on": "2022-08-06"}).content.decode()
    assert "该日证件已过期，无法续签或恢复" in body
