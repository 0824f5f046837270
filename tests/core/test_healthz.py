import pytest


@pytest.mark.smoke
def test_healthz_reports_database_and_broker_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["status"] == "ok"
    assert "broker" in body


@pytest.mark.smoke
def test_home_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.smoke
def test_staff_sees_roster(client_for, staff_user, municipal_mandate):
    response = client_for(staff_user).get("/deputies/")
    assert response.status_code == 200
    assert "张三丰" in response.content.decode()


class _BrokenConnection:
    """A database connection whose every cursor fails, as when PostgreSQL is down."""

    def cursor(self):
        from django.db import OperationalError

        raise OperationalError("could not connect to server: Connection refused")


@pytest.mark.smoke
def test_healthz_answers_503_with_json_when_the_database_is_down(client, db, monkeypatch):
    monkeypatch.setattr("apps.core.views.connection", _BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "error: OperationalError"
    assert "broker" in body
    assert "Connection refused" not in response.content.decode()  # no internals beyond the error's kind


def test_healthz_reports_a_working_broker(client, db):
    assert client.get("/healthz").json()["broker"] == "ok"


def test_healthz_reports_a_broken_broker_but_stays_up(client, db, monkeypatch):
    from deputies_platform.celery import app

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr(app, "connection_for_write", refuse)
    response = client.get("/healthz")
    assert response.status_code == 200  # the web pages still work without the broker
    assert response.json() == {"database": "ok", "broker": "error: ConnectionRefusedError", "worker": "stale",
                               "status": "ok"}


def test_healthz_is_not_cached(client, db):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]
