"""The committee's composition (CommitteeMember, SpecialCommittee and their history) now lives in
``apps.committee``: liaison's foreign keys point there and the models leave liaison's state. State only: the tables
stay where they are (``committee.0001`` adopts them)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('committee', '0001_initial'),
        ('covenant', '0002_committee_moves_to_its_app'),
        ('liaison', '0002_default_quota_rules'),
        ('proposals', '0004_committee_moves_to_its_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='liaisonassignment',
                    name='member',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='committee.committeemember', verbose_name='committee member'),
                ),
                migrations.RemoveField(
                    model_name='historicalcommitteemember_special_committees',
                    name='committeemember',
                ),
                migrations.AlterField(
                    model_name='contact',
                    name='member',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contacts', to='committee.committeemember', verbose_name='committee member'),
                ),
                migrations.AlterField(
                    model_name='historicalliaisonassignment',
                    name='member',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='committee.committeemember', verbose_name='committee member'),
                ),
                migrations.AlterField(
                    model_name='reminderlog',
                    name='member',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='committee.committeemember'),
                ),
                migrations.AlterField(
                    model_name='historicalcontact',
                    name='member',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='committee.committeemember', verbose_name='committee member'),
                ),
                migrations.RemoveField(
                    model_name='historicalcommitteemember',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalcommitteemember',
                    name='jurisdiction',
                ),
                migrations.RemoveField(
                    model_name='historicalcommitteemember',
                    name='person',
                ),
                migrations.RemoveField(
                    model_name='historicalcommitteemember',
                    name='term',
                ),
                migrations.RemoveField(
                    model_name='historicalcommitteemember',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='historicalcommitteemember_special_committees',
                    name='history',
                ),
                migrations.RemoveField(
                    model_name='historicalcommitteemember_special_committees',
                    name='specialcommittee',
                ),
                migrations.RemoveField(
                    model_name='historicalspecialcommittee',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalspecialcommittee',
                    name='jurisdiction',
                ),
                migrations.RemoveField(
                    model_name='specialcommittee',
                    name='jurisdiction',
                ),
                migrations.DeleteModel(
                    name='CommitteeMember',
                ),
                migrations.DeleteModel(
                    name='HistoricalCommitteeMember',
                ),
                migrations.DeleteModel(
                    name='HistoricalCommitteeMember_special_committees',
                ),
                migrations.DeleteModel(
                    name='HistoricalSpecialCommittee',
                ),
                migrations.DeleteModel(
                    name='SpecialCommittee',
                ),
            ],
            database_operations=[],
        ),
    ]
