"""The evaluation context shared by the rules: parameters in force, calendar, language, and the
record of which parameter values were used (reported in the result's `parameters`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from policy.calendar import WorkingDayCalendar
from policy.dates import month_index
from policy.facts import Facts, MonthlyIncome
from policy.messages import render
from policy.parameters import Lookup, ParameterSet
from policy.result import Check, Outcome, new_check


class Context:
    """Everything a rule needs besides the facts; `as_of` is the acceptance date (四（九）)."""

    __slots__ = (
        "_in_force",
        "_income",
        "as_of",
        "calendar",
        "facts",
        "lang",
        "memo",
        "parameters",
        "submitted_on",
        "used",
    )

    def __init__(
        self, facts: Facts, parameters: ParameterSet, calendar: WorkingDayCalendar | None, lang: str
    ) -> None:
        self.facts = facts
        self.parameters = parameters
        self.calendar = calendar
        self.lang = "en" if lang.lower().startswith("en") else "zh"
        self.as_of: date = facts.as_of
        self.submitted_on: date = facts.submission_date
        self.used: dict[int, Lookup] = {}
        self._in_force = parameters.in_force(self.as_of)
        self._income: dict[int, MonthlyIncome] | None = None
        self.memo: dict[object, Any] = {}

    def lookup(self, parameter_id: str, on: date | None = None) -> Lookup:
        """The parameter in force on `on` (default `as_of`), recorded as used (once per entry)."""
        if on is None:
            found = self._in_force.get(parameter_id)
            if found is None:
                found = self._in_force[parameter_id] = self.parameters.lookup(parameter_id, self.as_of)
        else:
            found = self.parameters.lookup(parameter_id, on)
        # Lookups are interned per (parameter, entry, fallback), so identity is that triple.
        self.used.setdefault(id(found), found)
        return found

    def number(self, parameter_id: str, on: date | None = None) -> int | Decimal:
        return self.lookup(parameter_id, on).value

    def integer(self, parameter_id: str, on: date | None = None) -> int:
        """The value as a whole number; the common case (in force on `as_of`, seen before) inline."""
        found = self._in_force.get(parameter_id) if on is None else None
        if found is None:
            return int(self.lookup(parameter_id, on).value)
        self.used.setdefault(id(found), found)
        return int(found.value)

    def check(self, rule: str, outcome: Outcome, key: str, facts: dict[str, Any], **values: Any) -> Check:
        """A check whose message is the `key` template rendered with `facts` and `values`."""
        message = render(key, self.lang, {**facts, **values} if values else facts)
        return new_check(rule, outcome, message, facts)

    def not_provided(self, rule: str, *fields: str) -> Check:
        """A needed fact is missing: the rule fails with "not provided" (contract, Input)."""
        names = ", ".join(fields)
        message = render("not_provided", self.lang, {"fields": names})
        return new_check(rule, "fail", message, {"not_provided": list(fields)})

    def income_by_month(self) -> dict[int, MonthlyIncome]:
        """Monthly income records by running month number (a month listed twice keeps the last)."""
        if self._income is None:
            self._income = {month_index(r.month): r for r in self.facts.applicant.monthly_income}
        return self._income
