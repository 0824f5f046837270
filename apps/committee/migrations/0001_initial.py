"""The committee's composition moves here from ``apps.liaison``: state only, no SQL.

The tables stay as ``apps.liaison`` made them (``liaison_committeemember``, ``liaison_specialcommittee``, their
history tables and the members' special-committees table); each model names its table in ``Meta.db_table``.
``liaison.0003`` removes the models from liaison's state once every foreign key points here.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('liaison', '0002_default_quota_rules'),
        ('core', '0008_calendar_unit_kind_proposal_action'),
        ('deputies', '0007_electoral_unit_area'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CommitteeMember',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('post', models.CharField(choices=[('director', 'Director'), ('vice_director', 'Vice director'), ('secretary_general', 'Secretary-general'), ('member', 'Member')], max_length=20, verbose_name='post')),
                        ('start_date', models.DateField(verbose_name='start date')),
                        ('end_date', models.DateField(blank=True, null=True, verbose_name='end date')),
                        ('jurisdiction', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='committee_members', to='core.jurisdiction', verbose_name='jurisdiction')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='committee_posts', to='deputies.person', verbose_name='person')),
                        ('term', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='committee_members', to='deputies.term', verbose_name='term')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='committee_posts', to=settings.AUTH_USER_MODEL, verbose_name='account')),
                    ],
                    options={
                        'verbose_name': 'committee member',
                        'verbose_name_plural': 'committee members',
                        'db_table': 'liaison_committeemember',
                        'ordering': ['term', 'post', 'person__name_pinyin'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalCommitteeMember',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('post', models.CharField(choices=[('director', 'Director'), ('vice_director', 'Vice director'), ('secretary_general', 'Secretary-general'), ('member', 'Member')], max_length=20, verbose_name='post')),
                        ('start_date', models.DateField(verbose_name='start date')),
                        ('end_date', models.DateField(blank=True, null=True, verbose_name='end date')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('jurisdiction', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.jurisdiction', verbose_name='jurisdiction')),
                        ('person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='deputies.person', verbose_name='person')),
                        ('term', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='deputies.term', verbose_name='term')),
                        ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='account')),
                    ],
                    options={
                        'verbose_name': 'historical committee member',
                        'verbose_name_plural': 'historical committee members',
                        'db_table': 'liaison_historicalcommitteemember',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalSpecialCommittee',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('jurisdiction', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.jurisdiction', verbose_name='jurisdiction')),
                    ],
                    options={
                        'verbose_name': 'historical special committee',
                        'verbose_name_plural': 'historical special committees',
                        'db_table': 'liaison_historicalspecialcommittee',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='SpecialCommittee',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('jurisdiction', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='special_committees', to='core.jurisdiction', verbose_name='jurisdiction')),
                    ],
                    options={
                        'verbose_name': 'special committee',
                        'verbose_name_plural': 'special committees',
                        'db_table': 'liaison_specialcommittee',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalCommitteeMember_special_committees',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('committeemember', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='committee.committeemember')),
                        ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='committee.historicalcommitteemember')),
                        ('specialcommittee', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='committee.specialcommittee')),
                    ],
                    options={
                        'verbose_name': 'HistoricalCommitteeMember_special_committees',
                        'db_table': 'liaison_historicalcommitteemember_special_committees',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddField(
                    model_name='committeemember',
                    name='special_committees',
                    field=models.ManyToManyField(blank=True, db_table='liaison_committeemember_special_committees', related_name='members', to='committee.specialcommittee', verbose_name='special committees'),
                ),
                migrations.AddConstraint(
                    model_name='specialcommittee',
                    constraint=models.UniqueConstraint(fields=('jurisdiction', 'name'), name='special_committee_unique'),
                ),
            ],
            database_operations=[],
        ),
    ]
