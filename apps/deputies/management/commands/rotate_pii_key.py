"""Re-encrypt every ID number and phone under the first key of PII_KEYS and recompute the lookup hashes.

Rotation: put the new key first in PII_KEYS (keep the old one after it), deploy, run this command, then drop
the old key. A new PII_HASH_KEY also needs this command (lookups by ID number or phone miss until it has run).
Every model with an encrypted field is covered, history tables included; one transaction, so a failure
leaves every row as it was.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from apps.core.crypto import EncryptedCharField, LookupHashField

BATCH = 2000


def encrypted_models():
    """(model, encrypted fields, lookup hash fields) for every model holding encrypted data."""
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]
        if fields:
            hashes = [f for f in model._meta.concrete_fields if isinstance(f, LookupHashField)]
            yield model, fields, hashes


def rotate_model(model, fields, hashes) -> int:
    """Read each row (decrypted with whichever key made it) and write it back (encrypted under the first key),
    in batches of one ``UPDATE … FROM unnest`` each."""
    meta, quote = model._meta, connection.ops.quote_name
    columns = [meta.pk, *fields, *hashes]
    names = [f"c{i}" for i in range(len(columns))]
    arrays_sql = ", ".join(f"%s::{f.db_type(connection)}[]" for f in columns)
    assignments = ", ".join(f"{quote(f.column)} = v.{n}" for f, n in zip(columns[1:], names[1:], strict=True))
    sql = (f"UPDATE {quote(meta.db_table)} AS t SET {assignments} FROM unnest({arrays_sql}) "
           f"AS v({', '.join(names)}) WHERE t.{quote(meta.pk.column)} = v.c0")
    sources = {f.attname for f in fields} | {h.source for h in hashes}
    count, last = 0, None
    queryset = model._base_manager.order_by("pk").only(*sources)
    while True:
        batch = list((queryset.filter(pk__gt=last) if last is not None else queryset)[:BATCH])
        if not batch:
            return count
        arrays = [[f.get_db_prep_save(getattr(o, f.attname), connection) for o in batch] for f in columns]
        with connection.cursor() as cursor:
            cursor.execute(sql, arrays)
        count += len(batch)
        last = batch[-1].pk


class Command(BaseCommand):
    help = "Re-encrypt personal data under the first key of PII_KEYS and recompute the lookup hashes."

    def handle(self, *args, **options):
        with transaction.atomic():
            for model, fields, hashes in encrypted_models():
                count = rotate_model(model, fields, hashes)
                self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted "
                                  f"({', '.join(f.name for f in fields + hashes)})")
