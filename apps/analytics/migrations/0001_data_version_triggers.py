"""Every write to a table an analysis section reads bumps that area's data version (core.DataVersion), in the
writing transaction, so the sections' cached counts are exact across processes. The roster ("roster") and the
motions and suggestions ("proposals") have theirs already; these are the other areas', one counter each (a write
locks only its own area's row until it commits).

Not on TRUNCATE, unlike the roster's and the board's: no code truncates these tables, and the test suite's flush
must leave the versions as Django's truncating flush does (tests/core/test_test_flush.py): a TRUNCATE of every
table would bump these areas even though their tables held nothing."""

from django.db import migrations

AREAS = {
    "training": ["training_trainingattendance", "training_trainingsession"],
    "activities": ["activities_activity", "activities_activitytype"],
    "liaison": ["liaison_contact", "liaison_committeemember"],
    "scoring": ["scoring_score", "scoring_ruleset"],
    "stations": ["stations_votervisit", "stations_station"],
}


def _create(table, area):
    return (f"CREATE TRIGGER {table}_{area}_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('{area}');")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_calendar_unit_kind_proposal_action"),
        ("training", "0001_initial"),
        ("activities", "0003_self_report_reversal"),
        ("liaison", "0003_committee_moves_to_its_app"),
        ("committee", "0002_content_types"),
        ("scoring", "0003_stale_mandates"),
        ("stations", "0003_voter_issue_suggestion"),
    ]

    operations = [
        migrations.RunSQL(sql=_create(table, area), reverse_sql=f"DROP TRIGGER IF EXISTS {table}_{area}_version ON {table};")
        for area, tables in AREAS.items() for table in tables
    ]
