"""Issue 11, Medium 4: ID numbers of applicants and children are encrypted at rest (authenticated
encryption, keys from settings with rotation), unique and looked up through a keyed HMAC."""

from __future__ import annotations

import importlib
from datetime import date
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from applicants.models import Applicant, Child
from cases.tests.factories import make_applicant
from core import crypto

pytestmark = pytest.mark.django_db
NUMBER = "11010819900415123X"


def _raw(table: str, pk: int) -> tuple[str, str | None]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id_number, id_number_hmac FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()


def test_id_numbers_are_stored_encrypted_and_read_back_in_plain_text():
    applicant = make_applicant(id_number=NUMBER)
    child = Child.objects.create(
        applicant=applicant, name="小明", id_number="110108201605201234", birth_date=date(2016, 5, 20)
    )
    stored, digest = _raw("applicants_applicant", applicant.pk)
    assert NUMBER not in stored and stored.startswith("gAAAA")
    assert crypto.decrypt(stored) == NUMBER
    assert digest == crypto.id_hmac(NUMBER) and NUMBER not in digest
    child_stored, _digest = _raw("applicants_child", child.pk)
    assert "110108201605201234" not in child_stored
    assert Applicant.objects.get(pk=applicant.pk).id_number == NUMBER
    assert Child.objects.get(pk=child.pk).id_number == "110108201605201234"


def test_uniqueness_and_look_ups_go_through_the_hmac():
    applicant = make_applicant(id_number=NUMBER)
    assert Applicant.objects.get(id_number_hmac=crypto.id_hmac(NUMBER.lower())) == applicant
    with pytest.raises(FieldError):
        Applicant.objects.filter(id_number=NUMBER).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_applicant(id_number=NUMBER)


def test_an_altered_ciphertext_is_refused():
    applicant = make_applicant(id_number=NUMBER)
    stored, _digest = _raw("applicants_applicant", applicant.pk)
    tampered = stored[:-6] + ("A" if stored[-6] != "A" else "B") + stored[-5:]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE applicants_applicant SET id_number = %s WHERE id = %s", [tampered, applicant.pk]
        )
    with pytest.raises(InvalidToken):
        Applicant.objects.get(pk=applicant.pk)


def test_rotation_re_encrypts_with_the_new_key(settings):
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    applicant = make_applicant(id_number=NUMBER)
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_field_keys")
    stored, _digest = _raw("applicants_applicant", applicant.pk)
    assert Fernet(new.encode()).decrypt(stored.encode()).decode() == NUMBER
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert Applicant.objects.get(pk=applicant.pk).id_number == NUMBER


def test_the_migration_encrypts_existing_plain_rows():
    applicant = make_applicant(id_number=NUMBER)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE applicants_applicant SET id_number = %s, id_number_hmac = NULL WHERE id = %s",
            [NUMBER, applicant.pk],
        )
    migration = importlib.import_module("applicants.migrations.0004_security_encrypt_id_numbers")
    migration.encrypt_rows(None, SimpleNamespace(connection=connection))
    stored, digest = _raw("applicants_applicant", applicant.pk)
    assert stored != NUMBER and crypto.decrypt(stored) == NUMBER
    assert digest == crypto.id_hmac(NUMBER)
    migration.encrypt_rows(None, SimpleNamespace(connection=connection))  # idempotent
    assert crypto.decrypt(_raw("applicants_applicant", applicant.pk)[0]) == NUMBER
