"""Supervisors' back office: parameter values (P-FALLBACK) and working-day calendars (CAL-WORKING-DAYS)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.testing import login_staff, make_user
from eligibility import services
from eligibility.models import AppendOnlyError, CalendarYear, ParameterValue

PARAMS_URL = reverse("eligibility:admin_parameters")
CALENDAR_URL = reverse("eligibility:admin_calendar")


def post_value(client, **overrides):
    data = {
        "parameter_id": "P-WAGE-MONTHLY",
        "effective_from": "2026-01-01",
        "value": "12345",
        "citation": "北京市人力资源和社会保障局 2026 年公告",
    }
    data.update(overrides)
    return client.post(PARAMS_URL, data)


# --- access -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", [PARAMS_URL, CALENDAR_URL])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.APPLICANT, Role.OPERATOR])
@pytest.mark.parametrize("url", [PARAMS_URL, CALENDAR_URL])
def test_applicants_and_operators_get_404(client, role, url):
    client.force_login(make_user(role))
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", [PARAMS_URL, CALENDAR_URL])
def test_reviewer_gets_404_even_with_second_factor(client, url):
    login_staff(client, make_user(Role.REVIEWER))
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_reviewer_cannot_enter_a_value(client):
    login_staff(client, make_user(Role.REVIEWER))
    assert post_value(client).status_code == 404
    assert not ParameterValue.objects.exists()


@pytest.mark.django_db
def test_supervisor_without_second_factor_is_sent_to_otp(client):
    client.force_login(make_user(Role.SUPERVISOR))
    response = client.get(PARAMS_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/otp/")


def test_supervisor_sees_shipped_values(supervisor_client):
    body = supervisor_client.get(PARAMS_URL).content.decode()
    assert "P-WAGE-MONTHLY" in body
    assert "11761" in body
    assert "系统内置" in body


# --- entering a parameter value ---------------------------------------------------------------


def test_entered_value_extends_the_shipped_ones_from_its_date(supervisor_client, supervisor):
    """P-FALLBACK: the new figure applies from 2026-01-01; 2025 cases keep 11761."""
    response = post_value(supervisor_client)
    assert response.status_code == 302
    entry = ParameterValue.objects.get()
    assert (entry.parameter_id, entry.effective_from, entry.value) == (
        "P-WAGE-MONTHLY",
        date(2026, 1, 1),
        "12345",
    )
    assert entry.entered_by == supervisor
    parameters = services.current_parameters()
    assert parameters.lookup("P-WAGE-MONTHLY", date(2026, 2, 1)).value == 12345
    assert parameters.lookup("P-WAGE-MONTHLY", date(2026, 2, 1)).fallback is False
    assert parameters.lookup("P-WAGE-MONTHLY", date(2025, 12, 1)).value == 11761
    page = supervisor_client.get(PARAMS_URL).content.decode()
    assert "12345" in page
    assert supervisor.username in page
    assert "后台录入" in page


def test_cache_is_rebuilt_after_a_write(supervisor_client):
    before = services.current_parameters()
    assert before is services.current_parameters()
    post_value(supervisor_client)
    after = services.current_parameters()
    assert after is not before
    assert after.lookup("P-WAGE-MONTHLY", date(2026, 3, 1)).value == 12345


def test_decimal_value_for_a_multiple(supervisor_client):
    response = post_value(supervisor_client, parameter_id="P-MULT-ENTERPRISE", value="1.6")
    assert response.status_code == 302
    from decimal import Decimal

    assert services.current_parameters().lookup("P-MULT-ENTERPRISE", date(2026, 1, 1)).value == Decimal("1.6")


def test_a_later_entry_for_the_same_date_corrects_the_earlier(supervisor_client):
    post_value(supervisor_client, value="12345")
    post_value(supervisor_client, value="12346")
    assert ParameterValue.objects.count() == 2
    assert services.current_parameters().lookup("P-WAGE-MONTHLY", date(2026, 1, 1)).value == 12346
    assert "已更正" in supervisor_client.get(PARAMS_URL).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"value": "12345.5"}, "value", "不要填小数"),
        ({"value": "1.2e4"}, "value", "非负数"),
        ({"value": "-1"}, "value", "非负数"),
        ({"value": "abc"}, "value", "非负数"),
        ({"citation": "   "}, "citation", ""),
        ({"effective_from": "2024-12-31"}, "effective_from", "2025-01-01"),
        ({"parameter_id": "P-NOT-A-PARAMETER"}, "parameter_id", ""),
    ],
)
def test_invalid_values_are_refused_at_the_field(supervisor_client, overrides, field, message):
    response = post_value(supervisor_client, **overrides)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert not ParameterValue.objects.exists()
    body = response.content.decode()
    assert "error-summary" in body
    assert f'href="#id_{field}"' in body
    # nothing typed is lost
    for value in overrides.values():
        if value.strip():
            assert value in body


def test_first_entry_date_itself_is_allowed(supervisor_client):
    assert post_value(supervisor_client, effective_from="2025-01-01", value="11762").status_code == 302
    assert services.current_parameters().lookup("P-WAGE-MONTHLY", date(2025, 6, 1)).value == 11762


@pytest.mark.django_db
def test_parameter_values_are_append_only(supervisor):
    entry = services.add_parameter_value(
        supervisor,
        parameter_id="P-WAGE-MONTHLY",
        effective_from=date(2026, 1, 1),
        value="12000",
        citation="x",
    )
    entry.value = "1"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


@pytest.mark.django_db
def test_only_supervisors_may_write_through_the_service():
    with pytest.raises(PermissionError):
        services.add_parameter_value(
            make_user(Role.REVIEWER),
            parameter_id="P-WAGE-MONTHLY",
            effective_from=date(2026, 1, 1),
            value="12000",
            citation="x",
        )


# --- calendar years ---------------------------------------------------------------------------


def post_year(client, **overrides):
    data = {
        "year": "2099",
        "holidays": "2099-01-01\n2099-10-01~2099-10-07",
        "workdays": "2099-09-26",
        "citation": "国办发明电〔2098〕1号",
    }
    data.update(overrides)
    return client.post(CALENDAR_URL, data)


def test_new_year_calendar_is_used_for_working_days(supervisor_client, supervisor):
    """CAL-WORKING-DAYS: an unpublished year becomes computable once entered."""
    from policy.errors import CalendarYearUnpublished

    with pytest.raises(CalendarYearUnpublished):
        services.current_calendar().is_working_day(date(2099, 10, 2))
    assert post_year(supervisor_client).status_code == 302
    entry = CalendarYear.objects.get()
    assert entry.entered_by == supervisor
    assert len(entry.holidays) == 8
    calendar = services.current_calendar()
    assert calendar.is_working_day(date(2099, 10, 2)) is False  # a Friday inside the holiday
    assert calendar.is_working_day(date(2099, 9, 26)) is True  # a Saturday made a working day
    assert calendar.is_working_day(date(2099, 10, 8)) is True
    page = supervisor_client.get(CALENDAR_URL).content.decode()
    assert "2099-10-07" in page
    assert "国办发明电" in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"holidays": "2098-12-31"}, "holidays"),
        ({"holidays": "2099-13-01"}, "holidays"),
        ({"holidays": "2099-10-07~2099-10-01"}, "holidays"),
        ({"workdays": "2099-09-28"}, "workdays"),  # a Monday is not a make-up day
        ({"workdays": "2099-10-03"}, "workdays"),  # both a holiday and a working day
        ({"citation": ""}, "citation"),
    ],
)
def test_invalid_calendar_is_refused_at_the_field(supervisor_client, overrides, field):
    response = post_year(supervisor_client, **overrides)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not CalendarYear.objects.exists()
    body = response.content.decode()
    assert f'href="#id_{field}"' in body


@pytest.mark.django_db
def test_calendar_years_are_append_only(supervisor):
    entry = services.add_calendar_year(
        supervisor, year=2099, holidays=[date(2099, 1, 1)], workdays=[], citation="x"
    )
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


# --- home panel -------------------------------------------------------------------------------


def test_supervisor_home_shows_the_panel(supervisor_client):
    body = supervisor_client.get(reverse("core:home")).content.decode()
    assert "政策参数与工作日历" in body
    assert PARAMS_URL in body
    assert CALENDAR_URL in body


@pytest.mark.django_db
def test_reviewer_home_has_no_panel(client):
    login_staff(client, make_user(Role.REVIEWER))
    assert "政策参数与工作日历" not in client.get(reverse("core:home")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("parameter_id", "effective_from", "value", "citation"),
    [
        ("P-UNKNOWN", date(2026, 1, 1), "1", "x"),
        ("P-WAGE-MONTHLY", date(2024, 12, 31), "12000", "x"),
        ("P-WAGE-MONTHLY", date(2026, 1, 1), "12000.5", "x"),
        ("P-WAGE-MONTHLY", date(2026, 1, 1), "1.2e4", "x"),
        ("P-WAGE-MONTHLY", date(2026, 1, 1), "-5", "x"),
        ("P-WAGE-MONTHLY", date(2026, 1, 1), "12000", "  "),
    ],
)
def test_service_refuses_values_the_engine_could_not_use(
    supervisor, parameter_id, effective_from, value, citation
):
    with pytest.raises(services.InvalidParameterValue):
        services.add_parameter_value(
            supervisor,
            parameter_id=parameter_id,
            effective_from=effective_from,
            value=value,
            citation=citation,
        )
    assert not ParameterValue.objects.exists()


def test_table_shows_the_value_in_force_on_a_day(supervisor_client):
    from eligibility import selectors

    post_value(supervisor_client)
    rows = {row.parameter_id: row for row in selectors.parameter_table(date(2026, 2, 1))}
    current = rows["P-WAGE-MONTHLY"].current
    assert current is not None
    assert str(current["value"]) == "12345"
    assert rows["P-WAGE-MONTHLY"].entered_count == 1
    earlier = {row.parameter_id: row for row in selectors.parameter_table(date(2025, 6, 1))}
    before = earlier["P-WAGE-MONTHLY"].current
    assert before is not None
    assert before["value"] == 11761
    response = supervisor_client.get(PARAMS_URL, {"id": "P-WAGE-MONTHLY"})
    assert '<details id="P-WAGE-MONTHLY" class="parameter" open>' in response.content.decode()
    assert response.context["form"]["parameter_id"].value() == "P-WAGE-MONTHLY"
