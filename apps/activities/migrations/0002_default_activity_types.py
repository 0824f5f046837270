"""The activity types every platform starts with (data: staff may add more and rename these)."""

from django.db import migrations

# (code, name, records outcomes)
DEFAULTS = [
    ("session", "出席人代会会议", False),
    ("standing_meeting", "列席常委会会议", False),
    ("inspection", "视察", False),
    ("survey", "专题调研", False),
    ("enforcement_check", "执法检查", False),
    ("legislation", "立法论证/座谈", False),
    ("theme_practice", "主题实践活动", True),
    ("group_activity", "代表小组活动", False),
    ("station_reception", "代表工作站接待选民", False),
    ("report_to_voters", "向选民述职", False),
    ("tv_questioning", "电视问政", False),
    ("court_hearing", "法院庭审旁听", False),
    ("supervisor_duty", "监督员履职", False),
    ("public_welfare", "公益帮扶", False),
]


def add_defaults(apps, schema_editor):
    ActivityType = apps.get_model("activities", "ActivityType")
    for position, (code, name, has_outcomes) in enumerate(DEFAULTS, start=1):
        ActivityType.objects.get_or_create(code=code, defaults={"name": name, "has_outcomes": has_outcomes,
                                                                "position": position * 10})


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
