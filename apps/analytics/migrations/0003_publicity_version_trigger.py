"""The publicity section reads the publicity records: their writes bump the "publicity" data version, as 0001
does for the other areas (not on TRUNCATE, for the reason given there)."""

from django.db import migrations

TABLE, AREA = "publicity_publicityitem", "publicity"


class Migration(migrations.Migration):
    dependencies = [("analytics", "0002_covenant_and_pace_version_triggers"), ("publicity", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE TRIGGER {TABLE}_{AREA}_version AFTER INSERT OR UPDATE OR DELETE ON {TABLE} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('{AREA}');",
            reverse_sql=f"DROP TRIGGER IF EXISTS {TABLE}_{AREA}_version ON {TABLE};"),
    ]
