"""The covenant's flags (a chart of the scores section) read the committee's meetings, attendance, speeches and
members: their writes bump the "covenant" data version, as 0001 does for the other areas (not on TRUNCATE, for
the reason given there). The members' motions and suggestions bump the "proposals" area already."""

from django.db import migrations

TABLES = ["covenant_committeemeeting", "covenant_meetingattendance", "covenant_speech", "liaison_committeemember"]


class Migration(migrations.Migration):
    dependencies = [("analytics", "0001_data_version_triggers"), ("covenant", "0002_committee_moves_to_its_app")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE TRIGGER {table}_covenant_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('covenant');",
            reverse_sql=f"DROP TRIGGER IF EXISTS {table}_covenant_version ON {table};")
        for table in TABLES
    ]
