from typing import Any

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self) -> None:
        from applicants.signals import profile_changed
        from cases.access import case_participant_may_view, ratifier_may_view_awaiting_ratification
        from cases.panels import cases_panel, override_panel
        from core import home_panels
        from materials import access

        profile_changed.connect(_profile_changed, dispatch_uid="cases-profile-changed")
        home_panels.register(cases_panel)
        home_panels.register(override_panel)
        access.register(case_participant_may_view)
        access.register(ratifier_may_view_awaiting_ratification)


def _profile_changed(sender: Any, *, applicant: Any, **_kwargs: Any) -> None:
    from cases import services

    services.applicant_profile_changed(applicant=applicant)
