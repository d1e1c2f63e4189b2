"""The Haidian guide for the Beijing Work Residence Permit as executable, explainable rules.

Pure Python: this package never imports Django.
"""

from __future__ import annotations

from policy.calendar import WorkingDayCalendar, YearCalendar
from policy.errors import CalendarYearUnpublished, InvalidFacts, ParameterMissing, PolicyError
from policy.evaluate import ENGINE_VERSION, evaluate
from policy.facts import Facts, parse_facts, parse_facts_json
from policy.parameters import Lookup, ParameterSet, ParameterValue, load_parameters
from policy.result import Result

__all__ = [
    "ENGINE_VERSION",
    "CalendarYearUnpublished",
    "Facts",
    "InvalidFacts",
    "Lookup",
    "ParameterMissing",
    "ParameterSet",
    "ParameterValue",
    "PolicyError",
    "Result",
    "WorkingDayCalendar",
    "YearCalendar",
    "evaluate",
    "load_parameters",
    "parse_facts",
    "parse_facts_json",
]
