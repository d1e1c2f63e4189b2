"""Re-encrypt every encrypted field with the first key of DJANGO_FIELD_ENCRYPTION_KEYS (core.crypto).

Rotation: put the new key first, keep the old ones after it, run this command, then drop the old keys.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from core.crypto import EncryptedCharField, rotate


class Command(BaseCommand):
    help = "Re-encrypt all encrypted fields with the current (first) field-encryption key."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        quote = connection.ops.quote_name
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]
            if not fields:
                continue
            table = quote(model._meta.db_table)
            pk = quote(model._meta.pk.column)
            for field in fields:
                column = quote(field.column)
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {column} <> ''")  # noqa: S608
                    for key, token in cursor.fetchall():
                        cursor.execute(
                            f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
                            [rotate(token), key],
                        )
                        total += 1
        self.stdout.write(f"re-encrypted {total} values")
