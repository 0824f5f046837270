"""The audit log is append-only, enforced by the database: a row-level BEFORE trigger on ``core_auditevent``
refuses every UPDATE and DELETE, whoever sends it (the ORM, raw SQL, the admin, a shell).

- TRUNCATE is not blocked: the test framework empties tables with it between tests. In production the
  application's database role is granted no TRUNCATE privilege on ``core_auditevent`` (only SELECT and
  INSERT are needed; the owner role that runs migrations is not the one the application connects with).
- Retention: entries are kept at least 180 days (等保 2.0 level 3 asks for 6 months) — in fact nothing in
  the application deletes them at all. Archiving older entries, if ever wanted, is a database
  administrator's job under the owner role (disable the trigger, copy out, delete), outside the application.
- Deleting a user touches none of their entries (``AuditEvent.user`` is DO_NOTHING without a database
  constraint since 0004; ``username`` keeps who it was).
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION core_auditevent_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % of core_auditevent refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_refuse_change();
"""


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_auditevent_user_kept"),
    ]

    operations = [
        migrations.RunSQL(sql=FORWARD, reverse_sql=BACKWARD),
    ]
