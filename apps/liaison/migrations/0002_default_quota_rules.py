"""The default quota rules, from the 长春 practice (a jurisdiction's own rules replace them)."""

from django.db import migrations

DEFAULTS = [
    # (post, target, quantity, collective)
    ("council", "national", 1, False),
    ("council", "provincial", 1, False),
    ("council", "municipal", 2, False),
    ("council", "delegation", 1, False),
    ("council", "group", 12, True),
    ("member", "municipal", 2, False),
]


def create(apps, schema_editor):
    QuotaRule = apps.get_model("liaison", "QuotaRule")
    for post, target, quantity, collective in DEFAULTS:
        QuotaRule.objects.get_or_create(jurisdiction=None, post=post, target=target, collective=collective,
                                        defaults={"quantity": quantity, "contacts_per_year": 4})


def remove(apps, schema_editor):
    apps.get_model("liaison", "QuotaRule").objects.filter(jurisdiction=None).delete()


class Migration(migrations.Migration):
    dependencies = [("liaison", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
