"""Errors raised by the policy engine.

Every error a caller must turn into "invalid input" (CLI exit 2, HTTP 422) derives from
`PolicyError`. `InvalidFacts` lists the field errors; `ParameterMissing` and
`CalendarYearUnpublished` say that a value needed on the case's dates is not in force
(P-FALLBACK: a date before the first entry is an error, never a guess; CAL-WORKING-DAYS: a
year whose working-day calendar is not published is an explicit error).
"""

from __future__ import annotations

from datetime import date


class PolicyError(Exception):
    """Base class: the engine cannot evaluate the case as given."""


class InvalidFacts(PolicyError):
    """The input does not match the contract.

    `errors` is a list of `(path, message)`, e.g. `("applicant.birth_date", "not a date: '1990-13-01'")`;
    `str(error)` is one line per error, `path: message`.
    """

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(f"{path}: {message}" for path, message in self.errors))


class ParameterMissing(PolicyError):
    """A parameter has no entry in force on the date asked (before its first entry), or is unknown."""

    def __init__(self, parameter_id: str, on: date, reason: str | None = None) -> None:
        self.parameter_id = parameter_id
        self.on = on
        self.reason = reason or "no value in force"
        super().__init__(f"{parameter_id}: {self.reason} on {on.isoformat()}")


class CalendarYearUnpublished(PolicyError):
    """The working-day calendar of `year` is not published (CAL-WORKING-DAYS)."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"CAL-WORKING-DAYS: the working-day calendar for {year} is not published; "
            "enter it in the back office or ask for an estimate"
        )
