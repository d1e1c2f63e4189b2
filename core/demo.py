"""Shared helpers for the demo data that each app's `demo.py` loads."""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "Demo-2025-pass"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str = DEMO_PASSWORD
    note: str = ""
