"""The covenant's flags (a chart of the scores section) read the committee's meetings, attendance, speeches and
members: their writes bump the "covenant" data version, as 0001 does for the other areas (not on TRUNCATE, for
the reason given there); the members' motions and suggestions bump the "proposals" area already. The liaison
heat map's pace reads the plans, their assignments and the contacts' participants: "liaison"."""

from django.db import migrations

AREAS = {
    "covenant": ["covenant_committeemeeting", "covenant_meetingattendance", "covenant_speech",
                 "liaison_committeemember"],
    "liaison": ["liaison_liaisonplan", "liaison_liaisonassignment", "liaison_contact_participants"],
}


class Migration(migrations.Migration):
    dependencies = [("analytics", "0001_data_version_triggers"), ("covenant", "0002_committee_moves_to_its_app"),
                    ("liaison", "0003_committee_moves_to_its_app")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE TRIGGER {table}_{area}_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('{area}');",
            reverse_sql=f"DROP TRIGGER IF EXISTS {table}_{area}_version ON {table};")
        for area, tables in AREAS.items() for table in tables
    ]
