from django.apps import AppConfig


class ApplicantsConfig(AppConfig):
    name = "applicants"

    def ready(self) -> None:
        from applicants.panels import profile_panel
        from core import home_panels

        home_panels.register(profile_panel)
