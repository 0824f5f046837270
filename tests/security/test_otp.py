"""Time-based one-time passwords: compulsory for administrators, optional for others, throttled, audited, no replay.

Time is frozen (time-machine) and codes are computed with pyotp, as an authenticator app would.
"""

import datetime
import re

import pyotp
import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from apps.accounts import otp
from apps.accounts.models import LoginLockout, TOTPDevice
from apps.core.models import AuditEvent

PASSWORD = "Renda@2026"
LOGIN = reverse("accounts:login")
HOME = reverse("core:home")
VERIFY = reverse("accounts:otp_verify")
SETUP = reverse("accounts:otp_setup")
MANAGE = reverse("accounts:otp_manage")
DISABLE = reverse("accounts:otp_disable")
DEVICES = reverse("accounts:otp_device_list")
NOW = datetime.datetime(2026, 11, 26, 9, 0, 5, tzinfo=datetime.UTC)  # 5 s into a 30-second step
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
IP = "10.1.1.1"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _device(user, secret=SECRET) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, secret_encrypted=otp._encrypt(secret))


def _code(secret=SECRET, offset_steps=0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.at(datetime.datetime.now(tz=datetime.UTC), counter_offset=offset_steps)


def _login(client, username, next_url=None):
    data = {"username": username, "password": PASSWORD}
    if next_url is not None:
        data["next"] = next_url
    return client.post(LOGIN, data, REMOTE_ADDR=IP)


def _verify(client, code):
    return client.post(VERIFY, {"code": code}, REMOTE_ADDR=IP)


def _logged_in(client) -> bool:
    return SESSION_KEY in client.session


def _secret_on(response) -> str:
    match = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', response.content.decode())
    assert match, "the enrolment page shows the key as text"
    return match.group(1).replace(" ", "")


def _actions(action):
    return AuditEvent.objects.filter(action=action)


# --- administrators must enrol ------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["sysadmin_user", "secadmin_user", "auditor_user"])
def test_an_administrator_without_an_authenticator_must_enrol_before_getting_in(request, client, frozen, role):
    user = request.getfixturevalue(role)
    response = _login(client, user.username)
    assert response.status_code == 302 and response["Location"] == SETUP
    assert not _logged_in(client)
    assert client.get(HOME)["Location"].startswith(LOGIN)  # nothing opens before the code
    assert client.get(VERIFY)["Location"] == SETUP  # no device yet: the code step sends back to enrolment

    page = client.get(SETUP)
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and re.search(r"<script(?![^>]*\bsrc=)", body) is None  # no inline script
    secret = _secret_on(page)
    assert client.get(SETUP).content.decode().count(otp.secret_grouped(secret)) == 1  # same key on reload

    response = client.post(SETUP, {"code": pyotp.TOTP(secret).now()}, REMOTE_ADDR=IP)
    assert response.status_code == 302 and response["Location"] == HOME
    assert _logged_in(client) and int(client.session[SESSION_KEY]) == user.pk
    device = TOTPDevice.objects.get(user=user)
    assert secret not in device.secret_encrypted and otp._decrypt(device.secret_encrypted) == secret
    assert _actions(otp.ACTION_ENABLED).get().user == user
    assert _actions(AuditEvent.Action.LOGIN).get().user == user
    assert client.get(HOME).status_code == 200


def test_a_wrong_enrolment_code_does_not_turn_it_on(client, frozen, sysadmin_user):
    _login(client, "sysadmin")
    secret = _secret_on(client.get(SETUP))
    response = client.post(SETUP, {"code": _code(secret, offset_steps=5)}, REMOTE_ADDR=IP)
    assert response.status_code == 200 and response.context["form"].errors
    assert not TOTPDevice.objects.exists() and not _logged_in(client)
    assert _actions(otp.ACTION_FAILED).count() == 1


def test_five_wrong_enrolment_codes_cancel_the_login(client, frozen, sysadmin_user):
    _login(client, "sysadmin")
    secret = _secret_on(client.get(SETUP))
    for _ in range(4):
        assert client.post(SETUP, {"code": _code(secret, 5)}, REMOTE_ADDR=IP).status_code == 200
    response = client.post(SETUP, {"code": _code(secret, 5)}, REMOTE_ADDR=IP)
    assert response["Location"] == LOGIN
    assert client.get(SETUP)["Location"] == LOGIN
    assert LoginLockout.objects.get(username="sysadmin", ip_address=IP).failures == 1


def test_an_administrator_with_an_authenticator_is_asked_for_a_code(client, frozen, auditor_user):
    _device(auditor_user)
    response = _login(client, "auditor")
    assert response["Location"] == VERIFY
    assert not _logged_in(client)


# --- the code step ------------------------------------------------------------------------------------------

def test_a_correct_code_logs_in_with_a_new_session_id(client, frozen, staff_user):
    _device(staff_user)
    _login(client, "staff")
    pending_key = client.session.session_key
    page = client.get(VERIFY)
    assert page.status_code == 200 and SECRET not in page.content.decode()
    assert not _logged_in(client)

    response = _verify(client, _code())
    assert response.status_code == 302 and response["Location"] == HOME
    assert _logged_in(client) and client.session.session_key != pending_key
    assert otp.PENDING not in client.session
    login_event = _actions(AuditEvent.Action.LOGIN).get()
    assert login_event.user == staff_user and login_event.ip_address == IP


def test_the_password_step_gives_a_new_session_id_too(client, frozen, staff_user):
    _device(staff_user)
    session = client.session
    session["seen"] = True
    session.save()
    before = session.session_key
    _login(client, "staff")
    assert client.session.session_key != before and client.session["seen"] is True


@pytest.mark.parametrize("offset", [-1, 1])
def test_a_code_one_step_off_is_accepted(client, frozen, staff_user, offset):
    _device(staff_user)
    _login(client, "staff")
    assert _verify(client, _code(offset_steps=offset))["Location"] == HOME


def test_a_code_two_steps_off_is_refused(client, frozen, staff_user):
    _device(staff_user)
    _login(client, "staff")
    assert _verify(client, _code(offset_steps=2)).status_code == 200
    assert not _logged_in(client)


@pytest.mark.parametrize(("next_url", "expected"), [
    ("/deputies/", "/deputies/"),
    ("https://evil.example.com/", HOME),
])
def test_the_next_page_is_kept_when_it_is_safe(client, frozen, staff_user, next_url, expected):
    _device(staff_user)
    _login(client, "staff", next_url=next_url)
    assert _verify(client, _code())["Location"] == expected


def test_five_wrong_codes_cancel_the_login_and_count_a_failed_login(client, frozen, staff_user):
    _device(staff_user)
    _login(client, "staff")
    wrong = _code(offset_steps=10)
    for attempt in range(1, 5):
        response = _verify(client, wrong)
        assert response.status_code == 200 and "code" in response.context["form"].errors
        assert _actions(otp.ACTION_FAILED).count() == attempt
    assert not LoginLockout.objects.exists()

    response = _verify(client, wrong)
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert otp.PENDING not in client.session
    failed = _actions(otp.ACTION_FAILED)
    assert failed.count() == 5 and all(e.user == staff_user and not e.success for e in failed)
    assert LoginLockout.objects.get(username="staff", ip_address=IP).failures == 1
    # the right code no longer helps: back to the password step
    assert _verify(client, _code())["Location"] == LOGIN
    assert not _logged_in(client)


def test_cancelled_code_steps_lock_the_username_like_wrong_passwords(client, frozen, staff_user):
    _device(staff_user)
    wrong = _code(offset_steps=10)
    for _ in range(5):
        assert _login(client, "staff")["Location"] == VERIFY
        for _ in range(5):
            _verify(client, wrong)
    assert LoginLockout.objects.get(username="staff", ip_address=IP).is_locked()
    assert _login(client, "staff").status_code == 200  # the password step refuses now


def test_a_pending_login_is_dropped_once_its_username_is_locked(client, frozen, staff_user):
    _device(staff_user)
    _login(client, "staff")
    other = Client()
    for _ in range(5):
        other.post(LOGIN, {"username": "staff", "password": "wrong"}, REMOTE_ADDR=IP)
    assert _verify(client, _code())["Location"] == LOGIN
    assert not _logged_in(client)


def test_a_replayed_code_is_refused(client, frozen, staff_user):
    _device(staff_user)
    code = _code()
    _login(client, "staff")
    assert _verify(client, code)["Location"] == HOME

    again = Client()
    _login(again, "staff")
    response = _verify(again, code)
    assert response.status_code == 200 and not _logged_in(again)
    assert _actions(otp.ACTION_FAILED).get().detail.startswith("login: replayed")
    frozen.shift(datetime.timedelta(seconds=30))
    assert _verify(again, _code())["Location"] == HOME


def test_an_older_code_after_a_newer_one_is_refused(client, frozen, staff_user):
    _device(staff_user)
    _login(client, "staff")
    assert _verify(client, _code(offset_steps=1))["Location"] == HOME
    again = Client()
    _login(again, "staff")
    assert _verify(again, _code()).status_code == 200


@pytest.mark.parametrize(("seconds", "logged_in"), [(299, True), (301, False)])
def test_a_pending_login_lapses_after_five_minutes(client, frozen, staff_user, seconds, logged_in):
    _device(staff_user)
    _login(client, "staff")
    frozen.shift(datetime.timedelta(seconds=seconds))
    response = _verify(client, _code())
    assert _logged_in(client) is logged_in
    assert response["Location"] == (HOME if logged_in else LOGIN)


def test_a_malformed_code_is_a_form_error_and_not_counted(client, frozen, staff_user):
    _device(staff_user)
    _login(client, "staff")
    response = _verify(client, "12ab")
    assert response.status_code == 200 and response.context["form"].errors
    assert not _actions(otp.ACTION_FAILED).exists()


def test_spaces_in_a_code_are_ignored(client, frozen, staff_user):
    _device(staff_user)
    _login(client, "staff")
    code = _code()
    assert _verify(client, f"{code[:3]} {code[3:]}")["Location"] == HOME


def test_an_inactive_user_cannot_complete_a_pending_login(client, frozen, staff_user):
    _device(staff_user)
    _login(client, "staff")
    staff_user.is_active = False
    staff_user.save()
    assert _verify(client, _code())["Location"] == LOGIN
    assert not _logged_in(client)


def test_the_code_step_enforces_csrf(frozen, staff_user):
    _device(staff_user)
    client = Client(enforce_csrf_checks=True)
    page = client.get(LOGIN)
    token = page.context["csrf_token"]
    client.post(LOGIN, {"username": "staff", "password": PASSWORD, "csrfmiddlewaretoken": str(token)},
                REMOTE_ADDR=IP)
    assert client.post(VERIFY, {"code": _code()}, REMOTE_ADDR=IP).status_code == 403
    token = client.get(VERIFY).context["csrf_token"]
    assert client.post(VERIFY, {"code": _code(), "csrfmiddlewaretoken": str(token)},
                       REMOTE_ADDR=IP)["Location"] == HOME


# --- optional for everyone else -----------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["staff_user", "supervisor_user", "member_user", "deputy_user", "unit_user"])
def test_others_log_in_with_the_password_alone_until_they_turn_it_on(request, client, frozen, role):
    user = request.getfixturevalue(role)
    response = _login(client, user.username)
    assert response["Location"] == HOME and _logged_in(client)


def test_staff_turn_it_on_for_themselves_and_are_asked_next_time(client_for, frozen, staff_user):
    client = client_for(staff_user)
    assert b'id="otp-off"' in client.get(MANAGE).content
    secret = _secret_on(client.get(SETUP))
    response = client.post(SETUP, {"code": pyotp.TOTP(secret).now()})
    assert response["Location"] == MANAGE
    page = client.get(MANAGE).content.decode()
    assert 'id="otp-on"' in page and secret not in page and otp.secret_grouped(secret) not in page
    assert client.get(SETUP)["Location"] == MANAGE  # the key is never shown again
    assert _actions(otp.ACTION_ENABLED).get().user == staff_user

    fresh = Client()
    assert _login(fresh, "staff")["Location"] == VERIFY
    frozen.shift(datetime.timedelta(seconds=30))
    assert _verify(fresh, pyotp.TOTP(secret).now())["Location"] == HOME


def test_turning_it_off_needs_a_valid_code(client_for, frozen, staff_user):
    _device(staff_user)
    client = client_for(staff_user)
    response = client.post(DISABLE, {"code": _code(offset_steps=10)})
    assert response["Location"] == MANAGE
    assert TOTPDevice.objects.filter(user=staff_user).exists()
    assert _actions(otp.ACTION_FAILED).get().detail == "disable: wrong"

    client.post(DISABLE, {"code": "abc"})
    assert TOTPDevice.objects.filter(user=staff_user).exists()

    client.post(DISABLE, {"code": _code()})
    assert not TOTPDevice.objects.filter(user=staff_user).exists()
    assert _actions(otp.ACTION_DISABLED).get().user == staff_user
    assert _login(Client(), "staff")["Location"] == HOME


def test_administrators_cannot_turn_it_off(client_for, frozen, sysadmin_user):
    _device(sysadmin_user)
    client = client_for(sysadmin_user)
    assert b'id="otp-disable"' not in client.get(MANAGE).content
    client.post(DISABLE, {"code": _code()})
    assert TOTPDevice.objects.filter(user=sysadmin_user).exists()
    assert not _actions(otp.ACTION_DISABLED).exists()


# --- reset by the security administrator --------------------------------------------------------------------

def test_the_security_administrator_resets_a_lost_authenticator(client_for, frozen, secadmin_user, sysadmin_user,
                                                                 staff_user):
    _device(sysadmin_user)
    client = client_for(secadmin_user)
    page = client.get(DEVICES)
    assert page.status_code == 200
    assert f'id="otp-reset-{sysadmin_user.pk}"'.encode() in page.content
    assert f'id="otp-user-{secadmin_user.pk}"'.encode() in page.content  # an admin not set up yet is listed
    assert f'id="otp-user-{staff_user.pk}"'.encode() not in page.content

    response = client.post(reverse("accounts:otp_reset", args=[sysadmin_user.pk]))
    assert response["Location"] == DEVICES
    assert not TOTPDevice.objects.filter(user=sysadmin_user).exists()
    event = _actions(otp.ACTION_DISABLED).get()
    assert (event.user, event.object_id) == (secadmin_user, str(sysadmin_user.pk))
    # the administrator enrols again at the next login
    assert _login(Client(), "sysadmin")["Location"] == SETUP


def test_resetting_someone_without_an_authenticator_is_a_404(client_for, secadmin_user, staff_user):
    response = client_for(secadmin_user).post(reverse("accounts:otp_reset", args=[staff_user.pk]))
    assert response.status_code == 404


def test_the_device_list_reads_a_fixed_number_of_queries(client_for, secadmin_user, sysadmin_user, auditor_user,
                                                         django_assert_max_num_queries):
    _device(sysadmin_user)
    _device(auditor_user)
    client = client_for(secadmin_user)
    client.get(DEVICES)
    with django_assert_max_num_queries(8):
        assert client.get(DEVICES).status_code == 200


# --- who may open what --------------------------------------------------------------------------------------

ROLES = ["staff_user", "supervisor_user", "member_user", "deputy_user", "unit_user", "sysadmin_user",
         "secadmin_user", "auditor_user", "outsider"]
ALL = {r: 200 for r in ROLES} | {"outsider": 403}
# URL name in the ``accounts`` namespace → (method, status for each role signed in). Listed for the security
# matrix (tests/security/url_matrix.py: MATRICES["accounts"]).
URLS = {
    "otp_manage": ("get", ALL),
    "otp_disable": ("post", {r: 302 for r in ROLES} | {"outsider": 403}),
    "otp_setup": ("get", ALL),
    "otp_verify": ("get", {r: 302 for r in ROLES}),  # signed in, nothing pending: to the login page
    "otp_device_list": ("get", {r: 403 for r in ROLES} | {"secadmin_user": 200}),
    "otp_reset": ("post", {r: 403 for r in ROLES} | {"secadmin_user": 404}),
}


def _url(name):
    return reverse(f"accounts:{name}", args=[999999] if name == "otp_reset" else [])


@pytest.mark.parametrize("name", URLS)
def test_anonymous_without_a_pending_login_is_sent_to_the_login_page(client, db, name):
    method, _expected = URLS[name]
    response = getattr(client, method)(_url(name))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", URLS)
def test_each_role_gets_what_the_matrix_says(request, client_for, name, role):
    method, expected = URLS[name]
    response = getattr(client_for(request.getfixturevalue(role)), method)(_url(name))
    assert response.status_code == expected[role]


@pytest.mark.parametrize("name", ["otp_manage", "otp_disable", "otp_device_list", "otp_reset"])
def test_a_pending_login_opens_no_signed_in_page(client, frozen, staff_user, name):
    _device(staff_user)
    _login(client, "staff")
    method, _expected = URLS[name]
    response = getattr(client, method)(_url(name))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
