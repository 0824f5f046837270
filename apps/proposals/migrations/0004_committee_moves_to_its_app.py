"""Supervision's foreign keys to committee members and special committees point at ``apps.committee``,
where the models moved (state only: the tables and their constraints are unchanged)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('committee', '0001_initial'),
        ('proposals', '0003_co_opinion_waiver_and_follow_up_closing'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='supervision',
                    name='committee',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='supervisions', to='committee.specialcommittee', verbose_name='tracking special committee'),
                ),
                migrations.AlterField(
                    model_name='supervision',
                    name='leader',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='supervisions', to='committee.committeemember', verbose_name='leading supervisor'),
                ),
            ],
            database_operations=[],
        ),
    ]
