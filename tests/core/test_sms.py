"""The SMS gateway: queued through the outbox, the HTTP backend against a fake gateway on 127.0.0.1, retries with
backoff, the per-number daily limit, bad numbers, masking, and the reminders' use of it."""

import datetime
import json
import logging
import runpy
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from apps.core.models import Notification, OutboxMessage, SmsMessage
from apps.core.services import notify
from apps.core.sms import mask_number, sms_deliver, sms_send, sms_send_many
from tests.factories import UserFactory

NUMBER = "13812345678"
NOON = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=datetime.timezone.utc)


class FakeGateway:
    """A local SMS gateway: answers each POST with the next planned (status, delay) and records what it got."""

    def __init__(self):
        self.plan: list[tuple[int, float]] = []
        self.received: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.received.append({"body": json.loads(body), "auth": self.headers["Authorization"]})
                status, delay = gateway.plan.pop(0) if gateway.plan else (200, 0)
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.end_headers()
                    self.wfile.write(b'{"ok": true}')
                except OSError:  # the client gave up (timeout)
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def fake_gateway():
    gateway = FakeGateway()
    yield gateway
    gateway.server.shutdown()
    gateway.server.server_close()


@pytest.fixture
def gateway(fake_gateway, settings):
    fake_gateway.plan.clear()
    fake_gateway.received.clear()
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = fake_gateway.url
    settings.SMS_HTTP_KEY = "test-key"
    settings.SMS_HTTP_TIMEOUT = 0.3
    return fake_gateway


@time_machine.travel(NOON, tick=False)
def test_a_message_is_queued_through_the_outbox_and_sent_to_the_gateway_with_its_key(db, gateway, caplog):
    caplog.set_level(logging.INFO, logger="apps.core.sms")
    message = sms_send(number="+86 138-1234-5678", text="请于11月28日参加会议", purpose="test")

    job = OutboxMessage.objects.get(task="apps.core.tasks.send_sms")
    assert job.args == [[message.pk]]
    assert sms_deliver(sms_id=message.pk) == SmsMessage.Status.SENT
    assert sms_deliver(sms_id=message.pk) == ""  # a second delivery of the job sends nothing
    assert gateway.received == [{"body": {"mobile": NUMBER, "content": "请于11月28日参加会议"},
                                 "auth": "Bearer test-key"}]
    message.refresh_from_db()
    assert (message.status, message.attempts, message.sent_at) == (SmsMessage.Status.SENT, 1, NOON)
    assert message.number_masked == "138****5678"
    assert NUMBER not in caplog.text and "138****5678" in caplog.text


@time_machine.travel(NOON, tick=False)
def test_a_server_error_is_retried_later_through_the_outbox_and_then_succeeds(db, gateway):
    gateway.plan[:] = [(500, 0), (200, 0)]
    message = sms_send(number=NUMBER, text="提醒")

    assert sms_deliver(sms_id=message.pk) == SmsMessage.Status.QUEUED
    retry = OutboxMessage.objects.get(dedup_key=f"sms:{message.pk}:1")
    assert retry.args == [[message.pk]] and retry.available_at == NOON + datetime.timedelta(seconds=30)
    assert sms_deliver(sms_id=message.pk) == SmsMessage.Status.SENT
    message.refresh_from_db()
    assert (message.attempts, message.last_error) == (2, "")
    assert len(gateway.received) == 2


def test_a_timeout_is_temporary_and_fails_for_good_after_the_last_attempt(db, gateway, settings):
    settings.SMS_MAX_ATTEMPTS = 2
    gateway.plan[:] = [(200, 1.0), (200, 1.0)]
    message = sms_send(number=NUMBER, text="提醒")

    assert sms_deliver(sms_id=message.pk) == SmsMessage.Status.QUEUED
    assert sms_deliver(sms_id=message.pk) == SmsMessage.Status.FAILED
    message.refresh_from_db()
    assert "Timeout" in message.last_error
    assert OutboxMessage.objects.filter(dedup_key__startswith=f"sms:{message.pk}:").count() == 1  # no third try


def test_a_refusal_by_the_gateway_is_final(db, gateway):
    gateway.plan[:] = [(400, 0)]
    message = sms_send(number=NUMBER, text="提醒")

    assert sms_deliver(sms_id=message.pk) == SmsMessage.Status.FAILED
    assert not OutboxMessage.objects.filter(dedup_key__startswith="sms:").exists()


def test_a_number_gets_at_most_the_daily_limit_counted_in_one_query(db, settings, django_assert_max_num_queries):
    settings.SMS_DAILY_LIMIT = 2
    with time_machine.travel(NOON, tick=False):
        sms_send(number=NUMBER, text="一")
        with django_assert_max_num_queries(6):  # savepoint, lock, count, insert, one outbox job, release
            rows = sms_send_many(messages=[("138 1234 5678", "二"), ("+8613812345678", "三"),
                                           ("13900000000", "四")])
        assert [row.status for row in rows] == ["queued", "limited", "queued"]
        assert sms_send(number=NUMBER, text="五").status == SmsMessage.Status.LIMITED
    with time_machine.travel(NOON + datetime.timedelta(days=1), tick=False):
        assert sms_send(number=NUMBER, text="次日").status == SmsMessage.Status.QUEUED


@pytest.mark.parametrize("number", ["", "123", "0431-88888888", "23812345678", "1381234567\x00"])
def test_a_bad_number_is_recorded_as_refused_and_nothing_is_sent(db, gateway, number):
    message = sms_send(number=number, text="提醒")

    assert message.status == SmsMessage.Status.INVALID
    assert not OutboxMessage.objects.exists()
    assert sms_deliver(sms_id=message.pk) == "" and gateway.received == []


def test_the_file_backend_writes_one_masked_line_per_message(db, settings, tmp_path):
    settings.SMS_BACKEND, settings.SMS_FILE_DIR = "file", str(tmp_path)
    with time_machine.travel(NOON, tick=False):
        for text in ("一", "二"):
            sms_deliver(sms_id=sms_send(number=NUMBER, text=text).pk)
    lines = (Path(tmp_path) / "sms-2026-11-26.log").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["text"] for line in lines] == ["一", "二"]
    assert NUMBER not in "".join(lines) and "138****5678" in lines[0]


def test_reminders_go_by_sms_only_when_the_setting_is_on_and_only_to_those_with_a_mobile(db, settings):
    with_mobile, without = UserFactory(phone=NUMBER), UserFactory(phone="")
    notify(recipients=[with_mobile, without], title="值班提醒", email=False, sms=True)
    assert not SmsMessage.objects.exists()

    settings.SMS_REMINDERS = True
    notify(recipients=[with_mobile, without], title="值班提醒", email=False, sms=True)
    notify(recipients=[with_mobile], title="普通通知", email=False)  # not a reminder: no SMS
    assert list(SmsMessage.objects.values_list("number_masked", "text", "purpose")) == [
        ("138****5678", "值班提醒", "reminder")]
    assert Notification.objects.count() == 5


def test_masking_keeps_the_first_three_and_last_four_digits():
    assert mask_number(NUMBER) == "138****5678"
    assert mask_number("12345") == "*****"


@pytest.mark.parametrize("env", [{"SMS_BACKEND": "http"}, {"SMS_BACKEND": "http", "SMS_HTTP_URL": "http://gw/"},
                                 {"SMS_BACKEND": "pigeon"}])
def test_the_settings_fail_closed_without_the_gateways_url_and_key(monkeypatch, env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match="SMS_"):
        runpy.run_path(str(Path(django_settings.BASE_DIR) / "deputies_platform" / "settings.py"))


def test_the_sweep_requeues_messages_a_dead_worker_left_sending_and_fails_those_out_of_attempts(db, settings):
    from apps.core.sms import sms_requeue_stuck
    from apps.core.tasks import PERIODIC_TASKS

    settings.SMS_STUCK_MINUTES, settings.SMS_MAX_ATTEMPTS = 10, 3
    with time_machine.travel(NOON, tick=False):
        rows = sms_send_many(messages=[(NUMBER, "一"), ("13900000000", "二"), ("13700000000", "三")])
        OutboxMessage.objects.all().delete()
        stuck, spent, fresh = (row.pk for row in rows)
        SmsMessage.objects.update(status=SmsMessage.Status.SENDING, attempts=1, claimed_at=NOON)  # workers died
        SmsMessage.objects.filter(pk=spent).update(attempts=3)
        SmsMessage.objects.filter(pk=fresh).update(claimed_at=NOON + datetime.timedelta(minutes=5))
    with time_machine.travel(NOON + datetime.timedelta(minutes=12), tick=False):
        assert sms_requeue_stuck() == {"requeued": 1, "failed": 1}
        assert sms_requeue_stuck() == {"requeued": 0, "failed": 0}  # taken once: the second sweep finds none
    status = dict(SmsMessage.objects.values_list("pk", "status"))
    assert (status[stuck], status[spent], status[fresh]) == ("queued", "failed", "sending")
    assert list(OutboxMessage.objects.values_list("task", "args")) == [("apps.core.tasks.send_sms", [[stuck]])]
    # the requeued message is delivered and its attempts go on counting
    assert sms_deliver(sms_id=stuck) == SmsMessage.Status.SENT
    assert SmsMessage.objects.get(pk=stuck).attempts == 2
    assert {"task": "apps.core.tasks.requeue_stuck_sms", "crontab": {"minute": "*/5"}}.items() <= next(
        entry for entry in PERIODIC_TASKS if entry["task"].endswith("requeue_stuck_sms")).items()
