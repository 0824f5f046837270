"""A signature (a lead or a co-signer) changes what a deputy's "mine" and the office's search by signer find: its
writes bump the "proposals" data version too (the header search's cached results are exact)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("proposals", "0004_committee_moves_to_its_app")]

    operations = [migrations.RunSQL(
        "CREATE TRIGGER proposals_signature_proposals_version AFTER INSERT OR UPDATE OR DELETE ON proposals_signature "
        "FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('proposals');",
        "DROP TRIGGER IF EXISTS proposals_signature_proposals_version ON proposals_signature;")]
