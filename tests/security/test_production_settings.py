"""Production configuration fails closed: unset DEV_DEFAULTS means production, where every secret and server
must be named (no fallback to the public development keys) and the site is served over HTTPS unless
HTTPS=false says otherwise. Each case starts a real `manage.py` process with exactly the environment given."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)

# What the README says production must set, and nothing else.
REQUIRED = {
    "SECRET_KEY": secrets.token_urlsafe(64),
    "OTP_ENCRYPTION_KEYS": secrets.token_urlsafe(32),
    "PII_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    "PII_HASH_KEY": secrets.token_hex(32),
    # `check` does not connect to either server.
    "DATABASE_URL": "postgres://deputies:unused@127.0.0.1:5432/deputies_check",
    "ALLOWED_HOSTS": "rd.example.gov.cn",
    "REDIS_URL": "redis://127.0.0.1:6379/9",
}
# The process environment without anything this project reads (nothing from the test run leaks in).
BARE = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV"}}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env={**BARE, **env},
                          capture_output=True, text=True, timeout=120)


def show(*names: str, **env: str) -> list[str]:
    code = f"from django.conf import settings as s; print(*[getattr(s, n, None) for n in {list(names)!r}])"
    result = manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_check_deploy_with_only_the_required_secrets_prints_no_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **REQUIRED)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_is_https_by_default_secure_cookies_hsts_and_the_redirect():
    assert show("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
                "SECURE_PROXY_SSL_HEADER", **REQUIRED) == ["True", "True", "True", "31536000", "None"]


def test_behind_a_proxy_production_trusts_its_forwarded_protocol():
    assert show("SECURE_PROXY_SSL_HEADER", **REQUIRED, NUM_PROXIES="1")[-1] == "'https')"


def test_plain_http_is_an_explicit_choice():
    assert show("SESSION_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", **REQUIRED,
                HTTPS="false") == ["False", "False", "0"]
    # `check --deploy` then says what is given up.
    result = manage("check", "--deploy", **REQUIRED, HTTPS="false")
    assert "security.W012" in result.stderr + result.stdout


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_each_missing_secret_stops_the_start(missing):
    env = {k: v for k, v in REQUIRED.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr
    assert "embedded" not in result.stdout  # no fallback to the development database either


@pytest.mark.parametrize("blank", ["SECRET_KEY", "OTP_ENCRYPTION_KEYS", "ALLOWED_HOSTS"])
def test_an_empty_secret_is_as_good_as_missing(blank):
    result = manage("check", **{**REQUIRED, blank: " "})
    assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr and blank in result.stderr


def test_dev_defaults_unset_without_secrets_fails_naming_the_way_out():
    result = manage("check", DATABASE_URL=REQUIRED["DATABASE_URL"])
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr and "DEV_DEFAULTS=true" in result.stderr


def test_dev_defaults_false_is_production_too():
    result = manage("check", DEV_DEFAULTS="false", DATABASE_URL=REQUIRED["DATABASE_URL"])
    assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr


def test_development_defaults_need_nothing_and_serve_plain_http():
    values = show("SESSION_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "REDIS_URL",
                  DEV_DEFAULTS="true", DATABASE_URL=REQUIRED["DATABASE_URL"])
    assert values[:2] == ["False", "False"]


def test_testing_implies_the_development_defaults():
    result = manage("check", TESTING="1", DATABASE_URL=REQUIRED["DATABASE_URL"])
    assert result.returncode == 0, result.stderr
