from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "eligibility"

    def ready(self) -> None:
        from core import home_panels
        from eligibility import panels

        home_panels.register(panels.supervisor_panel)
