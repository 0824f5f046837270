"""The content types of the moved models follow them from ``liaison`` to ``committee``.

Permissions hang on content types, so renaming the app label (rather than letting ``migrate`` create new
content types) keeps every permission a group or a user was granted (``committee.view_committeemember`` is the
old ``liaison.view_committeemember``). A fresh database has no content types yet: nothing to rename.
"""

from django.db import migrations

MODELS = ["committeemember", "specialcommittee", "historicalcommitteemember", "historicalspecialcommittee",
          "historicalcommitteemember_special_committees"]


def _move(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if ContentType.objects.filter(app_label=source, model=model).exists():
            # One made by a ``migrate`` that stopped between the two migrations holds no grant worth keeping.
            ContentType.objects.filter(app_label=target, model=model).delete()
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def forwards(apps, schema_editor):
    _move(apps, "liaison", "committee")


def backwards(apps, schema_editor):
    _move(apps, "committee", "liaison")


class Migration(migrations.Migration):

    dependencies = [
        ("committee", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
