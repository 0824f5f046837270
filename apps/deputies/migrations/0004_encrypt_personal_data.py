"""ID numbers and phones encrypted at rest, with lookup hashes for uniqueness and exact search (issue 7, PIPL).

The existing plaintext is encrypted in place (people and their history) and the hashes filled, with raw SQL:
the encrypted field would try to decrypt the plaintext it reads. Not reversible: going back would need the
keys to decrypt, and plaintext is exactly what this migration removes.
"""

import apps.core.crypto
import apps.deputies.validators
from django.db import migrations

BATCH = 2000


def _encrypt_table(cursor, table: str, pk: str, with_hashes: bool) -> None:
    from apps.core.crypto import encrypt, lookup_hash

    cursor.execute(f"SELECT {pk}, id_number, phone FROM {table} ORDER BY {pk}")
    rows = cursor.fetchall()
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        ids = [r[0] for r in chunk]
        ids_enc = [encrypt(r[1]) for r in chunk]
        phones_enc = [encrypt(r[2]) for r in chunk]
        if with_hashes:
            cursor.execute(
                f"UPDATE {table} AS t SET id_number = v.i, phone = v.p, id_number_hash = v.ih, phone_hash = v.ph "
                f"FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::varchar[], %s::varchar[]) "
                f"AS v(pk, i, p, ih, ph) WHERE t.{pk} = v.pk",
                [ids, ids_enc, phones_enc, [lookup_hash(r[1], "id_number") for r in chunk],
                 [lookup_hash(r[2], "phone") for r in chunk]])
        else:
            cursor.execute(
                f"UPDATE {table} AS t SET id_number = v.i, phone = v.p "
                f"FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS v(pk, i, p) WHERE t.{pk} = v.pk",
                [ids, ids_enc, phones_enc])


def encrypt_existing(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        _encrypt_table(cursor, "deputies_person", "id", with_hashes=True)
        _encrypt_table(cursor, "deputies_historicalperson", "history_id", with_hashes=False)


class Migration(migrations.Migration):

    dependencies = [
        ("deputies", "0003_person_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="id_number_hash",
            field=apps.core.crypto.LookupHashField(blank=True, kind="id_number", source="id_number",
                                                   verbose_name="ID number", default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="person",
            name="phone_hash",
            field=apps.core.crypto.LookupHashField(blank=True, db_index=True, kind="phone", source="phone",
                                                   verbose_name="phone", default=""),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="id_number",
            field=apps.core.crypto.EncryptedCharField(max_length=18,
                                                      validators=[apps.deputies.validators.validate_id_number],
                                                      verbose_name="ID number"),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="phone",
            field=apps.core.crypto.EncryptedCharField(blank=True, max_length=30,
                                                      validators=[apps.deputies.validators.validate_phone],
                                                      verbose_name="phone"),
        ),
        migrations.AlterField(
            model_name="person",
            name="id_number",
            field=apps.core.crypto.EncryptedCharField(max_length=18,
                                                      validators=[apps.deputies.validators.validate_id_number],
                                                      verbose_name="ID number"),
        ),
        migrations.AlterField(
            model_name="person",
            name="phone",
            field=apps.core.crypto.EncryptedCharField(blank=True, max_length=30,
                                                      validators=[apps.deputies.validators.validate_phone],
                                                      verbose_name="phone"),
        ),
        migrations.RunPython(encrypt_existing, elidable=False),
        migrations.AlterField(
            model_name="person",
            name="id_number_hash",
            field=apps.core.crypto.LookupHashField(blank=True, kind="id_number", source="id_number", unique=True,
                                                   verbose_name="ID number"),
        ),
    ]
