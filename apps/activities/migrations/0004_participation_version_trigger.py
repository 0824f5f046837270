"""A participation changes which activities a deputy sees (and finds in the header search): its writes bump the
"activities" data version (the header search's cached results are exact)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("activities", "0003_self_report_reversal"), ("core", "0002_data_version")]

    operations = [migrations.RunSQL(
        "CREATE TRIGGER activities_participation_activities_version AFTER INSERT OR UPDATE OR DELETE ON "
        "activities_participation FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('activities');",
        "DROP TRIGGER IF EXISTS activities_participation_activities_version ON activities_participation;")]
