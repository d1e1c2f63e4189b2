from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from accounts import sessions
        from accounts.panels import staff_management_panel
        from core import home_panels

        home_panels.register(staff_management_panel)
        sessions.connect()
