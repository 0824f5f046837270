"""How pages reach the browser: HTML compressed (with BREACH padding), a favicon served by the app."""

import gzip

import pytest
from django.test import Client
from django.urls import reverse

LOGIN = reverse("accounts:login")


@pytest.mark.django_db
def test_an_html_page_is_sent_gzipped_to_a_browser_that_accepts_it():
    response = Client().get(LOGIN, headers={"accept-encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert "<html" in html and "登录" in html


@pytest.mark.django_db
def test_a_signed_in_page_is_gzipped_too(client_for, deputy_user):
    response = client_for(deputy_user).get(reverse("core:home"), headers={"accept-encoding": "gzip"})
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    assert "no-store" in response["Cache-Control"]  # the security headers survive compression


@pytest.mark.django_db
def test_compressed_pages_differ_in_length_from_one_response_to_the_next():
    """Django pads each gzipped response with random bytes (BREACH): equal pages, unequal lengths."""
    lengths = {len(Client().get(LOGIN, headers={"accept-encoding": "gzip"}).content) for _ in range(8)}
    assert len(lengths) > 1


@pytest.mark.django_db
def test_a_client_that_does_not_accept_gzip_gets_plain_html():
    response = Client().get(LOGIN)
    assert not response.has_header("Content-Encoding")
    assert "登录" in response.content.decode()


@pytest.mark.django_db
def test_the_favicon_is_served_at_the_root_without_login():
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file


@pytest.mark.django_db
def test_every_page_links_the_favicon():
    assert '<link rel="icon" href="/favicon.ico"' in Client().get(LOGIN).content.decode()


def test_a_test_process_serves_static_files_through_the_finders_not_from_collected_files():
    """Tests that start make run's or the compose file's processes run ``collectstatic`` into var/staticfiles
    while other tests serve pages: a test process must not serve from there (a file rewritten by the manifest
    storage is briefly missing, and a page read then failed with FileNotFoundError)."""
    from django.conf import settings

    assert settings.WHITENOISE_USE_FINDERS
    assert settings.STATIC_ROOT != settings.VAR_DIR / "staticfiles"
    assert not any(settings.STATIC_ROOT.iterdir())  # nothing is ever collected into a test process's root
