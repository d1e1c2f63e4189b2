"""Policy parameters (rules.md section 1) as dated data.

Each parameter is one YAML file under `data/<topic>/<ID>.yaml`:

```yaml
id: P-WAGE-MONTHLY
unit: CNY/month
period: calendar_year        # or `none`; see "P-FALLBACK" below
description: ...
values:
  - {effective_from: 2025-01-01, value: 11761, citation: "指南 三（二） 表"}
printed:                     # optional: figures printed in the guide, reproduced by a test
  - {kind: monthly_threshold, multiple: "1.5", on: 2025-01-01, value: 17641, citation: "..."}
```

Money is whole yuan (`int`); fractional values (multiples) are written as strings and read as
`Decimal`. A YAML float is rejected, as are unknown keys and values without a citation.

P-FALLBACK: `ParameterSet.lookup(id, on)` returns the latest entry whose `effective_from` is on or
before `on`; before the first entry it raises `ParameterMissing`. `fallback` is true when the
*period* of `on` has no entry of its own, where the period depends on the parameter:

- `period: calendar_year` (P-WAGE-MONTHLY: "申报月所处时期 2025年", the figure is published per year
  of application; P-WAGE-ANNUAL: the average wage of one calendar year, looked up on 1 January of
  that year): the entry in force was published for an earlier calendar year than the one asked.
  This is the guide's 注 "未公布新一年度…前，参照上一年度执行".
- `period: none` (every rule parameter: multiples, months, days, amounts): a value stays in force
  until the authority replaces it, so it is never a fallback.

Rule parameters (multiples, months, days, amounts) carry `effective_from: 2019-01-01`: the guide
states them without a start date; this project dates them from 京组通〔2019〕9号, the most recent
policy basis the guide cites before its own, so that the guide's 2022 renewal example can be
evaluated. The wage figures carry the dates the guide prints.

Values entered by the authority in the back office are passed to `load_parameters(extra_values)`
and extend the shipped entries; an extra value with the same `effective_from` as a shipped entry
replaces it (a correction).
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from policy.errors import ParameterMissing, PolicyError

DATA_DIR = Path(__file__).resolve().parent / "data"

Number = int | Decimal


def _to_number(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, float):
        raise ValueError(
            f"a float is not allowed ({value!r}); write money as an integer, other values as a string"
        )
    if isinstance(value, str):
        try:
            number = Decimal(value)
        except ArithmeticError:
            raise ValueError(f"not a number: {value!r}") from None
        if not number.is_finite():
            raise ValueError(f"not a number: {value!r}")
        return number
    raise ValueError(f"not a number: {value!r}")


def _to_date(value: object) -> object:
    if type(value) is date:
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"not a date: {value!r}")


Value = Annotated[int | Decimal, BeforeValidator(_to_number)]
EffectiveDate = Annotated[date, BeforeValidator(_to_date)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Entry(_Strict):
    """One dated value of a parameter."""

    effective_from: EffectiveDate
    value: Value
    citation: Annotated[str, Field(min_length=1)]
    entered_by: str | None = None
    entered_at: datetime | None = None


class Printed(_Strict):
    """A figure printed in the guide that the engine must reproduce (see `policy.money`)."""

    kind: Literal["monthly_threshold", "window_total", "annual_threshold"]
    multiple: Value
    value: int
    citation: Annotated[str, Field(min_length=1)]
    on: EffectiveDate | None = None
    months: int | None = None
    income_year: int | None = None


class ParameterDefinition(_Strict):
    """The schema of one YAML file."""

    id: Annotated[str, Field(pattern=r"^P-[A-Z0-9-]+$")]
    unit: str
    description: Annotated[str, Field(min_length=1)]
    period: Literal["calendar_year", "none"] = "none"
    values: Annotated[list[Entry], Field(min_length=1)]
    printed: list[Printed] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ParameterValue:
    """A value entered by the authority (back office), passed to `load_parameters`."""

    parameter_id: str
    effective_from: date
    value: int | Decimal
    citation: str
    entered_by: str | None = None
    entered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Lookup:
    """The value of a parameter on a date, the entry it comes from, and whether it is a fallback."""

    parameter_id: str
    value: int | Decimal
    effective_from: date
    fallback: bool
    citation: str


class InvalidParameterFile(PolicyError):
    """A shipped or entered parameter value does not match the schema."""


def _period_start(period: str, on: date) -> date:
    if period == "calendar_year":
        return date(on.year, 1, 1)
    return date.min


class Parameter:
    """All dated entries of one parameter, sorted by `effective_from`."""

    __slots__ = ("_dates", "definition", "entries")

    def __init__(self, definition: ParameterDefinition, entries: list[Entry]) -> None:
        self.definition = definition
        by_date = {e.effective_from: e for e in entries}
        self.entries = [by_date[d] for d in sorted(by_date)]
        self._dates = [e.effective_from for e in self.entries]

    @property
    def id(self) -> str:
        return self.definition.id

    def lookup(self, on: date) -> Lookup:
        index = bisect_right(self._dates, on) - 1
        if index < 0:
            first = self._dates[0].isoformat()
            raise ParameterMissing(self.id, on, f"no value in force (first entry {first})")
        entry = self.entries[index]
        fallback = entry.effective_from < _period_start(self.definition.period, on)
        return Lookup(self.id, entry.value, entry.effective_from, fallback, entry.citation)


def _json_value(value: int | Decimal) -> int | str:
    return value if isinstance(value, int) else str(value)


class ParameterSet:
    """The parameters the engine evaluates with: shipped entries plus those entered by the authority."""

    def __init__(self, parameters: dict[str, Parameter]) -> None:
        self.parameters = parameters
        self._cache: dict[tuple[str, date], Lookup] = {}
        self._interned: dict[tuple[str, date, bool], Lookup] = {}
        self._in_force: dict[date, dict[str, Lookup]] = {}
        self._hashes: dict[date, str] = {}

    def __contains__(self, parameter_id: object) -> bool:
        return parameter_id in self.parameters

    def definition(self, parameter_id: str) -> ParameterDefinition:
        return self._parameter(parameter_id, None).definition

    def _parameter(self, parameter_id: str, on: date | None) -> Parameter:
        try:
            return self.parameters[parameter_id]
        except KeyError:
            raise ParameterMissing(parameter_id, on or date.min, "unknown parameter") from None

    def lookup(self, parameter_id: str, on: date) -> Lookup:
        """The value in force on `on` (P-FALLBACK); `ParameterMissing` before the first entry."""
        key = (parameter_id, on)
        found = self._cache.get(key)
        if found is None:
            found = self._parameter(parameter_id, on).lookup(on)
            found = self._interned.setdefault(
                (found.parameter_id, found.effective_from, found.fallback), found
            )
            if len(self._cache) > 4096:
                self._cache.clear()
            self._cache[key] = found
        return found

    def in_force(self, on: date) -> dict[str, Lookup]:
        """The lookups on `on` made so far, by parameter id: one dict per date, filled by `Context`.

        Lookups are interned: one object per parameter entry and fallback flag, so that a caller can
        tell two lookups of the same entry apart from others by identity.
        """
        table = self._in_force.get(on)
        if table is None:
            if len(self._in_force) > 1024:
                self._in_force.clear()
            table = self._in_force[on] = {}
        return table

    def snapshot(self, as_of: date) -> dict[str, Any]:
        """Every entry in force on or before `as_of`, per parameter (JSON-ready).

        A stored result keeps this (or its hash) so that the values it was computed with can be
        shown later, even after the authority adds newer ones.
        """
        out: dict[str, Any] = {}
        for parameter_id in sorted(self.parameters):
            entries = [e for e in self.parameters[parameter_id].entries if e.effective_from <= as_of]
            if entries:
                out[parameter_id] = [
                    {
                        "effective_from": e.effective_from.isoformat(),
                        "value": _json_value(e.value),
                        "citation": e.citation,
                    }
                    for e in entries
                ]
        return out

    def snapshot_hash(self, as_of: date) -> str:
        """sha256 of the canonical JSON of `snapshot(as_of)`."""
        cached = self._hashes.get(as_of)
        if cached is not None:
            return cached
        canonical = json.dumps(
            self.snapshot(as_of), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        if len(self._hashes) > 1024:
            self._hashes.clear()
        self._hashes[as_of] = digest
        return digest


def read_definition(path: Path) -> ParameterDefinition:
    """Read and validate one parameter file."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return ParameterDefinition.model_validate(raw)
    except (ValidationError, yaml.YAMLError) as exc:
        raise InvalidParameterFile(f"{path.name}: {exc}") from None


@lru_cache(maxsize=1)
def shipped_definitions() -> tuple[ParameterDefinition, ...]:
    """The parameter files shipped with the engine."""
    definitions = [read_definition(p) for p in sorted(DATA_DIR.glob("*/*.yaml"))]
    seen: set[str] = set()
    for d in definitions:
        if d.id in seen:
            raise InvalidParameterFile(f"duplicate parameter id {d.id}")
        seen.add(d.id)
    return tuple(definitions)


RETIRED: dict[str, str] = {
    # Edition 2 (BIZ-TIME-LIMIT) split P-REVIEW-WORKING-DAYS into P-LEAD-WORKING-DAYS (the lead time
    # of REN-DEADLINE / CHG-DEADLINE) and P-RATIFY-WORKING-DAYS (the municipal 核准). Entries stored
    # under the retired ID stay in the append-only history; the migration `eligibility 0002_deadlines`
    # copied them to P-LEAD-WORKING-DAYS, so they are skipped here.
    "P-REVIEW-WORKING-DAYS": "P-LEAD-WORKING-DAYS",
}


def load_parameters(extra_values: Iterable[ParameterValue] = ()) -> ParameterSet:
    """The shipped parameters extended by the values entered in the back office."""
    definitions = {d.id: d for d in shipped_definitions()}
    entries: dict[str, list[Entry]] = {pid: list(d.values) for pid, d in definitions.items()}
    for extra in extra_values:
        if extra.parameter_id in RETIRED:
            continue
        if extra.parameter_id not in definitions:
            raise ParameterMissing(extra.parameter_id, extra.effective_from, "unknown parameter")
        try:
            entry = Entry.model_validate(
                {
                    "effective_from": extra.effective_from,
                    "value": extra.value,
                    "citation": extra.citation,
                    "entered_by": extra.entered_by,
                    "entered_at": extra.entered_at,
                }
            )
        except ValidationError as exc:
            raise InvalidParameterFile(f"{extra.parameter_id}: {exc}") from None
        entries[extra.parameter_id].append(entry)
    return ParameterSet({pid: Parameter(definitions[pid], entries[pid]) for pid in definitions})


__all__ = [
    "RETIRED",
    "InvalidParameterFile",
    "Lookup",
    "Parameter",
    "ParameterDefinition",
    "ParameterSet",
    "ParameterValue",
    "Printed",
    "load_parameters",
]
