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
def test_page_shows_latest_day_and_rule_ids(client):
    response = client.get(URL, {"expires_on": "2022-08-06"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "2022-07-08" in body
    assert "2022-06-06 — 2022-08-05" in body
    assert "REN-WINDOW" in body
    assert "REN-DEADLINE" in body
    assert "20 个工作日" in body


@pytest.mark.django_db
def test_page_planned_submission_late(client):
    body = client.get(URL, {"expires_on": "2022-08-06", "submitted_on": "2022-07-11"}).content.decode()
    assert "来不及" in body


@pytest.mark.django_db
def test_unpublished_year_is_an_explicit_error(client):
    """CAL-WORKING-DAYS: never a silent guess."""
    response = client.get(URL, {"expires_on": "2099-08-06"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "estimate" in form.errors
    assert "2099 年的工作日历尚未公布" in form.errors["estimate"][0]
    assert response.context["outcome"] is None
    assert 'href="#id_estimate"' in response.content.decode()


@pytest.mark.django_db
def test_unpublished_year_with_estimate_is_clearly_marked(client):
    response = client.get(URL, {"expires_on": "2099-08-06", "estimate": "on"})
    outcome = response.context["outcome"]
    assert outcome["estimated"] is True
    assert (outcome["latest_working_day"] or outcome["latest_submission"]).weekday() < 5
    body = response.content.decode()
    assert "估算" in body
    assert "按周一至周五估算" in body


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
    assert "Latest submission day" in body
    assert "2022-07-08" in body


@pytest.mark.django_db
def test_latest_working_day_is_explained_when_the_latest_day_is_not_a_working_day(client):
    """REN-DEADLINE: Sun 2022-07-10 is still in time; the page names Fri 07-08 as the last working day."""
    out = selectors.renewal_deadlines(date(2022, 8, 6), date(2022, 7, 10))
    assert out["planned"]["in_time"] is True
    late = selectors.renewal_deadlines(date(2022, 8, 6), date(2022, 7, 11))
    assert late["planned"]["in_time"] is False
    body = client.get(URL, {"expires_on": "2022-08-06"}).content.decode()
    assert "2022-07-10" in body
    assert "最后一个工作日为 2022-07-08" in body


@pytest.mark.django_db
def test_planned_day_after_expiry_is_marked_expired(client):
    """REN-EXPIRED."""
    body = client.get(URL, {"expires_on": "2022-08-06", "submitted_on": "2022-08-06"}).content.decode()
    assert "证件已过期" in body
    assert "来不及" in body
