import contextlib

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self) -> None:
        """Django's temporary upload directory is a dedicated one, emptied of leftovers at start-up."""
        from core.files import clean_upload_temp_dir

        # A read-only variable directory must not stop the process from starting.
        with contextlib.suppress(OSError):
            clean_upload_temp_dir()
