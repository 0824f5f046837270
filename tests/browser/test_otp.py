"""A system administrator's first login: the password, then setting up the authenticator app, then home."""

import re

import pyotp
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.accounts import otp
from apps.accounts.models import TOTPDevice
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_sysadmin_enrols_an_authenticator_at_the_first_login_and_reaches_home(page, live_server, sysadmin_user):
    login(page, "sysadmin")
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:otp_setup")) + "$"))
    expect(page.locator("#otp-qr svg")).to_be_visible()

    # nothing opens yet: the password alone does not sign in
    page.goto(reverse("core:home"))
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:login"))))
    page.goto(reverse("accounts:otp_setup"))

    secret = page.locator("#otp-secret").inner_text().replace(" ", "")  # typed by hand into the app
    page.locator("#id_code").fill(pyotp.TOTP(secret).now())
    page.locator("#otp-submit").click()

    expect(page).to_have_url(live_server.url + reverse("core:home"))
    expect(page.locator(f"form[action='{reverse('accounts:logout')}']")).to_have_count(1)  # signed in
    assert TOTPDevice.objects.filter(user=sysadmin_user).exists()


def test_the_second_login_asks_for_a_code(page, live_server, staff_user):
    secret = pyotp.random_base32()
    TOTPDevice.objects.create(user=staff_user, secret_encrypted=otp._encrypt(secret))
    login(page, "staff")
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:otp_verify")) + "$"))
    page.locator("#id_code").fill(pyotp.TOTP(secret).now())
    page.locator("#otp-submit").click()
    expect(page).to_have_url(live_server.url + reverse("core:home"))
