from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsConfig(AppConfig):
    name = "permits"
    verbose_name = _("工作居住证")

    def ready(self) -> None:
        from core import home_panels
        from permits.panels import permit_panels

        home_panels.register(permit_panels)
