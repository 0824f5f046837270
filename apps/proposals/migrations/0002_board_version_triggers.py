"""Every write to a table the supervisors' board reads bumps the "proposals" data version (core.DataVersion),
in the writing transaction: the board's cached figures are exact across processes."""

from django.db import migrations

TABLES = ["proposals_proposal", "proposals_assignment", "proposals_deadline", "proposals_reply",
          "proposals_rating", "proposals_replyclass", "proposals_category", "core_handlingunit",
          "deputies_session", "core_jurisdiction"]


def _create(table):
    return (f"CREATE TRIGGER {table}_proposals_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('proposals');")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_calendar_unit_kind_proposal_action"),
        ("deputies", "0005_session"),
        ("proposals", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(sql=_create(t), reverse_sql=f"DROP TRIGGER IF EXISTS {t}_proposals_version ON {t};")
        for t in TABLES
    ]
