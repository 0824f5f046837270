"""The committee's composition moved out of apps.liaison without moving data: the models keep their tables,
and the content types (with every permission and grant on them) follow the models to the new app label."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from apps.committee.models import CommitteeMember, SpecialCommittee

content_types = importlib.import_module("apps.committee.migrations.0002_content_types")


def test_the_models_keep_the_tables_liaison_made():
    through = CommitteeMember.special_committees.through
    m2m_history = apps.get_model("committee", "HistoricalCommitteeMember_special_committees")
    assert {model._meta.label: model._meta.db_table for model in (
        CommitteeMember, SpecialCommittee, CommitteeMember.history.model, SpecialCommittee.history.model,
        through, m2m_history)} == {
        "committee.CommitteeMember": "liaison_committeemember",
        "committee.SpecialCommittee": "liaison_specialcommittee",
        "committee.HistoricalCommitteeMember": "liaison_historicalcommitteemember",
        "committee.HistoricalSpecialCommittee": "liaison_historicalspecialcommittee",
        "committee.CommitteeMember_special_committees": "liaison_committeemember_special_committees",
        "committee.HistoricalCommitteeMember_special_committees":
            "liaison_historicalcommitteemember_special_committees",
    }


@pytest.mark.django_db
def test_the_content_types_move_with_their_permissions_and_grants():
    """A database migrated before the move: its content types say ``liaison``; a group holds a permission granted
    by hand. After the migration they say ``committee`` and the grant is still there."""
    ContentType.objects.filter(app_label="committee").update(app_label="liaison")
    ContentType.objects.clear_cache()
    granted = Permission.objects.get(content_type__app_label="liaison", codename="delete_specialcommittee")
    group = Group.objects.create(name="hand-granted")
    group.permissions.add(granted)
    moved_pks = set(ContentType.objects.filter(app_label="liaison", model__in=content_types.MODELS)
                    .values_list("pk", flat=True))
    assert len(moved_pks) == len(content_types.MODELS)

    content_types.forwards(apps, None)
    ContentType.objects.clear_cache()

    assert set(ContentType.objects.filter(app_label="committee").values_list("pk", flat=True)) == moved_pks
    assert not ContentType.objects.filter(app_label="liaison", model__in=content_types.MODELS).exists()
    assert list(group.permissions.values_list("content_type__app_label", "codename")) == [
        ("committee", "delete_specialcommittee")]
    assert Permission.objects.filter(content_type__app_label="committee").count() == 4 * len(content_types.MODELS)


@pytest.mark.django_db
def test_a_content_type_made_early_under_the_new_label_gives_way_to_the_old_one():
    """A ``migrate`` stopped between the two migrations may have made a ``committee`` content type already: the
    old one, which holds the grants, takes its place."""
    old = ContentType.objects.get(app_label="committee", model="committeemember")
    old.app_label = "liaison"
    old.save()
    early = ContentType.objects.create(app_label="committee", model="committeemember")
    ContentType.objects.clear_cache()

    content_types.forwards(apps, None)
    ContentType.objects.clear_cache()

    assert ContentType.objects.get(app_label="committee", model="committeemember").pk == old.pk
    assert not ContentType.objects.filter(pk=early.pk).exists()
    assert ContentType.objects.get_for_model(CommitteeMember).pk == old.pk
