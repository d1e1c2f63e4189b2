from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "employers"

    def ready(self) -> None:
        from core import home_panels
        from employers.access import home_panels as employer_panels
        from employers.access import operators_read_associated_applicants
        from materials import access

        access.register(operators_read_associated_applicants)
        home_panels.register(employer_panels)
