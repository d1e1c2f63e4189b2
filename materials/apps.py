from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "materials"

    def ready(self) -> None:
        from core import home_panels
        from materials import panels

        home_panels.register(panels.uploader_panel)
