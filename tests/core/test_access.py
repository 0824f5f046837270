"""Who is of the office, who works with the roster: the one family of access helpers every app's views use
(``apps.core.access``), and its decorators (403 for anyone else, the view untouched)."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from apps.core import roles
from apps.core.access import is_office, office_required, roster_required, sees_roster
from tests.factories import UserFactory

PERM = "reports.view_reportbatch"  # staff and supervisors hold it through their role; members do not


def _user(city, *role_names, jurisdiction=True, **kwargs):
    return UserFactory(roles=list(role_names), jurisdiction=city if jurisdiction else None, **kwargs)


@pytest.mark.parametrize("role", [roles.STAFF, roles.SUPERVISOR])
def test_staff_and_supervisors_with_a_jurisdiction_are_of_the_office(db, city, role):
    user = _user(city, role)
    assert is_office(user) is True
    assert is_office(user, PERM) is True
    assert sees_roster(user) is True


@pytest.mark.parametrize("role", [roles.STAFF, roles.SUPERVISOR])
def test_the_office_needs_a_jurisdiction_to_scope_its_pages(db, city, role):
    user = _user(city, role, jurisdiction=False)
    assert is_office(user) is False
    assert is_office(user, PERM) is False
    assert sees_roster(user) is False


@pytest.mark.parametrize("role", [r for r in roles.ALL_ROLES if r not in roles.OFFICE_ROLES])
def test_no_other_role_is_of_the_office(db, city, role):
    assert is_office(_user(city, role)) is False
    assert is_office(_user(city, role, is_superuser=True)) is False  # a role, not the superuser flag


def test_a_named_permission_is_needed_too(db, city):
    user = _user(city, roles.STAFF)
    assert is_office(user, "accounts.add_user") is False
    user.groups.clear()
    user.user_permissions.add(Permission.objects.get(codename="add_user", content_type__app_label="accounts"))
    user = type(user).objects.get(pk=user.pk)  # permissions are cached on the instance
    assert is_office(user, "accounts.add_user") is False  # the permission without the role is not enough


def test_anonymous_is_neither_of_the_office_nor_of_the_roster():
    assert is_office(AnonymousUser()) is False
    assert is_office(AnonymousUser(), PERM) is False
    assert sees_roster(AnonymousUser()) is False


def test_members_work_with_the_roster_but_are_not_of_the_office(db, city):
    member = _user(city, roles.MEMBER)
    assert sees_roster(member) is True
    assert is_office(member) is False
    assert sees_roster(member, "liaison.view_liaisonassignment") is False  # not granted to members
    assert sees_roster(_user(city, roles.MEMBER, jurisdiction=False)) is False


def test_the_roster_needs_the_permission_to_view_people(db, city):
    member = _user(city, roles.MEMBER)
    Group.objects.get(name=roles.MEMBER).permissions.remove(
        Permission.objects.get(codename="view_person", content_type__app_label="deputies"))
    member = type(member).objects.get(pk=member.pk)  # permissions are cached on the instance
    assert member.has_role(roles.MEMBER) and member.jurisdiction_id is not None
    assert sees_roster(member) is False


def _view(request, pk):
    return HttpResponse(f"page {pk}")


@pytest.mark.parametrize("decorate", [office_required, office_required(perm=PERM), roster_required,
                                      roster_required(perm="deputies.view_person")])
def test_the_decorators_let_the_office_through_with_the_views_arguments(db, city, decorate):
    request = RequestFactory().get("/")
    request.user = _user(city, roles.STAFF)
    view = decorate(_view)
    assert view.__name__ == "_view"
    assert view(request, pk=7).content == b"page 7"


@pytest.mark.parametrize("decorate", [office_required, office_required(perm=PERM), roster_required])
@pytest.mark.parametrize("role", [roles.DEPUTY, roles.UNIT, roles.SYSADMIN, None])
def test_the_decorators_refuse_anyone_else_with_403(db, city, decorate, role):
    request = RequestFactory().get("/")
    request.user = _user(city, role) if role else AnonymousUser()
    with pytest.raises(PermissionDenied):
        decorate(_view)(request, pk=7)


def test_a_permission_the_office_user_lacks_is_refused(db, city):
    request = RequestFactory().get("/")
    request.user = _user(city, roles.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        office_required(perm="reports.add_reportbatch")(_view)(request, pk=7)  # staff only
    with pytest.raises(PermissionDenied):
        roster_required(perm="deputies.add_person")(_view)(request, pk=7)
