"""Separation of duties (三员分立): the system administrator keeps accounts, the security administrator roles and
policy, the auditor the audit log; none of them sees business data, none reaches another's pages, no account
holds all three roles, and every change of roles is audited with who, whom, what and when."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from apps.accounts import services_admin
from apps.accounts.models import User
from apps.core import roles
from apps.core.models import AuditEvent
from tests.factories import HandlingUnitFactory, PersonFactory, UserFactory

PASSWORD = "Renda@2026"
ADMINS = ["sysadmin_user", "secadmin_user", "auditor_user"]
BUSINESS = ["staff_user", "supervisor_user", "member_user", "deputy_user", "unit_user", "outsider"]

# url name → (the one role that opens it, needs a target account's pk, POST only)
PAGES = {
    "account_list": ("sysadmin_user", False, False),
    "account_create": ("sysadmin_user", False, False),
    "account_edit": ("sysadmin_user", True, False),
    "account_deactivate": ("sysadmin_user", True, True),
    "account_reactivate": ("sysadmin_user", True, True),
    "role_list": ("secadmin_user", False, False),
    "role_edit": ("secadmin_user", True, False),
    "security_policy": ("secadmin_user", False, False),
    "lockout_list": ("secadmin_user", False, False),
    "audit_list": ("auditor_user", False, False),
    "audit_export": ("auditor_user", False, False),
}
BUSINESS_LISTS = ["deputies:roster_list", "liaison:contact_list", "liaison:request_list", "liaison:invitation_list",
                  "activities:activity_list", "activities:self_report_queue", "training:program_list",
                  "stations:station_list"]


@pytest.fixture
def target(city):
    return UserFactory(username="target", full_name="目标用户", jurisdiction=city)


def _client(request, role):
    client = Client(enforce_csrf_checks=False)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


def _url(name, target):
    args = [target.pk] if PAGES[name][1] else []
    return reverse(f"accounts:{name}", args=args)


# --- each page × each role --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", ["anonymous", *ADMINS, *BUSINESS])
def test_each_administrators_page_opens_to_its_role_only(request, target, name, role):
    owner, _pk, post_only = PAGES[name]
    client = _client(request, role)
    url = _url(name, target)
    response = client.post(url) if post_only else client.get(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif role == owner:
        assert response.status_code == (302 if post_only else 200)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("url_name", BUSINESS_LISTS)
@pytest.mark.parametrize("role", ADMINS)
def test_no_administrator_sees_business_data(request, url_name, role, county_mandate):
    response = _client(request, role).get(reverse(url_name))
    assert response.status_code == 403


@pytest.mark.parametrize("role", ADMINS)
def test_the_django_admin_is_closed_to_the_three_administrators(request, role, target):
    client = _client(request, role)
    for url in [reverse("admin:index"), reverse("admin:accounts_user_changelist"),
                reverse("admin:accounts_user_change", args=[target.pk]), reverse("admin:auth_group_changelist"),
                reverse("admin:core_auditevent_changelist"), reverse("admin:deputies_person_changelist")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url
    staff = Group.objects.get_or_create(name=roles.STAFF)[0]
    client.post(reverse("admin:accounts_user_change", args=[target.pk]),
                {"username": "target", "groups": [staff.pk], "is_superuser": "on"})
    target.refresh_from_db()
    assert not target.is_superuser and not target.groups.exists()


def test_a_superuser_opens_the_django_admin(db):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


# --- the system administrator: accounts -------------------------------------------------------------------------

def _account_data(**overrides):
    data = {"username": "wangfang", "full_name": "王芳", "phone": "13900001111", "email": "wangfang@example.gov.cn",
            "jurisdiction": "", "handling_unit": "", "person": "", "password1": "Changchun#2026",
            "password2": "Changchun#2026"}
    data.update(overrides)
    return data


def test_the_system_administrator_creates_an_account_with_a_temporary_password(client_for, sysadmin_user, county):
    person = PersonFactory(name="赵六")
    unit = HandlingUnitFactory(jurisdiction=county)
    response = client_for(sysadmin_user).post(reverse("accounts:account_create"), _account_data(
        jurisdiction=county.pk, handling_unit=unit.pk, person=person.pk))
    assert response.status_code == 302
    account = User.objects.get(username="wangfang")
    assert (account.full_name, account.email, account.jurisdiction, account.handling_unit, account.person) == (
        "王芳", "wangfang@example.gov.cn", county, unit, person)
    assert account.must_change_password is True
    assert account.check_password("Changchun#2026")
    assert not account.groups.exists()  # roles are the security administrator's
    event = AuditEvent.objects.get(action=services_admin.ACCOUNT_CREATED)
    assert (event.user, event.object_id) == (sysadmin_user, str(account.pk))
    assert "Changchun#2026" not in event.detail


def test_a_new_account_must_change_its_password_at_first_login(client_for, sysadmin_user):
    client_for(sysadmin_user).post(reverse("accounts:account_create"), _account_data())
    client = Client()
    assert client.post(reverse("accounts:login"), {"username": "wangfang", "password": "Changchun#2026"}
                       ).status_code == 302
    response = client.get(reverse("core:home"))
    assert response["Location"] == reverse("accounts:password_change")


@pytest.mark.parametrize(("overrides", "field"), [
    ({"username": "Target"}, "username"),            # taken, whatever the case
    ({"email": "not-an-email"}, "email"),
    ({"password2": "Other#20261"}, "password2"),
    ({"password1": "12345678", "password2": "12345678"}, "password1"),
    ({"full_name": ""}, "full_name"),
])
def test_a_bad_account_is_refused_and_nothing_is_written(client_for, sysadmin_user, target, overrides, field):
    before = User.objects.count()
    response = client_for(sysadmin_user).post(reverse("accounts:account_create"), _account_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert User.objects.count() == before
    assert not AuditEvent.objects.filter(action=services_admin.ACCOUNT_CREATED).exists()


def test_the_account_form_has_no_roles_and_ignores_any_posted(client_for, sysadmin_user):
    client = client_for(sysadmin_user)
    html = client.get(reverse("accounts:account_create")).content.decode()
    assert 'name="groups"' not in html and 'name="roles"' not in html and 'name="is_superuser"' not in html
    staff = Group.objects.get_or_create(name=roles.STAFF)[0]
    client.post(reverse("accounts:account_create"), _account_data(groups=[staff.pk], roles=[roles.STAFF],
                                                                  is_superuser="on", is_staff="on"))
    account = User.objects.get(username="wangfang")
    assert not account.groups.exists() and not account.is_superuser and not account.is_staff


def test_the_system_administrator_edits_an_account_and_resets_its_password(client_for, sysadmin_user, target):
    response = client_for(sysadmin_user).post(reverse("accounts:account_edit", args=[target.pk]), _account_data(
        username="ignored", full_name="新名字", password1="Reset#20261", password2="Reset#20261"))
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.username, target.full_name, target.must_change_password) == ("target", "新名字", True)
    assert target.check_password("Reset#20261")
    event = AuditEvent.objects.get(action=services_admin.ACCOUNT_UPDATED)
    assert "full_name" in event.detail and "password" in event.detail and "Reset#" not in event.detail


def test_the_system_administrator_deactivates_and_reactivates_an_account(client_for, sysadmin_user, target):
    client = client_for(sysadmin_user)
    client.post(reverse("accounts:account_deactivate", args=[target.pk]))
    target.refresh_from_db()
    assert target.is_active is False
    assert Client().post(reverse("accounts:login"), {"username": "target", "password": PASSWORD}).status_code == 200
    client.post(reverse("accounts:account_reactivate", args=[target.pk]))
    target.refresh_from_db()
    assert target.is_active is True
    assert AuditEvent.objects.filter(action__in=[services_admin.ACCOUNT_DEACTIVATED,
                                                 services_admin.ACCOUNT_REACTIVATED], user=sysadmin_user).count() == 2


def test_the_system_administrator_cannot_deactivate_themselves(client_for, sysadmin_user):
    client_for(sysadmin_user).post(reverse("accounts:account_deactivate", args=[sysadmin_user.pk]))
    sysadmin_user.refresh_from_db()
    assert sysadmin_user.is_active


def test_the_account_list_searches(client_for, sysadmin_user, target):
    response = client_for(sysadmin_user).get(reverse("accounts:account_list"), {"q": "目标"})
    assert [a.username for a, _r in response.context["rows"]] == ["target"]


# --- the security administrator: roles --------------------------------------------------------------------------

def test_a_role_grant_is_audited_with_actor_target_and_roles(client_for, secadmin_user, target):
    target.groups.add(Group.objects.get_or_create(name=roles.MEMBER)[0])
    client = client_for(secadmin_user)
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    response = client.post(reverse("accounts:role_edit", args=[target.pk]),
                                              {"roles": [roles.STAFF, roles.SUPERVISOR]}, REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 302
    assert User.objects.get(pk=target.pk).roles == {roles.STAFF, roles.SUPERVISOR}
    events = AuditEvent.objects.exclude(pk__in=before)
    assert events.count() == 1  # one entry, not one per signal
    event = events.get()
    assert (event.action, event.user, event.username, event.ip_address, event.object_type, event.object_id) == (
        services_admin.ROLE_CHANGED, secadmin_user, "secadmin", "10.9.8.7", "accounts.User", str(target.pk))
    assert "account target" in event.detail
    assert "added staff, supervisor" in event.detail and "removed member" in event.detail


@pytest.mark.parametrize("chosen", [
    [roles.SYSADMIN, roles.SECADMIN, roles.AUDITOR],
    [roles.SYSADMIN, roles.STAFF],
    [roles.AUDITOR, roles.DEPUTY],
])
def test_forbidden_role_combinations_are_refused(client_for, secadmin_user, target, chosen):
    response = client_for(secadmin_user).post(reverse("accounts:role_edit", args=[target.pk]), {"roles": chosen})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not target.groups.exists()
    assert not AuditEvent.objects.filter(action=services_admin.ROLE_CHANGED, user=secadmin_user).exists()


def test_all_three_administrator_roles_are_refused_with_a_message(client_for, secadmin_user, target):
    secadmin_user.language = "en"  # the user's own choice: a language cookie no longer decides
    secadmin_user.save()
    client = client_for(secadmin_user)
    response = client.post(reverse("accounts:role_edit", args=[target.pk]),
                           {"roles": list(roles.ADMIN_ROLES)})
    assert "No account may hold all three administrator roles" in response.content.decode()


def test_two_administrator_roles_are_allowed(client_for, secadmin_user, target):
    client_for(secadmin_user).post(reverse("accounts:role_edit", args=[target.pk]),
                                   {"roles": [roles.SYSADMIN, roles.AUDITOR]})
    assert User.objects.get(pk=target.pk).roles == {roles.SYSADMIN, roles.AUDITOR}


def test_the_service_refuses_all_three_whoever_calls_it(secadmin_user, target):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services_admin.account_roles_set(user=secadmin_user, account=target, role_names=roles.ADMIN_ROLES)


def test_a_security_administrator_cannot_change_their_own_roles(client_for, secadmin_user):
    response = client_for(secadmin_user).post(reverse("accounts:role_edit", args=[secadmin_user.pk]),
                                              {"roles": [roles.SECADMIN, roles.AUDITOR]})
    assert response.status_code == 200
    assert User.objects.get(pk=secadmin_user.pk).roles == {roles.SECADMIN}


def test_the_role_page_shows_the_current_roles(client_for, secadmin_user, staff_user):
    response = client_for(secadmin_user).get(reverse("accounts:role_edit", args=[staff_user.pk]))
    assert response.context["form"].initial == {"roles": [roles.STAFF]}
    assert response.content.decode().count("checked") == 1


def test_the_security_policy_page_shows_the_settings_in_force(client_for, secadmin_user, settings):
    settings.LOGIN_LOCKOUT_FAILURES = 7
    settings.SESSION_IDLE_SECONDS = 20 * 60
    response = client_for(secadmin_user).get(reverse("accounts:security_policy"))
    policy = response.context["policy"]
    assert (policy["password_min_length"], policy["password_min_classes"], policy["lockout_failures"],
            policy["session_idle_minutes"], policy["session_max_hours"]) == (8, 3, 7, 20, 12)
    html = response.content.decode()
    assert 'id="policy-lockout_failures"' in html and "<form" not in html.split('id="policy"')[1]


# --- changes made any other way ---------------------------------------------------------------------------------

def test_a_role_change_outside_the_pages_is_audited_once(target):
    staff = Group.objects.get_or_create(name=roles.STAFF)[0]
    target.groups.add(staff)
    target.groups.remove(staff)
    events = list(AuditEvent.objects.filter(action=services_admin.ROLE_CHANGED, object_id=str(target.pk))
                  .order_by("pk"))
    assert [("added staff" in e.detail, "removed staff" in e.detail) for e in events] == [(True, False),
                                                                                          (False, True)]
    assert all(e.user is None and "actor unknown" in e.detail for e in events)
    staff.user_set.add(target)  # from the group's side too
    assert AuditEvent.objects.filter(action=services_admin.ROLE_CHANGED, object_id=str(target.pk)).count() == 3


def test_a_permission_given_by_hand_is_audited(target):
    perm = Permission.objects.get(codename="view_person", content_type__app_label="deputies")
    target.user_permissions.add(perm)
    auditor_group = Group.objects.get_or_create(name=roles.AUDITOR)[0]
    auditor_group.permissions.add(perm)
    details = list(AuditEvent.objects.filter(action=services_admin.PERMISSION_CHANGED).values_list("detail", flat=True))
    assert any("account target" in d and "deputies.view_person" in d for d in details)
    assert any("role auditor" in d and "deputies.view_person" in d for d in details)


def test_a_role_change_in_the_django_admin_is_audited_under_the_superuser(db, target):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    staff = Group.objects.get_or_create(name=roles.STAFF)[0]
    response = client.post(reverse("admin:accounts_user_change", args=[target.pk]), {
        "username": "target", "full_name": target.full_name, "is_active": "on", "groups": [staff.pk],
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    event = AuditEvent.objects.get(action=services_admin.ROLE_CHANGED, object_id=str(target.pk))
    assert event.user == superuser and "added staff" in event.detail


def test_the_django_admin_refuses_all_three_administrator_roles(db, target):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    groups = [Group.objects.get_or_create(name=r)[0].pk for r in roles.ADMIN_ROLES]
    response = client.post(reverse("admin:accounts_user_change", args=[target.pk]), {
        "username": "target", "is_active": "on", "groups": groups,
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"})
    assert response.status_code == 200
    assert not target.groups.exists()
