"""The Haidian guide for the Beijing Work Residence Permit as executable, explainable rules.

Pure Python: this package never imports Django.
"""

from __future__ import annotations

from policy.errors import CalendarYearUnpublished, InvalidFacts, ParameterMissing, PolicyError
from policy.facts import Facts, parse_facts

ENGINE_VERSION = "1.0.0"

__all__ = [
    "ENGINE_VERSION",
    "CalendarYearUnpublished",
    "Facts",
    "InvalidFacts",
    "ParameterMissing",
    "PolicyError",
    "parse_facts",
]
