"""`make run`'s topology behaves as one server: two gunicorn worker processes (devrun's very command) on the
development configuration without Redis, against a real database. Sessions and every cache that holds state
are shared (the database, and a file cache under var/cache), so a login, a two-factor enrolment and an edit give the same result whichever
worker answers; the access log (which names the worker's pid) shows both answered."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyotp
import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from apps.accounts import otp
from apps.accounts.models import TOTPDevice
from deputies_platform import devrun
from tests.factories import UserFactory

BASE_DIR = Path(settings.BASE_DIR)
PASSWORD = "Renda@2026"
ATTEMPTS = 40  # requests of a step at most, until both workers answered it

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _environment() -> dict:
    """make run's: the development defaults, no Redis, not TESTING (so the production cache and sessions)."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"TESTING", "REDIS_URL", "DATABASE_NAME", "CELERY_TASK_ALWAYS_EAGER", "DEBUG"}
           and not k.startswith("PYTEST")}
    db = connection.settings_dict
    env.update({"DEV_DEFAULTS": "true", "CONN_MAX_AGE": "0",
                "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"})
    return env


@pytest.fixture
def web(tmp_path):
    """gunicorn with make run's arguments, on a free port, its static files collected as make run does."""
    env = _environment()
    # The cache of the test database (var/cache/<name>) starts empty: a former run's database had other data.
    shutil.rmtree(settings.VAR_DIR / "cache" / connection.settings_dict["NAME"], ignore_errors=True)
    done = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=BASE_DIR,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    port = _free_port()
    log = tmp_path / "access.log"
    with log.open("w") as out:
        proc = subprocess.Popen(devrun.commands(str(port))["web"], cwd=BASE_DIR, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"{base}/accounts/login/", timeout=30).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.5)
        yield base, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)


def _workers(log: Path, path: str) -> set[str]:
    """The pids of the workers that answered requests for ``path``, from the access log."""
    return set(re.findall(rf'<(\d+)> "(?:GET|POST) {re.escape(path)}', log.read_text()))


def _all_workers(log: Path) -> set[str]:
    return set(re.findall(r'<(\d+)> "', log.read_text()))


def _post(session: requests.Session, url: str, data: dict) -> requests.Response:
    return session.post(url, data={**data, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
                        allow_redirects=False, timeout=30)


def _repeat_on_both_workers(log: Path, path: str, request) -> list:
    """Make the same request until both workers answered it (at least twice in all); its results."""
    results = []
    for _ in range(ATTEMPTS):
        results.append(request())
        if len(_workers(log, path)) == 2 and len(results) >= 4:
            return results
    pytest.fail(f"one worker answered every {path} ({_all_workers(log)})")


def test_login_two_factor_enrolment_and_an_edit_behave_the_same_on_either_worker(web, city, staff_user):
    base, log = web
    admin = UserFactory(username="sysadmin", roles=["sysadmin"], jurisdiction=city, is_staff=True)
    for user in (admin, staff_user):  # gunicorn hashes as production does (the tests' MD5 is not allowed there)
        user.password = PBKDF2PasswordHasher().encode(PASSWORD, "twoworkers", iterations=1000)
        user.save(update_fields=["password"])

    browser = requests.Session()
    browser.get(f"{base}/accounts/login/", timeout=30)
    response = _post(browser, f"{base}/accounts/login/", {"username": "sysadmin", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/accounts/otp/setup/"

    # Enrolment: the secret on offer is the same however often, and by whichever worker, the page is shown.
    setup = f"{base}/accounts/otp/setup/"

    def show_secret():
        page = browser.get(setup, allow_redirects=False, timeout=30)
        assert page.status_code == 200, page.status_code
        return re.search(r'id="otp-secret">([A-Z2-7 ]+)<', page.text).group(1).replace(" ", "")

    secrets = _repeat_on_both_workers(log, "/accounts/otp/setup/", show_secret)
    assert len(set(secrets)) == 1, secrets
    response = _post(browser, setup, {"code": pyotp.TOTP(secrets[0]).now()})
    assert response.status_code == 302, response.text[-2000:]
    assert otp._decrypt(TOTPDevice.objects.get(user=admin).secret_encrypted) == secrets[0]  # the one shown

    # Signed in: every page, from either worker, knows the user.
    home = _repeat_on_both_workers(log, "/ ", lambda: browser.get(f"{base}/", allow_redirects=False, timeout=30))
    assert {r.status_code for r in home} == {200}
    assert all(str(admin) in r.text and "退出登录" in r.text for r in home)

    # An edit (the system administrator renames an account), then what either worker shows.
    edit = f"{base}/accounts/manage/accounts/{staff_user.pk}/edit/"
    browser.get(edit, timeout=30)
    response = _post(browser, edit, {"full_name": "王改名", "jurisdiction": city.pk, "phone": "", "email": "",
                                     "handling_unit": "", "person": ""})
    assert response.status_code == 302, response.text[-2000:]
    listing = _repeat_on_both_workers(log, "/accounts/manage/accounts/", lambda: browser.get(
        f"{base}/accounts/manage/accounts/", allow_redirects=False, timeout=30))
    assert {r.status_code for r in listing} == {200}
    assert all("王改名" in r.text for r in listing)
    staff_user.refresh_from_db()
    assert staff_user.full_name == "王改名"

    # Logging out on one worker ends the session on both.
    response = _post(browser, f"{base}/accounts/logout/", {})
    assert response.status_code == 302
    after = [browser.get(f"{base}/", allow_redirects=False, timeout=30) for _ in range(6)]
    assert {r.status_code for r in after} == {302}
