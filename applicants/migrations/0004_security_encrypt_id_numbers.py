"""Issue 11, Medium 4: ID numbers of applicants and children encrypted at rest, with a keyed HMAC column
for uniqueness and look-ups. Existing plain-text rows are encrypted in place (raw SQL, so the field's
decryption never meets a plain value); reversible."""

from cryptography.fernet import InvalidToken
from django.db import migrations

import core.crypto

TABLES = ("applicants_applicant", "applicants_child")


def _rows(cursor, table):
    cursor.execute(f"SELECT id, id_number FROM {table}")  # noqa: S608 - fixed table names
    return cursor.fetchall()


def encrypt_rows(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table in TABLES:
            for pk, value in _rows(cursor, table):
                if not value:
                    continue
                try:
                    core.crypto.decrypt(value)
                    continue  # already encrypted
                except (InvalidToken, ValueError):
                    pass
                cursor.execute(
                    f"UPDATE {table} SET id_number = %s, id_number_hmac = %s WHERE id = %s",  # noqa: S608
                    [core.crypto.encrypt(value), core.crypto.id_hmac(value), pk],
                )


def decrypt_rows(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table in TABLES:
            for pk, value in _rows(cursor, table):
                if value:
                    cursor.execute(
                        f"UPDATE {table} SET id_number = %s, id_number_hmac = NULL WHERE id = %s",  # noqa: S608
                        [core.crypto.decrypt(value), pk],
                    )


class Migration(migrations.Migration):
    dependencies = [
        ("applicants", "0003_public_ids"),
    ]

    operations = [
        migrations.AddField(
            model_name="applicant",
            name="id_number_hmac",
            field=core.crypto.HmacField(editable=False, max_length=64, null=True, source="id_number"),
        ),
        migrations.AddField(
            model_name="child",
            name="id_number_hmac",
            field=core.crypto.HmacField(
                db_index=True, editable=False, max_length=64, null=True, source="id_number"
            ),
        ),
        migrations.AlterField(
            model_name="applicant",
            name="id_number",
            field=core.crypto.EncryptedCharField(max_length=255, plain_max_length=18, verbose_name="身份证号码"),
        ),
        migrations.AlterField(
            model_name="child",
            name="id_number",
            field=core.crypto.EncryptedCharField(
                blank=True, max_length=255, plain_max_length=18, verbose_name="身份证号码"
            ),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
        migrations.AlterField(
            model_name="applicant",
            name="id_number_hmac",
            field=core.crypto.HmacField(editable=False, max_length=64, null=True, source="id_number", unique=True),
        ),
    ]
