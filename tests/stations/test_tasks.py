"""The daily reminder of reception duty: tomorrow's days only, once per day, deputies with an account only."""

import datetime

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from apps.core.models import Notification
from apps.stations.models import ReceptionDay
from apps.stations.tasks import PERIODIC_TASKS, remind_reception_duty
from tests.factories import MandateFactory, PersonFactory
from tests.stations.conftest import make_day, make_station

TZ = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2026, 5, 10, 9, 0, tzinfo=TZ)
TOMORROW = datetime.date(2026, 5, 11)


@pytest.fixture
def duty(city, city_term, municipal_mandate, deputy_user):
    """A station with 张三丰 (an account) and 钱七 (none); days tomorrow, today, the day after and one unstaffed."""
    no_account = MandateFactory(term=city_term, person=PersonFactory(name="钱七")).person
    station = make_station(city, deputies=[municipal_mandate.person, no_account])
    other = make_station(city, name="第二站", deputies=[municipal_mandate.person])
    return {
        "tomorrow": make_day(station, TOMORROW, deputies=[municipal_mandate.person, no_account]),
        "tomorrow_other": make_day(other, TOMORROW, deputies=[municipal_mandate.person]),
        "today": make_day(station, TOMORROW - datetime.timedelta(days=1), deputies=[municipal_mandate.person]),
        "later": make_day(station, TOMORROW + datetime.timedelta(days=1), deputies=[municipal_mandate.person]),
        "unstaffed": make_day(make_station(city, name="第三站"), TOMORROW),
    }


@time_machine.travel(NOW, tick=False)
def test_reminds_tomorrows_deputies_once(duty, deputy_user):
    assert remind_reception_duty() == {"days": 2, "notified": 2}
    notes = Notification.objects.filter(recipient=deputy_user)
    assert notes.count() == 2
    assert all("2026-05-11" in n.title for n in notes)
    assert Notification.objects.count() == 2  # 钱七 has no account
    reminded = set(ReceptionDay.objects.filter(reminded_at__isnull=False).values_list("pk", flat=True))
    assert reminded == {duty["tomorrow"].pk, duty["tomorrow_other"].pk}

    assert remind_reception_duty() == {"days": 0, "notified": 0}
    assert Notification.objects.count() == 2


@time_machine.travel(NOW, tick=False)
def test_with_sms_reminders_on_a_deputy_with_a_mobile_also_gets_a_text_message(duty, deputy_user, settings):
    from apps.core.models import SmsMessage

    settings.SMS_REMINDERS = True
    deputy_user.phone = "13812345678"
    deputy_user.save()
    remind_reception_duty()
    assert sorted(SmsMessage.objects.values_list("number_masked", "status")) == [("138****5678", "queued")] * 2
    assert all("2026-05-11" in text for text in SmsMessage.objects.values_list("text", flat=True))


@time_machine.travel(NOW, tick=False)
def test_a_day_claimed_by_another_worker_is_not_sent_again(duty, monkeypatch):
    from apps.stations import selectors, services

    # Another worker claimed every day between this worker's read and its claim.
    real = selectors.days_to_remind

    def read_then_lose_the_race(day):
        pks = list(real(day).values_list("pk", flat=True))
        ReceptionDay.objects.filter(pk__in=pks).update(reminded_at=NOW)
        return ReceptionDay.objects.filter(pk__in=pks)

    monkeypatch.setattr(selectors, "days_to_remind", read_then_lose_the_race)
    assert services.reception_days_remind(on_date=NOW.date()) == {"days": 0, "notified": 0}
    assert not Notification.objects.exists()


def test_on_date_argument_picks_the_next_day(duty, deputy_user):
    result = remind_reception_duty(on_date="2026-05-11")
    assert result == {"days": 1, "notified": 1}
    assert ReceptionDay.objects.get(pk=duty["later"].pk).reminded_at is not None


def test_inactive_accounts_are_not_notified(duty, deputy_user):
    deputy_user.is_active = False
    deputy_user.save()
    assert remind_reception_duty(on_date="2026-05-10") == {"days": 2, "notified": 0}


def test_the_periodic_task_is_installed(db):
    from django.core.management import call_command

    call_command("setup_periodic_tasks")
    task = PeriodicTask.objects.get(name=PERIODIC_TASKS[0]["name"])
    assert task.task == "apps.stations.tasks.remind_reception_duty"
    assert (task.crontab.hour, task.crontab.minute) == ("9", "0")


def test_the_deputy_sees_the_day_on_their_page(client_for, duty, deputy_user):
    from django.urls import reverse

    with time_machine.travel(NOW, tick=False):
        response = client_for(deputy_user).get(reverse("stations:my_reception_days"))
    assert [d.pk for d in response.context["upcoming"]][:2] == [duty["today"].pk, duty["tomorrow"].pk]
    assert duty["unstaffed"].pk not in [d.pk for d in response.context["upcoming"]]
    assert "第二站" in response.content.decode()
