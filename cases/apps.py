from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self) -> None:
        from cases.access import case_participant_may_view, ratifier_may_view_awaiting_ratification
        from cases.panels import cases_panel, override_panel
        from core import home_panels
        from materials import access

        home_panels.register(cases_panel)
        home_panels.register(override_panel)
        access.register(case_participant_may_view)
        access.register(ratifier_may_view_awaiting_ratification)
