"""Background work survives a broker outage: jobs wait in the outbox while pages keep working, and once the
broker is back every job is done exactly once (the dispatcher may run twice, a task may be delivered twice)."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from apps.activities.models import SelfReport
from apps.core import outbox
from apps.core.models import Notification, OutboxMessage
from apps.core.services import notify
from apps.core.tasks import PERIODIC_TASKS, dispatch_outbox, send_notification_email
from apps.stations.tasks import remind_reception_duty
from tests.activities.self_report_support import frozen_today, make_report, media  # noqa: F401 (fixtures)
from tests.factories import MandateFactory, PersonFactory, UserFactory
from tests.reliability.support import broker_back, broker_down
from tests.stations.conftest import make_day, make_station

EMAIL_TASK = "apps.core.tasks.send_notification_email"
# Writing the test's deputies and their records queues the refresh of their scores too (apps.scoring follows the
# records it counts): a job of its own in the outbox, sent by the same dispatcher.
REFRESH_TASK = "apps.scoring.tasks.refresh_stale_scores"


def later(minutes: int):
    """A while after now, past the dispatcher's wait before it tries a refused job again."""
    return time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=minutes),
                               tick=False)


@pytest.fixture
def emailed_deputy(deputy_user):
    deputy_user.email = "zhangsanfeng@example.gov.cn"
    deputy_user.save()
    return deputy_user


# --- the outbox itself ---------------------------------------------------------------------------------------

def test_a_job_is_written_in_the_callers_transaction_and_sent_after_commit(db, settings,
                                                                            django_capture_on_commit_callbacks):
    with broker_back(settings), django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = outbox.enqueue(EMAIL_TASK, 12345)
        assert OutboxMessage.objects.get().dispatched_at is None  # stored, not yet sent
    assert len(callbacks) == 1
    with broker_back(settings):
        callbacks[0]()
    message.refresh_from_db()
    assert message.dispatched_at is not None and message.attempts == 1


def test_a_rolled_back_write_leaves_no_job(db, settings, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            outbox.enqueue(EMAIL_TASK, 1)
            raise RuntimeError
    assert not OutboxMessage.objects.exists() and not callbacks


def test_a_dedup_key_makes_two_requests_one_job(db):
    first = outbox.enqueue(EMAIL_TASK, 1, dedup_key="report-batch:2026-11")
    second = outbox.enqueue(EMAIL_TASK, 1, dedup_key="report-batch:2026-11")
    assert first.pk == second.pk and OutboxMessage.objects.count() == 1


def test_the_dispatcher_runs_every_minute_from_beat():
    schedules = {entry["task"]: entry["crontab"] for entry in PERIODIC_TASKS}
    assert schedules["apps.core.tasks.dispatch_outbox"] == {"minute": "*"}
    assert schedules["apps.core.tasks.heartbeat"] == {"minute": "*"}


# --- a broker outage ---------------------------------------------------------------------------------------

def test_pages_work_while_the_broker_is_down_and_the_email_waits_in_the_outbox(
        client_for, staff_user, emailed_deputy, settings, media, frozen_today, mailoutbox,  # noqa: F811
        django_capture_on_commit_callbacks):
    report = make_report(emailed_deputy)
    with broker_down(settings), django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff_user).post(reverse("activities:self_report_reject", args=[report.pk]),
                                               {"reason": "材料不全，请补充照片。"})
        assert response.status_code == 302
        assert client_for(emailed_deputy).get(reverse("core:notification_list")).status_code == 200

    report.refresh_from_db()
    assert report.status == SelfReport.Status.REJECTED
    notification = Notification.objects.get(recipient=emailed_deputy)
    message = OutboxMessage.objects.get(task=EMAIL_TASK)
    assert set(OutboxMessage.objects.exclude(task=EMAIL_TASK).values_list("task", flat=True)) == {REFRESH_TASK}
    assert (message.task, message.args) == (EMAIL_TASK, [notification.pk])
    assert message.dispatched_at is None and message.attempts == 1 and message.last_error
    assert mailoutbox == []

    # The dispatcher finds the broker still down: the job stays.
    with broker_down(settings), later(5):
        assert dispatch_outbox.apply().get()["sent"] == 0
    assert OutboxMessage.objects.get(task=EMAIL_TASK).dispatched_at is None

    # The broker is back: the job is sent once, however often the dispatcher runs.
    with broker_back(settings), later(20):
        assert outbox.dispatch_pending()["sent"] == 1
        assert outbox.dispatch_pending()["sent"] == 0
        call_command("dispatch_outbox", stdout=open("/dev/null", "w"))
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [emailed_deputy.email]
    assert OutboxMessage.objects.get(task=EMAIL_TASK).dispatched_at is not None


@pytest.fixture
def reception_duty(city, city_term, municipal_mandate, emailed_deputy):
    """Tomorrow's reception day at two stations, 张三丰 (with an account and an email) on duty at both."""
    colleague = UserFactory(email="qianqi@example.gov.cn", roles=["deputy"],
                            person=MandateFactory(term=city_term, person=PersonFactory(name="钱七")).person)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    people = [municipal_mandate.person, colleague.person]
    return [make_day(make_station(city, deputies=people), tomorrow, deputies=people),
            make_day(make_station(city, name="第二站", deputies=people[:1]), tomorrow, deputies=people[:1])]


def test_reminders_and_notifications_during_an_outage_are_each_emailed_exactly_once_after_it(
        reception_duty, emailed_deputy, staff_user, settings, mailoutbox, django_capture_on_commit_callbacks):
    staff_user.email = "office@example.gov.cn"
    staff_user.save()
    with broker_down(settings), django_capture_on_commit_callbacks(execute=True):
        assert remind_reception_duty.apply().get() == {"days": 2, "notified": 3}
        assert remind_reception_duty.apply().get() == {"days": 0, "notified": 0}  # asked again: claimed
        notify(recipients=[staff_user], title="月度履职报告已生成")
    assert Notification.objects.count() == 4
    assert OutboxMessage.objects.filter(dispatched_at__isnull=True, task=EMAIL_TASK).count() == 4
    assert list(OutboxMessage.objects.filter(dispatched_at__isnull=True).exclude(task=EMAIL_TASK)
                .values_list("task", flat=True)) == [REFRESH_TASK]
    assert mailoutbox == []

    with broker_back(settings), later(20):
        assert outbox.dispatch_pending() == {"sent": 4 + 1, "failed": 0, "pending": 0}
        assert outbox.dispatch_pending()["sent"] == 0
        # A task delivered a second time (late acknowledgement after a lost worker) sends nothing again.
        for pk in Notification.objects.values_list("pk", flat=True):
            assert send_notification_email.apply((pk,)).get() is False
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        ["zhangsanfeng@example.gov.cn", "zhangsanfeng@example.gov.cn", "qianqi@example.gov.cn",
         "office@example.gov.cn"])
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_two_dispatchers_at_once_send_each_job_once(transactional_db, settings, monkeypatch):
    import threading

    from django.db import connection

    users = [UserFactory(email=f"u{i}@example.gov.cn") for i in range(6)]
    with broker_down(settings):
        notify(recipients=users, title="通知")  # committed at once (no transaction): the sends fail
    assert OutboxMessage.objects.filter(dispatched_at__isnull=True).count() == 6

    # The broker is back; what each dispatcher hands to it is recorded (Celery's eager mode is not thread-safe).
    published = []
    monkeypatch.setattr(outbox, "_send", lambda message: published.append(message.pk))
    barrier = threading.Barrier(2)
    results = []

    def dispatcher():
        try:
            barrier.wait()
            results.append(outbox.dispatch_pending()["sent"])
        finally:
            connection.close()

    with later(20):
        threads = [threading.Thread(target=dispatcher) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sum(results) == 6
    assert sorted(published) == sorted(OutboxMessage.objects.values_list("pk", flat=True))  # each once
    assert not OutboxMessage.objects.filter(dispatched_at__isnull=True).exists()


# --- the banner --------------------------------------------------------------------------------------------

def _banner(user) -> str:
    """The fragment as a page shows it, with this processor's context (the roles are read once per request
    by the navigation already)."""
    from apps.core.context_processors import outbox_backlog

    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("core/fragment_outbox_banner.html", outbox_backlog(request))


@pytest.fixture
def settings_has_the_processor(settings):
    assert "apps.core.context_processors.outbox_backlog" in settings.TEMPLATES[0]["OPTIONS"]["context_processors"]


def test_staff_see_how_many_jobs_wait_for_the_queue_after_a_minute(staff_user, member_user, settings,
                                                                   settings_has_the_processor,
                                                                   django_assert_max_num_queries,
                                                                   django_capture_on_commit_callbacks):
    staff_user.roles, member_user.roles  # noqa: B018 - read once per request by the navigation
    with broker_down(settings), django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(EMAIL_TASK, 1)
        outbox.enqueue(EMAIL_TASK, 2)
    assert outbox.backlog_hinted()  # the refused sends say so in the cache
    assert "outbox-backlog" not in _banner(staff_user)  # just asked for: not yet worth a word
    with later(2):
        with django_assert_max_num_queries(1):
            html = _banner(staff_user)
        assert 'id="outbox-backlog"' in html and "2" in html
        assert "outbox-backlog" not in _banner(member_user)  # only the office and administrators


def test_the_banner_costs_no_query_for_other_roles(deputy_user, django_assert_num_queries):
    deputy_user.roles  # noqa: B018 - read once per request by the navigation
    with django_assert_num_queries(0):
        _banner(deputy_user)


def test_the_banner_costs_no_query_while_the_broker_takes_every_job(staff_user, settings_has_the_processor,
                                                                     django_assert_num_queries):
    staff_user.roles  # noqa: B018 - read once per request by the navigation
    with django_assert_num_queries(0):
        assert "outbox-backlog" not in _banner(staff_user)
