"""The covenant's foreign keys to committee members and special committees point at ``apps.committee``,
where the models moved (state only: the tables and their constraints are unchanged)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('committee', '0001_initial'),
        ('covenant', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='admonition',
                    name='member',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='admonitions', to='committee.committeemember', verbose_name='committee member'),
                ),
                migrations.AlterField(
                    model_name='leaverequest',
                    name='member',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='leave_requests', to='committee.committeemember', verbose_name='committee member'),
                ),
                migrations.AlterField(
                    model_name='leaverequest',
                    name='special_committee',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='leave_requests', to='committee.specialcommittee', verbose_name='special committee'),
                ),
                migrations.AlterField(
                    model_name='meetingattendance',
                    name='member',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='meeting_attendances', to='committee.committeemember', verbose_name='committee member'),
                ),
                migrations.AlterField(
                    model_name='speech',
                    name='member',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='speeches', to='committee.committeemember', verbose_name='committee member'),
                ),
            ],
            database_operations=[],
        ),
    ]
