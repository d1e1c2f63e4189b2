"""Personal identifiers encrypted at rest (issue 11, Medium 4).

`EncryptedCharField` stores authenticated ciphertext (Fernet: AES-128-CBC + HMAC-SHA256, from the
maintained `cryptography` package) and gives plain text back in Python. Keys come from the
environment: `DJANGO_FIELD_ENCRYPTION_KEYS`, comma-separated Fernet keys, the first encrypts and
all decrypt (`MultiFernet`), so a new key is put first and `manage.py rotate_field_keys` re-encrypts
every row with it before the old one is dropped. Ciphertext is not searchable, so each encrypted
identifier has a keyed HMAC column (`HmacField`, key `DJANGO_FIELD_HMAC_KEY`) for uniqueness and
look-ups: filter on `id_number_hmac=id_hmac(number)`, never on the encrypted column (refused).
Development and tests use fixed default keys; production refuses to start without both.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """Plain text of a token; `cryptography.fernet.InvalidToken` when it was altered or the key is unknown."""
    return fernet().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """The token re-encrypted with the first (current) key."""
    return fernet().rotate(token.encode()).decode()


def normalise(value: str) -> str:
    return (value or "").strip().upper()


def id_hmac(value: str) -> str:
    """Keyed HMAC-SHA256 of a normalised identifier ('' for none): equal numbers, equal digests."""
    value = normalise(value)
    if not value:
        return ""
    key = settings.FIELD_HMAC_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.CharField):
    """A CharField stored encrypted; '' stays ''. Only `isnull` look-ups are allowed."""

    def __init__(self, *args: Any, plain_max_length: int = 18, **kwargs: Any) -> None:
        self.plain_max_length = plain_max_length
        kwargs.setdefault("max_length", 255)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["plain_max_length"] = self.plain_max_length
        return name, path, args, kwargs

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(str(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(f"{self.name} is encrypted: look it up through its HMAC column")
        return super().get_lookup(lookup_name)

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs.setdefault("max_length", self.plain_max_length)
        return super().formfield(**kwargs)


class HmacField(models.CharField):
    """The keyed HMAC of another field of the model, computed on every save (and bulk_create)."""

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        digest = id_hmac(getattr(model_instance, self.source) or "") or None
        setattr(model_instance, self.attname, digest)
        return digest
