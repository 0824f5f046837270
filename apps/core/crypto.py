"""Personal data encrypted at rest (PIPL): ID numbers and phones are stored as Fernet tokens, with a keyed
lookup hash (HMAC-SHA256 of the normal form) beside them for uniqueness and exact search.

Keys come from the environment (settings ``PII_KEYS``, ``PII_HASH_KEY``). ``PII_KEYS`` is a list: the first
key encrypts, every key decrypts, so a key is rotated by putting a new one first, running
``manage.py rotate_pii_key`` (which re-encrypts every row and recomputes the lookup hashes), then dropping
the old one.

An encrypted column cannot be searched, sorted or compared in SQL: a filter on it is refused with a
``FieldError`` naming the lookup hash to use instead, so that no query silently matches nothing.
"""

import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver

_state: dict = {}


def _fernet() -> MultiFernet:
    keys = tuple(settings.PII_KEYS)
    if _state.get("keys") != keys:
        if not keys:
            raise ImproperlyConfigured("PII_KEYS is empty: personal data cannot be encrypted.")
        try:
            _state["fernet"] = MultiFernet([Fernet(key) for key in keys])
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured("PII_KEYS must be Fernet keys (32 url-safe base64-encoded bytes).") from exc
        _state["keys"] = keys
    return _state["fernet"]


@receiver(setting_changed)
def _reset(*, setting, **kwargs):
    if setting in ("PII_KEYS", "PII_HASH_KEY"):
        _state.clear()


def encrypt(value: str) -> str:
    """A Fernet token for ``value`` under the first key; the empty string stays empty (nothing to hide)."""
    if value in (None, ""):
        return value
    return _fernet().encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    if token in (None, ""):
        return token
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise ImproperlyConfigured(
            "A personal data value could not be decrypted with any key in PII_KEYS: a key still in use was "
            "removed (run `manage.py rotate_pii_key` before dropping an old key) or the column holds plaintext."
        ) from exc


def rotate(token: str) -> str:
    """The token re-encrypted under the first key (decrypted with whichever key made it)."""
    return encrypt(decrypt(token))


def normal_form(value: str, kind: str) -> str:
    """What a lookup hash is taken of: an ID number in upper case, a phone as its digits only."""
    value = (value or "").strip()
    if kind == "phone":
        return re.sub(r"\D", "", value)
    return re.sub(r"\s", "", value).upper()


def lookup_hash(value: str, kind: str) -> str:
    """The keyed hash (hex HMAC-SHA256) that finds ``value`` without decrypting; ``kind`` (``id_number``,
    ``phone``) picks the normal form and separates the kinds. An empty value hashes to the empty string."""
    normal = normal_form(value, kind)
    if not normal:
        return ""
    key = settings.PII_HASH_KEY
    if _state.get("hash_key") != key:
        if not key:
            raise ImproperlyConfigured("PII_HASH_KEY is empty: personal data cannot be looked up.")
        _state["hmac"], _state["hash_key"] = hmac.new(key.encode(), digestmod=hashlib.sha256), key
    mac = _state["hmac"].copy()  # the keyed state, without re-deriving it for every value
    mac.update(f"{kind}\x00{normal}".encode())
    return mac.hexdigest()


class EncryptedCharField(models.CharField):
    """Text stored encrypted: the Python value is the plaintext (``max_length`` and validators apply to it),
    the column is ``text`` holding a Fernet token. Only ``isnull`` can be looked up in SQL."""

    def db_type(self, connection):
        return "text"

    def cast_db_type(self, connection):
        return "text"

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(f"{self.model.__name__}.{self.name} is encrypted and cannot be filtered with "
                         f"“{lookup_name}”; filter on its lookup hash (e.g. {self.name}_hash) instead.")

    def get_transform(self, lookup_name):
        return None

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        value = super().get_db_prep_value(value, connection, prepared)
        return encrypt(value)


class _LookupHashDescriptor:
    """The hash is always derived from the plaintext attribute it indexes, so that ``save``, ``bulk_create``,
    ``bulk_update`` and ``validate_unique`` all see a value in step with it. The value read from the database
    is kept only so that Django does not treat the field as deferred."""

    def __init__(self, field):
        self.field = field

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return lookup_hash(getattr(instance, self.field.source), self.field.kind)

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class LookupHashField(models.CharField):
    """The keyed hash of the encrypted field ``source``; never edited, kept in step automatically."""

    descriptor_class = _LookupHashDescriptor

    def __init__(self, *args, source: str, kind: str, **kwargs):
        self.source, self.kind = source, kind
        kwargs.setdefault("max_length", 64)
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, kind=self.kind)
        kwargs.pop("editable", None)
        if kwargs.get("max_length") == 64:
            kwargs.pop("max_length")
        return name, path, args, kwargs
