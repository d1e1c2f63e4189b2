"""The contract's input: the facts of one case on its acceptance date (`eligibility-contract.md`).

Every model forbids unknown keys and is strict: enumerations are `Literal`, money is whole yuan
(`int`; a float or a string is rejected), dates are ISO `YYYY-MM-DD` strings parsed to `date`,
months `YYYY-MM` strings. Facts a rule needs default to `None` (or an empty list) so that a missing
fact makes that rule fail with "not provided" instead of crashing (contract, Input). The optional
facts of `materials.md` carry the defaults listed there.

`parse_facts(data)` validates a decoded JSON object and raises `InvalidFacts` with
`(path, message)` pairs such as `("applicant.birth_date", "not a date: '1990-13-01'")`.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from policy.errors import InvalidFacts

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _to_date(value: object) -> object:
    """Accept a `date` or an ISO `YYYY-MM-DD` string; anything else is `not a date`."""
    if type(value) is date:
        return value
    if type(value) is str:
        parsed = _iso_date(value)
        if parsed is not None:
            return parsed
    raise ValueError(f"not a date: {value!r}")


@lru_cache(maxsize=8192)
def _iso_date(value: str) -> date | None:
    """The date of an ISO string, or None; cached, since cases share most of their dates."""
    if len(value) == 10 and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return None


def _to_month(value: object) -> object:
    if type(value) is str and _is_month(value):
        return value
    raise ValueError(f"not a month (YYYY-MM): {value!r}")


@lru_cache(maxsize=4096)
def _is_month(value: str) -> bool:
    return len(value) == 7 and _ISO_MONTH.fullmatch(value) is not None


def _to_percent(value: object) -> object:
    if type(value) is Decimal:
        return value
    if type(value) is int or type(value) is float:
        return Decimal(str(value))
    raise ValueError(f"not a number: {value!r}")


IsoDate = Annotated[date, BeforeValidator(_to_date)]
"""A calendar date, written `YYYY-MM-DD` in JSON."""

Month = Annotated[str, BeforeValidator(_to_month)]
"""A calendar month, `YYYY-MM`."""

Money = Annotated[int, Field(ge=0)]
"""Whole yuan, never negative."""

Percent = Annotated[Decimal, BeforeValidator(_to_percent), Field(ge=0, le=100)]

Business = Literal["new", "renewal", "employer_change", "info_change"]
EmployerKind = Literal[
    "enterprise",
    "public_institution",
    "private_non_enterprise",
    "social_organization",
    "professional_partnership",
    "other",
]
RetirementCategory = Literal["male", "female_55", "female_50"]
Hukou = Literal["non_beijing", "beijing", "beijing_collective", "beijing_school_temporary"]
ResidenceKind = Literal["residence_card", "owned", "rented", "employer_housing", "relatives"]
Landlord = Literal["resident_household", "rural_homestead", "other"]
Degree = Literal["none", "associate", "bachelor", "master", "doctor"]
Title = Literal["junior", "intermediate", "deputy_senior", "senior", "equivalent"]
TitleRoute = Literal["exam", "review"]
EducationVerification = Literal["valid", "manual"]
AwardLevel = Literal["national", "ministerial", "provincial"]
AwardRegion = Literal["beijing", "other"]
AwardField = Literal["science", "arts", "social_science"]
IPKind = Literal["invention_patent", "utility_model", "design_patent", "software_copyright"]
Parents = Literal["married", "unmarried", "divorced"]
Change = Literal["child", "address", "hukou_address", "other"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Employer(_Model):
    """申请单位 (ORG-*). Flags absent from the input are `None` (see the rules for how each is read)."""

    kind: EmployerKind | None = None
    registered_district: str | None = None
    tax_registered_on: IsoDate | None = None
    registered_capital: Money | None = None
    annual_tax: Money | None = None
    ai_key_area: bool | None = None
    growth_tech: bool | None = None
    innovation_entity: bool | None = None
    service_entity: bool | None = None
    receive_only: bool | None = None
    sanctioned: bool | None = None


class Residence(_Model):
    """APP-RESIDENCE; `landlord` (rented) and `co_owned` (relatives) are materials.md facts."""

    kind: ResidenceKind | None = None
    in_beijing: bool | None = None
    residential: bool | None = None
    landlord: Landlord = "other"
    co_owned: bool = False


class SameEmployer(_Model):
    """APP-SAME-EMPLOYER: who holds the contract, withholds tax and pays social insurance."""

    contract: bool | None = None
    tax_withholding: bool | None = None
    social_insurance: bool | None = None


class MonthlyIncome(_Model):
    """One month of taxable income (APP-INCOME-INTEGRITY, APP-INCOME-RECENT, REN-INCOME-3Y)."""

    month: Month
    amount: Money
    corrected: bool = False
    original_amount: Money | None = None

    @property
    def is_corrected(self) -> bool:
        """A corrected month (更正申报): flagged, or carrying the amount first declared."""
        return self.corrected or self.original_amount is not None

    @property
    def counted_amount(self) -> int:
        """The amount the money rules use (APP-INCOME-INTEGRITY, edition 2): 更正无效, so a
        corrected month that carries `original_amount` counts the original declaration."""
        return self.amount if self.original_amount is None else self.original_amount


class AnnualIncome(_Model):
    """Taxable income (or, for `freelancer_annual_tax`, tax paid) in one calendar year."""

    year: Annotated[int, Field(ge=1900, le=2200)]
    amount: Money


class WorkPeriod(_Model):
    """A declared period of work (CL1-DEGREE-EXPERIENCE); `end` null means ongoing."""

    start: IsoDate
    end: IsoDate | None = None


class Award(_Model):
    """CL3-AWARD; `region` tells a `provincial` award of Beijing (本市) from another region's."""

    level: AwardLevel
    prize: Annotated[int, Field(ge=1)]
    field: AwardField
    region: AwardRegion | None = None


class IP(_Model):
    """CL6-IP."""

    kind: IPKind
    author_rank: Annotated[int, Field(ge=1)]


class Startup(_Model):
    """CL7-STARTUP: money in whole yuan, shareholding in percent."""

    self_investment_3y: Money | None = None
    equity_financing: Money | None = None
    average_annual_tax_3y: Money | None = None
    shareholding_percent: Percent | None = None
    shareholder_rank: Annotated[int, Field(ge=1)] | None = None


class Child(_Model):
    """An accompanying child (CHILD-MINOR); `parents` is a materials.md fact.

    `added`: the child is being added by this case (None: the business decides, see
    `Facts.child_added`); `sole_custody`: a divorced applicant raises the child alone (null: unknown).
    """

    birth_date: IsoDate | None = None
    hukou: Hukou | None = None
    parents: Parents = "married"
    added: bool | None = None
    sole_custody: bool | None = None


class Applicant(_Model):
    """申请人 (APP-*, CL1–CL8)."""

    birth_date: IsoDate | None = None
    retirement_category: RetirementCategory | None = None
    hukou: Hukou | None = None
    employed_since: IsoDate | None = None
    residence: Residence | None = None
    same_employer: SameEmployer | None = None
    social_insurance_continuous: bool | None = None
    monthly_income: list[MonthlyIncome] = Field(default_factory=list)
    annual_income: list[AnnualIncome] = Field(default_factory=list)
    degree: Degree | None = None
    work_periods: list[WorkPeriod] = Field(default_factory=list)
    title: Title | None = None
    awards: list[Award] = Field(default_factory=list)
    ip: list[IP] = Field(default_factory=list)
    ip_commercialised_in_beijing: bool | None = None
    startup: Startup | None = None
    freelancer_annual_tax: list[AnnualIncome] = Field(default_factory=list)
    sanctioned: bool | None = None
    children: list[Child] = Field(default_factory=list)
    education_verification: EducationVerification = "valid"
    title_route: TitleRoute | None = None
    title_verifiable_online: bool = True
    award_verifiable_online: bool = True


class Permit(_Model):
    """The permit held (renewal, employer change, information change).

    Edition 2 facts: `held_since` (first issued; null: unknown), `intermediate_employers`
    (CHG-ONE-BY-ONE), `resignation_cert_on_file` (materials.md: the former employer uploaded the
    certificate at dissociation in this system)."""

    expires_on: IsoDate | None = None
    employer_change_pending: bool | None = None
    migrated: bool = False
    held_since: IsoDate | None = None
    intermediate_employers: Annotated[int, Field(ge=0)] = 0
    resignation_cert_on_file: bool = True


class Document(_Model):
    """A document with its end date and issue date (DOC-VALIDITY, DOC-RECENCY)."""

    kind: str
    valid_until: IsoDate | None = None
    issued_on: IsoDate | None = None


class Facts(_Model):
    """The whole input of the eligibility check and the materials checklist."""

    business: Business
    as_of: IsoDate
    submitted_on: IsoDate | None = None
    employer: Employer = Field(default_factory=Employer)
    applicant: Applicant = Field(default_factory=Applicant)
    permit: Permit | None = None
    documents: list[Document] = Field(default_factory=list)
    claimed_clause: Annotated[int, Field(ge=1, le=8)] | None = None
    changes: list[Change] = Field(default_factory=list)

    @field_validator("submitted_on")
    @classmethod
    def _not_after_acceptance(cls, value: date | None, info: ValidationInfo) -> date | None:
        """`as_of` (受理日) before `submitted_on` is invalid input (contract, edition 2)."""
        as_of = info.data.get("as_of")
        if value is not None and as_of is not None and as_of < value:
            raise ValueError(
                f"after as_of ({as_of.isoformat()}): a case is accepted on or after its submission"
            )
        return value

    def child_added(self, child: Child) -> bool:
        """CHILD-MINOR: is `child` being added by this case? `new`: always; `info_change`: its
        `added`, defaulting to true when `changes` contains `child`; other businesses: never."""
        if self.business == "new":
            return True
        if self.business == "info_change":
            return child.added if child.added is not None else "child" in self.changes
        return False

    @property
    def submission_date(self) -> date:
        """`submitted_on`, defaulting to `as_of` (contract: documents are judged against it)."""
        return self.submitted_on if self.submitted_on is not None else self.as_of


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.startswith(("function-", "literal[", "int", "str", "bool")) and out:
            continue
        else:
            out += f".{part}" if out else part
    return out or "(root)"


def _message(error: Any) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required"
    if kind == "value_error":
        cause = error.get("ctx", {}).get("error")
        return str(cause) if cause is not None else str(error["msg"])
    if kind == "literal_error":
        return f"{error['input']!r} is not one of {error['ctx']['expected']}"
    if kind in ("int_type", "bool_type", "string_type", "model_type", "list_type", "dict_type"):
        expected = {
            "int_type": "a whole number",
            "bool_type": "true or false",
            "string_type": "a string",
            "model_type": "an object",
            "dict_type": "an object",
            "list_type": "a list",
        }[kind]
        return f"not {expected}: {error['input']!r}"
    return str(error["msg"])


def parse_facts(data: dict[str, Any]) -> Facts:
    """Validate a decoded JSON object against the contract; raise `InvalidFacts` on any error."""
    if not isinstance(data, dict):
        raise InvalidFacts([("(root)", f"not an object: {type(data).__name__}")])
    try:
        return Facts.model_validate(data)
    except ValidationError as exc:
        errors = [(_path(tuple(e["loc"])), _message(e)) for e in exc.errors(include_url=False)]
        raise InvalidFacts(errors) from None


def parse_facts_json(text: str | bytes) -> Facts:
    """Validate the facts straight from JSON text, without building the intermediate dicts.

    Exactly `parse_facts(json.loads(text))`: whatever the JSON path refuses (invalid JSON, a lone
    surrogate, a wrong field) is parsed again that way, so errors and messages are the same.
    """
    try:
        return Facts.model_validate_json(text)
    except ValidationError:
        return parse_facts(json.loads(text))
