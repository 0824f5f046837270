"""Every write to a roster table bumps the "roster" data version (see core.DataVersion)."""

from django.db import migrations

TABLES = ["deputies_person", "deputies_mandate", "deputies_term", "deputies_delegation", "deputies_deputygroup",
          "deputies_electoralunit", "core_jurisdiction"]


def _create(table):
    return (f"CREATE TRIGGER {table}_roster_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('roster');")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_data_version"),
        ("deputies", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(sql=_create(t), reverse_sql=f"DROP TRIGGER IF EXISTS {t}_roster_version ON {t};")
        for t in TABLES
    ]
