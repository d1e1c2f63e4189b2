"""Each context registers the panels that list what waits for a user on their home page.

A provider is a function (request) -> list[Panel]; contexts register theirs in AppConfig.ready(),
so the home page never imports them and they never edit a shared file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest


@dataclass
class PanelItem:
    label: str
    url: str = ""
    note: str = ""


@dataclass
class Panel:
    title: str
    items: list[PanelItem] = field(default_factory=list)
    empty_text: str = ""
    action_label: str = ""
    action_url: str = ""
    order: int = 100


Provider = Callable[[HttpRequest], list[Panel]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def panels_for(request: HttpRequest) -> list[Panel]:
    panels: list[Panel] = []
    for provider in _providers:
        panels.extend(provider(request))
    return sorted(panels, key=lambda panel: panel.order)
