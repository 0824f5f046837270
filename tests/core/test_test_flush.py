"""The test suite's flush (tests/conftest.py) and the role groups' sync after it (apps/core/roles.py): after a
transactional test every table is empty again, rows that refer to each other included, and the role groups hold
their listed permissions, synced in a few queries."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.db.backends.postgresql.operations import DatabaseOperations

from apps.core import roles
from apps.core.models import Notification
from tests.factories import JurisdictionFactory, MandateFactory, UserFactory


def _rows() -> dict:
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(model._meta.db_table)}")
                counts[model._meta.db_table] = cursor.fetchone()[0]
    return counts


def _listed(group) -> set:
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def _write_rows():
    city = JurisdictionFactory(name="长春市", code="220100")
    user = UserFactory(username="staff", roles=[roles.STAFF], jurisdiction=city)
    MandateFactory()
    Notification.objects.create(recipient=user, title="t")  # refers to the user, who refers to the city


@pytest.mark.django_db(transaction=True)
def test_the_flush_leaves_the_database_as_truncating_every_table_does(monkeypatch):
    _write_rows()
    with monkeypatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", DatabaseOperations.sql_flush_all_tables)
        call_command("flush", interactive=False, verbosity=0, reset_sequences=False)  # every table truncated
    after_truncating_all = _rows()

    _write_rows()
    assert _rows() != after_truncating_all
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)  # as after a transactional test

    assert _rows() == after_truncating_all
    assert not Notification.objects.exists()
    for role, wanted in roles.ROLE_PERMISSIONS.items():  # post_migrate gave them back
        assert _listed(Group.objects.get(name=role)) == set(wanted), role


@pytest.mark.django_db
def test_the_role_groups_get_back_what_they_lost_in_a_few_queries_per_role(django_assert_max_num_queries):
    for group in Group.objects.all():
        group.permissions.clear()
    with django_assert_max_num_queries(1 + 4 * len(roles.ROLE_PERMISSIONS)):  # was one query per permission
        roles.sync_role_groups()
    for role, wanted in roles.ROLE_PERMISSIONS.items():
        assert _listed(Group.objects.get(name=role)) == set(wanted), role
