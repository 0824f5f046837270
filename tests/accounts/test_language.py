"""The interface is Chinese whatever the browser asks for (Accept-Language); English only by the user's own
choice, kept on their account (``User.language``) and applied on every request, in any new session."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from apps.core.models import AuditEvent

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def _lang(response) -> str:
    html = response.content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_an_english_browser_gets_the_login_page_in_chinese(client, db):
    response = client.get(reverse("accounts:login"), **ENGLISH_BROWSER)
    assert _lang(response) == "zh-hans"
    assert "登录" in response.content.decode()


def test_an_english_browser_gets_chinese_pages_after_login(client_for, staff_user):
    response = client_for(staff_user).get(reverse("core:home"), **ENGLISH_BROWSER)
    assert _lang(response) == "zh-hans"
    assert "退出登录" in response.content.decode() or "退出" in response.content.decode()


def test_a_user_who_chose_english_gets_english_in_every_session(client_for, staff_user):
    client = client_for(staff_user)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("core:home")})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    staff_user.refresh_from_db()
    assert staff_user.language == "en"
    assert AuditEvent.objects.filter(user=staff_user, action=AuditEvent.Action.ACCOUNT_UPDATED,
                                     detail="language: zh-hans → en").exists()
    fresh = Client()  # another browser, no cookie: the account decides
    fresh.force_login(staff_user)
    response = fresh.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert _lang(response) == "en" and "Log out" in response.content.decode()


def test_a_user_who_chose_english_is_not_switched_back_by_an_old_cookie(client_for, staff_user):
    staff_user.language = "en"
    staff_user.save()
    client = client_for(staff_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.get(reverse("core:home"))
    assert _lang(response) == "en"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"  # the login page after logout, too


def test_switching_back_to_chinese(client_for, staff_user):
    staff_user.language = "en"
    staff_user.save()
    client = client_for(staff_user)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    staff_user.refresh_from_db()
    assert staff_user.language == "zh-hans"
    assert _lang(client.get(reverse("core:home"))) == "zh-hans"


def test_an_unknown_language_is_refused_with_a_message_and_nothing_changes(client_for, staff_user):
    client = client_for(staff_user)
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"}, follow=True)
    staff_user.refresh_from_db()
    assert staff_user.language == "zh-hans"
    assert "请选择所列语言之一。" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ACCOUNT_UPDATED).exists()


def test_a_next_address_off_the_site_is_not_followed(client_for, staff_user):
    response = client_for(staff_user).post(reverse("set_language"),
                                           {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == reverse("core:home")


def test_the_login_page_switch_gives_an_anonymous_visitor_english(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    response = client.get(reverse("accounts:login"))
    assert _lang(response) == "en" and "Log in" in response.content.decode()


def test_the_switch_only_takes_posts(client, db):
    assert client.get(reverse("set_language")).status_code == 405
