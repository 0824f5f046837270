"""Logging in and out (each recorded), changing a password, and the role-aware home page."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.deputies.models import Level, Mandate
from tests.factories import MandateFactory, UserFactory

PASSWORD = "Renda@2026"  # the factories' password
TZ = datetime.timezone(datetime.timedelta(hours=8))


@pytest.mark.smoke
def test_the_login_page_is_in_chinese(client, db):
    response = client.get(reverse("accounts:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert all(text in html for text in ("登录", "用户名", "密码"))


def test_a_signed_in_user_switches_to_english(client_for, staff_user):
    client = client_for(staff_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("core:home")).content.decode()
    assert '<html lang="en">' in html and "Log out" in html


@pytest.mark.smoke
def test_a_successful_login_is_recorded(client, staff_user):
    response = client.post(reverse("accounts:login"), {"username": "staff", "password": PASSWORD},
                           REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert (event.action, event.user, event.username, event.success, event.ip_address) == (
        AuditEvent.Action.LOGIN, staff_user, "staff", True, "10.1.2.3")


def test_a_failed_login_is_recorded_with_the_attempted_username(client, staff_user):
    response = client.post(reverse("accounts:login"), {"username": "staff", "password": "wrong-password"})
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert (event.action, event.user, event.username, event.success) == (
        AuditEvent.Action.LOGIN_FAILED, None, "staff", False)
    assert "wrong-password" not in event.detail


def test_a_login_as_an_unknown_user_is_recorded(client, db):
    client.post(reverse("accounts:login"), {"username": "nobody", "password": "whatever1"})
    assert AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED).username == "nobody"


def test_an_inactive_user_cannot_log_in(client, db):
    UserFactory(username="gone", is_active=False)
    # What the database held before (after a transactional test, post_migrate's defaults left audit entries).
    earlier = list(AuditEvent.objects.values_list("pk", flat=True))
    response = client.post(reverse("accounts:login"), {"username": "gone", "password": PASSWORD})
    assert response.status_code == 200
    assert list(AuditEvent.objects.exclude(pk__in=earlier).values_list("action", "username")) == [
        (AuditEvent.Action.LOGIN_FAILED, "gone")]


def test_login_follows_next_within_the_site_only(client, staff_user):
    response = client.post(reverse("accounts:login") + "?next=/deputies/",
                           {"username": "staff", "password": PASSWORD, "next": "/deputies/"})
    assert response["Location"] == "/deputies/"
    client.logout()
    response = client.post(reverse("accounts:login"),
                           {"username": "staff", "password": PASSWORD, "next": "https://evil.example.com/"})
    assert response["Location"] == reverse("core:home")


def test_a_signed_in_user_opening_the_login_page_goes_home(client_for, staff_user):
    response = client_for(staff_user).get(reverse("accounts:login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_logout_is_a_post_and_is_recorded(client_for, staff_user):
    client = client_for(staff_user)
    before = AuditEvent.objects.count()
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.user) == (AuditEvent.Action.LOGOUT, staff_user)
    assert client.get(reverse("core:home")).status_code == 302  # signed out


def test_logout_by_get_is_refused(client_for, staff_user):
    client = client_for(staff_user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(reverse("core:home")).status_code == 200  # still signed in


# --- password change --------------------------------------------------------------------------------------------

def _change(client, new1, new2=None, old=PASSWORD):
    return client.post(reverse("accounts:password_change"),
                       {"old_password": old, "new_password1": new1, "new_password2": new2 or new1})


@pytest.mark.smoke
def test_a_user_changes_their_password(client, staff_user):
    client.force_login(staff_user)
    response = _change(client, "Changchun#Renda88")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    assert client.get(reverse("core:home")).status_code == 200  # the session survives the change
    staff_user.refresh_from_db()
    assert staff_user.check_password("Changchun#Renda88")
    assert Client().login(username="staff", password="Changchun#Renda88")


@pytest.mark.parametrize(("new", "message"), [
    ("Ab1#", "密码长度太短。密码必须包含至少 8 个字符。"),
    ("password123", "这个密码太常见了。"),
    ("48201937465", "密码只包含数字。"),
])
def test_a_weak_new_password_is_refused_in_chinese(client, staff_user, new, message):
    client.force_login(staff_user)
    response = _change(client, new)
    assert response.status_code == 200
    assert message in response.content.decode()
    staff_user.refresh_from_db()
    assert staff_user.check_password(PASSWORD)


def test_a_wrong_old_password_is_refused(client, staff_user):
    client.force_login(staff_user)
    response = _change(client, "Changchun#Renda88", old="not-my-password")
    assert response.status_code == 200
    assert "你的旧密码不正确" in response.content.decode()
    staff_user.refresh_from_db()
    assert staff_user.check_password(PASSWORD)


def test_mismatched_new_passwords_are_refused(client, staff_user):
    client.force_login(staff_user)
    response = _change(client, "Changchun#Renda88", "Changchun#Renda89")
    assert response.status_code == 200
    staff_user.refresh_from_db()
    assert staff_user.check_password(PASSWORD)


def test_password_change_requires_login(client, db):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- the home page ----------------------------------------------------------------------------------------------

@pytest.fixture
def serving_roster(city, county, city_term, county_term):
    """Three serving municipal mandates, two serving county ones, one ended municipal one."""
    MandateFactory.create_batch(3, term=city_term)
    MandateFactory.create_batch(2, term=county_term)
    MandateFactory(term=city_term, status=Mandate.Status.ENDED, end_date=datetime.date(2024, 1, 1),
                   end_reason="resigned")


def _level_cards(html: str) -> dict[str, int]:
    cards = re.findall(r'href="/deputies/\?level=(\w+)&status=serving">.*?<div class="display-6">([\d,]+)</div>',
                       html, re.S)
    return {level: int(count.replace(",", "")) for level, count in cards}


@pytest.mark.smoke
def test_staff_home_shows_serving_deputies_by_level_linking_to_the_roster(client_for, staff_user, serving_roster):
    client = client_for(staff_user)
    html = client.get(reverse("core:home")).content.decode()
    cards = _level_cards(html)
    assert cards == {"national": 0, "provincial": 0, "municipal": 3, "county": 2, "township": 0}
    for level, count in cards.items():
        roster = client.get(reverse("deputies:roster_list"), {"level": level, "status": "serving"})
        assert roster.context["page"].paginator.count == count
        assert count == Mandate.objects.filter(level=level, status=Mandate.Status.SERVING).count()
    assert "本辖区在任代表" in html and "(5)" in html
    assert 'href="/deputies/"' in html  # the navbar's roster link


def test_county_staff_home_counts_only_their_county(client_for, county_staff_user, serving_roster):
    html = client_for(county_staff_user).get(reverse("core:home")).content.decode()
    assert _level_cards(html) == {level.value: (2 if level == Level.COUNTY else 0) for level in Level}


def test_supervisor_home_also_shows_the_figures(client_for, supervisor_user, serving_roster):
    html = client_for(supervisor_user).get(reverse("core:home")).content.decode()
    assert _level_cards(html)["municipal"] == 3


def test_deputy_home_links_to_their_own_record_and_shows_no_roster(client_for, deputy_user, serving_roster):
    html = client_for(deputy_user).get(reverse("core:home")).content.decode()
    # The card 我的履职档案 opens the performance record (/me/), not the roster entry.
    assert f'href="{reverse("me:me")}" id="home-my-record"' in html
    assert "查看我的履职档案" in html
    assert _level_cards(html) == {}
    assert 'href="/deputies/"' not in html


@pytest.mark.parametrize("role", ["sysadmin_user", "secadmin_user", "auditor_user"])
def test_administrators_home_shows_no_business_data(request, client_for, serving_roster, role):
    html = client_for(request.getfixturevalue(role)).get(reverse("core:home")).content.decode()
    assert _level_cards(html) == {}
    assert "本辖区在任代表" not in html
    assert 'href="/deputies/"' not in html
    assert "进入系统管理" in html


@pytest.mark.parametrize("role", ["unit_user", "outsider"])
def test_unit_and_outsider_home_shows_neither_figures_nor_administration(request, client_for, serving_roster, role):
    html = client_for(request.getfixturevalue(role)).get(reverse("core:home")).content.decode()
    assert _level_cards(html) == {}
    assert "进入系统管理" not in html
    assert 'href="/deputies/"' not in html


@time_machine.travel(datetime.datetime(2026, 11, 26, 9, 0, tzinfo=TZ), tick=False)
def test_the_home_page_shows_the_date_in_chinese(client_for, staff_user):
    assert "2026年11月26日" in client_for(staff_user).get(reverse("core:home")).content.decode()


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("core:home")).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["staff_user", "deputy_user", "sysadmin_user"])
def test_the_home_page_query_count_is_small_and_constant(request, client_for, city_term, role,
                                                         django_assert_max_num_queries):
    client = client_for(request.getfixturevalue(role))
    MandateFactory.create_batch(2, term=city_term)
    client.get(reverse("core:home"))
    few = _home_queries(client)
    MandateFactory.create_batch(20, term=city_term)
    assert _home_queries(client) == few
    with django_assert_max_num_queries(7):
        client.get(reverse("core:home"))
