"""Voters' phones encrypted at rest (issue 7, PIPL), like the roster's ID numbers and phones.

The existing plaintext is encrypted in place with raw SQL (the encrypted field would try to decrypt what it
reads). Not reversible: going back would need the keys, and removing plaintext is the point.
"""

import apps.core.crypto
from django.db import migrations


def encrypt_existing(apps, schema_editor):
    from apps.core.crypto import encrypt

    with schema_editor.connection.cursor() as cursor:
        for table, pk in (("stations_votervisit", "id"), ("stations_historicalvotervisit", "history_id")):
            cursor.execute(f"SELECT {pk}, visitor_phone FROM {table} WHERE visitor_phone <> '' ORDER BY {pk}")
            rows = cursor.fetchall()
            for start in range(0, len(rows), 2000):
                chunk = rows[start:start + 2000]
                cursor.execute(
                    f"UPDATE {table} AS t SET visitor_phone = v.p FROM unnest(%s::bigint[], %s::text[]) AS v(pk, p) "
                    f"WHERE t.{pk} = v.pk",
                    [[r[0] for r in chunk], [encrypt(r[1]) for r in chunk]])


class Migration(migrations.Migration):

    dependencies = [
        ("stations", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalvotervisit",
            name="visitor_phone",
            field=apps.core.crypto.EncryptedCharField(blank=True, max_length=30, verbose_name="visitor's phone"),
        ),
        migrations.AlterField(
            model_name="votervisit",
            name="visitor_phone",
            field=apps.core.crypto.EncryptedCharField(blank=True, max_length=30, verbose_name="visitor's phone"),
        ),
        migrations.RunPython(encrypt_existing, elidable=False),
    ]
