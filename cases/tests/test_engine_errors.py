"""Engine errors reach users in their language, naming what is missing and who can enter it."""

from datetime import date

from django.utils import translation

from cases import engine
from policy.errors import CalendarYearUnpublished, ParameterMissing


def test_unpublished_calendar_year_is_explained_in_chinese():
    text = engine.explain(CalendarYearUnpublished(2028))
    assert "2028 年的工作日历尚未公布" in text
    assert "CAL-WORKING-DAYS" in text


def test_missing_parameter_is_explained_with_its_date():
    text = engine.explain(ParameterMissing("P-WAGE-MONTHLY", date(2024, 5, 1)))
    assert "P-WAGE-MONTHLY" in text and "2024-05-01" in text


def test_explanation_in_english():
    with translation.override("en"):
        text = engine.explain(CalendarYearUnpublished(2028))
    assert "2028" in text and "not published" in text
