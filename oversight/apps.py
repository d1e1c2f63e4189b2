from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("监督管理")

    def ready(self) -> None:
        from core import home_panels
        from oversight.panels import oversight_panels

        home_panels.register(oversight_panels)
