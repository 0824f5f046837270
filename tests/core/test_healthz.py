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
