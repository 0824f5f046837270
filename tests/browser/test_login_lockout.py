"""One computer tries a password across many usernames: after LOGIN_ADDRESS_LOCKOUT_FAILURES failures its
address is locked whatever the account, even the right password of another person is refused with the reason;
another computer is not affected; the security administrator lifts the lock and the computer can log in again.
Two computers behind one proxy: each browser context sends its own X-Forwarded-For."""

import re

import pyotp
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.accounts import otp
from apps.accounts.models import LoginLockout, TOTPDevice
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _computer(browser, browser_context_args, ip: str):
    context = browser.new_context(**browser_context_args, extra_http_headers={"X-Forwarded-For": ip})
    context.set_default_timeout(10_000)
    return context, context.new_page()


def _try(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_an_address_trying_many_usernames_is_locked_and_the_security_administrator_lifts_it(
        browser, browser_context_args, live_server, settings, staff_user, secadmin_user):
    settings.NUM_PROXIES = 1
    settings.LOGIN_ADDRESS_LOCKOUT_FAILURES = 4
    sprayer, page = _computer(browser, browser_context_args, "10.6.6.6")
    other, other_page = _computer(browser, browser_context_args, "10.7.7.7")
    admin, admin_page = _computer(browser, browser_context_args, "10.9.9.9")
    try:
        for name in ("zhang", "wang", "li", "zhao"):
            _try(page, name, "Spring@2026")
            expect(page.locator("form").first).to_contain_text("请输入一个正确的用户名和密码")
        _try(page, "staff", PASSWORD)  # the right password, from the locked computer
        expect(page.locator("form").first).to_contain_text("本机登录失败次数过多")
        expect(page).to_have_url(re.compile(r"/accounts/login/$"))

        _try(other_page, "staff", PASSWORD)  # another computer is not affected
        expect(other_page).to_have_url(live_server.url + reverse("core:home"))

        secret = pyotp.random_base32()
        TOTPDevice.objects.create(user=secadmin_user, secret_encrypted=otp._encrypt(secret))
        _try(admin_page, "secadmin", PASSWORD)
        admin_page.locator("#id_code").fill(pyotp.TOTP(secret).now())
        admin_page.locator("#otp-submit").click()
        expect(admin_page).to_have_url(live_server.url + reverse("core:home"))
        admin_page.goto(reverse("accounts:lockout_list"))
        lock = LoginLockout.objects.get(username="", ip_address="10.6.6.6")
        row = admin_page.locator(f"#lockout-{lock.pk}")
        expect(row).to_contain_text("任何用户名")
        expect(row).to_contain_text("10.6.6.6")
        admin_page.locator(f"#lift-{lock.pk}").click()
        expect(admin_page.locator("body")).to_contain_text("已解除 地址 10.6.6.6 的登录锁定")
        expect(admin_page.locator(f"#lockout-{lock.pk}")).to_have_count(0)

        _try(page, "staff", PASSWORD)
        expect(page).to_have_url(live_server.url + reverse("core:home"))
    finally:
        for context in (sprayer, other, admin):
            context.close()
