"""/healthz reports the database, the broker and the workers' heartbeat separately."""

import datetime

import time_machine

from apps.core.tasks import heartbeat
from tests.reliability.support import broker_down


def test_the_worker_is_stale_until_its_heartbeat_runs_and_again_three_minutes_after(client, db):
    assert client.get("/healthz").json()["worker"] == "stale"
    heartbeat.apply()
    assert client.get("/healthz").json() == {"database": "ok", "broker": "ok", "worker": "ok", "status": "ok"}
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=2, seconds=50)):
        assert client.get("/healthz").json()["worker"] == "ok"
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=3, seconds=5)):
        assert client.get("/healthz").json()["worker"] == "stale"


def test_a_dead_broker_is_reported_but_the_site_stays_up(client, db, settings):
    heartbeat.apply()
    with broker_down(settings):
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["broker"].startswith("error: ") and body["database"] == "ok" and body["worker"] == "ok"
