"""Authentication controls of a level-3 system: password rules and age, login lockout per username and client
address (lifted by the security administrator), idle and absolute session limits, the real client address
behind a proxy."""

import datetime

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import LoginLockout
from apps.core.models import AuditEvent
from apps.core.services import client_ip
from tests.factories import UserFactory

PASSWORD = "Renda@2026"
LOGIN = reverse("accounts:login")
HOME = reverse("core:home")
NOW = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)


def _login(client, username="staff", password=PASSWORD, ip="10.1.1.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


# --- password rules ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("new", "message"), [
    ("changchunrenda", "至少 3 种"),          # one class only
    ("changchun2026", "至少 3 种"),           # two classes
    ("Staff#2026x", None),                   # three classes, fine
])
def test_new_passwords_mix_three_of_four_character_classes(client, staff_user, new, message):
    client.force_login(staff_user)
    response = client.post(reverse("accounts:password_change"),
                           {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    staff_user.refresh_from_db()
    if message is None:
        assert response.status_code == 302
        assert staff_user.check_password(new)
    else:
        assert response.status_code == 200
        assert message in response.content.decode()
        assert staff_user.check_password(PASSWORD)


def test_the_username_is_not_a_password(client, db):
    user = UserFactory(username="Wang#2026ab")
    client.force_login(user)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "wang#2026AB", "new_password2": "wang#2026AB"})
    assert response.status_code == 200
    assert "不能是用户名" in response.content.decode()


def test_a_password_set_by_an_administrator_must_be_changed_first(client, staff_user):
    staff_user.must_change_password = True
    staff_user.save()
    assert _login(client).status_code == 302
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    assert client.get(reverse("accounts:password_change")).status_code == 200
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Changchun#88", "new_password2": "Changchun#88"})
    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.must_change_password is False
    assert staff_user.password_changed_at is not None
    assert client.get(HOME).status_code == 200
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PASSWORD_CHANGED, user=staff_user).exists()


def test_a_password_older_than_90_days_must_be_changed(client, db):
    with time_machine.travel(NOW - datetime.timedelta(days=91), tick=False):
        user = UserFactory(username="old")
        user.set_password(PASSWORD)
        user.save()
    with time_machine.travel(NOW, tick=False):
        client.force_login(user)
        response = client.get(HOME)
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:password_change")
        # Logging out is still possible.
        assert client.post(reverse("accounts:logout")).status_code == 302


def test_a_password_of_89_days_is_still_good(client, db):
    with time_machine.travel(NOW - datetime.timedelta(days=89), tick=False):
        user = UserFactory(username="recent")
        user.set_password(PASSWORD)
        user.save()
    with time_machine.travel(NOW, tick=False):
        client.force_login(user)
        assert client.get(HOME).status_code == 200


# --- lockout ----------------------------------------------------------------------------------------------------

def test_five_failures_lock_the_username_at_that_address_for_30_minutes(staff_user):
    client = Client()
    with time_machine.travel(NOW, tick=False):
        for _attempt in range(5):
            assert _login(client, password="wrong").status_code == 200
        # The right password is refused now, with a message saying why and until when.
        response = _login(client)
        assert response.status_code == 200
        assert "锁定" in response.content.decode()
        assert "_auth_user_id" not in client.session
        assert AuditEvent.objects.filter(action=AuditEvent.Action.LOCKOUT, username="staff").count() == 1
        # Another computer is not locked out (one user cannot lock everyone out).
        assert _login(Client(), ip="10.2.2.2").status_code == 302
    with time_machine.travel(NOW + datetime.timedelta(minutes=29), tick=False):
        assert _login(Client()).status_code == 200
    with time_machine.travel(NOW + datetime.timedelta(minutes=31), tick=False):
        assert _login(Client()).status_code == 302


def test_failures_spread_over_more_than_the_window_do_not_lock(staff_user):
    for minutes in (0, 10, 20, 31, 41):
        with time_machine.travel(NOW + datetime.timedelta(minutes=minutes), tick=False):
            _login(Client(), password="wrong")
    with time_machine.travel(NOW + datetime.timedelta(minutes=42), tick=False):
        assert _login(Client()).status_code == 302


def test_a_success_resets_the_count(staff_user):
    with time_machine.travel(NOW, tick=False):
        for _attempt in range(4):
            _login(Client(), password="wrong")
        assert _login(Client()).status_code == 302
        for _attempt in range(4):
            _login(Client(), password="wrong")
        assert _login(Client()).status_code == 302


def test_the_security_administrator_lifts_a_lock(staff_user, secadmin_user, client_for):
    for _attempt in range(5):
        _login(Client(), password="wrong")
    lock = LoginLockout.objects.get(username="staff")
    assert lock.is_locked()

    page = client_for(secadmin_user).get(reverse("accounts:lockout_list"))
    assert page.status_code == 200
    assert f'id="lockout-{lock.pk}"' in page.content.decode()
    response = client_for(secadmin_user).post(reverse("accounts:lockout_lift", args=[lock.pk]))
    assert response.status_code == 302
    lock.refresh_from_db()
    assert not lock.is_locked()
    assert lock.lifted_by == secadmin_user
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOCKOUT_LIFTED, user=secadmin_user).exists()
    assert _login(Client()).status_code == 302


@pytest.mark.parametrize("role", ["staff_user", "sysadmin_user", "auditor_user", "deputy_user", "outsider"])
def test_only_the_security_administrator_sees_and_lifts_locks(request, client_for, role, staff_user):
    for _attempt in range(5):
        _login(Client(), password="wrong")
    lock = LoginLockout.objects.get(username="staff")
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("accounts:lockout_list")).status_code == 403
    assert client.post(reverse("accounts:lockout_lift", args=[lock.pk])).status_code == 403
    lock.refresh_from_db()
    assert lock.is_locked()


# --- lockout of a client address, whatever the usernames -----------------------------------------------------

def _spray(ip: str, count: int = 20) -> None:
    """One wrong password per username, never the same username twice (below the per-username limit)."""
    for n in range(count):
        _login(Client(), username=f"guess{n}", password="Spring@2026", ip=ip)


def test_twenty_failures_across_usernames_lock_the_address(staff_user):
    with time_machine.travel(NOW, tick=False):
        _spray("10.6.6.6", 19)
        assert _login(Client(), ip="10.6.6.6").status_code == 302  # 19 failures: not yet
        _login(Client(), username="guess19", password="Spring@2026", ip="10.6.6.6")
        # The right password of an account never tried is refused now, with a message saying why.
        client = Client()
        response = _login(client, ip="10.6.6.6")
        assert response.status_code == 200
        assert "本机登录失败次数过多" in response.content.decode()
        assert "_auth_user_id" not in client.session
        lock = LoginLockout.objects.get(username="", ip_address="10.6.6.6")
        assert (lock.failures, lock.locked_until) == (20, NOW + datetime.timedelta(minutes=30))
        event = AuditEvent.objects.get(action=AuditEvent.Action.LOCKOUT)
        assert "10.6.6.6" in event.detail and "any username" in event.detail
        # No username was tried five times: only the address is locked.
        assert not LoginLockout.objects.exclude(username="").filter(locked_until__isnull=False).exists()
        # Another address is not affected.
        assert _login(Client(), ip="10.7.7.7").status_code == 302
    with time_machine.travel(NOW + datetime.timedelta(minutes=31), tick=False):
        assert _login(Client(), ip="10.6.6.6").status_code == 302


def test_failures_of_an_address_spread_over_more_than_the_window_do_not_lock_it(staff_user):
    for minutes in (0, 31):
        with time_machine.travel(NOW + datetime.timedelta(minutes=minutes), tick=False):
            _spray("10.6.6.6", 10)
    with time_machine.travel(NOW + datetime.timedelta(minutes=32), tick=False):
        assert _login(Client(), ip="10.6.6.6").status_code == 302


def test_a_success_does_not_reset_the_count_of_the_address(staff_user):
    with time_machine.travel(NOW, tick=False):
        _spray("10.6.6.6", 10)
        assert _login(Client(), ip="10.6.6.6").status_code == 302  # a valid account does not buy more guesses
        _spray("10.6.6.6", 10)
        assert _login(Client(), ip="10.6.6.6").status_code == 200


@override_settings(LOGIN_ADDRESS_LOCKOUT_FAILURES=3, LOGIN_ADDRESS_LOCKOUT_MINUTES=5)
def test_the_address_limit_and_its_window_are_settings(staff_user):
    with time_machine.travel(NOW, tick=False):
        _spray("10.6.6.6", 3)
        assert _login(Client(), ip="10.6.6.6").status_code == 200
    with time_machine.travel(NOW + datetime.timedelta(minutes=6), tick=False):
        assert _login(Client(), ip="10.6.6.6").status_code == 302


@override_settings(LOGIN_ADDRESS_LOCKOUT_FAILURES=0)
def test_the_address_limit_can_be_turned_off(staff_user):
    _spray("10.6.6.6", 25)
    assert _login(Client(), ip="10.6.6.6").status_code == 302
    assert not LoginLockout.objects.filter(username="").exists()


def test_the_security_administrator_lifts_the_lock_of_an_address(staff_user, secadmin_user, client_for):
    _spray("10.6.6.6")
    lock = LoginLockout.objects.get(username="", ip_address="10.6.6.6")
    assert lock.is_locked()

    page = client_for(secadmin_user).get(reverse("accounts:lockout_list"))
    html = page.content.decode()
    assert f'id="lockout-{lock.pk}"' in html and "任何用户名" in html and "10.6.6.6" in html
    response = client_for(secadmin_user).post(reverse("accounts:lockout_lift", args=[lock.pk]), follow=True)
    assert "已解除 地址 10.6.6.6 的登录锁定" in response.content.decode()
    lock.refresh_from_db()
    assert not lock.is_locked() and lock.lifted_by == secadmin_user
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOCKOUT_LIFTED, user=secadmin_user,
                                     detail="(any username) @ 10.6.6.6").exists()
    assert _login(Client(), ip="10.6.6.6").status_code == 302


@pytest.mark.parametrize("role", ["staff_user", "sysadmin_user", "auditor_user", "deputy_user", "outsider"])
def test_only_the_security_administrator_lifts_the_lock_of_an_address(request, client_for, role, staff_user):
    _spray("10.6.6.6")
    lock = LoginLockout.objects.get(username="", ip_address="10.6.6.6")
    assert client_for(request.getfixturevalue(role)).post(
        reverse("accounts:lockout_lift", args=[lock.pk])).status_code == 403
    lock.refresh_from_db()
    assert lock.is_locked()


def test_the_lock_pages_need_login(client, db):
    response = client.get(reverse("accounts:lockout_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# --- sessions ---------------------------------------------------------------------------------------------------

def test_a_session_ends_after_30_minutes_idle(staff_user):
    client = Client()
    with time_machine.travel(NOW, tick=False):
        _login(client)
        assert client.get(HOME).status_code == 200
    with time_machine.travel(NOW + datetime.timedelta(minutes=29), tick=False):
        assert client.get(HOME).status_code == 200  # activity keeps it alive
    with time_machine.travel(NOW + datetime.timedelta(minutes=58), tick=False):
        assert client.get(HOME).status_code == 200
    with time_machine.travel(NOW + datetime.timedelta(minutes=89), tick=False):
        response = client.get(HOME)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SESSION_EXPIRED, user=staff_user,
                                     detail="idle").exists()


def test_a_session_ends_12_hours_after_login_however_active(staff_user):
    client = Client()
    with time_machine.travel(NOW, tick=False):
        _login(client)
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(NOW + datetime.timedelta(minutes=minutes), tick=False):
            assert client.get(HOME).status_code == 200
    with time_machine.travel(NOW + datetime.timedelta(hours=12, minutes=1), tick=False):
        assert client.get(HOME).status_code == 302


def test_login_gives_a_new_session_id_and_logout_ends_it_on_the_server(staff_user):
    from django.contrib.sessions.models import Session

    client = Client()
    client.get(LOGIN)
    client.cookies["sessionid"] = "attacker-chosen"
    _login(client)
    key = client.cookies["sessionid"].value
    assert key != "attacker-chosen"
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_the_session_cookie_ends_with_the_browser_but_the_server_keeps_the_12_hour_limit(staff_user):
    from django.contrib.sessions.models import Session

    with time_machine.travel(NOW, tick=False):
        response = _login(Client())
    cookie = response.cookies["sessionid"]
    assert (cookie["expires"], cookie["max-age"]) == ("", "")  # a browser-session cookie
    session = Session.objects.get(session_key=cookie.value)
    assert session.expire_date == NOW + datetime.timedelta(hours=12)


def test_session_cookies_are_http_only_and_same_site(client, staff_user):
    response = _login(client)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


# --- the client address -----------------------------------------------------------------------------------------

class _Request:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


def test_client_address_without_a_proxy_ignores_forwarded_headers():
    assert client_ip(_Request("10.0.0.5", "1.2.3.4")) == "10.0.0.5"


@override_settings(NUM_PROXIES=1)
def test_client_address_behind_one_proxy_is_the_entry_it_appended():
    # The client forged the first entry; the proxy appended the real address.
    assert client_ip(_Request("10.0.0.1", "6.6.6.6, 172.16.0.9")) == "172.16.0.9"
    assert client_ip(_Request("10.0.0.1")) == "10.0.0.1"


@override_settings(NUM_PROXIES=1)
def test_lockout_behind_a_proxy_is_keyed_by_the_real_client(staff_user):
    client = Client()
    for _attempt in range(5):
        client.post(LOGIN, {"username": "staff", "password": "wrong"}, REMOTE_ADDR="10.0.0.1",
                    HTTP_X_FORWARDED_FOR="172.16.0.9")
    locked = client.post(LOGIN, {"username": "staff", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1",
                         HTTP_X_FORWARDED_FOR="172.16.0.9")
    assert locked.status_code == 200
    other = Client().post(LOGIN, {"username": "staff", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1",
                          HTTP_X_FORWARDED_FOR="172.16.0.10")
    assert other.status_code == 302
    lock = LoginLockout.objects.get(username="staff")  # (the address also counts its failures: not locked yet)
    assert lock.ip_address == "172.16.0.9"
    assert timezone.now() < lock.locked_until
