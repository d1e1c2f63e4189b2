"""Shared data generators for the benchmarks: employers registered in Haidian, built in bulk."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date


def create_employers(
    count: int,
    *,
    code_prefix: str,
    name_prefix: str,
    deregistered_on: Callable[[int], date | None] = lambda i: None,
) -> list[int]:
    """Create `count` registry entries and their employers; return the employers' ids in order.

    `code_prefix` (10 characters) keeps each benchmark's credit codes apart.
    """
    from employers.models import Employer, RegistryEntry

    registries = RegistryEntry.objects.bulk_create(
        [
            RegistryEntry(
                credit_code=f"{code_prefix}{i:08d}",
                name=f"{name_prefix}{i}",
                legal_person_kind="enterprise",
                registered_district="haidian",
                registered_address="海淀区",
                legal_representative="测试",
                registered_on=date(2015, 1, 1),
                deregistered_on=deregistered_on(i),
            )
            for i in range(count)
        ],
        batch_size=1000,
    )
    employers = Employer.objects.bulk_create([Employer(registry=r) for r in registries], batch_size=1000)
    return [employer.pk for employer in employers]
