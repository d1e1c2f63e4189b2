from django.apps import AppConfig


class SimulationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "simulations"
    verbose_name = "政策模拟"

    def ready(self) -> None:
        from core import home_panels
        from simulations import panels

        home_panels.register(panels.supervisor_panel)
